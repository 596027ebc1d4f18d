"""ember.safetensors: the safetensors package's PyTorch API (``safetensors.torch``) over ember's
one reader and writer (ember/serialize/safetensors.h, docs/architecture.md Note [safetensors]).

Files are validated before anything is allocated from them; every broken rule raises a subclass
of :class:`SafetensorError` (a ``ValueError``) named after it, e.g. ``InvalidOffset``.
"""
import os

from ember._C import _safetensors as _impl

__all__ = ["SafetensorError", "load", "load_file", "safe_open", "save", "save_file",
           *_impl._error_kinds]

SafetensorError = _impl.SafetensorError
globals().update({name: getattr(_impl, name) for name in _impl._error_kinds})

_FRAMEWORKS = ("pt", "torch", "ember")


def _to_device(tensors, device):
    if device in ("cpu", None):
        return tensors
    return {name: tensor.to(device) for name, tensor in tensors.items()}


def save(tensors, metadata=None):
    """save(tensors, metadata=None) -> bytes

    The safetensors bytes of ``tensors`` (a dict of str to Tensor); ``metadata`` is a dict of
    str to str stored under ``__metadata__``. Non-contiguous tensors are packed first."""
    return _impl.save(tensors, metadata)


def save_file(tensors, filename, metadata=None):
    """save_file(tensors, filename, metadata=None) -> None

    Writes ``tensors`` to ``filename`` atomically (a temporary file in the same directory,
    fsync, rename): a crash leaves any previous file intact."""
    _impl.save_file(tensors, os.fspath(filename), metadata)


def load(data):
    """load(data) -> dict[str, Tensor]

    The tensors stored in safetensors ``data`` (bytes); each owns a copy of its bytes."""
    tensors, _ = _impl.load(data)
    return tensors


def load_file(filename, device="cpu"):
    """load_file(filename, device="cpu") -> dict[str, Tensor]

    The tensors of a safetensors file, read into one buffer that they share."""
    tensors, _ = _impl.load_file(os.fspath(filename))
    return _to_device(tensors, device)


class _Slice:
    """A tensor of an open file, read only in the part that is indexed (``get_slice``)."""

    def __init__(self, file, name):
        self._file = file
        self._name = name

    def get_shape(self):
        """get_shape() -> list[int]: the tensor's shape."""
        return list(self._file.info(self._name)[1])

    def get_dtype(self):
        """get_dtype() -> str: the tensor's safetensors dtype ("F32", "BF16", ...)."""
        return self._file.info(self._name)[0]

    def __getitem__(self, index):
        # Indexing a zero-copy view of the mapping, then copying only the selected elements.
        return self._file.get_view(self._name)[index].clone()

    def __len__(self):
        shape = self.get_shape()
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]


class safe_open:  # noqa: N801 -- the safetensors package's name
    """safe_open(filename, framework="pt", device="cpu")

    Opens a safetensors file lazily (memory-mapped, header validated at once), as the
    safetensors package's ``safe_open``; a context manager with ``keys()``, ``metadata()``,
    ``get_tensor(name)`` and ``get_slice(name)``."""

    def __init__(self, filename, framework="pt", device="cpu"):
        if framework not in _FRAMEWORKS:
            raise ValueError(f"[safe_open] expected framework to be one of {_FRAMEWORKS}; "
                             f"got {framework!r}")
        self._device = device
        self._file = _impl.SafeOpen(os.fspath(filename))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._file = None
        return False

    def _open(self):
        if self._file is None:
            raise RuntimeError("[safe_open] the file is closed (used after its with block)")
        return self._file

    def keys(self):
        """keys() -> list[str]: the tensor names, in the order of their bytes in the file."""
        return self._open().keys()

    def offset_keys(self):
        """offset_keys() -> list[str]: the tensor names in the order of their bytes."""
        return self._open().keys()

    def metadata(self):
        """metadata() -> dict[str, str] or None: the file's ``__metadata__``."""
        return self._open().metadata()

    def get_tensor(self, name):
        """get_tensor(name) -> Tensor: one tensor, copied out of the file."""
        tensor = self._open().get_tensor(name)
        return tensor if self._device in ("cpu", None) else tensor.to(self._device)

    def get_slice(self, name):
        """get_slice(name) -> slice object: ``get_shape()``, ``get_dtype()`` and indexing,
        which reads only the indexed elements."""
        self._open().info(name)  # a missing name fails here, as in the safetensors package
        return _Slice(self._open(), name)
