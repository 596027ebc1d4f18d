"""no_grad, enable_grad and set_grad_enabled: context managers and decorators over the C++
thread-local grad mode."""
import functools

from ember import _C


class _GradModeContext:
    """Sets grad mode on entry and restores the previous mode on exit; usable as a decorator."""

    _enabled = True

    def __enter__(self):
        self._previous = _C._autograd.is_grad_enabled()
        _C._autograd.set_grad_enabled(self._enabled)
        return self

    def __exit__(self, *exc):
        _C._autograd.set_grad_enabled(self._previous)
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return function(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):  # noqa: N801 (PyTorch's name)
    """no_grad(): a context manager (or decorator) that turns recording for autograd off."""

    _enabled = False


class enable_grad(_GradModeContext):  # noqa: N801
    """enable_grad(): a context manager (or decorator) that turns recording for autograd on."""

    _enabled = True


class set_grad_enabled(_GradModeContext):  # noqa: N801
    """set_grad_enabled(mode) sets the mode at once; as a context manager it restores it."""

    def __init__(self, mode):
        self._enabled = bool(mode)
        self._previous = _C._autograd.is_grad_enabled()
        _C._autograd.set_grad_enabled(self._enabled)

    def __enter__(self):
        return self

    def __call__(self, function):
        mode = self._enabled
        _C._autograd.set_grad_enabled(self._previous)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return function(*args, **kwargs)

        return wrapper


def is_grad_enabled():
    """is_grad_enabled() -> bool

    Whether autograd records operations on this thread.
    """
    return _C._autograd.is_grad_enabled()
