"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Joining, splitting and rearranging (cat, stack, split, flip, roll, repeat, diag, tril, ...).
"""
import ember

NON_DIFFERENTIABLE = {  # op_db name -> why it is not gradient-checked
    "repeat_interleave_index": "integer counts in, integer indices out",
    "new_zeros": "creation op: no tensor input to differentiate",
    "new_ones": "creation op: no tensor input to differentiate",
    "new_full": "creation op: no tensor input to differentiate",
    "new_empty": "creation op: no tensor input to differentiate",
    "new_tensor": "creation op: no tensor input to differentiate",
}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("cat", "dim0", lambda a, b, c: ember.cat([a, b, c]), real(2, 3), real(1, 3), real(3, 3))
    add("cat", "dim1", lambda a, b: ember.cat((a, b), dim=1), real(2, 3), real(2, 2))
    add("cat", "expanded", lambda a, b: ember.cat([a.expand(3, 4), b], -1), real(4), real(3, 2))
    add("cat", "legacy-empty", lambda a, b: ember.cat([a, b, a], 1), real(2, 2), real(0))
    add("cat", "many", lambda a: ember.cat([a * (i + 1) for i in range(40)]), real(2, 2))
    add("stack", "dim1", lambda a, b: ember.stack([a, b], 1), real(2, 3), real(2, 3))
    add("hstack", "2d", lambda a, b: ember.hstack([a, b]), real(2, 3), real(2, 1))
    add("vstack", "1d", lambda a, b: ember.vstack([a, b]), real(3), real(3))
    add("dstack", "2d", lambda a, b: ember.dstack([a, b]), real(2, 3), real(2, 3))
    add("column_stack", "1d", lambda a, b: ember.column_stack([a, b]), real(3), real(3, 2))
    add("split", "size", lambda x: ember.split(x, 2), real(5, 3))
    add("split", "sizes", lambda x: x.split([1, 2], dim=1), real(2, 3))
    add("chunk", "3", lambda x: x.chunk(3, 1), real(2, 7))
    add("unbind", "dim1", lambda x: x.unbind(1), real(2, 3))
    add("tensor_split", "indices", lambda x: ember.tensor_split(x, [1, 3]), real(5, 2))
    # Decreasing indices: the pieces overlap and their gradients add up.
    add("tensor_split", "overlapping", lambda x: ember.tensor_split(x, [3, 1], dim=1), real(2, 5))
    add("tensor_split", "sections", lambda x: x.tensor_split(3, dim=0), real(5, 2))
    add("split", "one-piece-used", lambda x: x.split(2)[1], real(5, 3))
    add("flip", "two-dims", lambda x: x.flip(0, 1), real(3, 4))
    add("fliplr", "2d", ember.fliplr, real(3, 4))
    add("flipud", "2d", ember.flipud, real(3, 4))
    add("roll", "dims", lambda x: ember.roll(x, (1, -2), (0, 1)), real(3, 4))
    add("roll", "flat", lambda x: x.roll(5), real(3, 4))
    add("rot90", "k1", lambda x: ember.rot90(x), real(3, 4))
    add("repeat", "2d", lambda x: x.repeat(2, 1, 3), real(3, 2))
    add("tile", "2d", lambda x: x.tile((2,)), real(3, 2))
    add("repeat_interleave", "int", lambda x: x.repeat_interleave(2, dim=1), real(3, 2))
    add("repeat_interleave_tensor", "counts",
        lambda x: x.repeat_interleave(ember.tensor([2, 0, 1]), dim=0), real(3, 2))
    add("movedim", "list", lambda x: x.movedim((0, 1), (2, 0)), real(2, 3, 4))
    add("moveaxis", "int", lambda x: ember.moveaxis(x, 0, -1), real(2, 3, 4))
    add("swapaxes", "3d", lambda x: ember.swapaxes(x, 0, 2), real(2, 3, 4))
    add("swapdims", "3d", lambda x: x.swapdims(0, 1), real(2, 3, 4))
    add("diagonal", "offset", lambda x: x.diagonal(1), real(3, 4))
    add("diagonal", "3d", lambda x: ember.diagonal(x, -1, 2, 0), real(3, 2, 4))
    add("diag", "vector", lambda x: ember.diag(x, 1), real(3))
    add("diag", "matrix", lambda x: x.diag(-1), real(3, 4))
    add("diag_embed", "batched", lambda x: ember.diag_embed(x, 1, 0, 2), real(2, 3))
    add("tril", "3d", lambda x: x.tril(1), real(2, 3, 4))
    add("triu", "2d", lambda x: ember.triu(x, -1), real(3, 4))
    add("tril", "inplace", lambda x: x.clone().tril_(), real(3, 4))
    add("triu", "inplace", lambda x: x.clone().triu_(1), real(3, 4))
    add("unfold", "windows", lambda x: x.unfold(1, 3, 2), real(2, 7))
    add("atleast_1d", "0-d", ember.atleast_1d, real(), layouts=("contiguous",))
    add("atleast_2d", "1-d", ember.atleast_2d, real(3))
    add("atleast_3d", "2-d", ember.atleast_3d, real(2, 3))
    add("meshgrid", "xy", lambda a, b: ember.meshgrid(a, b, indexing="xy"), real(3), real(2))
    add("broadcast_tensors", "pair", lambda a, b: ember.broadcast_tensors(a, b), real(3, 1),
        real(4))
    add("type_as", "float64", lambda x: x.type_as(x), real(3, 2))
    add("masked_fill_tensor", "value",
        lambda x, v: x.masked_fill(ember.tensor([True, False, True]), v), real(2, 3), real())
    add("masked_fill_tensor", "in-place",
        lambda x, v: x.clone().masked_fill_(ember.tensor([True, False, True]), v), real(2, 3),
        real())
