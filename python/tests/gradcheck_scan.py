"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Scans, sorting and selection (cumsum, sort, topk, unique, searchsorted, histc, ...).
"""
import ember

_INDICES = "returns indices (int64) only"
NON_DIFFERENTIABLE = {  # op_db name -> why it is not gradient-checked
    "argsort": _INDICES,
    "searchsorted": _INDICES,
    "bucketize": _INDICES,
    "count_nonzero": "returns a count (int64)",
    "bincount": "counts integers; PyTorch has no gradient for weights either",
    "histc": "bin counts are piecewise constant in the input; PyTorch has no gradient",
    "histogram": "bin counts are piecewise constant in the input; PyTorch has no gradient",
    "unique": "PyTorch's unique is not differentiable",
    "unique_consecutive": "PyTorch's unique_consecutive is not differentiable",
}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("cumsum", "dim1", lambda x: ember.cumsum(x, 1), real(3, 4))
    add("cumsum", "dim0", lambda x: x.cumsum(0), real(3, 4))
    add("cumsum", "0-d", lambda x: ember.cumsum(x, 0), real(), layouts=("contiguous",))
    add("cumprod", "dim1", lambda x: ember.cumprod(x, 1), real(3, 4, domain="magnitude"))
    add("cumprod", "one-zero", lambda x: ember.cumprod(x, 0),
        real(5, domain="magnitude", zeros=(2,)))
    # Two zeros in a row: the first derivative is exact (test_scan.py), the second is not (as
    # PyTorch's), so gradgradcheck would fail there.
    add("cummax", "dim1", lambda x: ember.cummax(x, 1).values, real(3, 4))
    add("cummin", "dim0", lambda x: ember.cummin(x, 0).values, real(4, 3))
    add("logcumsumexp", "dim1", lambda x: ember.logcumsumexp(x, 1), real(3, 4))
    add("logcumsumexp", "dim0", lambda x: ember.logcumsumexp(x, 0), real(4, 2))
    add("sort", "dim1", lambda x: ember.sort(x, 1).values, real(3, 4))
    add("sort", "dim0-descending", lambda x: ember.sort(x, 0, descending=True).values,
        real(4, 3))
    add("msort", "2-d", lambda x: ember.msort(x), real(4, 3))
    add("topk", "k2", lambda x: ember.topk(x, 2).values, real(3, 5))
    add("topk", "smallest-dim0", lambda x: ember.topk(x, 3, dim=0, largest=False).values,
        real(4, 3))
    add("kthvalue", "k2", lambda x: ember.kthvalue(x, 2, 1).values, real(3, 5))
    add("median", "all", lambda x: ember.median(x), real(3, 5))
    add("median_dim", "dim1", lambda x: ember.median(x, 1).values, real(3, 5))
    add("nanmedian", "all", lambda x: ember.nanmedian(x), real(2, 5))
    add("nanmedian_dim", "dim0-keepdim",
        lambda x: ember.nanmedian(x, 0, keepdim=True).values, real(4, 3))
    add("mode", "dim1", lambda x: ember.mode(x, 1).values, real(3, 4))
    add("quantile", "linear", lambda x: ember.quantile(x, 0.3, dim=1), real(3, 5))
    add("quantile", "all-vector-q",
        lambda x: ember.quantile(x, ember.tensor([0.2, 0.75], dtype=ember.float64)), real(3, 4))
    add("quantile", "midpoint", lambda x: ember.quantile(x, 0.5, dim=0, interpolation="midpoint"),
        real(4, 3))
    add("nanquantile", "linear", lambda x: ember.nanquantile(x, 0.4, dim=1), real(3, 5))
    add("diff", "dim1", lambda x: ember.diff(x, dim=1), real(3, 5))
    add("diff", "n2-dim0", lambda x: ember.diff(x, n=2, dim=0), real(5, 3))
    add("diff", "prepend-append", lambda x, p: ember.diff(x, prepend=p, append=p),
        real(3, 4), real(3, 2))
