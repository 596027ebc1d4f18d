"""Tensors handed from DataLoader worker processes to the main process through shared memory.

A worker allocates each batch tensor in a file under /dev/shm (default_collate stacks straight
into it), and pickling it for the result queue sends only the file's name and the tensor's
layout. The main process maps the file, unlinks it at once (the mapping stays valid and the
memory is freed when the last tensor over it dies) and builds the tensor over the mapping with
ember._C._shared_tensor: no copy on either side, for every dtype (bfloat16 too), and the tensor
reports is_shared(). An empty tensor has no bytes to share: only its dtype and shape travel, and
the main process makes it in shared memory. Files a message never reached are removed by name
prefix when the loader shuts its workers down (remove_leftovers).
"""
import contextlib
import itertools
import mmap
import os
import pickle
import tempfile
import weakref
from multiprocessing.reduction import ForkingPickler

import ember
from ember import _C

_DIRECTORY = ("/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK)
              else tempfile.gettempdir())

# Every dtype by the name a message carries.
_DTYPE_NAMES = {getattr(ember, name): name for name in (
    "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8",
    "bool")}


class _Segment:
    def __init__(self, path, nbytes):
        self.path = path
        self.nbytes = nbytes
        self.sent = False


_prefix = None  # set in a worker process by enable_in_worker
_counter = itertools.count()
_segments = {}  # a segment's base address in this worker -> _Segment
_received = {}  # path -> mmap of the segments of the message being unpickled (main process)


def loader_prefix(token):
    """The file name prefix of one loader's segments (its workers add their id)."""
    return f"ember-dataloader-{os.getpid()}-{token}-"


def enable_in_worker(prefix):
    """Makes this (worker) process allocate batches in shared memory and send tensors by
    name."""
    global _prefix
    _prefix = prefix
    ForkingPickler.register(ember.Tensor, _reduce_tensor)


def in_worker():
    return _prefix is not None


def _release(base, segment):
    _segments.pop(base, None)
    if not segment.sent:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(segment.path)


def _contiguous_strides(shape):
    strides = []
    step = 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def empty_shared(shape, dtype):
    """An uninitialised tensor in a new shared-memory segment, or None where this process is
    not a worker or the tensor is empty (it has no bytes to share)."""
    numel = 1
    for size in shape:
        numel *= size
    if _prefix is None or numel == 0:
        return None
    nbytes = numel * ember.empty(0, dtype=dtype).element_size()
    path = os.path.join(_DIRECTORY, f"{_prefix}{next(_counter)}")
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.ftruncate(descriptor, nbytes)
        mapping = mmap.mmap(descriptor, nbytes)
    finally:
        os.close(descriptor)
    tensor = _C._shared_tensor(mapping, dtype, tuple(shape), _contiguous_strides(shape), 0)
    segment = _Segment(path, nbytes)
    _segments[tensor.data_ptr()] = segment
    # The tensor's storage holds the mapping: it goes when the last tensor over it does.
    weakref.finalize(mapping, _release, tensor.data_ptr(), segment)
    return tensor


def _segment_of(tensor):
    address = tensor.data_ptr()
    for base, segment in _segments.items():
        if base <= address < base + segment.nbytes:
            return base, segment
    return None, None


def _reduce_tensor(tensor):
    """ForkingPickler's reduction of a tensor in a worker: the segment's name and layout."""
    if type(tensor) is not ember.Tensor or tensor.requires_grad or tensor.device.type != "cpu":
        return tensor.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    if tensor.numel() == 0:
        return _rebuild_empty, (_DTYPE_NAMES[tensor.dtype], tuple(tensor.shape))
    base, segment = _segment_of(tensor)
    itemsize = tensor.element_size()
    if segment is None or segment.sent or (tensor.data_ptr() - base) % itemsize:
        shared = empty_shared(tuple(tensor.shape), tensor.dtype)
        shared.copy_(tensor)
        tensor = shared
        base, segment = _segment_of(tensor)
    segment.sent = True
    layout = (tuple(tensor.shape), tuple(tensor.stride()), (tensor.data_ptr() - base) // itemsize)
    return _rebuild_tensor, (segment.path, segment.nbytes, _DTYPE_NAMES[tensor.dtype], *layout)


def _rebuild_tensor(path, nbytes, dtype_name, shape, strides, offset):
    mapping = _received.get(path)
    if mapping is None:
        descriptor = os.open(path, os.O_RDWR)
        try:
            mapping = mmap.mmap(descriptor, nbytes)
        finally:
            os.close(descriptor)
        os.unlink(path)
        _received[path] = mapping
    return _C._shared_tensor(mapping, getattr(ember, dtype_name), shape, strides, offset)


def _rebuild_empty(dtype_name, shape):
    return ember.empty(shape, dtype=getattr(ember, dtype_name)).share_memory_()


def message_received():
    """Forgets the mappings of the message just unpickled (its tensors keep them alive)."""
    _received.clear()


def remove_leftovers(prefix):
    """Removes the segments of a loader that no message delivered (after its workers end)."""
    for name in os.listdir(_DIRECTORY):
        if name.startswith(prefix):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(_DIRECTORY, name))
