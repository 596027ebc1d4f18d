"""op_db entries of one op family: nn.functional's convolutions (named nn.functional.<name>).

conv1d/2d/3d and conv_transpose1d/2d/3d against numpy references that sum one einsum per kernel
offset (the transposed one scatters instead of gathers), with stride, padding ('same' with an
even kernel included), dilation, groups, bias, unbatched inputs and empty batches. The top-level
ember.conv2d, ... and ember.convolution are the same ops.
"""
import itertools

import numpy as np
from op_db import Input, OpInfo, Sample, make_values, shape_tag

import ember

CONV_DTYPES = (ember.float32, ember.float64)


def _tuple(value, spatial):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * spatial


def ref_conv(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    unbatched = x.ndim == w.ndim - 1
    if unbatched:
        x = x[None]
    spatial = w.ndim - 2
    stride, dilation = _tuple(stride, spatial), _tuple(dilation, spatial)
    kernel = w.shape[2:]
    if padding == "valid":
        pads = [(0, 0)] * spatial
    elif padding == "same":
        totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
        pads = [(t // 2, t - t // 2) for t in totals]
    else:
        pads = [(p, p) for p in _tuple(padding, spatial)]
    x = np.pad(x, [(0, 0), (0, 0)] + pads)
    n, channels = x.shape[:2]
    out_channels = w.shape[0]
    out_size = [(x.shape[2 + i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
                for i in range(spatial)]
    y = np.zeros((n, out_channels, *out_size))
    group_in, group_out = channels // groups, out_channels // groups
    for offset in itertools.product(*[range(k) for k in kernel]):
        window = tuple(slice(o * d, o * d + (size - 1) * s + 1, s)
                       for o, d, s, size in zip(offset, dilation, stride, out_size))
        for g in range(groups):
            xs = x[(slice(None), slice(g * group_in, (g + 1) * group_in)) + window]
            ws = w[(slice(g * group_out, (g + 1) * group_out), slice(None)) + offset]
            y[:, g * group_out:(g + 1) * group_out] += np.einsum("nc...,oc->no...", xs, ws)
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * spatial)
    return y[0] if unbatched else y


def ref_conv_transpose(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1,
                       dilation=1):
    unbatched = x.ndim == w.ndim - 1
    if unbatched:
        x = x[None]
    spatial = w.ndim - 2
    stride, dilation = _tuple(stride, spatial), _tuple(dilation, spatial)
    padding, output_padding = _tuple(padding, spatial), _tuple(output_padding, spatial)
    kernel = w.shape[2:]
    n, channels = x.shape[:2]
    in_size = x.shape[2:]
    group_in, group_out = channels // groups, w.shape[1]
    full = [(i - 1) * s + d * (k - 1) + 1 + op
            for i, s, d, k, op in zip(in_size, stride, dilation, kernel, output_padding)]
    y = np.zeros((n, group_out * groups, *full))
    for offset in itertools.product(*[range(k) for k in kernel]):
        window = tuple(slice(o * d, o * d + (size - 1) * s + 1, s)
                       for o, d, s, size in zip(offset, dilation, stride, in_size))
        for g in range(groups):
            xs = x[:, g * group_in:(g + 1) * group_in]
            ws = w[(slice(g * group_in, (g + 1) * group_in), slice(None)) + offset]
            y[(slice(None), slice(g * group_out, (g + 1) * group_out)) + window] += np.einsum(
                "nc...,co->no...", xs, ws)
    crop = tuple(slice(p, size - p) for p, size in zip(padding, full))
    y = y[(slice(None), slice(None)) + crop]
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * spatial)
    return y[0] if unbatched else y


# (input shape, weight shape, with bias, kwargs) per spatial rank.
CONV_CASES = {
    1: [((2, 4, 9), (6, 2, 3), True, {"stride": 2, "padding": 1, "groups": 2}),
        ((3, 7), (2, 3, 2), False, {"padding": "same", "dilation": 2}),
        ((0, 2, 5), (3, 2, 3), True, {})],
    2: [((2, 3, 6, 5), (4, 3, 3, 2), True, {"stride": (2, 1), "padding": (1, 0)}),
        ((1, 4, 5, 6), (4, 1, 2, 2), True, {"padding": "same", "groups": 4}),
        ((2, 2, 7, 7), (3, 2, 3, 3), False, {"dilation": (2, 1), "padding": "valid"}),
        ((2, 5, 5), (3, 2, 3, 3), True, {"padding": 1}),
        ((0, 2, 4, 4), (3, 2, 3, 3), True, {})],
    3: [((1, 2, 4, 5, 4), (4, 2, 2, 3, 2), True, {"stride": (1, 2, 1), "padding": (1, 0, 1)}),
        ((2, 4, 3, 3, 3), (2, 2, 2, 2, 2), False, {"groups": 2, "dilation": 2, "padding": 1})],
}
TRANSPOSE_CASES = {
    1: [((2, 4, 5), (4, 3, 3), True, {"stride": 2, "padding": 1, "output_padding": 1}),
        ((4, 5), (4, 1, 2), False, {"groups": 2, "dilation": 2})],
    2: [((2, 2, 4, 3), (2, 3, 3, 2), True, {"stride": (2, 3), "padding": (1, 0),
                                            "output_padding": (1, 2)}),
        ((1, 4, 3, 3), (4, 2, 2, 3), True, {"groups": 2, "dilation": (1, 2)}),
        ((0, 2, 3, 3), (2, 3, 3, 3), True, {})],
    3: [((1, 2, 3, 2, 3), (2, 2, 2, 2, 2), True, {"stride": 2, "padding": (0, 1, 0)})],
}


def conv_samples(cases, transposed):
    """Samples of the cases; a transposed weight is (C_in, C_out / groups, *kernel)."""
    def samples(rng, dtype):
        found = []
        for shape_x, shape_w, with_bias, kwargs in cases:
            out_channels = shape_w[1] * kwargs.get("groups", 1) if transposed else shape_w[0]
            shapes = [shape_x, shape_w] + ([(out_channels,)] if with_bias else [])
            args = [Input(make_values(rng, shape, dtype, "unit"), dtype) for shape in shapes]
            if not with_bias:
                args.append(None)
            found.append(Sample(tuple(args), dict(kwargs), tag=shape_tag(shape_x),
                                k=int(np.prod(shape_w[1:]))))
        return found
    return samples


def _entries():
    entries = []
    for spatial in (1, 2, 3):
        for name, ref, cases, transposed in (
                (f"conv{spatial}d", ref_conv, CONV_CASES[spatial], False),
                (f"conv_transpose{spatial}d", ref_conv_transpose, TRANSPOSE_CASES[spatial], True)):
            entries.append(OpInfo(
                f"nn.functional.{name}", getattr(ember.nn.functional, name), ref,
                conv_samples(cases, transposed), dtypes=CONV_DTYPES, kind="reduction",
                functions=(f"nn.functional.{name}", name)))
    return entries


ENTRIES = _entries()


def ref_convolution(x, w, b, stride, padding, dilation, transposed, output_padding, groups):
    if transposed:
        return ref_conv_transpose(x, w, b, stride, padding, output_padding, groups, dilation)
    return ref_conv(x, w, b, stride, padding, dilation, groups)


def convolution_samples(rng, dtype):
    found = []
    for shape_x, shape_w, transposed, params in (
            ((2, 4, 5, 6), (6, 2, 3, 3), False, ([2, 1], [1, 0], [1, 2], [0, 0], 2)),
            ((2, 4, 3, 3), (4, 3, 2, 2), True, ([2, 2], [0, 1], [1, 1], [1, 0], 1)),
            ((2, 3, 7), (2, 3, 3), False, ([1], [2], [2], [0], 1))):
        out_channels = shape_w[1] * params[4] if transposed else shape_w[0]
        x, w, b = (Input(make_values(rng, shape, dtype, "unit"), dtype)
                   for shape in (shape_x, shape_w, (out_channels,)))
        stride, padding, dilation, output_padding, groups = params
        found.append(Sample((x, w, b, stride, padding, dilation, transposed, output_padding,
                             groups), k=int(np.prod(shape_w[1:]))))
    return found


ENTRIES.append(OpInfo("convolution", ember.convolution, ref_convolution, convolution_samples,
                      dtypes=CONV_DTYPES, kind="reduction"))
