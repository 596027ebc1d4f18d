"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Gathering and scattering (gather, scatter, index_add, take, put_, ...).
"""
import ember

INTEGER_RESULT = "integer (index) result"
NON_DIFFERENTIABLE = dict.fromkeys(("argwhere", "nonzero_tuple", "where_condition"),
                                   INTEGER_RESULT)  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere

# Index tensors (4, 3) along dim 0 with repeated positions, and one smaller than the source.
ROWS = ember.tensor([[3, 0, 3], [1, 0, 2], [3, 3, 0]])
ROWS_SMALL = ember.tensor([[2, 1], [0, 2]])
COLUMNS = ember.tensor([[2, 0], [1, 1], [0, 2], [2, 2]])
COLUMNS_DISTINCT = ember.tensor([[2, 0], [1, 0], [0, 2], [2, 1]])
DISTINCT = ember.tensor([[3, 0, 2], [1, 2, 0]])  # no position twice in a column
REDUCE_INDEX = ember.tensor([[1, 0, 3], [1, 1, 3], [0, 1, 3]])


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("gather", "dim0-repeats", lambda x: ember.gather(x, 0, ROWS), real(4, 3))
    add("gather", "dim1-smaller", lambda x: x.gather(1, COLUMNS), real(4, 3))
    zero = ember.tensor(0)
    add("gather", "0-d", lambda x: ember.gather(x, 0, zero), real())
    add("scatter", "0-d-in-place", lambda x, s: x.clone().scatter_(0, zero, s), real(), real())
    add("scatter_reduce", "0-d-amax", lambda x, s: x.scatter_reduce(0, zero, s, "amax"), real(),
        real())
    add("scatter", "src-and-self", lambda x, s: ember.scatter(x, 0, DISTINCT, s),
        real(4, 3), real(2, 3))
    add("scatter", "src-larger-than-index", lambda x, s: x.scatter(0, ROWS_SMALL, s),
        real(4, 3), real(3, 3))
    # Distinct positions: with repeats only the last src written would get a gradient.
    add("scatter", "in-place", lambda x, s: x.clone().scatter_(1, COLUMNS_DISTINCT, s),
        real(4, 3), real(4, 2))
    add("scatter_value", "value", lambda x: ember.scatter(x, 0, DISTINCT, value=1.5), real(4, 3))
    add("scatter_add", "repeats", lambda x, s: ember.scatter_add(x, 0, ROWS, s),
        real(4, 3), real(3, 3))
    add("scatter_add", "in-place-larger-src", lambda x, s: x.clone().scatter_add_(0, ROWS_SMALL, s),
        real(4, 3), real(3, 4))
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            domain = "magnitude" if reduce == "prod" else "real"
            add("scatter_reduce", f"{reduce}-include-self-{include_self}",
                lambda x, s, r=reduce, i=include_self: ember.scatter_reduce(
                    x, 0, REDUCE_INDEX, s, r, include_self=i),
                real(4, 3, domain=domain), real(3, 3, domain=domain))
    # prod with zeros: one zero of a target in src, one in self (divided-out factors).
    add("scatter_reduce", "prod-zeros",
        lambda x, s: x.scatter_reduce(0, REDUCE_INDEX, s, "prod"),
        real(4, 3, domain="magnitude", zeros=(3,)), real(3, 3, domain="magnitude", zeros=(0, 2)))
    # Two zeros into one target (REDUCE_INDEX[0, 1] and [1, 1] are both 0): the second
    # derivative between them is the product of the rest, not zero.
    add("scatter_reduce", "prod-two-zeros",
        lambda x, s: x.scatter_reduce(0, REDUCE_INDEX, s, "prod"),
        real(4, 3, domain="magnitude"), real(3, 3, domain="magnitude", zeros=(1, 4)))
    add("scatter_reduce", "prod-two-zeros-and-self-zero",
        lambda x, s: x.scatter_reduce(0, REDUCE_INDEX, s, "prod"),
        real(4, 3, domain="magnitude", zeros=(1,)),
        real(3, 3, domain="magnitude", zeros=(1, 4, 2, 5)))
    add("scatter", "multiply-two-zeros",
        lambda x, s: x.scatter(0, REDUCE_INDEX, s, reduce="multiply"),
        real(4, 3, domain="magnitude"), real(3, 3, domain="magnitude", zeros=(1, 4)))
    add("scatter_reduce", "amax-in-place",
        lambda x, s: x.clone().scatter_reduce_(0, REDUCE_INDEX, s, "amax"), real(4, 3), real(3, 3))
    index = ember.tensor([3, 0, 3])
    add("index_add", "repeats-alpha", lambda x, s: ember.index_add(x, 0, index, s, alpha=2.5),
        real(4, 3), real(3, 3))
    add("index_add", "dim1-in-place", lambda x, s: x.clone().index_add_(1, ember.tensor([2, 0]), s),
        real(4, 3), real(4, 2))
    add("index_copy", "dim0", lambda x, s: ember.index_copy(x, 0, ember.tensor([3, 1]), s),
        real(4, 3), real(2, 3))
    add("index_fill", "scalar", lambda x: ember.index_fill(x, 1, ember.tensor([0, 2]), -1.0),
        real(4, 3))
    add("index_fill", "tensor-value", lambda x, v: x.index_fill(0, ember.tensor([1, 2]), v),
        real(4, 3), real())
    mask = ember.tensor([[True, False, True], [False, False, True]])
    add("masked_scatter", "broadcast-and-padding",
        lambda x, s: ember.masked_scatter(x, mask, s), real(2, 3), real(5))
    add("masked_scatter", "in-place-broadcast-mask",
        lambda x, s: x.clone().masked_scatter_(ember.tensor([True, False, True]), s),
        real(2, 3), real(2, 3))
    add("take", "negative-repeats", lambda x: ember.take(x, ember.tensor([[11, -1], [0, 5]])),
        real(3, 4))
    add("take_along_dim", "dim-broadcast",
        lambda x: ember.take_along_dim(x, ember.tensor([[2, 0, 1, 2]]), dim=0), real(3, 4))
    add("take_along_dim", "flat", lambda x: x.take_along_dim(ember.tensor([5, 0, 5])), real(3, 4))
    put_index = ember.tensor([5, 0, -1])
    for accumulate in (False, True):
        add("put", f"accumulate-{accumulate}",
            lambda x, s, a=accumulate: ember.put(x, put_index, s, accumulate=a),
            real(3, 4), real(3))
    add("put", "in-place-repeats",
        lambda x, s: x.clone().put_(ember.tensor([1, 1, 4]), s, accumulate=True),
        real(2, 3), real(3))
