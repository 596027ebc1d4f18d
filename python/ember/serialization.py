"""ember.save and ember.load: PyTorch's API over ember's checkpoint format.

A checkpoint is a safetensors file whose entries are the storages of the saved tensors and whose
``__metadata__`` holds the object tree as JSON (docs/checkpoint_format.md). Loading never runs
code: only None, bool, int, float, str, Tensor, dict, OrderedDict, list and tuple exist in the
format, so ``weights_only=True`` holds whatever is passed. The format code is C++
(ember/checkpoint/), shared with ember::save / ember::load, so both languages write the same
bytes.
"""

import os

import ember
from ember._C import _checkpoint

__all__ = ["load", "save"]


def _is_path(f):
    return isinstance(f, (str, bytes, os.PathLike))


def save(obj, f, pickle_module=None, pickle_protocol=None, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """save(obj, f) -> None

    Saves obj (tensors, numbers, strings, bools, None and dicts, OrderedDicts, lists and tuples of
    them, e.g. state dicts) to a path or a binary file-like object. Views that share storage stay
    shared after loading. A path is written atomically (a temporary file in the same directory,
    fsync, rename): a crash leaves any previous file intact. Anything else raises TypeError."""
    del pickle_module, pickle_protocol, _use_new_zipfile_serialization, _disable_byteorder_record
    if _is_path(f):
        _checkpoint.save_file(obj, os.fsdecode(f))
    else:
        f.write(_checkpoint.save_bytes(obj))


def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """load(f, map_location=None, *, weights_only=True, mmap=None) -> object

    Loads what save wrote, from a path or a binary file-like object. weights_only is accepted
    for PyTorch's signature; loading is always safe. mmap=True (paths only) maps the file
    privately and the tensors view the mapping (zero-copy; in-place changes stay in this process).
    map_location moves the tensors: a device, a device string, a dict from saved location
    ("cpu") to location, or a callable(storage, location) returning a location, a tensor or None.
    A truncated, corrupted or hostile file raises ValueError (ember.safetensors' error classes
    for the container, ValueError "[ember.load] ..." for the object tree)."""
    del pickle_module, weights_only, pickle_load_args
    if _is_path(f):
        obj = _checkpoint.load_file(os.fsdecode(f), bool(mmap))
    else:
        if mmap:
            raise ValueError("[ember.load] mmap=True needs a path; got a file-like object")
        obj = _checkpoint.load_bytes(bytes(f.read()))
    if map_location is None:
        return obj
    return _move(obj, map_location)


def _target(map_location, tensor):
    """The device a tensor saved on tensor.device goes to, or None to leave it."""
    location = str(tensor.device)
    if isinstance(map_location, dict):
        map_location = map_location.get(location, location)
    elif callable(map_location) and not isinstance(map_location, ember.device):
        result = map_location(tensor, location)
        if result is None:
            return None
        map_location = result.device if isinstance(result, ember.Tensor) else result
    if isinstance(map_location, (str, ember.device)):
        return ember.device(map_location)
    raise TypeError("[ember.load] expected map_location to be a device, a str, a dict or a "
                    f"callable; got {type(map_location).__name__}")


def _move(obj, map_location):
    moved = {}  # one result per storage-sharing tensor object

    def walk(value):
        if isinstance(value, ember.Tensor):
            device = _target(map_location, value)
            if device is None or device == value.device:
                return value
            if id(value) not in moved:
                moved[id(value)] = value.to(device)
            return moved[id(value)]
        if isinstance(value, dict):
            result = type(value)()
            for key, item in value.items():
                result[key] = walk(item)
            return result
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, tuple):
            return tuple(walk(item) for item in value)
        return value

    return walk(obj)
