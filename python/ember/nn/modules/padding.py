"""The padding layers (torch.nn's): ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d, ZeroPad2d and
ConstantPad1d/2d/3d, each a call of functional.pad (the C++ op ember::pad) with its padding."""
from ember.nn import functional
from ember.nn.modules.module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ReflectionPad1d",
           "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "ZeroPad2d"]


def _padding_tuple(padding, dims):
    """An int pads every side; a tuple gives (left, right) pairs from the last dim."""
    if isinstance(padding, int):
        return (padding,) * (2 * dims)
    padding = tuple(padding)
    if len(padding) != 2 * dims:
        raise ValueError(f"expected padding of {2 * dims} values (or an int); got {padding}")
    return padding


class _PadNd(Module):
    """A padding layer: functional.pad(input, padding, mode), PyTorch's attributes and repr."""

    _mode = "constant"
    _dims = 1

    def __init__(self, padding):
        super().__init__()
        self.padding = _padding_tuple(padding, self._dims)

    def forward(self, input):
        return functional.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return functional.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ReflectionPad1d(_PadNd):
    """ReflectionPad1d(padding) -> ReflectionPad1d

    Pads the last dim of a (C, W) or (N, C, W) input with its reflection (edge not repeated).
    """
    _mode = "reflect"
    _dims = 1


class ReflectionPad2d(_PadNd):
    """ReflectionPad2d(padding) -> ReflectionPad2d

    Pads the last 2 dims of a (C, H, W) or (N, C, H, W) input with their reflection.
    """
    _mode = "reflect"
    _dims = 2


class ReflectionPad3d(_PadNd):
    """ReflectionPad3d(padding) -> ReflectionPad3d

    Pads the last 3 dims of a (C, D, H, W) or (N, C, D, H, W) input with their reflection.
    """
    _mode = "reflect"
    _dims = 3


class ReplicationPad1d(_PadNd):
    """ReplicationPad1d(padding) -> ReplicationPad1d

    Pads the last dim of a (C, W) or (N, C, W) input by repeating its edge values.
    """
    _mode = "replicate"
    _dims = 1


class ReplicationPad2d(_PadNd):
    """ReplicationPad2d(padding) -> ReplicationPad2d

    Pads the last 2 dims of a (C, H, W) or (N, C, H, W) input by repeating their edges.
    """
    _mode = "replicate"
    _dims = 2


class ReplicationPad3d(_PadNd):
    """ReplicationPad3d(padding) -> ReplicationPad3d

    Pads the last 3 dims of a (C, D, H, W) or (N, C, D, H, W) input by repeating their edges.
    """
    _mode = "replicate"
    _dims = 3


class ConstantPad1d(_ConstantPadNd):
    """ConstantPad1d(padding, value) -> ConstantPad1d

    Pads the last dim of the input with value.
    """
    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """ConstantPad2d(padding, value) -> ConstantPad2d

    Pads the last 2 dims of the input with value.
    """
    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """ConstantPad3d(padding, value) -> ConstantPad3d

    Pads the last 3 dims of the input with value.
    """
    _dims = 3


class ZeroPad2d(ConstantPad2d):
    """ZeroPad2d(padding) -> ZeroPad2d

    Pads the last 2 dims of the input with zeros.
    """

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"
