"""The pooling layers (torch.nn's MaxPool1d/2d/3d, AvgPool1d/2d/3d, AdaptiveAvgPool1d/2d/3d,
AdaptiveMaxPool1d/2d and MaxUnpool1d/2d/3d): each holds its arguments and calls nn.functional's
op (ember/ops/nn_pool.h, ember/ops/nn_unpool.h).
"""
from ember.nn import functional
from ember.nn.modules.module import Module

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "MaxPool1d", "MaxPool2d",
           "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"]


class _MaxPoolNd(Module):
    _function = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return type(self)._function(input, self.kernel_size, self.stride, self.padding,
                                    self.dilation, ceil_mode=self.ceil_mode,
                                    return_indices=self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)

    The maximum over each window of (N, C, L) or (C, L); stride defaults to kernel_size.
    """  # noqa: E501

    _function = staticmethod(functional.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)

    The maximum over each window of (N, C, H, W) or (C, H, W); stride defaults to kernel_size.
    """  # noqa: E501

    _function = staticmethod(functional.max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """MaxPool3d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)

    The maximum over each window of (N, C, D, H, W) or (C, D, H, W).
    """  # noqa: E501

    _function = staticmethod(functional.max_pool3d)


def _single(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


class AvgPool1d(Module):
    """AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)

    The mean over each window of (N, C, L) or (C, L).
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input):
        return functional.avg_pool1d(input, self.kernel_size, self.stride, self.padding,
                                     self.ceil_mode, self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AvgPoolNd(Module):
    _function = None

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):
        return type(self)._function(input, self.kernel_size, self.stride, self.padding,
                                    self.ceil_mode, self.count_include_pad,
                                    self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    """AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)

    The mean over each window of (N, C, H, W) or (C, H, W).
    """  # noqa: E501

    _function = staticmethod(functional.avg_pool2d)


class AvgPool3d(_AvgPoolNd):
    """AvgPool3d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)

    The mean over each window of (N, C, D, H, W) or (C, D, H, W).
    """  # noqa: E501

    _function = staticmethod(functional.avg_pool3d)


class _AdaptivePoolNd(Module):
    _function = None

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return type(self)._function(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """AdaptiveAvgPool1d(output_size)

    The mean over output_size adaptive windows of (N, C, L) or (C, L).
    """

    _function = staticmethod(functional.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptivePoolNd):
    """AdaptiveAvgPool2d(output_size)

    The mean over adaptive windows of (N, C, H, W) or (C, H, W); None in output_size keeps that
    input size.
    """

    _function = staticmethod(functional.adaptive_avg_pool2d)


class AdaptiveAvgPool3d(_AdaptivePoolNd):
    """AdaptiveAvgPool3d(output_size)

    The mean over adaptive windows of (N, C, D, H, W) or (C, D, H, W).
    """

    _function = staticmethod(functional.adaptive_avg_pool3d)


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    def __init__(self, output_size, return_indices=False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input):
        return type(self)._function(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """AdaptiveMaxPool1d(output_size, return_indices=False)

    The maximum over output_size adaptive windows of (N, C, L) or (C, L).
    """

    _function = staticmethod(functional.adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """AdaptiveMaxPool2d(output_size, return_indices=False)

    The maximum over adaptive windows of (N, C, H, W) or (C, H, W).
    """

    _function = staticmethod(functional.adaptive_max_pool2d)


class _MaxUnpoolNd(Module):
    _function = None
    _dims = 0

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        dims = type(self)._dims
        self.kernel_size = _repeated(kernel_size, dims)
        self.stride = _repeated(stride if stride is not None else kernel_size, dims)
        self.padding = _repeated(padding, dims)

    def forward(self, input, indices, output_size=None):
        return type(self)._function(input, indices, self.kernel_size, self.stride, self.padding,
                                    output_size)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


def _repeated(value, dims):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims


class MaxUnpool1d(_MaxUnpoolNd):
    """MaxUnpool1d(kernel_size, stride=None, padding=0)

    The partial inverse of MaxPool1d: forward(input, indices, output_size=None) places each value
    at its index in a zero (N, C, L_out) or (C, L_out) output.
    """

    _function = staticmethod(functional.max_unpool1d)
    _dims = 1


class MaxUnpool2d(_MaxUnpoolNd):
    """MaxUnpool2d(kernel_size, stride=None, padding=0)

    The partial inverse of MaxPool2d: forward(input, indices, output_size=None) places each value
    at its index in a zero (N, C, H_out, W_out) or (C, H_out, W_out) output.
    """

    _function = staticmethod(functional.max_unpool2d)
    _dims = 2


class MaxUnpool3d(_MaxUnpoolNd):
    """MaxUnpool3d(kernel_size, stride=None, padding=0)

    The partial inverse of MaxPool3d: forward(input, indices, output_size=None) places each value
    at its index in a zero (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) output.
    """

    _function = staticmethod(functional.max_unpool3d)
    _dims = 3
