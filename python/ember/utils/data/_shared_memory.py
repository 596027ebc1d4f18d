"""Tensors handed from DataLoader worker processes to the main process through shared memory.

A worker allocates each batch tensor in a file under /dev/shm (default_collate stacks straight
into it), and pickling it for the result queue sends only the file's name and the tensor's
layout. The main process maps the file, unlinks it at once (the mapping stays valid and the
memory is freed when the last tensor over it dies) and builds the tensor over the mapping with
ember.from_numpy: no copy on either side. Files a message never reached are removed by name
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

_DIRECTORY = ("/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK)
              else tempfile.gettempdir())

# The dtypes NumPy can describe (bfloat16 tensors travel by ordinary pickling).
_NUMPY_DTYPES = {ember.float64: "float64", ember.float32: "float32", ember.float16: "float16",
                 ember.int64: "int64", ember.int32: "int32", ember.int16: "int16",
                 ember.int8: "int8", ember.uint8: "uint8", ember.bool: "bool"}


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


def empty_shared(shape, dtype):
    """An uninitialised tensor in a new shared-memory segment, or None where this process is
    not a worker or the tensor cannot live there (empty, or a dtype NumPy lacks)."""
    numpy_dtype = _NUMPY_DTYPES.get(dtype)
    numel = 1
    for size in shape:
        numel *= size
    if _prefix is None or numpy_dtype is None or numel == 0:
        return None
    import numpy as np  # here: `import ember` does not pay for NumPy

    nbytes = numel * np.dtype(numpy_dtype).itemsize
    path = os.path.join(_DIRECTORY, f"{_prefix}{next(_counter)}")
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.ftruncate(descriptor, nbytes)
        mapping = mmap.mmap(descriptor, nbytes)
    finally:
        os.close(descriptor)
    array = np.frombuffer(mapping, dtype=numpy_dtype, count=numel).reshape(shape)
    tensor = ember.from_numpy(array)
    segment = _Segment(path, nbytes)
    _segments[tensor.data_ptr()] = segment
    weakref.finalize(array, _release, tensor.data_ptr(), segment)
    return tensor


def _segment_of(tensor):
    address = tensor.data_ptr()
    for base, segment in _segments.items():
        if base <= address < base + segment.nbytes:
            return base, segment
    return None, None


def _reduce_tensor(tensor):
    """ForkingPickler's reduction of a tensor in a worker: the segment's name and layout."""
    unsupported = (type(tensor) is not ember.Tensor or tensor.requires_grad
                   or tensor.device.type != "cpu" or tensor.dtype not in _NUMPY_DTYPES
                   or tensor.numel() == 0)
    if unsupported:
        return tensor.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    base, segment = _segment_of(tensor)
    if segment is None or segment.sent:
        shared = empty_shared(tuple(tensor.shape), tensor.dtype)
        shared.copy_(tensor)
        tensor = shared
        base, segment = _segment_of(tensor)
    segment.sent = True
    itemsize = tensor.element_size()
    layout = (tuple(tensor.shape), tuple(stride * itemsize for stride in tensor.stride()),
              tensor.data_ptr() - base)
    return _rebuild_tensor, (segment.path, segment.nbytes, _NUMPY_DTYPES[tensor.dtype], *layout)


def _rebuild_tensor(path, nbytes, numpy_dtype, shape, strides, offset):
    mapping = _received.get(path)
    if mapping is None:
        descriptor = os.open(path, os.O_RDWR)
        try:
            mapping = mmap.mmap(descriptor, nbytes)
        finally:
            os.close(descriptor)
        os.unlink(path)
        _received[path] = mapping
    import numpy as np

    array = np.ndarray(shape, dtype=numpy_dtype, buffer=mapping, offset=offset, strides=strides)
    return ember.from_numpy(array)


def message_received():
    """Forgets the mappings of the message just unpickled (its tensors keep them alive)."""
    _received.clear()


def remove_leftovers(prefix):
    """Removes the segments of a loader that no message delivered (after its workers end)."""
    for name in os.listdir(_DIRECTORY):
        if name.startswith(prefix):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(_DIRECTORY, name))
