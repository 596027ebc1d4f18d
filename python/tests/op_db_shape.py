"""op_db entries of one op family:
Joining, splitting and rearranging (cat, stack, split, flip, roll, repeat, diag, tril, ...).
"""
import numpy as np
from op_db import ALL, Input, OpInfo, Sample, make_values, method, shape_tag, view_op

import ember


def joined_samples(cases):
    """cases: (shapes, kwargs): one tensor argument per shape, then the keyword arguments."""

    def samples(rng, dtype):
        return [Sample(tuple(Input(make_values(rng, shape, dtype), dtype) for shape in shapes),
                       dict(kwargs), tag=shape_tag(*shapes)) for shapes, kwargs in cases]

    return samples


def joined_op(name, ref, cases, functions=None):
    op = getattr(ember, name)

    def joined(*tensors, **kwargs):
        return op(tensors, **kwargs)

    joined.__doc__ = op.__doc__  # its signature, for test_out.py
    return OpInfo(name, joined, ref, joined_samples(cases), dtypes=ALL, kind="exact",
                  functions=functions or (name,), supports_out=True)


def ref_cat(*tensors, dim=0):
    kept = [x for x in tensors if not (x.ndim == 1 and x.size == 0)]
    return np.concatenate(kept, axis=dim)


CAT_CASES = [([(2, 3), (4, 3), (1, 3)], {}), ([(2, 3), (2, 5)], {"dim": 1}),
             ([(2, 3, 4), (2, 1, 4)], {"dim": -2}), ([(3,), (2,)], {}),
             ([(2, 3), (0,), (2, 1)], {"dim": 1}), ([(0, 3), (2, 3)], {}),
             ([(2, 0), (2, 3)], {"dim": 1}), ([(2, 3)], {"dim": -1})]
STACK_CASES = [([(3, 4)] * 3, {}), ([(3, 4)] * 2, {"dim": 1}), ([(3, 4)] * 2, {"dim": -1}),
               ([(0, 3)] * 2, {"dim": 1}), ([()] * 3, {})]
FLAT_CASES = [([(3,), (2,)], {}), ([(2, 3), (2, 1)], {}), ([(), ()], {}), ([(2, 3, 2)] * 2, {}),
              ([(0, 3), (0, 3)], {})]
ROW_CASES = [([(3,), (3,)], {}), ([(2, 3), (1, 3)], {}), ([(), ()], {}), ([(2, 3, 2)] * 2, {}),
             ([(0, 3), (2, 3)], {})]


def pieces_samples(cases):
    """cases: (shape, extra arguments, number of pieces): the sample's result is a tuple."""

    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, shape, dtype), dtype),) + tuple(extra),
                       tag=shape_tag(shape), out_dtype=(dtype,) * count)
                for shape, extra, count in cases]

    return samples


def pieces_op(name, ref, cases):
    return OpInfo(name, getattr(ember, name), ref, pieces_samples(cases), dtypes=ALL,
                  kind="exact", method=name)


def ref_split(x, size_or_sizes, dim=0):
    length = x.shape[dim]
    if isinstance(size_or_sizes, int):
        cuts = list(range(size_or_sizes, length, size_or_sizes)) if size_or_sizes else []
    else:
        cuts = list(np.cumsum(size_or_sizes)[:-1])
    return tuple(np.split(x, cuts, axis=dim))


def ref_chunk(x, chunks, dim=0):
    length = x.shape[dim]
    if length == 0:
        return tuple(np.split(x, [0] * (chunks - 1), axis=dim))
    return ref_split(x, -(-length // chunks), dim)


def ref_unbind(x, dim=0):
    return tuple(np.moveaxis(x, dim, 0))


def ref_tensor_split(x, sections, dim=0):
    return tuple(np.array_split(x, sections, axis=dim))


def ref_roll(x, shifts, dims=None):
    return np.roll(x, shifts, axis=dims)


def ref_rot90(x, k=1, dims=(0, 1)):
    return np.rot90(x, k, axes=tuple(dims))


def ref_repeat(x, *sizes):
    sizes = sizes[0] if len(sizes) == 1 and isinstance(sizes[0], tuple) else sizes
    return np.tile(x, sizes)


def ref_repeat_interleave(x, repeats, dim=None, output_size=None):
    return np.repeat(x, repeats, axis=dim)


def ref_diagonal(x, offset=0, dim1=0, dim2=1):
    return np.diagonal(x, offset, dim1, dim2)


def ref_diag(x, diagonal=0):
    return np.diag(x, diagonal)


def ref_diag_embed(x, offset=0, dim1=-2, dim2=-1):
    n = x.shape[-1] + abs(offset)
    result = np.zeros(x.shape[:-1] + (n, n), dtype=x.dtype)
    rows = np.arange(x.shape[-1]) + max(-offset, 0)
    result[..., rows, rows + offset] = x
    ndim = x.ndim + 1
    return np.moveaxis(result, (-2, -1), (dim1 % ndim, dim2 % ndim))


def ref_tril(x, diagonal=0):
    return np.tril(x, diagonal) if x.size else x


def ref_triu(x, diagonal=0):
    return np.triu(x, diagonal) if x.size else x


def ref_unfold(x, dimension, size, step):
    if x.ndim == 0:
        return x.reshape(1)[:size]
    dimension %= x.ndim
    count = (x.shape[dimension] - size) // step + 1
    windows = [np.take(x, range(i * step, i * step + size), axis=dimension) for i in range(count)]
    return np.moveaxis(np.stack(windows, axis=dimension), dimension + 1, -1)


def ref_movedim(x, source, destination):
    return np.moveaxis(x, source, destination) if x.ndim else x


def ref_atleast(function):
    return lambda x: function(x)


def grid_samples(indexing_cases):
    def samples(rng, dtype):
        found = []
        for shapes, indexing in indexing_cases:
            tensors = tuple(Input(make_values(rng, shape, dtype), dtype) for shape in shapes)
            kwargs = {} if indexing is None else {"indexing": indexing}
            found.append(Sample(tensors, kwargs, tag=shape_tag(*shapes),
                                out_dtype=(dtype,) * len(shapes)))
        return found

    return samples


def ref_meshgrid(*tensors, indexing="ij"):
    return tuple(np.meshgrid(*tensors, indexing=indexing))


def ref_broadcast_tensors(*tensors):
    return tuple(np.broadcast_arrays(*tensors))


def repeat_tensor_samples(rng, dtype):
    found = []
    for shape, counts, dim in [((3, 2), [1, 0, 2], 0), ((3, 2), [2, 1], 1), ((4,), [1, 2, 0, 1], 0),
                               ((0, 2), [], 0)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        repeats = Input(np.array(counts, dtype=np.int64), ember.int64)
        found.append(Sample((x, repeats), {"dim": dim}, tag=shape_tag(shape)))
    return found


def repeat_index_samples(rng, dtype):
    return [Sample((Input(np.array(counts, dtype=np.int64), dtype),), tag=shape_tag((len(counts),)))
            for counts in ([1, 0, 3], [2], [])]


def new_samples(extra_cases):
    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, (2, 3), dtype), dtype),) + tuple(extra))
                for extra in extra_cases]

    return samples


def check_new_empty(result, x, size):
    assert tuple(result.shape) == tuple(size)


def type_as_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),
                    Input(make_values(rng, (1,), target), target)), tag=shape_tag(shape),
                   out_dtype=target)
            for shape in [(3, 4), (0, 2), ()] for target in (ember.float64, ember.int64)]


def masked_fill_tensor_samples(rng, dtype):
    found = []
    for shape, mask_shape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((0, 2), (0, 2)), ((), ())]:
        found.append(Sample((Input(make_values(rng, shape, dtype), dtype),
                             Input(make_values(rng, mask_shape, ember.bool), ember.bool),
                             Input(make_values(rng, (), dtype), dtype)), tag=shape_tag(shape)))
    return found


ENTRIES = [
    joined_op("cat", ref_cat, CAT_CASES, functions=("cat", "concat", "concatenate")),
    joined_op("stack", lambda *tensors, dim=0: np.stack(tensors, axis=dim), STACK_CASES),
    joined_op("hstack", lambda *tensors: np.hstack(tensors), FLAT_CASES),
    joined_op("vstack", lambda *tensors: np.vstack(tensors), ROW_CASES,
              functions=("vstack", "row_stack")),
    joined_op("dstack", lambda *tensors: np.dstack(tensors),
              [([(3,), (3,)], {}), ([(2, 3), (2, 3)], {}), ([(), ()], {}),
               ([(2, 3, 2), (2, 3, 1)], {}), ([(0, 3), (0, 3)], {})]),
    joined_op("column_stack", lambda *tensors: np.column_stack(tensors),
              [([(3,), (3,)], {}), ([(3, 2), (3,)], {}), ([(), ()], {}), ([(0,), (0, 2)], {})]),
    pieces_op("split", ref_split, [((5, 4), [2], 3), ((5, 4), [[1, 4]], 2),
                                   ((5, 4), [3, 1], 2), ((5, 4), [[2, 0, 2], -1], 3),
                                   ((0, 4), [2], 1)]),
    pieces_op("chunk", ref_chunk, [((5, 4), [2], 2), ((6, 4), [3, 0], 3), ((5, 4), [4, 1], 4),
                                   ((0, 4), [2], 2)]),
    pieces_op("unbind", ref_unbind, [((3, 4), [], 3), ((3, 4), [1], 4), ((2, 3, 4), [-1], 4),
                                     ((0, 4), [1], 4)]),
    pieces_op("tensor_split", ref_tensor_split,
              [((7, 4), [3], 3), ((7, 4), [[1, 5]], 3), ((3, 5), [[1, 1, 4], 1], 4),
               ((3, 5), [2, -1], 2), ((0, 4), [2], 2)]),
    view_op("flip", lambda x, dims: np.flip(x, dims), [((3, 4), [(0,)]), ((3, 4), [(0, 1)]),
                                                       ((2, 3, 4), [(-1, 0)]), ((0, 3), [(1,)]),
                                                       ((), [()])], is_view=False),
    view_op("fliplr", np.fliplr, [((3, 4), []), ((2, 3, 4), []), ((0, 3), [])], is_view=False),
    view_op("flipud", np.flipud, [((3, 4), []), ((5,), []), ((0, 3), [])], is_view=False),
    view_op("roll", ref_roll, [((3, 4), [1, 0]), ((3, 4), [-5, 1]), ((3, 4), [2]),
                               ((2, 3, 4), [(1, -2), (0, 2)]), ((0, 3), [1, 1]), ((), [3])],
            is_view=False),
    view_op("rot90", ref_rot90, [((3, 4), []), ((3, 4), [2]), ((3, 4), [-1]), ((3, 4), [3, [1, 0]]),
                                 ((2, 3, 4), [1, [0, 2]]), ((0, 3), [1])], is_view=False),
    view_op("repeat", ref_repeat, [((3, 2), [(2, 3)]), ((3,), [(2, 1, 2)]), ((), [(2,)]),
                                   ((2, 3), [(0, 1)]), ((0, 2), [(2, 2)])], is_view=False),
    view_op("tile", lambda x, dims: np.tile(x, dims), [((3, 2), [(2, 3)]), ((3, 2), [(2,)]),
                                                       ((3,), [(2, 1, 2)]), ((0, 2), [(2,)])],
            is_view=False),
    view_op("repeat_interleave", ref_repeat_interleave,
            [((3, 2), [2]), ((3, 2), [2, 1]), ((3, 2), [3, -2]), ((), [2]), ((0, 2), [2, 0])],
            is_view=False),
    OpInfo("repeat_interleave_tensor", ember.repeat_interleave, ref_repeat_interleave,
           repeat_tensor_samples, dtypes=ALL, kind="exact", method="repeat_interleave",
           functions=()),
    OpInfo("repeat_interleave_index", ember.repeat_interleave,
           lambda counts: np.repeat(np.arange(counts.size), counts), repeat_index_samples,
           dtypes=(ember.int64, ember.int32), kind="exact", functions=(),
           out_dtype=lambda dtype: ember.int64, layouts=("contiguous",)),
    view_op("movedim", ref_movedim, [((2, 3, 4), [0, 2]), ((2, 3, 4), [(0, 1), (2, 0)]),
                                     ((2, 3, 4), [-1, 0]), ((0, 3), [0, 1]), ((), [0, 0])]),
    view_op("moveaxis", ref_movedim, [((2, 3, 4), [0, 2]), ((2, 3, 4), [(0, 1), (-1, 0)])]),
    view_op("swapaxes", lambda x, a, b: np.swapaxes(x, a, b), [((2, 3, 4), [0, 2]),
                                                              ((3, 5), [1, 0])]),
    view_op("swapdims", lambda x, a, b: np.swapaxes(x, a, b), [((2, 3, 4), [0, 2]),
                                                              ((3, 5), [-1, 0])]),
    view_op("diagonal", ref_diagonal, [((3, 4), []), ((3, 4), [1]), ((3, 4), [-2]),
                                       ((2, 3, 4), [0, 1, 2]), ((2, 3, 4), [1, -1, 0]),
                                       ((3, 4), [5]), ((0, 3), [])]),
    view_op("diag", ref_diag, [((3,), []), ((3,), [1]), ((3,), [-2]), ((3, 4), []),
                               ((3, 4), [1]), ((3, 4), [-1]), ((0,), [])], is_view=False,
            supports_out=True),
    view_op("diag_embed", ref_diag_embed, [((3,), []), ((2, 3), [1]), ((2, 3), [-1, 0, 2]),
                                           ((2, 3), [0, -1, 1]), ((0, 3), [])], is_view=False),
    view_op("tril", ref_tril, [((3, 4), []), ((3, 4), [1]), ((3, 4), [-1]), ((2, 3, 4), [0]),
                               ((0, 3), [])], is_view=False, inplace="tril_",
            supports_out=True),
    view_op("triu", ref_triu, [((3, 4), []), ((3, 4), [1]), ((3, 4), [-1]), ((2, 3, 4), [0]),
                               ((0, 3), [])], is_view=False, inplace="triu_",
            supports_out=True),
    view_op("unfold", ref_unfold, [((5, 4), [0, 2, 1]), ((5, 4), [1, 2, 2]),
                                   ((2, 6), [-1, 3, 2]), ((5,), [0, 5, 1]), ((), [0, 1, 1])]),
    view_op("atleast_1d", np.atleast_1d, [((3,), []), ((), []), ((2, 3), [])]),
    view_op("atleast_2d", np.atleast_2d, [((3,), []), ((), []), ((2, 3), []), ((2, 3, 4), [])]),
    view_op("atleast_3d", np.atleast_3d, [((3,), []), ((), []), ((2, 3), []), ((2, 3, 4), [])]),
    OpInfo("meshgrid", lambda *tensors, **kwargs: ember.meshgrid(*tensors, **kwargs), ref_meshgrid,
           grid_samples([([(3,), (4,)], None), ([(3,), (4,)], "xy"), ([(2,), (3,), (4,)], "ij"),
                         ([(2,), (3,), (4,)], "xy"), ([(3,)], "xy"), ([(0,), (2,)], "ij")]),
           dtypes=ALL, kind="exact", functions=("meshgrid",)),
    OpInfo("broadcast_tensors", lambda *tensors: ember.broadcast_tensors(*tensors),
           ref_broadcast_tensors,
           grid_samples([([(3, 1), (4,)], None), ([(2, 1, 3), (5, 1), ()], None),
                         ([(0, 1), (3,)], None)]),
           dtypes=ALL, kind="exact", functions=("broadcast_tensors",)),
    OpInfo("type_as", method("type_as"), lambda x, other: x, type_as_samples, dtypes=ALL,
           kind="exact", functions=(), methods=("type_as",)),
    OpInfo("new_zeros", method("new_zeros"), lambda x, size: np.zeros(size),
           new_samples([[(2, 3)], [(0,)], [()]]), dtypes=ALL, kind="exact", functions=(),
           methods=("new_zeros",)),
    OpInfo("new_ones", method("new_ones"), lambda x, size: np.ones(size),
           new_samples([[(2, 3)], [(0,)], [()]]), dtypes=ALL, kind="exact", functions=(),
           methods=("new_ones",)),
    OpInfo("new_full", method("new_full"), lambda x, size, value: np.full(size, value),
           new_samples([[(2, 3), 1], [(0,), 0], [(), 1]]), dtypes=ALL, kind="exact",
           functions=(), methods=("new_full",)),
    OpInfo("new_empty", method("new_empty"), None, new_samples([[(2, 3)], [(0,)], [()]]),
           dtypes=ALL, kind="exact", functions=(), methods=("new_empty",), check=check_new_empty),
    OpInfo("new_tensor", method("new_tensor"), lambda x, data: np.array(data),
           new_samples([[[[1, 0], [1, 1]]], [[]], [1]]), dtypes=ALL, kind="exact",
           functions=(), methods=("new_tensor",)),
    OpInfo("masked_fill_tensor", method("masked_fill"),
           lambda x, mask, value: np.where(mask, value, x), masked_fill_tensor_samples,
           dtypes=ALL, kind="exact", functions=()),
]
