"""op_db entries of one op family:
Elementwise math and reductions (atan2, lgamma, lerp, nansum, var_mean, cdist, ...).
"""
import numpy as np
import scipy.special
from op_db import (
    ALL,
    FLOATING,
    NUMERIC,
    UNARY_SHAPES,
    WRITABLE,
    Input,
    OpInfo,
    Sample,
    binary,
    binary_samples,
    bool_result,
    clamp_one_bound_samples,
    floating_result,
    make_values,
    method,
    ref_clamp,
    shape_tag,
    unary,
    unary_samples,
)

import ember


def ref_logit(x, eps=None):
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    return np.log(x / (1 - x))


def ref_lgamma(x):
    # C's lgamma(-inf) is inf; scipy's gammaln overflows to inf for subnormal x, -log|x| there.
    tiny = (x != 0) & (np.abs(x) < 1e-300)
    with np.errstate(divide="ignore"):
        near_zero = -np.log(np.abs(x))
    return np.where(np.isneginf(x), np.inf, np.where(tiny, near_zero, scipy.special.gammaln(x)))


def ref_i0(x):
    return np.where(np.isinf(x), np.inf, scipy.special.i0(x))  # scipy's i0(+-inf) is NaN


def ref_heaviside(a, b):
    return np.where(a == 0, b, a > 0).astype(np.result_type(a, b))


def ref_nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def with_specials(rng, shape, dtype, domain="real"):
    """Values of `dtype` in `domain`, with NaN, +-inf and -0.0 mixed in for floating types."""
    values = make_values(rng, shape, dtype, domain)
    if dtype.is_floating_point and values.size:
        flat = values.reshape(-1)
        picks = rng.integers(0, flat.size, 4)
        flat[picks] = [np.nan, np.inf, -np.inf, -0.0]
    return values


def special_samples(kwargs_list=({},), domain="real"):
    def samples(rng, dtype):
        return [Sample((Input(with_specials(rng, shape, dtype, domain), dtype),), dict(kwargs),
                       tag=shape_tag(shape))
                for shape in UNARY_SHAPES for kwargs in kwargs_list]

    return samples


def nan_to_num_samples(rng, dtype):
    # The default replacements of +-inf are the dtype's extremes, which the float64 reference
    # cannot know: explicit ones here, the defaults in test_math.py.
    explicit = [{"nan": 1.5, "posinf": 100.0, "neginf": -50.0}, {"posinf": 3.0, "neginf": -3.0}]
    defaults = [{}] if dtype in (ember.float64,) or not dtype.is_floating_point else []
    return special_samples(explicit + defaults)(rng, dtype)


def logit_samples(rng, dtype):
    return unary_samples("probability")(rng, dtype) + [
        Sample((Input(make_values(rng, shape, dtype, "probability"), dtype),), {"eps": 0.2},
               tag=shape_tag(shape)) for shape in UNARY_SHAPES]


TERNARY_SHAPES = [((3, 5), (3, 5), (3, 5)), ((3, 5), (5,), (3, 1)), ((5,), (3, 5), (5,)),
                  ((2, 3, 4), (3, 4), (2, 1, 1)), ((0, 5), (5,), (1, 5)), ((), (), ())]


def ternary_samples(domains, kwargs_list=({},), scalar_third=()):
    """Three broadcasting tensors per shape triple; `scalar_third` adds samples whose third
    argument is each of these numbers instead."""
    def samples(rng, dtype):
        found = []
        for shapes in TERNARY_SHAPES:
            inputs = [Input(make_values(rng, shape, dtype, domain), dtype)
                      for shape, domain in zip(shapes, domains)]
            tag = shape_tag(*shapes)
            for kwargs in kwargs_list:
                found.append(Sample(tuple(inputs), dict(kwargs), tag=tag))
            for number in scalar_third:
                found.append(Sample((inputs[0], inputs[1], number), tag=shape_tag(*shapes[:2])))
        return found

    return samples


def addc_samples(domains):
    def samples(rng, dtype):
        value = 0.75 if dtype.is_floating_point else 3
        return ternary_samples(domains, ({}, {"value": value}))(rng, dtype)

    return samples


def polygamma_samples(rng, dtype):
    return [Sample((n, Input(make_values(rng, shape, dtype, "positive"), dtype)),
                   tag=shape_tag(shape)) for n in (0, 1, 2, 3) for shape in UNARY_SHAPES]


def mvlgamma_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype, "above_one"), dtype), p),
                   tag=shape_tag(shape)) for p in (1, 2) for shape in UNARY_SHAPES]


def predicate(name, ref, supports_out=False):
    return OpInfo(name, getattr(ember, name), ref, special_samples(), dtypes=ALL,
                  out_dtype=bool_result, method=name, ref_upcasts_integers=True,
                  supports_out=supports_out)


def alias_names(*names):
    """The in-place forms beside the names, for functions= and methods=."""
    return tuple(name for base in names for name in (base, base + "_"))


ENTRIES = [
    unary("tan", np.tan, grad_domain="unit"),
    unary("asin", np.arcsin, domain="unit", functions=alias_names("asin", "arcsin"),
          methods=alias_names("arcsin")),
    unary("acos", np.arccos, domain="unit", functions=alias_names("acos", "arccos"),
          methods=alias_names("arccos")),
    unary("atan", np.arctan, functions=alias_names("atan", "arctan"),
          methods=alias_names("arctan")),
    unary("sinh", np.sinh),
    unary("cosh", np.cosh),
    unary("asinh", np.arcsinh, functions=alias_names("asinh", "arcsinh"),
          methods=alias_names("arcsinh")),
    unary("acosh", np.arccosh, domain="above_one", functions=alias_names("acosh", "arccosh"),
          methods=alias_names("arccosh")),
    unary("atanh", np.arctanh, domain="unit", functions=alias_names("atanh", "arctanh"),
          methods=alias_names("arctanh")),
    unary("log2", np.log2, domain="positive"),
    unary("log10", np.log10, domain="positive"),
    unary("exp2", np.exp2),
    unary("erfc", scipy.special.erfc),
    unary("erfinv", scipy.special.erfinv, domain="unit"),
    unary("lgamma", ref_lgamma, grad_domain="positive"),
    unary("digamma", scipy.special.psi, grad_domain="positive"),
    unary("sinc", np.sinc),
    binary("atan2", np.arctan2, functions=("atan2", "arctan2"), methods=alias_names("arctan2")),
    binary("hypot", np.hypot, dtypes=FLOATING),  # no integer kernels, as PyTorch
    binary("copysign", np.copysign, domains=("real", "nonzero")),
    binary("fmod", np.fmod, domains=("real", "nonzero")),
    binary("logaddexp", np.logaddexp, dtypes=FLOATING),  # no integer kernels, as PyTorch
    binary("logaddexp2", np.logaddexp2, dtypes=FLOATING),  # no integer kernels, as PyTorch
    binary("xlogy", scipy.special.xlogy, domains=("real", "positive")),
    binary("heaviside", ref_heaviside),
    binary("gcd", np.gcd),
    binary("lcm", np.lcm),
    OpInfo("fix", ember.fix, np.trunc, unary_samples("real"), dtypes=NUMERIC, kind="unary",
           method="fix", inplace="fix_", grad_domain="fractional", supports_out=True),
    OpInfo("frac", ember.frac, lambda x: x - np.trunc(x), unary_samples("real"), kind="unary",
           method="frac", inplace="frac_", grad_domain="fractional", supports_out=True),
    OpInfo("deg2rad", ember.deg2rad, np.deg2rad, unary_samples("real"), dtypes=ALL,
           kind="unary", out_dtype=floating_result, ref_upcasts_integers=True, method="deg2rad",
           inplace="deg2rad_", grad_domain="real", supports_out=True),
    OpInfo("rad2deg", ember.rad2deg, np.rad2deg, unary_samples("real"), dtypes=ALL,
           kind="unary", out_dtype=floating_result, ref_upcasts_integers=True, method="rad2deg",
           inplace="rad2deg_", grad_domain="real", supports_out=True),
    OpInfo("i0", ember.i0, ref_i0, unary_samples("real"), dtypes=ALL, kind="unary",
           out_dtype=floating_result, ref_upcasts_integers=True, method="i0", inplace="i0_",
           grad_domain="real", supports_out=True),
    OpInfo("positive", ember.positive, lambda x: x, unary_samples("real"), dtypes=NUMERIC,
           kind="unary", method="positive"),
    OpInfo("logit", ember.logit, ref_logit, logit_samples, dtypes=ALL,
           out_dtype=floating_result, ref_upcasts_integers=True, method="logit",
           inplace="logit_", grad_domain="probability", supports_out=True),
    OpInfo("nan_to_num", ember.nan_to_num, ref_nan_to_num, nan_to_num_samples, dtypes=ALL,
           method="nan_to_num", inplace="nan_to_num_", supports_out=True),
    predicate("isnan", np.isnan),
    predicate("isinf", np.isinf),
    predicate("isfinite", np.isfinite),
    predicate("isposinf", np.isposinf, supports_out=True),
    predicate("isneginf", np.isneginf, supports_out=True),
    predicate("isreal", np.isreal),
    predicate("signbit", np.signbit, supports_out=True),
    # float_power_ needs a float64 self (test_math.py checks it and its refusal).
    OpInfo("float_power", ember.float_power, np.power, binary_samples(("pow_base", "exponent")),
           dtypes=ALL, out_dtype=lambda dtype: ember.float64, ref_upcasts_integers=True,
           method="float_power", methods=("float_power_",),
           grad_domains=("positive", "exponent"), supports_out=True),
    OpInfo("clamp_min_", method("clamp_min_"), ref_clamp, clamp_one_bound_samples("min"),
           dtypes=NUMERIC, kind="unary", functions=(), methods=("clamp_min_",), layouts=WRITABLE),
    OpInfo("clamp_max_", method("clamp_max_"), ref_clamp, clamp_one_bound_samples("max"),
           dtypes=NUMERIC, kind="unary", functions=(), methods=("clamp_max_",), layouts=WRITABLE),
    OpInfo("lerp", ember.lerp, lambda a, b, w: a + w * (b - a),
           ternary_samples(("real", "real", "unit"), scalar_third=(0.25, 0.75)),
           method="lerp", inplace="lerp_", supports_out=True),
    OpInfo("addcmul", ember.addcmul, lambda a, b, c, value=1: a + value * b * c,
           addc_samples(("real", "real", "real")), dtypes=NUMERIC, method="addcmul",
           inplace="addcmul_", supports_out=True),
    OpInfo("addcdiv", ember.addcdiv, lambda a, b, c, value=1: a + value * b / c,
           addc_samples(("real", "real", "nonzero")), method="addcdiv", inplace="addcdiv_",
           supports_out=True),
    # The order comes first, so the method forms are checked in test_math.py.
    OpInfo("polygamma", ember.polygamma, scipy.special.polygamma, polygamma_samples, dtypes=ALL,
           out_dtype=floating_result, ref_upcasts_integers=True,
           methods=("polygamma", "polygamma_"), supports_out=True),
    OpInfo("mvlgamma", ember.mvlgamma, scipy.special.multigammaln, mvlgamma_samples,
           dtypes=NUMERIC, out_dtype=floating_result, ref_upcasts_integers=True,
           method="mvlgamma", inplace="mvlgamma_", supports_out=True),
]
