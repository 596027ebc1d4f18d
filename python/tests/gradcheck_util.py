"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Reductions of the util family (nansum, nanmean, aminmax, var_mean, std_mean, dist, cdist, trace,
cross).
"""
import ember

BOOL_RESULT = "bool result: comparisons and logical ops have no gradient"
NON_DIFFERENTIABLE = {"all_dims": BOOL_RESULT, "any_dims": BOOL_RESULT,
                      "resize_": "resize_ refuses tensors that require grad, as in PyTorch"}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere
CONTIGUOUS = ("contiguous",)


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("nansum", "all", lambda x: ember.nansum(x), real(3, 4))
    add("nansum", "dims-keepdim", lambda x: x.nansum((0, 2), keepdim=True), real(2, 3, 2))
    add("nanmean", "dim", lambda x: ember.nanmean(x, 1), real(3, 4))
    add("nanmean", "all-method", lambda x: x.nanmean(), real(2, 3, 2))
    add("mean_dtype", "float64", lambda x: ember.mean(x, 1, dtype=ember.float64), real(3, 4))
    add("aminmax", "all", lambda x: ember.aminmax(x), real(3, 4))
    add("aminmax", "dim", lambda x: tuple(x.aminmax(dim=1, keepdim=True)), real(3, 4))
    add("var_mean", "dim", lambda x: ember.var_mean(x, 1), real(3, 4))
    add("var_mean", "correction0", lambda x: ember.var_mean(x, (0, 2), correction=0),
        real(2, 3, 2))
    add("std_mean", "all", lambda x: ember.std_mean(x), real(3, 4))
    add("std_mean", "dim-keepdim", lambda x: ember.std_mean(x, 0, keepdim=True), real(3, 4))
    for p in (2, 1, 3, float("inf")):
        add("dist", f"p{p}", lambda a, b, p=p: ember.dist(a, b, p), real(3, 4), real(3, 4))
    add("dist", "broadcast", lambda a, b: a.dist(b), real(3, 4), real(4))
    for p in (2.0, 1.0, 3.0):
        add("cdist", f"p{p}", lambda a, b, p=p: ember.cdist(a, b, p), real(3, 2), real(4, 2))
    add("cdist", "batched", lambda a, b: ember.cdist(a, b), real(2, 3, 2), real(2, 2, 2))
    add("cdist", "broadcast-batch", lambda a, b: ember.cdist(a, b), real(2, 2, 3), real(3, 3))
    add("trace", "square", lambda x: ember.trace(x), real(3, 3))
    add("trace", "wide", lambda x: x.trace(), real(2, 4))
    add("cross", "dim-1", lambda a, b: ember.cross(a, b, dim=-1), real(4, 3), real(4, 3))
    add("cross", "default-dim", lambda a, b: a.cross(b), real(3, 2), real(3, 2))
    add("cross", "broadcast", lambda a, b: ember.cross(a, b, dim=1), real(2, 3), real(1, 3))
    add("linalg.cross", "batched", ember.linalg.cross, real(2, 3), real(2, 3))
