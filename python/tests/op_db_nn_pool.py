"""op_db entries of one op family: nn.functional's pooling ops (named nn.functional.<name>) and
torch's top-level forms (ember.max_pool2d, ember.avg_pool1d, ...).

The numpy references walk every window explicitly (padding, dilation, ceil mode and PyTorch's
output-size rule included); max pooling's indices are flat positions within each plane. Samples
cover batched and unbatched inputs, empty batches, and each option.
"""
import itertools
import math

import numpy as np
from op_db import Input, OpInfo, Sample, make_values, shape_tag

import ember


def expand(value, dims):
    if isinstance(value, (tuple, list)):
        return tuple(value) if len(value) == dims else tuple(value) * dims
    return (value,) * dims


def output_size(size, kernel, stride, pad, dilation, ceil_mode):
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def planes_of(x, dims):
    """x as (planes, *spatial), and the shape that restores its batch dims."""
    return x.reshape((-1,) + x.shape[x.ndim - dims:]), x.shape[:x.ndim - dims]


def ref_max_pool(dims, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                 return_indices=False):
    kernel = expand(kernel_size, dims)
    stride = kernel if stride is None or stride == () else expand(stride, dims)
    padding, dilation = expand(padding, dims), expand(dilation, dims)
    planes, batch = planes_of(x, dims)
    spatial = planes.shape[1:]
    out = tuple(output_size(*args, ceil_mode)
                for args in zip(spatial, kernel, stride, padding, dilation))
    values = np.empty((planes.shape[0],) + out, dtype=x.dtype)
    indices = np.empty((planes.shape[0],) + out, dtype=np.int64)
    for p in range(planes.shape[0]):
        for o in itertools.product(*[range(n) for n in out]):
            best, where = -np.inf, None
            for k in itertools.product(*[range(n) for n in kernel]):
                position = [o[d] * stride[d] - padding[d] + k[d] * dilation[d]
                            for d in range(dims)]
                if not all(0 <= position[d] < spatial[d] for d in range(dims)):
                    continue
                value = planes[(p, *position)]
                flat = int(np.ravel_multi_index(position, spatial))
                if where is None:
                    where = flat
                if value > best or np.isnan(value):
                    best, where = value, flat
            values[(p, *o)], indices[(p, *o)] = best, where
    shape = batch + out
    values, indices = values.reshape(shape), indices.reshape(shape)
    return (values, indices) if return_indices else values


def ref_avg_pool(dims, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
    kernel = expand(kernel_size, dims)
    stride = kernel if stride is None or stride == () else expand(stride, dims)
    padding = expand(padding, dims)
    planes, batch = planes_of(x, dims)
    spatial = planes.shape[1:]
    out = tuple(output_size(*args, 1, ceil_mode) for args in zip(spatial, kernel, stride, padding))
    values = np.zeros((planes.shape[0],) + out, dtype=x.dtype)
    for p in range(planes.shape[0]):
        for o in itertools.product(*[range(n) for n in out]):
            total, count, padded = 0.0, 0, 1
            for d in range(dims):
                start = o[d] * stride[d] - padding[d]
                padded *= min(start + kernel[d], spatial[d] + padding[d]) - start
            for k in itertools.product(*[range(n) for n in kernel]):
                position = [o[d] * stride[d] - padding[d] + k[d] for d in range(dims)]
                if all(0 <= position[d] < spatial[d] for d in range(dims)):
                    total += planes[(p, *position)]
                    count += 1
            divisor = divisor_override or (padded if count_include_pad else count)
            values[(p, *o)] = total / divisor if divisor else 0.0
    return values.reshape(batch + out)


def ref_adaptive(dims, mode, x, output_size, return_indices=False):
    planes, batch = planes_of(x, dims)
    spatial = planes.shape[1:]
    sizes = expand(output_size, dims)
    out = tuple(spatial[d] if sizes[d] is None else sizes[d] for d in range(dims))
    values = np.zeros((planes.shape[0],) + out, dtype=x.dtype)
    indices = np.zeros((planes.shape[0],) + out, dtype=np.int64)
    for p in range(planes.shape[0]):
        for o in itertools.product(*[range(n) for n in out]):
            ranges = [range(o[d] * spatial[d] // out[d],
                            math.ceil((o[d] + 1) * spatial[d] / out[d])) for d in range(dims)]
            window = [(planes[(p, *position)], int(np.ravel_multi_index(position, spatial)))
                      for position in itertools.product(*ranges)]
            if mode == "avg":
                values[(p, *o)] = sum(value for value, _ in window) / len(window)
                continue
            best, where = -np.inf, window[0][1]
            for value, flat in window:
                if value > best or np.isnan(value):
                    best, where = value, flat
            values[(p, *o)], indices[(p, *o)] = best, where
    shape = batch + out
    values, indices = values.reshape(shape), indices.reshape(shape)
    return (values, indices) if return_indices else values


def tensor(rng, shape, dtype):
    return Input(make_values(rng, shape, dtype, "real"), dtype)


# (input shape, positional arguments after the input, keyword arguments) per spatial rank.
MAX_CASES = {
    1: [((2, 3, 7), (2,), {}), ((3, 9), (3, 2, 1), {}), ((2, 2, 8), (3,), {"stride": 2,
                                                                         "dilation": 2}),
        ((1, 2, 6), (2,), {"stride": 2, "ceil_mode": True, "padding": 1}),
        ((0, 2, 5), (2,), {})],
    2: [((2, 3, 6, 5), (2,), {}), ((3, 7, 7), (3, 2), {}),
        ((2, 2, 7, 6), ((3, 2),), {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2)}),
        ((1, 2, 5, 5), (2,), {"ceil_mode": True}),
        ((1, 2, 6, 7), (3, 2, 1), {"ceil_mode": True}), ((0, 2, 4, 4), (2,), {})],
    3: [((1, 2, 4, 5, 4), (2,), {}), ((2, 5, 4, 4), ((3, 2, 2), 2, 1), {}),
        ((1, 1, 5, 4, 5), (3,), {"stride": 2, "ceil_mode": True, "dilation": (1, 1, 2)})],
}
AVG_CASES = {
    1: [((2, 3, 7), (2,), {}), ((3, 9), (3, 2, 1), {}),
        ((2, 2, 8), (3, 2, 1), {"count_include_pad": False}),
        ((1, 2, 6), (2,), {"stride": 2, "ceil_mode": True, "padding": 1}),
        ((0, 2, 5), (2,), {})],
    2: [((2, 3, 6, 5), (2,), {}), ((3, 7, 7), (3, 2, 1), {}),
        ((2, 2, 7, 6), ((3, 2),), {"stride": (2, 1), "padding": (1, 0),
                                   "count_include_pad": False}),
        ((1, 2, 5, 5), (2,), {"ceil_mode": True}),
        ((1, 2, 6, 7), (3, 2, 1), {"ceil_mode": True, "divisor_override": 4}),
        ((0, 2, 4, 4), (2,), {})],
    3: [((1, 2, 4, 5, 4), (2,), {}), ((2, 5, 4, 4), ((3, 2, 2), 2, 1), {}),
        ((1, 1, 5, 4, 5), (3,), {"stride": 2, "ceil_mode": True, "padding": 1,
                                 "count_include_pad": False})],
}
ADAPTIVE_CASES = {
    1: [((2, 3, 7), 3), ((3, 5), 5), ((2, 2, 4), 7), ((0, 2, 5), 2)],
    2: [((2, 3, 7, 5), (3, 2)), ((3, 5, 6), 4), ((2, 2, 4, 6), (None, 4)), ((0, 2, 5, 5), 2)],
    3: [((1, 2, 5, 4, 6), (2, 3, 4)), ((2, 3, 4, 5), 2)],
}


def window_samples(cases, top_level=False):
    def samples(rng, dtype):
        found = []
        for shape, args, kwargs in cases:
            if top_level:
                kwargs = {key: value for key, value in kwargs.items()
                          if key not in ("return_indices", "divisor_override")}
            found.append(Sample((tensor(rng, shape, dtype),) + args, dict(kwargs),
                                tag=shape_tag(shape), k=16))
        return found
    return samples


def adaptive_samples(cases):
    def samples(rng, dtype):
        return [Sample((tensor(rng, shape, dtype), size), tag=shape_tag(shape), k=16)
                for shape, size in cases]
    return samples


def with_indices(dtype):
    return (dtype, ember.int64)


def bound(function, *leading, **fixed):
    def call(*args, **kwargs):
        return function(*leading, *args, **kwargs, **fixed)
    return call


F = ember.nn.functional
ENTRIES = []
for _dims in (1, 2, 3):
    _max, _avg = f"max_pool{_dims}d", f"avg_pool{_dims}d"
    ENTRIES += [
        OpInfo(f"nn.functional.{_max}", getattr(F, _max), bound(ref_max_pool, _dims),
               window_samples(MAX_CASES[_dims]), kind="reduction"),
        OpInfo(f"nn.functional.{_max}_with_indices", getattr(F, f"{_max}_with_indices"),
               bound(ref_max_pool, _dims, return_indices=True), window_samples(MAX_CASES[_dims]),
               kind="reduction", out_dtype=with_indices),
        OpInfo(f"nn.functional.{_max}-return_indices", bound(getattr(F, _max),
                                                             return_indices=True),
               bound(ref_max_pool, _dims, return_indices=True), window_samples(MAX_CASES[_dims]),
               kind="reduction", out_dtype=with_indices, functions=()),
        OpInfo(_max, getattr(ember, _max), bound(ref_max_pool, _dims),
               window_samples(MAX_CASES[_dims], top_level=True), kind="reduction"),
        OpInfo(f"nn.functional.{_avg}", getattr(F, _avg), bound(ref_avg_pool, _dims),
               window_samples(AVG_CASES[_dims]), kind="reduction"),
        OpInfo(f"nn.functional.adaptive_avg_pool{_dims}d",
               getattr(F, f"adaptive_avg_pool{_dims}d"), bound(ref_adaptive, _dims, "avg"),
               adaptive_samples(ADAPTIVE_CASES[_dims]), kind="reduction"),
        OpInfo(f"nn.functional.adaptive_max_pool{_dims}d",
               getattr(F, f"adaptive_max_pool{_dims}d"), bound(ref_adaptive, _dims, "max"),
               adaptive_samples(ADAPTIVE_CASES[_dims]), kind="reduction"),
        OpInfo(f"nn.functional.adaptive_max_pool{_dims}d_with_indices",
               getattr(F, f"adaptive_max_pool{_dims}d_with_indices"),
               bound(ref_adaptive, _dims, "max", return_indices=True),
               adaptive_samples(ADAPTIVE_CASES[_dims]), kind="reduction",
               out_dtype=with_indices),
    ]
ENTRIES += [
    OpInfo("max_pool1d_with_indices", ember.max_pool1d_with_indices,
           bound(ref_max_pool, 1, return_indices=True),
           window_samples(MAX_CASES[1], top_level=True), kind="reduction",
           out_dtype=with_indices),
    OpInfo("avg_pool1d", ember.avg_pool1d, bound(ref_avg_pool, 1),
           window_samples(AVG_CASES[1], top_level=True), kind="reduction"),
    OpInfo("adaptive_avg_pool1d", ember.adaptive_avg_pool1d, bound(ref_adaptive, 1, "avg"),
           adaptive_samples(ADAPTIVE_CASES[1]), kind="reduction"),
    OpInfo("adaptive_max_pool1d", ember.adaptive_max_pool1d,
           bound(ref_adaptive, 1, "max", return_indices=True),
           adaptive_samples(ADAPTIVE_CASES[1]), kind="reduction", out_dtype=with_indices),
]
