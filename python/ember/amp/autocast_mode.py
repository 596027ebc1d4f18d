"""ember.autocast: a context manager and decorator over the C++ thread-local autocast state
(ember/ops/autocast.h). The casting itself happens inside the ops, in C++."""
import functools
import warnings

import ember
from ember import _C

_SUPPORTED_DTYPES = {"cpu": ("bfloat16", "float16"), "cuda": ("float16", "bfloat16")}


class autocast:  # noqa: N801 (PyTorch's name)
    """autocast(device_type, dtype=None, enabled=True, cache_enabled=None)

    Inside the region, the ops of autocast's lists run in lower precision (matmul, linear, conv,
    ...: dtype, by default bfloat16 on 'cpu' and float16 on 'cuda'), in float32 (the losses) or
    in the widest input type (cat, stack, index_copy). Usable as a decorator; regions nest.
    """

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(
                f"[autocast] expected device_type of type str; got {type(device_type)}")
        if device_type not in _SUPPORTED_DTYPES:
            raise ValueError(
                f"[autocast] expected device_type 'cpu' or 'cuda'; got '{device_type}'")
        self.device = device_type
        self.fast_dtype = _C._autocast.get_autocast_dtype(device_type) if dtype is None else dtype
        self._cache_enabled = (_C._autocast.is_autocast_cache_enabled() if cache_enabled is None
                               else bool(cache_enabled))
        self._enabled = bool(enabled)
        if self._enabled and device_type == "cuda" and not ember.cuda.is_available():
            warnings.warn("User provided device_type of 'cuda', but CUDA is not available. "
                          "Disabling", stacklevel=2)
            self._enabled = False
        names = _SUPPORTED_DTYPES[device_type]
        if self._enabled and not any(self.fast_dtype == getattr(ember, n) for n in names):
            warnings.warn(f"In {device_type} autocast, but the target dtype is not supported "
                          f"(supported: {', '.join(names)}; got {self.fast_dtype}). Disabling "
                          "autocast.", stacklevel=2)
            self._enabled = False
        self._saved = []

    def __enter__(self):
        dtype = self.fast_dtype if self._enabled else None
        self._saved.append(
            _C._autocast._enter(self.device, self._enabled, dtype, self._cache_enabled))
        return self

    def __exit__(self, *exc):
        _C._autocast._exit(self._saved.pop())
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self:
                return function(*args, **kwargs)

        return wrapper
