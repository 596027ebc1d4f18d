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
    return _C._cuda_device_count()


# The CUDA caching allocator's statistics and controls (docs/architecture.md, Note [CUDA caching
# allocator]); the logic is C++ (ember/tensor/cuda_memory.h). A device is None (the current
# device), an index, "cuda:1" or an ember.device.


def memory_allocated(device=None):
    """memory_allocated(device=None) -> int

    Bytes of tensor memory allocated on the device (block sizes, multiples of 512 bytes).
    """
    return _C._cuda.memory_allocated(device)


def max_memory_allocated(device=None):
    """max_memory_allocated(device=None) -> int

    The peak of memory_allocated since the start or reset_peak_memory_stats().
    """
    return _C._cuda.max_memory_allocated(device)


def memory_reserved(device=None):
    """memory_reserved(device=None) -> int

    Bytes the caching allocator holds on the device, in use or cached.
    """
    return _C._cuda.memory_reserved(device)


def max_memory_reserved(device=None):
    """max_memory_reserved(device=None) -> int

    The peak of memory_reserved since the start or reset_peak_memory_stats().
    """
    return _C._cuda.max_memory_reserved(device)


def reset_peak_memory_stats(device=None):
    """reset_peak_memory_stats(device=None) -> None

    Resets the peaks of the device's memory statistics to their current values.
    """
    _C._cuda.reset_peak_memory_stats(device)


def memory_stats(device=None):
    """memory_stats(device=None) -> dict

    The caching allocator's statistics under PyTorch's names ("allocated_bytes.all.current",
    "reserved_bytes.all.peak", "num_ooms", ...).
    """
    return _C._cuda.memory_stats(device)


def memory_summary(device=None, abbreviated=False):
    """memory_summary(device=None, abbreviated=False) -> str

    A readable table of the caching allocator's statistics for the device (abbreviated is
    accepted for PyTorch compatibility; the table is always the short one).
    """
    return _C._cuda.memory_summary(device)


def empty_cache():
    """empty_cache() -> None

    Returns the cached, unused memory of every device to the driver, so that other processes
    can use it; tensors keep theirs.
    """
    _C._cuda.empty_cache()


def set_per_process_memory_fraction(fraction, device=None):
    """set_per_process_memory_fraction(fraction, device=None) -> None

    Caps the memory this process reserves on the device at fraction * its total memory
    (0 <= fraction <= 1); allocations beyond it raise OutOfMemoryError.
    """
    _C._cuda.set_per_process_memory_fraction(fraction, device)


# ---------------------------------------------------------------- generators
# One default Generator per device (libtorch's getDefaultCUDAGenerator), seeded by manual_seed,
# manual_seed_all and ember.manual_seed; the random ops on CUDA tensors draw from them.


def _default_generators():
    """The default generators, one per device: an empty tuple without a device."""
    if not is_available():
        return ()
    return tuple(_cuda.default_generator(index) for index in range(device_count()))


def __getattr__(name):
    # default_generators is computed at its first read, so importing ember touches no device.
    if name == "default_generators":
        return _default_generators()
    raise AttributeError(f"module 'ember.cuda' has no attribute '{name}'")


def seed():
    """seed() -> None

    Seeds the current device's generator from a non-deterministic source (ignored without a
    device).
    """
    if is_available():
        _cuda.default_generator(None).seed()


def seed_all():
    """seed_all() -> None

    Seeds every device's generator with one non-deterministic seed (ignored without a device).
    """
    if is_available():
        manual_seed_all(_cuda.default_generator(None).seed())


def get_rng_state(device="cuda"):
    """get_rng_state(device='cuda') -> Tensor

    The state of a device's generator as a uint8 CPU tensor (seed, offset).
    """
    return _cuda.default_generator(_index(device)).get_state()


def get_rng_state_all():
    """get_rng_state_all() -> list of Tensor

    The state of every device's generator.
    """
    return [generator.get_state() for generator in _default_generators()]


def set_rng_state(new_state, device="cuda"):
    """set_rng_state(new_state, device='cuda') -> None

    Restores a device's generator from get_rng_state().
    """
    _cuda.default_generator(_index(device)).set_state(new_state)


def set_rng_state_all(new_states):
    """set_rng_state_all(new_states) -> None

    Restores every device's generator from get_rng_state_all().
    """
    for generator, state in zip(_default_generators(), new_states):
        generator.set_state(state)
