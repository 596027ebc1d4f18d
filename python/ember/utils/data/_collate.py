"""default_collate and default_convert: PyTorch's rules for turning samples into batches."""
import collections.abc
import re

import ember
from ember.utils.data import _shared_memory

_NUMPY_STRING_KINDS = re.compile(r"[SaUO]")

_COLLATE_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                  "or lists; found {}")


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(value, "_fields")


def _is_numpy_value(value):
    """A NumPy array or scalar other than a string (NumPy is imported only once one is met, so
    that `import ember` does not pay for it)."""
    return type(value).__module__ == "numpy" and not isinstance(value, (str, bytes))


def default_convert(data):
    """Converts NumPy arrays and scalars in data to tensors, keeping the structure (batch_size
    None uses it instead of default_collate)."""
    if isinstance(data, ember.Tensor):
        return data
    if _is_numpy_value(data):
        if data.ndim > 0 and _NUMPY_STRING_KINDS.search(data.dtype.str):
            return data
        return ember.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(data[key]) for key in data}
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    if _is_namedtuple(data):
        return type(data)(*(default_convert(item) for item in data))
    if isinstance(data, tuple):
        return [default_convert(item) for item in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        converted = [default_convert(item) for item in data]
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    return data


def _collate_tensors(batch):
    first = batch[0]
    # In a worker the batch is stacked straight into shared memory, which the main process
    # maps without a copy. Shared memory is host memory: CUDA samples stack on their device.
    if first.device.type != "cpu":
        return ember.stack(batch, 0)
    out = _shared_memory.empty_shared((len(batch), *first.shape), first.dtype)
    if out is None:
        return ember.stack(batch, 0)
    return ember.stack(batch, 0, out=out)


def default_collate(batch):
    """Stacks a list of samples into a batch: tensors stack along a new first dimension, NumPy
    arrays and scalars become tensors, floats a float64 tensor, ints an int64 tensor, strings
    stay a list, and dicts, namedtuples and sequences are collated field by field."""
    first = batch[0]
    if isinstance(first, ember.Tensor):
        return _collate_tensors(batch)
    if _is_numpy_value(first):
        if _NUMPY_STRING_KINDS.search(first.dtype.str):
            raise TypeError(_COLLATE_ERROR.format(first.dtype))
        if first.ndim > 0:
            return default_collate([ember.as_tensor(array) for array in batch])
        import numpy

        return ember.as_tensor(numpy.asarray(batch))
    if isinstance(first, bool):
        return ember.tensor(batch, dtype=ember.bool)
    if isinstance(first, float):
        return ember.tensor(batch, dtype=ember.float64)
    if isinstance(first, int):
        return ember.tensor(batch, dtype=ember.int64)
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, collections.abc.Mapping):
        collated = {key: default_collate([sample[key] for sample in batch]) for key in first}
        try:
            return type(first)(collated)
        except TypeError:
            return collated
    if _is_namedtuple(first):
        return type(first)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        length = len(first)
        if not all(len(sample) == length for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(first, tuple):
            return [default_collate(samples) for samples in transposed]
        collated = [default_collate(samples) for samples in transposed]
        try:
            return type(first)(collated)
        except TypeError:
            return collated
    raise TypeError(_COLLATE_ERROR.format(type(first)))
