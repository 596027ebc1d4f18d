"""op_db entries of one op family:
Reductions of the util family (nansum, nanmean, aminmax, var_mean, std_mean, dist, cdist, trace,
cross, all/any over several dims, mean with dtype=).
"""
import math

import numpy as np
from op_db import (
    ALL,
    FLOATING,
    NUMERIC,
    VARIANCE_KWARGS,
    Input,
    OpInfo,
    Sample,
    axis_of,
    binary_samples,
    large_reductions,
    logical_reduction_result,
    make_values,
    nonempty,
    reduction_samples,
    ref_all_any,
    ref_norm,
    shape_tag,
    single_dim,
    sum_result,
)
from scipy.spatial import distance

import ember


def with_nans(samples_function):
    """The samples with about a fifth of each float input's elements set to NaN."""

    def samples(rng, dtype):
        found = samples_function(rng, dtype)
        if dtype.is_floating_point:
            for values in {id(s.tensors[0]): s.tensors[0] for s in found}.values():
                values.values = np.where(rng.random(values.values.shape) < 0.2, np.nan,
                                         values.values).astype(values.values.dtype)
        return found

    return samples


def with_dtype_samples(samples_function, target=ember.float64):
    """The samples plus two with dtype=target (the input is cast first, as in PyTorch)."""

    def samples(rng, dtype):
        found = samples_function(rng, dtype)
        values = Input(make_values(rng, (3, 5), dtype), dtype)
        found += [Sample((values,), {"dtype": target}, k=15, out_dtype=target),
                  Sample((values,), {"dim": 1, "dtype": target}, k=5, out_dtype=target)]
        return found

    return samples


def ref_nansum(x, dim=None, keepdim=False, dtype=None):
    # A floating dtype= casts the input first, as PyTorch does (integers then cannot wrap).
    floating = x.dtype.kind == "f" or getattr(dtype, "is_floating_point", False)
    result = np.nansum(x.astype(np.float64) if floating else x, axis=axis_of(x, dim),
                       keepdims=keepdim)
    return result if floating else result.astype(np.int64)


def ref_nanmean(x, dim=None, keepdim=False, dtype=None):
    return np.nanmean(x, axis=axis_of(x, dim), keepdims=keepdim)


def ref_mean(x, dim=None, keepdim=False, dtype=None):
    return np.mean(x.astype(np.float64), axis=axis_of(x, dim), keepdims=keepdim)


def aminmax_samples(rng, dtype):
    found = []
    for sample in nonempty(single_dim(reduction_samples()))(rng, dtype):
        found.append(sample)
        if "dim" not in sample.kwargs and sample.tensors[0].values.ndim:
            found.append(Sample(sample.args, {"keepdim": True}, sample.tag, sample.k))
    return found


def ref_aminmax(x, dim=None, keepdim=False):
    axis = None if dim is None else axis_of(x, dim)
    return np.min(x, axis=axis, keepdims=keepdim), np.max(x, axis=axis, keepdims=keepdim)


def ref_moments(take_sqrt):
    def ref(x, dim=None, keepdim=False, correction=1, unbiased=None):
        if unbiased is not None:
            correction = 1 if unbiased else 0
        axis = axis_of(x, dim)
        spread = np.var(x, axis=axis, ddof=correction, keepdims=keepdim)
        return (np.sqrt(spread) if take_sqrt else spread,
                np.mean(x, axis=axis, keepdims=keepdim))

    return ref


DIST_ORDERS = (2, 1, math.inf, -math.inf, 0, 3)


def dist_samples(rng, dtype):
    found = []
    for sample in binary_samples(scalars=False)(rng, dtype):
        k = max(1, math.prod(np.broadcast_shapes(*(t.values.shape for t in sample.tensors))))
        for p in DIST_ORDERS:
            if sample.tag == "zero_size" and (p < 1 or math.isinf(p)):
                continue  # no identity (as norm's samples)
            found.append(Sample(sample.args, {"p": p}, sample.tag, k))
    return found


def ref_dist(a, b, p=2):
    return ref_norm(np.asarray(a - b).reshape(-1), p)


CDIST_SHAPES = [((3, 4), (5, 4)), ((2, 3, 4), (2, 5, 4)), ((2, 3, 4), (5, 4)), ((1, 4), (1, 4)),
                ((0, 4), (3, 4)), ((3, 0), (2, 0)), ((2, 0, 3), (2, 4, 3))]
CDIST_ORDERS = (2.0, 1.0, 3.0, math.inf, 0.0)


def cdist_samples(rng, dtype):
    found = []
    for shape_a, shape_b in CDIST_SHAPES:
        a = Input(make_values(rng, shape_a, dtype), dtype)
        b = Input(make_values(rng, shape_b, dtype), dtype)
        for p in CDIST_ORDERS:
            found.append(Sample((a, b), {"p": p}, shape_tag(shape_a, shape_b),
                                k=max(shape_a[-1], 1)))
    a = Input(make_values(rng, (3, 4), dtype), dtype)
    found.append(Sample((a, a), {"compute_mode": "donot_use_mm_for_euclid_dist"}, k=4))
    return found


def ref_cdist(x1, x2, p=2.0, compute_mode=None):
    batch = np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    x1 = np.broadcast_to(x1, batch + x1.shape[-2:])
    x2 = np.broadcast_to(x2, batch + x2.shape[-2:])
    result = np.zeros(batch + (x1.shape[-2], x2.shape[-2]))
    for index in np.ndindex(*batch):
        a, b = x1[index], x2[index]
        if a.shape[0] == 0 or b.shape[0] == 0 or a.shape[1] == 0:
            continue
        if p == 0:
            result[index] = (a[:, None, :] != b[None, :, :]).sum(-1)
        elif p == math.inf:  # scipy's chebyshev skips NaN; ember's max propagates it
            result[index] = np.max(np.abs(a[:, None, :] - b[None, :, :]), axis=-1)
        else:
            result[index] = distance.cdist(a, b, "minkowski", p=p)
    return result


def trace_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), tag=shape_tag(shape),
                   k=max(1, min(shape))) for shape in [(3, 3), (3, 5), (5, 3), (1, 1), (0, 3)]]


def ref_trace(x):
    return np.trace(x.astype(np.float64) if x.dtype.kind == "f" else x.astype(np.int64))


CROSS_CASES = [((3,), (3,), {}), ((4, 3), (4, 3), {"dim": -1}), ((3, 4), (3, 4), {"dim": 0}),
               ((2, 3, 5), (2, 3, 5), {}), ((4, 3), (1, 3), {"dim": 1}),
               ((2, 4, 3), (2, 1, 3), {"dim": 2}), ((0, 3), (0, 3), {"dim": 1})]


def cross_samples(rng, dtype):
    return [Sample((Input(make_values(rng, a, dtype), dtype),
                    Input(make_values(rng, b, dtype), dtype)), dict(kwargs), shape_tag(a, b))
            for a, b, kwargs in CROSS_CASES]


def linalg_cross_samples(rng, dtype):
    """The cross samples whose vectors lie along the last dim (linalg.cross's default)."""
    return [sample for sample in cross_samples(rng, dtype)
            if sample.kwargs.get("dim") in (None, -1) and sample.tensors[0].values.shape[-1] == 3]


def ref_cross(a, b, dim=None):
    if dim is None:
        dim = a.shape.index(3)
    shape = np.broadcast_shapes(a.shape, b.shape)
    return np.cross(np.broadcast_to(a, shape), np.broadcast_to(b, shape), axis=dim)


def several_dims(rng, dtype):
    return [sample for sample in reduction_samples()(rng, dtype)
            if isinstance(sample.kwargs.get("dim"), tuple)]


def resize_samples(rng, dtype):
    found = []
    for shape, sizes in [((3, 4), (2, 3)), ((3, 4), (12,)), ((2, 3, 4), (4, 5)), ((3, 4), (0,)),
                         ((3, 4), ())]:
        values = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((values,) + sizes, tag=shape_tag(shape, sizes)))
    return found


def ref_resize(x, *sizes):
    """Shrinking keeps the first elements in memory order (the input is contiguous)."""
    return x.reshape(-1)[:math.prod(sizes)].reshape(sizes)


def pair(dtype):
    return dtype, dtype


ENTRIES = [
    OpInfo("nansum", ember.nansum, ref_nansum, with_dtype_samples(with_nans(reduction_samples())),
           dtypes=ALL, kind="reduction", out_dtype=sum_result, method="nansum",
           supports_out=True, large=large_reductions()),
    OpInfo("nanmean", ember.nanmean, ref_nanmean,
           with_dtype_samples(with_nans(reduction_samples())), dtypes=FLOATING,
           kind="reduction", method="nanmean", supports_out=True),
    OpInfo("mean_dtype", ember.mean, ref_mean, with_dtype_samples(lambda rng, dtype: []),
           dtypes=FLOATING, kind="reduction", method="mean", functions=(), supports_out=True),
    OpInfo("aminmax", ember.aminmax, ref_aminmax, aminmax_samples, dtypes=ALL, kind="reduction",
           out_dtype=pair, method="aminmax", supports_out=True),
    OpInfo("var_mean", ember.var_mean, ref_moments(False),
           reduction_samples(kwargs_list=VARIANCE_KWARGS), kind="reduction", out_dtype=pair),
    OpInfo("std_mean", ember.std_mean, ref_moments(True),
           reduction_samples(kwargs_list=VARIANCE_KWARGS), kind="reduction", out_dtype=pair),
    OpInfo("dist", ember.dist, ref_dist, dist_samples, kind="reduction", method="dist",
           supports_out=True),
    OpInfo("cdist", ember.cdist, ref_cdist, cdist_samples, kind="reduction"),
    OpInfo("trace", ember.trace, ref_trace, trace_samples, dtypes=NUMERIC, kind="reduction",
           out_dtype=sum_result, method="trace"),
    OpInfo("cross", ember.cross, ref_cross, cross_samples, dtypes=NUMERIC, method="cross",
           supports_out=True),
    OpInfo("linalg.cross", ember.linalg.cross, lambda a, b, dim=-1: ref_cross(a, b, dim),
           linalg_cross_samples, dtypes=NUMERIC, supports_out=True),
    OpInfo("resize_", lambda x, *sizes: x.clone().resize_(*sizes), ref_resize, resize_samples,
           dtypes=ALL, kind="exact", functions=(), methods=("resize_",),
           layouts=("contiguous",)),
    OpInfo("all_dims", ember.all, ref_all_any(np.all), several_dims, dtypes=ALL,
           kind="reduction", out_dtype=logical_reduction_result, method="all", functions=(),
           supports_out=True),
    OpInfo("any_dims", ember.any, ref_all_any(np.any), several_dims, dtypes=ALL,
           kind="reduction", out_dtype=logical_reduction_result, method="any", functions=(),
           supports_out=True),
]
