"""ember.cuda: the CUDA runtime, as torch.cuda (devices, streams, events, seeds).

Importing works everywhere; without a GPU or driver ``is_available()`` is False and every call
that needs a device raises RuntimeError saying why. The runtime is C++ (``ember::cuda``); this
module re-exports it and adds the context managers.
"""
from ember import _C

_cuda = _C._cuda

is_available = _cuda.is_available
device_count = _cuda.device_count
current_device = _cuda.current_device
set_device = _cuda.set_device
synchronize = _cuda.synchronize
get_device_properties = _cuda.get_device_properties
is_initialized = _cuda.is_initialized
init = _cuda.init
manual_seed = _cuda.manual_seed
manual_seed_all = _cuda.manual_seed_all
initial_seed = _cuda.initial_seed
Stream = _cuda.Stream
Event = _cuda.Event
current_stream = _cuda.current_stream
default_stream = _cuda.default_stream
set_stream = _cuda.set_stream


def get_device_name(device=None):
    """get_device_name(device=None) -> str

    The name of a CUDA device (by default the current one).
    """
    return get_device_properties(device).name


def _index(device):
    """The device index of an int, "cuda:1", an ember.device or None (-1: keep the current)."""
    if device is None:
        return -1
    if isinstance(device, int):
        return device
    from ember import device as device_type
    index = device_type(device).index
    return -1 if index is None else index


class device:  # noqa: N801 (torch.cuda.device)
    """device(device) -> context manager

    Makes ``device`` the current CUDA device inside the block and restores the previous one
    after it; None or -1 changes nothing.
    """

    def __init__(self, device):
        self.index = _index(device)
        self.previous = -1

    def __enter__(self):
        if self.index == -1:
            return self
        self.previous = current_device()
        if self.previous != self.index:
            set_device(self.index)
        return self

    def __exit__(self, *exc_info):
        if self.index != -1 and self.previous != self.index:
            set_device(self.previous)
        return False


class StreamContext:
    """StreamContext(stream) -> context manager

    Makes ``stream`` (and its device) current inside the block, as torch.cuda.stream; None
    changes nothing.
    """

    def __init__(self, stream):
        self.stream = stream
        self.device = device(None if stream is None else stream.device_index)
        self.previous = None

    def __enter__(self):
        if self.stream is None:
            return self.stream
        self.device.__enter__()
        self.previous = current_stream(self.stream.device_index)
        set_stream(self.stream)
        return self.stream

    def __exit__(self, *exc_info):
        if self.stream is not None:
            set_stream(self.previous)
            self.device.__exit__(*exc_info)
        return False


def stream(stream):
    """stream(stream) -> StreamContext

    A context manager that makes ``stream`` current inside the block.
    """
    return StreamContext(stream)
