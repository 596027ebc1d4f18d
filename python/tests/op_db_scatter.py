"""op_db entries of one op family:
Gathering and scattering (gather, scatter, index_add, take, put_, ...).
"""
import numpy as np
from op_db import ALL, NUMERIC, Input, OpInfo, Sample, make_values, python_scalar, shape_tag

import ember

LONG = ember.int64


def long_input(values):
    return Input(np.asarray(values, dtype=np.int64), LONG)


def along(position, dim, value):
    """position with its coordinate along dim replaced by value."""
    return position[:dim] + (value,) + position[dim + 1:]


# ---------------------------------------------------------------- gather / scatter

# (self shape, dim, index): index.size(d) <= self.size(d) for d != dim, values < self.size(dim).
GATHER_CASES = [
    ((3, 4), 0, [[2, 0, 1], [0, 0, 2]]),
    ((3, 4), 1, [[3, 0, 3, 1], [1, 2, 0, 0], [0, 0, 0, 0]]),
    ((2, 3, 4), -1, [[[0, 3], [2, 2], [1, 0]], [[3, 3], [0, 1], [2, 0]]]),
    ((2, 3, 4), 1, [[[2, 0, 1, 1]], [[0, 1, 2, 2]]]),
    ((5,), 0, [4, 0, 4, 1]),
    ((3, 4), 0, np.zeros((0, 4), np.int64)),
    ((), 0, 0),
]


def gather_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype), dim, long_input(index)),
                   tag=shape_tag(shape, np.shape(index)))
            for shape, dim, index in GATHER_CASES]


def ref_gather(x, dim, index):
    index = np.asarray(index)
    out = np.empty(index.shape, x.dtype)
    if x.ndim == 0:
        return np.full(index.shape, x)
    for position in np.ndindex(index.shape):
        out[position] = x[along(position, dim % x.ndim, index[position])]
    return out


def scatter_samples(value=False):
    def samples(rng, dtype):
        found = []
        for shape, dim, index in GATHER_CASES:
            x = Input(make_values(rng, shape, dtype), dtype)
            src_shape = tuple(s + 1 for s in np.shape(index))  # src may be larger than index
            src = python_scalar(dtype, "real") if value else \
                Input(make_values(rng, src_shape, dtype), dtype)
            found.append(Sample((x, dim, long_input(index), src),
                                tag=shape_tag(shape, np.shape(index))))
        return found

    return samples


def scatter_reference(combine):
    def ref(x, dim, index, src, reduce=None):
        out = np.array(x)  # a copy; bfloat16 0-d values arrive as numpy scalars
        index = np.asarray(index)
        src = np.asarray(src)
        view = out.reshape(1) if out.ndim == 0 else out
        for position in np.ndindex(index.shape):
            target = along(position, dim % view.ndim, int(index[position]))
            value = src if src.ndim == 0 else src[position]
            view[target] = combine(reduce, view[target], value)
        return out

    return ref


def assign_or(reduce, current, value):
    if reduce == "add":
        return current + value
    if reduce == "multiply":
        return current * value
    return value


def ref_add(reduce, current, value):
    return current + value


# ---------------------------------------------------------------- scatter_reduce

REDUCE_CASES = [((4, 3), 0, [[1, 0, 3], [1, 1, 3], [0, 1, 3]]), ((2, 5), 1, [[4, 4, 0], [1, 1, 1]]),
                ((3,), 0, [2, 2, 2, 0]), ((4, 3), 0, np.zeros((0, 3), np.int64))]


def scatter_reduce_samples(rng, dtype):
    found = []
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            for shape, dim, index in REDUCE_CASES:
                x = Input(make_values(rng, shape, dtype), dtype)
                src = Input(make_values(rng, np.shape(index), dtype), dtype)
                found.append(Sample((x, dim, long_input(index), src, reduce),
                                    {"include_self": include_self},
                                    tag=shape_tag(shape, np.shape(index)), k=4))
    return found


def ref_scatter_reduce(x, dim, index, src, reduce, include_self=True):
    index = np.asarray(index)
    groups = {}
    for position in np.ndindex(index.shape):
        groups.setdefault(along(position, dim % x.ndim, index[position]), []).append(src[position])
    out = x.copy()
    for target, values in groups.items():
        values = ([x[target]] if include_self else []) + values
        if reduce == "sum":
            value = np.sum(values)
        elif reduce == "prod":
            value = np.prod(values)
        elif reduce == "amax":
            value = np.max(values)
        elif reduce == "amin":
            value = np.min(values)
        elif x.dtype.kind == "f":
            value = np.mean(values)
        else:
            value = np.sum(values) // len(values)
        out[target] = np.asarray(value).astype(x.dtype)  # integers wrap, as in the kernel
    return out


# ---------------------------------------------------------------- index_add / copy / fill

# (self shape, dim, 1-D index): index_copy's positions are distinct.
INDEX_CASES = [((4, 3), 0, [3, 0, 2]), ((4, 3), 1, [2, 0]), ((2, 3, 4), -1, [1, 3]),
               ((5,), 0, [4, 1]), ((4, 3), 0, [])]


def index_samples(kind):
    def samples(rng, dtype):
        found = []
        for shape, dim, index in INDEX_CASES:
            x = Input(make_values(rng, shape, dtype), dtype)
            source_shape = list(shape)
            source_shape[dim] = len(index)
            if kind == "fill":
                last = python_scalar(dtype, "real")
            else:
                last = Input(make_values(rng, tuple(source_shape), dtype), dtype)
            found.append(Sample((x, dim, long_input(index), last),
                                tag=shape_tag(shape, tuple(source_shape))))
        if kind == "add" and dtype.is_floating_point:
            x = Input(make_values(rng, (4, 3), dtype), dtype)
            source = Input(make_values(rng, (3, 3), dtype), dtype)
            found.append(Sample((x, 0, long_input([1, 1, 3]), source), {"alpha": 2.0}))
        return found

    return samples


def moved(x, dim):
    return np.moveaxis(x, dim, 0)


def ref_index_add(x, dim, index, source, alpha=1):
    out = x.copy()
    if x.dtype == np.bool_:
        for i, row in zip(index, moved(source, dim)):
            moved(out, dim)[i] |= row
        return out
    np.add.at(moved(out, dim), np.asarray(index, np.int64), moved(source, dim) * alpha)
    return out


def ref_index_copy(x, dim, index, source):
    out = x.copy()
    moved(out, dim)[np.asarray(index, np.int64)] = moved(source, dim)
    return out


def ref_index_fill(x, dim, index, value):
    out = x.copy()
    moved(out, dim)[np.asarray(index, np.int64)] = value
    return out


# ---------------------------------------------------------------- masks, flat positions


def masked_scatter_samples(rng, dtype):
    found = []
    for shape, mask_shape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3, 2), (3, 1)),
                              ((0, 4), (4,)), ((), ())]:
        x = Input(make_values(rng, shape, dtype), dtype)
        mask = Input(make_values(rng, mask_shape, ember.bool), ember.bool)
        source = Input(make_values(rng, (int(np.prod(shape)) + 1,), dtype), dtype)
        found.append(Sample((x, mask, source), tag=shape_tag(shape, mask_shape)))
    return found


def ref_masked_scatter(x, mask, source):
    x, mask = np.broadcast_arrays(x, mask)
    out = x.copy()
    out[mask] = source.reshape(-1)[:int(mask.sum())]
    return out


def take_samples(rng, dtype):
    found = []
    for shape, index in [((3, 4), [[11, 0], [-1, 5]]), ((5,), [4, -5, 2, 2]), ((3, 4), []),
                         ((), 0), ((2, 3), 4)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((x, long_input(index)), tag=shape_tag(shape, np.shape(index))))
    return found


def ref_take(x, index):
    return np.take(x.reshape(-1), np.asarray(index, np.int64))


def take_along_dim_samples(rng, dtype):
    found = []
    for shape, index, dim in [((3, 4), [[2, 0, 1, 1]], 0), ((3, 4), [[3], [0], [1]], 1),
                              ((2, 1, 4), [[[0, 1]], [[3, 3]]], -1), ((3, 4), [5, 0, 11], None),
                              ((3, 1), [[0, 2], [1, 1]], 0),
                              ((3, 4), np.zeros((0, 4), np.int64), 0)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((x, long_input(index)), {} if dim is None else {"dim": dim},
                            tag=shape_tag(shape, np.shape(index))))
    return found


def ref_take_along_dim(x, indices, dim=None):
    indices = np.asarray(indices, np.int64)
    if dim is None:
        return np.take(x.reshape(-1), indices.reshape(-1))
    return np.take_along_axis(x, indices, axis=dim)


def put_samples(rng, dtype):
    found = []
    for shape, index in [((3, 4), [[11, 0], [-1, 5]]), ((5,), [4, -5, 2, 2]), ((3, 4), []),
                         ((), [0])]:
        x = Input(make_values(rng, shape, dtype), dtype)
        source = Input(make_values(rng, np.shape(index), dtype), dtype)
        for accumulate in (False, True):
            found.append(Sample((x, long_input(index), source), {"accumulate": accumulate},
                                tag=shape_tag(shape, np.shape(index))))
    return found


def ref_put(x, index, source, accumulate=False):
    out = x.copy().reshape(-1)
    index = np.asarray(index, np.int64).reshape(-1)
    values = np.asarray(source).reshape(-1)
    if not accumulate:
        out[index] = values
    elif x.dtype == np.bool_:
        for i, value in zip(index, values):
            out[i] |= value
    else:
        np.add.at(out, index, values)
    return out.reshape(x.shape)


def nonzero_samples(as_tuple):
    def samples(rng, dtype):
        # A tuple holds one tensor per dim (one for a 0-d input).
        return [Sample((Input(make_values(rng, shape, dtype, "unit"), dtype),),
                       tag=shape_tag(shape),
                       out_dtype=(LONG,) * max(1, len(shape)) if as_tuple else None)
                for shape in [(3, 5), (2, 3, 4), (7,), (0, 3), ()]]

    return samples


def ref_nonzero_tuple(x, as_tuple=True):
    return tuple(position.astype(np.int64) for position in np.atleast_1d(x).nonzero())


ENTRIES = [
    OpInfo("gather", ember.gather, ref_gather, gather_samples, dtypes=ALL, kind="exact",
           method="gather", supports_out=True, large=lambda rng, dtype: [Sample((
               Input(make_values(rng, (257, 513), dtype), dtype), 1,
               long_input(rng.integers(0, 513, (257, 600)))))]),
    OpInfo("scatter", ember.scatter, scatter_reference(assign_or), scatter_samples(),
           dtypes=ALL, kind="exact", method="scatter", inplace="scatter_"),
    OpInfo("scatter_value", ember.scatter, scatter_reference(assign_or), scatter_samples(True),
           dtypes=ALL, kind="exact", method="scatter", inplace="scatter_", functions=()),
    OpInfo("scatter_add", ember.scatter_add, scatter_reference(ref_add), scatter_samples(),
           dtypes=ALL, kind="reduction", method="scatter_add", inplace="scatter_add_",
           large=lambda rng, dtype: [Sample((
               Input(make_values(rng, (257, 513), dtype), dtype), 0,
               # a permutation per column: one addition per element, so bfloat16 rounds once
               long_input(rng.permuted(np.tile(np.arange(257)[:, None], (1, 513)), axis=0)),
               Input(make_values(rng, (257, 513), dtype), dtype)))]),
    OpInfo("scatter_reduce", ember.scatter_reduce, ref_scatter_reduce, scatter_reduce_samples,
           dtypes=NUMERIC, kind="reduction", method="scatter_reduce", inplace="scatter_reduce_"),
    OpInfo("index_add", ember.index_add, ref_index_add, index_samples("add"), dtypes=ALL,
           kind="reduction", method="index_add", inplace="index_add_", supports_out=True),
    OpInfo("index_copy", ember.index_copy, ref_index_copy, index_samples("copy"), dtypes=ALL,
           kind="exact", method="index_copy", inplace="index_copy_", supports_out=True),
    OpInfo("index_fill", ember.index_fill, ref_index_fill, index_samples("fill"), dtypes=ALL,
           kind="exact", method="index_fill", inplace="index_fill_"),
    OpInfo("masked_scatter", ember.masked_scatter, ref_masked_scatter, masked_scatter_samples,
           dtypes=ALL, kind="exact", method="masked_scatter", inplace="masked_scatter_"),
    OpInfo("take", ember.take, ref_take, take_samples, dtypes=ALL, kind="exact", method="take"),
    OpInfo("take_along_dim", ember.take_along_dim, ref_take_along_dim, take_along_dim_samples,
           dtypes=ALL, kind="exact", method="take_along_dim", supports_out=True),
    OpInfo("put", ember.put, ref_put, put_samples, dtypes=ALL, kind="reduction", method="put",
           inplace="put_"),
    OpInfo("argwhere", ember.argwhere, np.argwhere, nonzero_samples(False), dtypes=ALL,
           kind="exact", out_dtype=lambda dtype: LONG, method="argwhere"),
    OpInfo("nonzero_tuple", lambda x: ember.nonzero(x, as_tuple=True), ref_nonzero_tuple,
           nonzero_samples(True), dtypes=ALL, kind="exact",
           method=lambda x: x.nonzero(as_tuple=True), functions=()),
    OpInfo("where_condition", lambda condition: ember.where(condition), ref_nonzero_tuple,
           nonzero_samples(True), dtypes=ALL, kind="exact",
           functions=()),
]
