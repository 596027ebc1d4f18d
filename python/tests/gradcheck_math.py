"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Elementwise math and reductions (atan2, lgamma, lerp, nansum, var_mean, cdist, ...).

The .def rows and the entries with a grad_domain / grad_domains get their cases from
test_gradcheck itself; the composites below need their own.
"""
import ember

BOOL = "bool result: a predicate has no gradient"
NON_DIFFERENTIABLE = dict.fromkeys(
    ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "signbit"), BOOL)
ZERO_GRADIENT = ("fix",)  # trunc: piecewise constant


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("positive", "3x4", ember.positive, real(3, 4))
    add("logit", "eps", lambda x: ember.logit(x, eps=0.3), real(3, 4, domain="probability"))
    add("nan_to_num", "finite", lambda x: x.nan_to_num(posinf=1.0), real(3, 4))
    add("nan_to_num", "inplace", lambda x: x.clone().nan_to_num_(), real(3, 4))
    add("clamp_min_", "scalar", lambda x: x.clone().clamp_min_(-0.5), real(3, 4))
    add("clamp_min_", "tensor", lambda x, lo: x.clone().clamp_min_(lo), real(3, 4),
        real(4, domain="unit"))
    add("clamp_max_", "scalar", lambda x: x.clone().clamp_max_(0.75), real(3, 4))
    add("clamp_max_", "tensor", lambda x, hi: x.clone().clamp_max_(hi), real(3, 4),
        real(3, 1, domain="positive"))
    add("lerp", "scalar-weight", lambda a, b: ember.lerp(a, b, 0.3), real(3, 4), real(4))
    add("lerp", "tensor-weight", lambda a, b, w: ember.lerp(a, b, w), real(3, 4), real(3, 4),
        real(3, 1, domain="unit"))
    add("lerp", "inplace", lambda a, b, w: a.clone().lerp_(b, w), real(3, 4), real(4),
        real(3, 4, domain="unit"))
    for name in ("addcmul", "addcdiv"):
        divisor = "nonzero" if name == "addcdiv" else "real"
        op = getattr(ember, name)
        add(name, "3x4", lambda a, b, c, op=op: op(a, b, c, value=0.5), real(3, 4), real(3, 4),
            real(3, 4, domain=divisor))
        add(name, "broadcast", lambda a, b, c, op=op: op(a, b, c), real(3, 4), real(4),
            real(3, 1, domain=divisor))
        add(name, "inplace", lambda a, b, c, name=name: getattr(a.clone(), name + "_")(b, c),
            real(3, 4), real(3, 4), real(4, domain=divisor))
    for n in (0, 1, 2):
        add("polygamma", f"n={n}", lambda x, n=n: ember.polygamma(n, x),
            real(3, 4, domain="positive"))
    add("mvlgamma", "p=2", lambda x: ember.mvlgamma(x, 2), real(3, 4, domain="above_one"))
    add("mvlgamma", "p=3-inplace", lambda x: (x + 1).mvlgamma_(3),
        real(3, 4, domain="above_one"))
