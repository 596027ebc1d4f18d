"""Elementwise math (issue 8) beyond what op_db expresses: aliases, special values, the
operators on integer tensors, dtype refusals and other bad inputs (nothing written on a failed
in-place call)."""
import math

import numpy as np
import pytest

import ember


def t(values, dtype=None):
    return ember.tensor(values, dtype=dtype)


ALIASES = [("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"), ("arcsinh", "asinh"),
           ("arccosh", "acosh"), ("arctanh", "atanh"), ("fix", "trunc")]


@pytest.mark.parametrize(("alias", "name"), ALIASES)
def test_aliases_match_their_op(alias, name):
    x = t([1.25, 0.5, -0.75, 2.5]) if name != "acosh" else t([1.25, 2.0, 3.5])
    expected = getattr(ember, name)(x)
    np.testing.assert_array_equal(getattr(ember, alias)(x).numpy(), expected.numpy())
    np.testing.assert_array_equal(getattr(x, alias)().numpy(), expected.numpy())
    target = x.clone()
    assert getattr(target, alias + "_")() is target
    np.testing.assert_array_equal(target.numpy(), expected.numpy())


def test_arctan2_alias_and_inplace():
    y, x = t([1.0, -1.0, 0.0]), t([-1.0, -1.0, -0.0])
    expected = ember.atan2(y, x)
    np.testing.assert_array_equal(ember.arctan2(y, x).numpy(), expected.numpy())
    assert y.clone().arctan2_(x).tolist() == expected.tolist()
    angles = [3 * math.pi / 4, -3 * math.pi / 4, math.pi]
    assert expected.tolist() == pytest.approx(angles, rel=1e-6)


def test_special_values():
    assert ember.log2(t([8.0, 0.5, 1024.0])).tolist() == [3.0, -1.0, 10.0]
    assert ember.exp2(t([10.0, -1.0])).tolist() == [1024.0, 0.5]
    assert ember.signbit(t([-0.0, 0.0, -1.0, math.inf])).tolist() == [True, False, True, False]
    assert ember.signbit(t([-3, 4])).tolist() == [True, False]
    assert ember.digamma(t([0.0, -0.0, -2.0])).tolist()[:2] == [-math.inf, math.inf]
    assert math.isnan(ember.digamma(t([-2.0])).item())
    assert ember.erfinv(t([1.0, -1.0, 0.0])).tolist() == [math.inf, -math.inf, 0.0]
    assert ember.lgamma(t([0.0, 1.0, 2.0])).tolist() == [math.inf, 0.0, 0.0]
    assert ember.sinc(t([0.0])).item() == 1.0
    assert ember.xlogy(t([0.0, 0.0]), t([0.0, math.nan])).tolist()[0] == 0.0
    assert math.isnan(ember.xlogy(t([0.0]), t([math.nan])).item())
    assert ember.logaddexp(t([math.inf, -math.inf]), t([math.inf, -math.inf])).tolist() == [
        math.inf, -math.inf]
    assert ember.heaviside(t([-1.5, 0.0, 2.0]), t([0.5])).tolist() == [0.0, 0.5, 1.0]


def test_isfinite_family_on_integers_and_bools():
    for x in (t([1, -2]), t([True, False]), t([3, 4], ember.uint8)):
        assert ember.isnan(x).tolist() == [False, False]
        assert ember.isinf(x).tolist() == [False, False]
        assert ember.isfinite(x).tolist() == [True, True]
        assert x.isreal().tolist() == [True, True]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float16, ember.bfloat16])
def test_nan_to_num_defaults_are_the_dtype_extremes(dtype):
    x = t([math.nan, math.inf, -math.inf, 1.5], dtype)
    result = ember.nan_to_num(x).float().tolist()
    largest = {ember.float32: float(np.finfo(np.float32).max), ember.float16: 65504.0,
               ember.bfloat16: 3.3895313892515355e38}[dtype]
    assert result == [0.0, largest, -largest, 1.5]
    assert x.nan_to_num(nan=2.0, posinf=1.0).float().tolist() == [2.0, 1.0, -largest, 1.5]


def test_integer_results_of_gcd_lcm_fmod():
    assert ember.gcd(t([-4, 0, 12]), t([6, 0, -18])).tolist() == [2, 0, 6]
    assert ember.lcm(t([-4, 0, 3]), t([6, 5, 7])).tolist() == [12, 0, 21]
    assert ember.fmod(t([-7, 7]), t([2, -2])).tolist() == [-1, 1]
    int64_min = -(2**63)
    assert ember.fmod(t([int64_min]), -1).tolist() == [0]
    assert ember.fmod(t([-7.5]), 2).tolist() == [-1.5]


def test_float_power_is_float64_and_inplace_needs_float64():
    assert ember.float_power(t([2, 3]), 2).dtype == ember.float64
    assert ember.float_power(2, t([1.0, 3.0])).tolist() == [2.0, 8.0]
    x = t([2.0, 3.0], ember.float64)
    assert x.float_power_(t([2.0, 1.0])) is x and x.tolist() == [4.0, 3.0]
    y = t([2.0, 3.0])
    with pytest.raises(RuntimeError, match=r"float_power_.*float32.*float64"):
        y.float_power_(2)
    assert y.tolist() == [2.0, 3.0]


def test_polygamma_and_mvlgamma_forms():
    x = t([0.5, 1.5, 3.0], ember.float64)
    expected = ember.polygamma(2, x)
    assert x.polygamma(2).tolist() == expected.tolist()
    target = x.clone()
    assert target.polygamma_(2) is target and target.tolist() == expected.tolist()
    assert ember.polygamma(0, x).tolist() == ember.digamma(x).tolist()
    assert ember.mvlgamma(t([2.5]), 1).tolist() == ember.lgamma(t([2.5])).tolist()


def test_clamp_min_max_inplace():
    x = t([-1.0, 0.5, 2.0])
    assert x.clamp_min_(0.0) is x and x.tolist() == [0.0, 0.5, 2.0]
    assert x.clamp_max_(t([1.0, 1.0, 1.0])) is x and x.tolist() == [0.0, 0.5, 1.0]
    assert ember.clamp_min(t([1, 5]), 3).tolist() == [3, 5]


def test_bitwise_operators_on_integers_and_bools():
    a, b = t([12, -3, 5], ember.int32), t([10, 6, 1], ember.int32)
    assert (a & b).tolist() == [8, 4, 1]
    assert (a | b).tolist() == [14, -1, 5]
    assert (a ^ b).tolist() == [6, -5, 4]
    assert (~a).tolist() == [-13, 2, -6]
    assert (a << 2).tolist() == [48, -12, 20]
    assert (a >> 1).tolist() == [6, -2, 2]
    assert (1 << t([0, 3])).tolist() == [1, 8]
    assert (64 >> t([1, 3])).tolist() == [32, 8]
    assert (6 & t([3, 5])).tolist() == [2, 4] and (6 | t([1])).tolist() == [7]
    assert (6 ^ t([3])).tolist() == [5]
    c = a.clone()
    c &= b
    c |= 1
    c ^= t([1, 1, 1], ember.int32)
    c <<= 1
    c >>= 1
    assert c.tolist() == [8, 4, 0] and c.dtype == ember.int32
    m, n = t([True, False, True]), t([True, True, False])
    assert (m & n).tolist() == [True, False, False]
    assert (m | n).tolist() == [True, True, True]
    assert (m ^ n).tolist() == [False, True, True]
    assert (~m).tolist() == [False, True, False]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: ember.gcd(t([1.0]), t([2.0])), r"\[gcd\].*float32.*integer"),
    (lambda: ember.lcm(t([True]), t([True])), r"\[lcm\].*bool"),
    (lambda: ember.frac(t([1, 2])), r"\[frac\].*int64.*floating"),
    (lambda: ember.positive(t([True])), r"\[positive\].*bool"),
    (lambda: ember.lerp(t([1.0]), t([2.0], ember.float64), 0.5), r"\[lerp\].*float32.*end"),
    (lambda: ember.lerp(t([1.0]), t([2.0]), t([0.5], ember.float64)), r"\[lerp\].*weight"),
    (lambda: ember.lerp(t([1, 2]), t([2, 3]), 0.5), r"\[lerp\].*int64"),
    (lambda: ember.addcdiv(t([1]), t([1]), t([2])), r"\[addcdiv\].*Integer division"),
    (lambda: ember.polygamma(-1, t([1.0])), r"\[polygamma\].*negative n"),
    (lambda: ember.mvlgamma(t([1.0]), 0), r"\[mvlgamma\].*p has to be"),
    (lambda: ember.mvlgamma(t([0.5]), 2), r"\[mvlgamma\].*greater than \(p-1\)/2"),
    (lambda: ember.fmod(t([1, 2]), t([1, 0])), r"\[fmod\].*ZeroDivisionError"),
])
def test_bad_inputs_raise_runtime_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


@pytest.mark.parametrize(("name", "call"), [
    ("deg2rad_", lambda x: x.deg2rad_()),
    ("logit_", lambda x: x.logit_()),
    ("i0_", lambda x: x.i0_()),
    ("tan_", lambda x: x.tan_()),
    ("atan2_", lambda x: x.atan2_(t([1.0, 2.0]))),
    ("lerp_", lambda x: x.lerp_(t([1, 2]), 0.5)),
])
def test_failed_inplace_writes_nothing(name, call):
    x = t([3, 4])
    with pytest.raises(RuntimeError, match=name.rstrip("_")):
        call(x)
    assert x.tolist() == [3, 4] and x.dtype == ember.int64


def test_failed_broadcasting_inplace_writes_nothing():
    x = t([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"\[lerp_\].*shape"):
        x.lerp_(t([[1.0, 2.0], [3.0, 4.0]]), 0.5)
    with pytest.raises(RuntimeError, match=r"\[addcmul_\].*shape"):
        x.addcmul_(t([[1.0], [2.0]]), t([1.0, 1.0]))
    assert x.tolist() == [1.0, 2.0]


def test_xlogy_gradient_at_zero_and_logit_eps_gradient():
    x = t([0.0, 0.0, 2.0], ember.float64).requires_grad_()
    y = t([0.0, 2.0, 3.0], ember.float64).requires_grad_()
    ember.xlogy(x, y).sum().backward()
    assert x.grad.tolist() == [0.0, math.log(2.0), math.log(3.0)]
    assert y.grad.tolist()[1:] == [0.0, 2.0 / 3.0]  # x / y: 0 / 0 is NaN, as in PyTorch
    p = t([0.05, 0.5, 0.95], ember.float64).requires_grad_()
    ember.logit(p, eps=0.1).sum().backward()
    assert p.grad.tolist() == [0.0, 4.0, 0.0]


def test_heaviside_and_copysign_gradients():
    x = t([-1.0, 0.0, 2.0], ember.float64).requires_grad_()
    v = t([0.5, 0.5, 0.5], ember.float64).requires_grad_()
    ember.heaviside(x, v).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0] and v.grad.tolist() == [0.0, 1.0, 0.0]
    a = t([1.5, -2.0, 0.0], ember.float64).requires_grad_()
    ember.copysign(a, t([-1.0, -1.0, 1.0], ember.float64)).sum().backward()
    assert a.grad.tolist() == [-1.0, 1.0, 0.0]


def test_heaviside_takes_pytorch_keyword():
    x = t([-1.0, 0.0, 3.0])
    assert ember.heaviside(x, values=t([0.5])).tolist() == [0.0, 0.5, 1.0]
    assert x.heaviside(values=t([2.0])).tolist() == [0.0, 2.0, 1.0]
    assert x.heaviside_(t([0.25])) is x and x.tolist() == [0.0, 0.25, 1.0]
