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
    Tensors return to the device they were saved on (a CUDA one without CUDA raises
    RuntimeError); map_location moves them instead: a device, a device string, a dict from saved
    location ("cpu", "cuda:0") to location, or a callable(storage, location) returning a
    location, a tensor or None (the saved location).
    A truncated, corrupted or hostile file raises ValueError (ember.safetensors' error classes
    for the container, ValueError "[ember.load] ..." for the object tree)."""
    del pickle_module, weights_only, pickle_load_args
    location = None if map_location is None else _locator(map_location)
    if _is_path(f):
        return _checkpoint.load_file(os.fsdecode(f), bool(mmap), location)
    if mmap:
        raise ValueError("[ember.load] mmap=True needs a path; got a file-like object")
    return _checkpoint.load_bytes(bytes(f.read()), location)


def _locator(map_location):
    """map_location as the format's callable(tensor, saved location) -> device or None."""
    if isinstance(map_location, (str, ember.device)):
        device = ember.device(map_location)
        return lambda tensor, location: device
    if isinstance(map_location, dict):
        return lambda tensor, location: ember.device(map_location.get(location, location))
    if callable(map_location):
        def locate(tensor, location):
            result = map_location(tensor, location)
            if result is None:
                return None
            return ember.device(result.device if isinstance(result, ember.Tensor) else result)
        return locate
    raise TypeError("[ember.load] expected map_location to be a device, a str, a dict or a "
                    f"callable; got {type(map_location).__name__}")
