"""op_db entries of one op family:
Scans, sorting and selection (cumsum, sort, topk, unique, searchsorted, histc, ...).
"""
import math

import numpy as np
from op_db import ALL, FLOATING, INTEGRAL, NUMERIC, Input, OpInfo, Sample, make_values, shape_tag

import ember

# (shape, dim) pairs of the along-a-dim ops; rows of 33 exercise the radix path's neighbours.
DIM_CASES = [((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((33, 17), 0), ((300,), 0), ((0, 3), 1),
             ((2, 0), 1), ((), 0)]
SHORT_CASES = [((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((0, 3), 1), ((), 0)]


def dim_samples(cases=DIM_CASES, kwargs_list=({},), domain="real"):
    def samples(rng, dtype):
        found = []
        for shape, dim in cases:
            x = Input(make_values(rng, shape, dtype, domain), dtype)
            for extra in kwargs_list:
                found.append(Sample((x,), {"dim": dim, **extra}, shape_tag(shape),
                                    k=shape[dim] if shape else 1))
        return found

    return samples


def nonempty_dim(samples_function):
    def samples(rng, dtype):
        return [s for s in samples_function(rng, dtype)
                if not s.tensors[0].values.shape or s.tensors[0].values.shape[s.kwargs["dim"]]]

    return samples


def along(function, x, dim):
    """function(row) -> array over each 1-d row of x along dim (0-d: x as one row)."""
    if x.ndim == 0:
        return np.asarray(function(x.reshape(1))).reshape(())
    moved = np.moveaxis(x, dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    results = [np.asarray(function(row)) for row in rows]
    width = results[0].shape[-1] if results and results[0].ndim else None
    if width is None:
        out = np.array(results).reshape(moved.shape[:-1] + (1,)) if results else \
            np.zeros(moved.shape[:-1] + (1,), x.dtype)
    else:
        out = np.array(results).reshape(moved.shape[:-1] + (width,))
    return np.moveaxis(out, -1, dim)


def ascending_order(row):
    return np.argsort(row, kind="stable")


def descending_order(row):
    ranks = np.unique(row, return_inverse=True)[1].reshape(-1)
    if row.dtype.kind == "f":
        ranks = np.where(np.isnan(row), ranks.max(initial=0) + 1, ranks)
    return np.argsort(-ranks, kind="stable")


def ref_cumulative(accumulate, integer_dtype=np.int64):
    def ref(x, dim, dtype=None):
        if x.dtype.kind in "biu":
            x = x.astype(integer_dtype)
        if x.ndim == 0:
            return x.copy()
        return accumulate(x, axis=dim)

    return ref


def ref_cum_extremum(better):
    def ref(x, dim):
        def row_result(row, want_index):
            values, indices = [], []
            best, where = row[0] if len(row) else 0, 0
            for i, value in enumerate(row):
                # PyTorch's rule: a NaN takes over (and keeps the lead until the next NaN).
                if np.isnan(value) or (not np.isnan(best) and better(value, best)):
                    best, where = value, i
                values.append(best)
                indices.append(where)
            return indices if want_index else values

        if x.size == 0:
            return x.copy(), np.zeros(x.shape, np.int64)
        values = along(lambda row: np.array(row_result(row, False), x.dtype), x, dim)
        indices = along(lambda row: np.array(row_result(row, True), np.int64), x, dim)
        return values, indices

    return ref


def ref_logcumsumexp(x, dim):
    if x.ndim == 0:
        return x.copy()
    return np.logaddexp.accumulate(x, axis=dim)


def ref_sort(x, dim=-1, descending=False, stable=False):
    if x.size == 0:
        return x.copy(), np.zeros(x.shape, np.int64)
    order = descending_order if descending else ascending_order
    indices = along(lambda row: order(row).astype(np.int64), x, dim)
    values = x.reshape(1) if x.ndim == 0 else np.take_along_axis(x, indices, axis=dim)
    return values.reshape(x.shape), indices


def ref_argsort(x, dim=-1, descending=False, stable=False):
    return ref_sort(x, dim, descending)[1]


def ref_msort(x):
    return ref_sort(x, 0)[0]


def ref_topk(x, k, dim=-1, largest=True, sorted=True):
    values, indices = ref_sort(x, dim, descending=largest)
    if x.ndim == 0:
        return values, indices
    return (np.take(values, range(k), axis=dim), np.take(indices, range(k), axis=dim))


def topk_samples(rng, dtype):
    found = []
    for shape, dim in DIM_CASES:
        x = Input(make_values(rng, shape, dtype), dtype)
        size = shape[dim] if shape else 1
        # k = 0 of a 0-d input has no 0-d result (PyTorch gives a 1-d empty one).
        for k in sorted({0, min(1, size), size // 2, size} - (set() if shape else {0})):
            for largest in (True, False):
                found.append(Sample((x, k), {"dim": dim, "largest": largest}, shape_tag(shape)))
    return found


def ref_kthvalue(x, k, dim=-1, keepdim=False):
    values, indices = ref_sort(x, dim)
    if x.ndim == 0:
        return values, indices
    values = np.take(values, [k - 1], axis=dim)
    indices = np.take(indices, [k - 1], axis=dim)
    if not keepdim:
        values, indices = values.squeeze(dim), indices.squeeze(dim)
    return values, indices


def kthvalue_samples(rng, dtype):
    found = []
    for shape, dim in DIM_CASES:
        size = shape[dim] if shape else 1
        if size == 0:
            continue
        x = Input(make_values(rng, shape, dtype), dtype)
        for k in sorted({1, (size + 1) // 2, size}):
            for keepdim in (False, True):
                found.append(Sample((x, k), {"dim": dim, "keepdim": keepdim}, shape_tag(shape)))
    return found


def median_rank(row, ignore_nan):
    """The rank in the stable ascending order (NaN last) that median / nanmedian pick."""
    nans = int(np.isnan(row).sum()) if row.dtype.kind == "f" else 0
    if ignore_nan:
        return max(row.size - nans - 1, 0) // 2
    return row.size - nans if nans else (row.size - 1) // 2


def ref_median_along(ignore_nan):
    def ref(x, dim, keepdim=False):
        def pick(row):
            order = ascending_order(row)
            at = order[median_rank(row, ignore_nan)]
            return np.array([row[at], at], np.float64)

        result = along(pick, x, dim) if x.ndim else pick(x.reshape(1)).reshape(2)
        if x.ndim == 0:
            return x.copy(), np.asarray(0, np.int64)
        values = np.take(result, [0], axis=dim).astype(x.dtype)
        indices = np.take(result, [1], axis=dim).astype(np.int64)
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return values, indices

    return ref


def ref_median_all(ignore_nan):
    def ref(x):
        flat = x.reshape(-1)
        if flat.size == 0:
            return np.asarray(np.nan)
        return np.sort(flat, kind="stable")[median_rank(flat, ignore_nan)]

    return ref


def keepdim_samples(rng, dtype):
    return [Sample(s.args, {**s.kwargs, "keepdim": keepdim}, s.tag)
            for s in nonempty_dim(dim_samples())(rng, dtype) for keepdim in (False, True)]


def flat_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), tag=shape_tag(shape))
            for shape in [(3, 5), (2, 3, 4), (7,), ()]]


def ref_mode(x, dim=-1, keepdim=False):
    def row_mode(row):
        values, counts = np.unique(row, return_counts=True)
        best = values[np.argmax(counts)]
        return np.array([best, np.nonzero(row == best)[0][-1]], np.float64)

    result = along(row_mode, x, dim) if x.ndim else np.array([x, 0.0])
    if x.ndim == 0:
        return x.copy(), np.asarray(0, np.int64)
    values = np.take(result, [0], axis=dim).astype(x.dtype)
    indices = np.take(result, [1], axis=dim).astype(np.int64)
    if not keepdim:
        values, indices = values.squeeze(dim), indices.squeeze(dim)
    return values, indices


def mode_samples(rng, dtype):
    # Small integer-valued inputs so that rows repeat values.
    found = []
    for shape, dim in [((3, 7), -1), ((4, 5), 0), ((2, 3, 6), 1), ((), 0)]:
        values = rng.integers(0, 3, shape).astype(np.float64)
        if dtype == ember.bool:
            values = values > 0
        x = Input(values.astype(make_values(rng, (), dtype).dtype), dtype)
        for keepdim in (False, True):
            found.append(Sample((x,), {"dim": dim, "keepdim": keepdim}, shape_tag(shape)))
    return found


def ref_quantile(function):
    def ref(x, q, dim=None, keepdim=False, interpolation="linear"):
        q = q if np.isscalar(q) else np.asarray(q)
        return np.asarray(function(x, q, axis=dim, keepdims=keepdim, method=interpolation))

    return ref


def quantile_samples(rng, dtype):
    found = []
    q_vector = Input(np.array([0.0, 0.25, 0.6, 1.0]), dtype)
    for shape, dim in [((3, 5), None), ((3, 5), 1), ((2, 3, 4), 0), ((7,), 0), ((), None)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        for method in ("linear", "lower", "higher", "midpoint", "nearest"):
            for q in (0.5, q_vector):
                found.append(Sample((x, q), {"dim": dim, "keepdim": dim is not None,
                                             "interpolation": method}, shape_tag(shape)))
    return found


def nanquantile_samples(rng, dtype):
    found = quantile_samples(rng, dtype)
    values = make_values(rng, (4, 6), dtype)
    values[0, 1] = values[2, 0] = values[2, 3] = np.nan
    values[3, :] = np.nan
    found.append(Sample((Input(values, dtype), 0.4), {"dim": 1}))
    return found


def ref_unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    if dim is None:
        values, inverse, counts = np.unique(x.reshape(-1), return_inverse=True,
                                            return_counts=True)
        inverse = inverse.reshape(x.shape)
    else:
        values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True,
                                            axis=dim)
        inverse = inverse.reshape(-1)
    result = (values,) + ((inverse.astype(np.int64),) if return_inverse else ()) + \
        ((counts.astype(np.int64),) if return_counts else ())
    return result[0] if len(result) == 1 else result


def unique_samples(dims):
    def samples(rng, dtype):
        found = []
        for shape in [(3, 5), (4, 3, 2), (9,), (0, 3), ()]:
            values = rng.integers(0, 3, shape)
            if dtype == ember.bool:
                x = Input(values > 0, dtype)
            else:
                x = Input(values.astype(make_values(rng, (), dtype).dtype), dtype)
            for dim in dims:
                if dim is not None and (not shape or dim >= len(shape)):
                    continue
                for inverse, counts in ((False, False), (True, False), (True, True)):
                    found.append(Sample((x,), {"return_inverse": inverse,
                                               "return_counts": counts, "dim": dim},
                                        shape_tag(shape)))
        return found

    return samples


def unique_out_dtype(sample_kwargs, dtype):
    parts = [dtype]
    if sample_kwargs.get("return_inverse"):
        parts.append(ember.int64)
    if sample_kwargs.get("return_counts"):
        parts.append(ember.int64)
    return parts[0] if len(parts) == 1 else tuple(parts)


def with_out_dtypes(samples_function):
    def samples(rng, dtype):
        found = samples_function(rng, dtype)
        for sample in found:
            sample.out_dtype = unique_out_dtype(sample.kwargs, dtype)
        return found

    return samples


def ref_unique_consecutive(x, return_inverse=False, return_counts=False, dim=None):
    if dim is None:
        rows = x.reshape(-1)
    else:
        moved = np.moveaxis(x, dim, 0)
        rows = moved.reshape(moved.shape[0], int(np.prod(moved.shape[1:])))
    starts = [i for i in range(len(rows)) if i == 0 or np.any(rows[i] != rows[i - 1])]
    values = rows[starts]
    if dim is not None:
        moved_shape = np.moveaxis(x, dim, 0).shape[1:]
        values = np.moveaxis(values.reshape((len(starts),) + moved_shape), 0, dim)
    inverse = (np.cumsum([i in starts for i in range(len(rows))]) - 1).astype(np.int64)
    if dim is None:
        inverse = inverse.reshape(x.shape)
    counts = np.diff(np.array(starts + [len(rows)], np.int64))
    result = (values,) + ((inverse,) if return_inverse else ()) + \
        ((counts,) if return_counts else ())
    return result[0] if len(result) == 1 else result


def order_key(value):
    """The order searchsorted compares in: NaN above everything, -0.0 equal to 0.0."""
    value = value.item() if hasattr(value, "item") else value
    return (isinstance(value, float) and math.isnan(value), 0 if value != value else value)


def binary_search(row, value, right):
    """numpy's searchsorted, but on any row: the same bisection as the kernel's, so a row that
    is not sorted (the fuzzer's extremal values) still has one defined answer."""
    low, high = 0, len(row)
    key = order_key(value)
    while low < high:
        mid = (low + high) // 2
        probe = order_key(row[mid])
        if probe <= key if right else probe < key:
            low = mid + 1
        else:
            high = mid
    return low


def ref_searchsorted(sorted_sequence, values, out_int32=False, right=False, side=None,
                     sorter=None):
    right = (side or ("right" if right else "left")) == "right"
    if sorter is not None:
        sorted_sequence = np.take_along_axis(sorted_sequence, sorter.astype(np.int64), -1)
    rows = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    flat = values.reshape(-1)
    per_row = flat.size if sorted_sequence.ndim == 1 else max(values.shape[-1], 1)
    result = [binary_search(rows[i // per_row if sorted_sequence.ndim > 1 else 0], v, right)
              for i, v in enumerate(flat)]
    return np.asarray(result, np.int32 if out_int32 else np.int64).reshape(values.shape)


def searchsorted_samples(rng, dtype):
    found = []
    for boundaries_shape, values_shape in [((6,), (3, 4)), ((2, 5), (2, 3)), ((6,), ()),
                                           ((2, 3, 4), (2, 3, 2)), ((5,), (0,))]:
        boundaries = np.sort(make_values(rng, boundaries_shape, dtype), axis=-1)
        values = make_values(rng, values_shape, dtype)
        for kwargs in ({}, {"right": True}, {"side": "right"}, {"out_int32": True}):
            found.append(Sample((Input(boundaries, dtype), Input(values, dtype)), kwargs,
                                shape_tag(values_shape),
                                out_dtype=ember.int32 if kwargs.get("out_int32") else
                                ember.int64))
    unsorted = make_values(rng, (7,), dtype)
    sorter = np.argsort(unsorted, kind="stable").astype(np.int64)
    found.append(Sample((Input(unsorted, dtype), Input(make_values(rng, (4,), dtype), dtype)),
                        {"sorter": Input(sorter, ember.int64)}, out_dtype=ember.int64))
    return found


def ref_bucketize(x, boundaries, out_int32=False, right=False):
    return ref_searchsorted(boundaries, x, out_int32, right)


def bucketize_samples(rng, dtype):
    boundaries = Input(np.unique(make_values(rng, (5,), dtype)), dtype)
    return [Sample((Input(make_values(rng, shape, dtype), dtype), boundaries), kwargs,
                   shape_tag(shape), out_dtype=ember.int32 if kwargs.get("out_int32")
                   else ember.int64)
            for shape in [(3, 4), (7,), (0, 2), ()]
            for kwargs in ({}, {"right": True}, {"out_int32": True})]


def ref_histc(x, bins=100, min=0, max=0):
    low, high = (min, max) if min != max or x.size == 0 else (x.min(), x.max())
    if low == high:
        low, high = low - 1, high + 1
    return np.histogram(x, bins=bins, range=(low, high))[0].astype(x.dtype)


def histc_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), kwargs, shape_tag(shape))
            for shape in [(40,), (5, 7), (0,)]
            for kwargs in ({"bins": 7}, {"bins": 5, "min": -1.0, "max": 2.0}, {})]


def ref_histogram(x, bins, range=None, weight=None, density=False):
    hist, edges = np.histogram(x, bins=bins, range=range, weights=weight, density=density)
    return hist, edges


def histogram_samples(rng, dtype):
    found = []
    for shape in [(40,), (5, 7)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        weight = Input(np.abs(make_values(rng, shape, dtype)), dtype)
        found += [Sample((x, 6)), Sample((x, 4), {"range": (-1.0, 2.0)}),
                  Sample((x, 5), {"weight": weight, "density": True}),
                  Sample((x, Input(np.array([-3.0, -1.0, 0.5, 3.0]), dtype)))]
    return found


def ref_bincount(x, weights=None, minlength=0):
    return np.bincount(x, weights=weights, minlength=minlength)


def bincount_samples(rng, dtype):
    found = []
    for shape in [(12,), (0,)]:
        x = Input(rng.integers(0, 6, shape).astype(make_values(rng, (), dtype).dtype), dtype)
        found += [Sample((x,), tag=shape_tag(shape)), Sample((x,), {"minlength": 9},
                                                             shape_tag(shape))]
        weights = Input(make_values(rng, shape, ember.float64), ember.float64)
        found.append(Sample((x,), {"weights": weights}, shape_tag(shape), out_dtype=ember.float64))
    return found


def ref_diff(x, n=1, dim=-1, prepend=None, append=None):
    kwargs = {k: v for k, v in (("prepend", prepend), ("append", append)) if v is not None}
    return np.diff(x, n=n, axis=dim, **kwargs)


def diff_samples(rng, dtype):
    found = []
    for shape, dim in [((3, 5), -1), ((4, 3), 0), ((2, 3, 4), 1), ((0, 3), 1), ((6,), 0)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        for n in (1, 2):
            found.append(Sample((x,), {"n": n, "dim": dim}, shape_tag(shape)))
        if shape == (3, 5):
            extra = Input(make_values(rng, (3, 2), dtype), dtype)
            found.append(Sample((x,), {"dim": dim, "prepend": extra, "append": extra}))
    return found


def ref_count_nonzero(x, dim=None):
    return np.asarray(np.count_nonzero(x, axis=dim), np.int64)


def count_nonzero_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), kwargs, shape_tag(shape))
            for shape, dims in [((3, 5), (None, 0, (0, 1))), ((2, 3, 4), (1, (0, 2))),
                                ((0, 3), (None, 1)), ((), (None,))]
            for kwargs in [{} if d is None else {"dim": d} for d in dims]]


def values_and_indices(dtype):
    return dtype, ember.int64


def index_result(dtype):
    return ember.int64


def sum_result(dtype):
    return dtype if dtype.is_floating_point else ember.int64


def bounded_cumprod_samples(rng, dtype):
    return dim_samples(SHORT_CASES, domain="unit" if dtype.is_floating_point else "real")(
        rng, dtype)


ENTRIES = [
    OpInfo("cumsum", ember.cumsum, ref_cumulative(np.cumsum), dim_samples(), dtypes=ALL,
           kind="reduction", out_dtype=sum_result, method="cumsum", methods=("cumsum_",),
           supports_out=True),
    OpInfo("cumprod", ember.cumprod, ref_cumulative(np.cumprod), bounded_cumprod_samples,
           dtypes=ALL, kind="reduction", out_dtype=sum_result, method="cumprod",
           methods=("cumprod_",), supports_out=True),
    OpInfo("cummax", ember.cummax, ref_cum_extremum(lambda a, b: a >= b),
           nonempty_dim(dim_samples()), dtypes=ALL, kind="exact", out_dtype=values_and_indices,
           method="cummax", supports_out=True),
    OpInfo("cummin", ember.cummin, ref_cum_extremum(lambda a, b: a <= b),
           nonempty_dim(dim_samples()), dtypes=ALL, kind="exact", out_dtype=values_and_indices,
           method="cummin", supports_out=True),
    OpInfo("logcumsumexp", ember.logcumsumexp, ref_logcumsumexp, dim_samples(),
           dtypes=FLOATING, kind="reduction", method="logcumsumexp", supports_out=True),
    OpInfo("sort", ember.sort, ref_sort,
           dim_samples(kwargs_list=({}, {"descending": True}, {"stable": True})), dtypes=ALL,
           kind="exact", out_dtype=values_and_indices, method="sort", supports_out=True),
    OpInfo("argsort", ember.argsort, ref_argsort,
           dim_samples(kwargs_list=({}, {"descending": True})), dtypes=ALL, kind="exact",
           out_dtype=index_result, method="argsort"),
    OpInfo("msort", ember.msort, ref_msort, flat_samples, dtypes=ALL, kind="exact",
           method="msort", supports_out=True),
    OpInfo("topk", ember.topk, ref_topk, topk_samples, dtypes=NUMERIC, kind="exact",
           out_dtype=values_and_indices, method="topk", supports_out=True),
    OpInfo("kthvalue", ember.kthvalue, ref_kthvalue, kthvalue_samples, dtypes=NUMERIC,
           kind="exact", out_dtype=values_and_indices, method="kthvalue", supports_out=True),
    OpInfo("median", ember.median, ref_median_all(False), flat_samples, dtypes=NUMERIC,
           kind="exact", method="median"),
    OpInfo("median_dim", ember.median, ref_median_along(False), keepdim_samples, dtypes=NUMERIC,
           kind="exact", out_dtype=values_and_indices, method="median", functions=(),
           supports_out=True),
    OpInfo("nanmedian", ember.nanmedian, ref_median_all(True), flat_samples, dtypes=NUMERIC,
           kind="exact", method="nanmedian"),
    OpInfo("nanmedian_dim", ember.nanmedian, ref_median_along(True), keepdim_samples,
           dtypes=NUMERIC, kind="exact", out_dtype=values_and_indices, method="nanmedian",
           functions=(), supports_out=True),
    OpInfo("mode", ember.mode, ref_mode, mode_samples, dtypes=ALL, kind="exact",
           out_dtype=values_and_indices, method="mode", supports_out=True),
    OpInfo("quantile", ember.quantile, ref_quantile(np.quantile), quantile_samples,
           dtypes=(ember.float32, ember.float64), method="quantile", supports_out=True),
    OpInfo("nanquantile", ember.nanquantile, ref_quantile(np.nanquantile), nanquantile_samples,
           dtypes=(ember.float32, ember.float64), method="nanquantile", supports_out=True),
    OpInfo("unique", ember.unique, ref_unique, with_out_dtypes(unique_samples((None, 0, 1))),
           dtypes=ALL, kind="exact", method="unique"),
    OpInfo("unique_consecutive", ember.unique_consecutive, ref_unique_consecutive,
           with_out_dtypes(unique_samples((None, 0, 1))), dtypes=ALL, kind="exact",
           method="unique_consecutive"),
    OpInfo("searchsorted", ember.searchsorted, ref_searchsorted, searchsorted_samples,
           dtypes=NUMERIC, kind="exact", supports_out=True),
    OpInfo("bucketize", ember.bucketize, ref_bucketize, bucketize_samples, dtypes=NUMERIC,
           kind="exact", supports_out=True),
    OpInfo("histc", ember.histc, ref_histc, histc_samples,
           dtypes=(ember.float32, ember.float64), kind="exact", method="histc",
           supports_out=True),
    OpInfo("histogram", ember.histogram, ref_histogram, histogram_samples,
           dtypes=(ember.float32, ember.float64), out_dtype=lambda dtype: (dtype, dtype),
           method="histogram", supports_out=True),
    OpInfo("bincount", ember.bincount, ref_bincount, bincount_samples, dtypes=INTEGRAL,
           kind="exact", out_dtype=index_result, method="bincount",
           layouts=("contiguous", "sliced", "expanded")),
    OpInfo("diff", ember.diff, ref_diff, diff_samples, dtypes=ALL, kind="reduction",
           method="diff", supports_out=True),
    OpInfo("count_nonzero", ember.count_nonzero, ref_count_nonzero, count_nonzero_samples,
           dtypes=ALL, kind="exact", out_dtype=index_result, method="count_nonzero"),
]
