"""Regressions for the crash and wrong-value defects that differential fuzzing against PyTorch found
(issue 6): integer division traps, empty-dim indexing, bitwise operators, numel overflow of views,
negative integer powers, Python scalars that do not fit a dtype, alpha rounding and bool indices
beside advanced ones. Each case states what PyTorch does."""
import math

import pytest

import ember

INTEGRAL = [ember.uint8, ember.int8, ember.int16, ember.int32, ember.int64]
SIGNED = [ember.int8, ember.int16, ember.int32, ember.int64]
BITS = {ember.int8: 8, ember.int16: 16, ember.int32: 32, ember.int64: 64}


def name_of(dtype):
    return repr(dtype).removeprefix("ember.")


# ---------------------------------------------------------------- integer division


DIVISIONS = {
    "floordiv": lambda a, b: a // b,
    "mod": lambda a, b: a % b,
    "remainder": ember.remainder,
    "floor_divide": ember.floor_divide,
    "div_floor": lambda a, b: ember.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda a, b: ember.div(a, b, rounding_mode="trunc"),
    "ifloordiv": lambda a, b: a.__ifloordiv__(b),
    "remainder_": lambda a, b: a.remainder_(b),
    "div_trunc_": lambda a, b: a.div_(b, rounding_mode="trunc"),
}


@pytest.mark.parametrize("op", DIVISIONS.values(), ids=DIVISIONS.keys())
@pytest.mark.parametrize(("dtype", "divisor"),
                         [(ember.uint8, 256), (ember.uint8, 0), (ember.int8, 256),
                          (ember.int16, 65536), (ember.int32, 2**32), (ember.int64, 0)],
                         ids=lambda v: name_of(v) if isinstance(v, ember.dtype) else str(v))
def test_integer_division_by_a_python_int_that_wraps_to_zero_raises(op, dtype, divisor):
    # PyTorch: RuntimeError "ZeroDivisionError"; before the fix ember died of SIGFPE.
    x = ember.tensor([5, 7], dtype=dtype)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        op(x, divisor)
    assert x.tolist() == [5, 7]


@pytest.mark.parametrize("op", DIVISIONS.values(), ids=DIVISIONS.keys())
def test_integer_division_by_a_zero_tensor_raises(op):
    x = ember.tensor([5, 7], dtype=ember.int32)
    with pytest.raises(RuntimeError, match="ZeroDivisionError: integer division by zero"):
        op(x, ember.tensor([3, 0], dtype=ember.int32))


QUOTIENTS = {
    "floordiv": lambda a, b: a // b,
    "floor_divide": ember.floor_divide,
    "div_trunc": lambda a, b: ember.div(a, b, rounding_mode="trunc"),
    "div_floor_": lambda a, b: a.div_(b, rounding_mode="floor"),
}


@pytest.mark.parametrize("op", QUOTIENTS.values(), ids=QUOTIENTS.keys())
@pytest.mark.parametrize("dtype", SIGNED, ids=name_of)
def test_minimum_divided_by_minus_one_raises_instead_of_wrapping(op, dtype):
    # PyTorch traps (int32/int64, SIGFPE) or wraps silently to the minimum (int8/int16).
    low = -(2 ** (BITS[dtype] - 1))
    x = ember.tensor([low, 6], dtype=dtype)
    with pytest.raises(RuntimeError, match=rf"integer overflow: {low} divided by -1 does not fit"):
        op(x, -1)
    with pytest.raises(RuntimeError, match="integer overflow"):
        op(x, ember.tensor([-1, 1], dtype=dtype))  # a tensor divisor, one bad pair
    assert x.tolist() == [low, 6]
    with pytest.raises(RuntimeError, match="integer overflow"):
        QUOTIENTS["floordiv"](x, ember.tensor([[1], [-1]], dtype=dtype))  # broadcast


@pytest.mark.parametrize("dtype", SIGNED, ids=name_of)
def test_minus_one_divisors_that_do_not_overflow_still_work(dtype):
    low = -(2 ** (BITS[dtype] - 1))
    x = ember.tensor([low, 7, -7], dtype=dtype)
    assert (x % -1).tolist() == [0, 0, 0]  # exact and representable: PyTorch gives 0 too
    assert ember.remainder(x, -1).tolist() == [0, 0, 0]
    y = ember.tensor([low + 1, 7, -7], dtype=dtype)
    assert (y // -1).tolist() == [-(low + 1), -7, 7]
    assert ember.div(y, -1, rounding_mode="trunc").tolist() == [-(low + 1), -7, 7]
    assert (ember.tensor([low], dtype=dtype) // ember.tensor([2], dtype=dtype)).tolist() == \
        [low // 2]


def test_unsigned_division_by_255_and_floats_by_zero_still_work():
    assert (ember.tensor([5, 255], dtype=ember.uint8) // 255).tolist() == [0, 1]
    assert (ember.tensor([5, 255], dtype=ember.uint8) % -1).tolist() == [5, 0]  # -1 is 255
    assert (ember.tensor([1.0, -1.0]) // 0).tolist() == [math.inf, -math.inf]


# ---------------------------------------------------------------- indexing with empty dims


def test_advanced_index_of_a_tensor_with_an_empty_step_slice():
    # Heap corruption before the fix: the gather wrote into the 0-element result.
    view = ember.zeros(1000, 3, 1000)[:, 1:1:2]
    assert view.shape == (1000, 0, 1000)
    result = view[ember.arange(1000)]
    assert result.shape == (1000, 0, 1000)
    assert ember.index_select(view, 0, ember.arange(1000)).shape == (1000, 0, 1000)
    assert ember.index_select(view, 2, ember.arange(5)).shape == (1000, 0, 5)


def test_index_put_through_an_empty_slice_writes_nothing():
    x = ember.zeros(3, 2, 3)
    x[ember.tensor([1, 2]), 1:1:2] = 5.0
    assert x.sum().item() == 0.0
    x[ember.tensor([0, 2]), 0:0] = ember.ones(2, 0, 3)
    assert x.sum().item() == 0.0
    x[ember.tensor([1])] = ember.ones(1, 2, 3)
    assert x.sum().item() == 6.0


def test_indices_into_an_empty_view_are_still_checked():
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        ember.zeros(3, 0)[ember.tensor([5])]


# ---------------------------------------------------------------- bool indices beside advanced ones


@pytest.mark.parametrize(("key", "shape"), [
    ((True, "i", 1), (2, 4)),
    ((True, "i"), (2, 3, 4)),
    (("i", True), (2, 3, 4)),
    ((True, 1, "i"), (2, 4)),
    ((True, slice(None), "i"), (2, 2, 4)),
    (("i", slice(None), True), (2, 3, 4)),
    ((True, True, "i"), (2, 3, 4)),
    ((True, Ellipsis, "i"), (2, 2, 3)),
    ((None, "i", 1), (1, 2, 4)),
    ((True,), (1, 2, 3, 4)),
    ((True, 1), (1, 3, 4)),
], ids=str)
def test_bool_index_beside_an_advanced_index_has_pytorchs_shape(key, shape):
    z = ember.arange(24.0).reshape(2, 3, 4)
    index = ember.tensor([0, 1])
    full_key = tuple(index if item == "i" else item for item in key)
    assert z[full_key].shape == shape


def test_bool_index_beside_an_advanced_index_values_and_setitem():
    z = ember.arange(24.0).reshape(2, 3, 4)
    assert z[True, ember.tensor([0, 1]), 1].tolist() == [z[0, 1].tolist(), z[1, 1].tolist()]
    z[True, ember.tensor([1]), 2] = -1.0
    assert z[1, 2].tolist() == [-1.0] * 4
    assert (z == -1.0).sum().item() == 4
    with pytest.raises(IndexError, match="shape mismatch"):
        z[False, ember.tensor([0, 1]), 1]


# ---------------------------------------------------------------- bitwise operators


def t(values, dtype=None):
    return ember.tensor(values, dtype=dtype)


@pytest.mark.parametrize("dtype", INTEGRAL, ids=name_of)
def test_integer_operators_are_bitwise(dtype):
    a, b = t([12, 10, 0], dtype), t([10, 6, 7], dtype)
    assert (a & b).dtype == dtype
    assert (a & b).tolist() == [8, 2, 0]
    assert (a | b).tolist() == [14, 14, 7]
    assert (a ^ b).tolist() == [6, 12, 7]
    assert (a << t([1, 2, 3], dtype)).tolist() == [24, 40, 0]
    assert (a >> t([1, 2, 3], dtype)).tolist() == [6, 2, 0]
    expected_not = [255 - 12, 255 - 10, 255] if dtype == ember.uint8 else [-13, -11, -1]
    assert (~a).tolist() == expected_not
    assert ember.bitwise_not(a).tolist() == expected_not


def test_bitwise_python_scalars_reflected_and_inplace():
    x = t([12, 10])
    assert (x & 6).tolist() == [4, 2]
    assert (6 & x).tolist() == [4, 2]
    assert (1 | x).tolist() == [13, 11]
    assert (3 ^ x).tolist() == [15, 9]
    assert (x << 2).tolist() == [48, 40]
    assert (3 << t([1, 2])).tolist() == [6, 12]
    assert (100 >> t([1, 2])).tolist() == [50, 25]
    assert x.bitwise_and(True).tolist() == [0, 0]
    y = t([12, 10])
    same = y
    y &= 6
    y |= 1
    y ^= 2
    y <<= 1
    y >>= 2
    assert y is same
    assert y.tolist() == [3, 0]
    z = t([1, 2], ember.int32)
    assert z.bitwise_or_(4) is z and z.tolist() == [5, 6]
    assert z.bitwise_not_() is z and z.tolist() == [-6, -7]
    assert z.bitwise_left_shift_(1).tolist() == [-12, -14]
    assert ember.bitwise_right_shift(z, 1).tolist() == [-6, -7]
    assert (t([5], ember.int8) ^ t([3])).dtype == ember.int64  # promotes like PyTorch


def test_bitwise_on_bool_is_logical_and_promotes_with_integers():
    a, b = t([True, True, False]), t([True, False, False])
    assert (a & b).dtype == ember.bool
    assert (a & b).tolist() == [True, False, False]
    assert (a | b).tolist() == [True, True, False]
    assert (a ^ b).tolist() == [False, True, False]
    assert (~a).tolist() == [False, False, True]
    assert (t([True]) & 2).tolist() == [0]
    assert (t([True]) | t([2])).tolist() == [3]


def test_shifts_wrap_in_the_dtype_and_out_of_range_amounts_are_defined():
    assert (t([5], ember.int8) << 7).tolist() == [-128]
    assert (t([5], ember.uint8) << 9).tolist() == [0]
    # PyTorch 2: a shift by >= the width or by a negative amount gives 0 (>>: the sign fill).
    assert (t([5]) << 64).tolist() == [0]
    assert (t([5]) << -1).tolist() == [0]
    assert (t([-5]) >> 70).tolist() == [-1]
    assert (t([5]) >> 70).tolist() == [0]
    assert (t([-5]) >> -1).tolist() == [-1]
    assert (t([-5]) >> 1).tolist() == [-3]


def test_bitwise_ops_reject_floats_and_shifts_reject_bool():
    with pytest.raises(RuntimeError, match=r"\[bitwise_and\] not implemented for 'float32'"):
        t([5.0]) & 3
    with pytest.raises(RuntimeError, match=r"\[bitwise_and\] not implemented for 'float32'"):
        t([5]) & 3.0
    with pytest.raises(RuntimeError, match=r"\[bitwise_not\] not implemented for 'float64'"):
        ember.bitwise_not(t([5.0], ember.float64))
    with pytest.raises(TypeError, match=r"~ \(operator.invert\) is only implemented on integer "
                                        r"and Boolean-type tensors"):
        ~t([5.0])
    with pytest.raises(RuntimeError, match=r"\[bitwise_left_shift\] not implemented for 'bool'"):
        t([True]) << t([True])
    with pytest.raises(RuntimeError, match=r"\[bitwise_right_shift\] not implemented for "
                                           r"'float16'"):
        ember.bitwise_right_shift(t([5.0], ember.float16), 1)
    with pytest.raises(RuntimeError, match="can't be cast|not implemented"):
        t([5]).bitwise_and_(t([5.0]))


# ---------------------------------------------------------------- numel overflow of views


def test_expand_to_an_overflowing_numel_raises():
    with pytest.raises(RuntimeError, match=r"\[expand\] numel: integer multiplication overflow"):
        ember.ones(1).expand(2**32 + 1, 2**32 - 1)
    with pytest.raises(RuntimeError, match="numel: integer multiplication overflow"):
        ember.ones(1).expand(2**62, 4)
    with pytest.raises(RuntimeError, match="negative dimension -2"):
        ember.ones(1).expand(-2)
    assert ember.ones(1).expand(2**31, 2**31).shape == (2**31, 2**31)  # 2^62 fits


def test_narrow_with_a_huge_length_raises():
    x = ember.ones(3)
    for length in (2**62, 2**63 - 1, -1):
        with pytest.raises(RuntimeError, match=rf"start \(1\) \+ length \({length}\) exceeds "
                                               r"dimension size \(3\)"):
            x.narrow(0, 1, length)
    assert x.narrow(0, 1, 2).tolist() == [1.0, 1.0]


def test_as_strided_view_and_slice_overflows():
    x = ember.ones(3)
    with pytest.raises(RuntimeError, match=r"\[as_strided\] numel: integer multiplication"):
        x.as_strided((2**62, 4), (0, 0))
    with pytest.raises(RuntimeError, match="as_strided"):
        x.as_strided((2, 2), (2**62, 2**62))
    with pytest.raises(RuntimeError, match="as_strided"):
        x.as_strided((3,), (1,), 2**62)
    with pytest.raises(RuntimeError, match=r"shape '\[4611686018427387904, 4\]' is invalid for "
                                           "input of size 3"):
        x.view(2**62, 4)
    with pytest.raises(RuntimeError, match="is invalid for input of size 0"):
        ember.ones(0).reshape(2**62, 2**62, 0)
    with pytest.raises(RuntimeError, match=r"\[arange\] invalid size, possible overflow"):
        ember.arange(0, 1e300, 1e-300)
    assert x[:: 2**63 - 1].tolist() == [1.0]
    assert ember.arange(6)[1 :: 2**62].tolist() == [1]


# ---------------------------------------------------------------- negative integer powers


@pytest.mark.parametrize("dtype", INTEGRAL + [ember.bool], ids=name_of)
def test_integer_tensor_to_a_negative_python_int_raises(dtype):
    x = ember.tensor([1, 2], dtype=dtype) if dtype != ember.bool else t([True])
    for call in (lambda: x ** -1, lambda: x.pow(-2), lambda: ember.pow(x, -1)):
        with pytest.raises(RuntimeError,
                           match=r"\[pow\] Integers to negative integer powers are not allowed."):
            call()


def test_negative_powers_that_pytorch_allows():
    x = t([5, 1, -1])
    with pytest.raises(RuntimeError, match=r"\[pow\] Integers to negative"):
        x.pow_(-1)
    assert x.tolist() == [5, 1, -1]
    assert (x ** t([-1, -1, -1])).tolist() == [0, 1, -1]  # a tensor exponent is elementwise
    assert (x ** -1.0).tolist() == pytest.approx([0.2, 1.0, -1.0])
    assert ember.pow(2, t([-1])).tolist() == [0]
    assert (t([2.0]) ** -1).tolist() == [0.5]


# ---------------------------------------------------------------- scalars that do not fit


OVERFLOWS = [
    (ember.uint8, 300), (ember.uint8, -256), (ember.uint8, -1.0), (ember.uint8, 300.0),
    (ember.int8, 128), (ember.int8, -129), (ember.int32, 2**31), (ember.int32, math.inf),
    (ember.int32, -math.inf), (ember.int32, math.nan), (ember.int64, 2.0**63),
    (ember.float16, 70000.0), (ember.float16, 2**20), (ember.bfloat16, 1e300),
    (ember.float32, 1e300),
]


@pytest.mark.parametrize(("dtype", "value"), OVERFLOWS, ids=str)
def test_scalar_that_does_not_fit_the_dtype_raises(dtype, value):
    message = rf"value cannot be converted to type {name_of(dtype)} without overflow"
    x = ember.zeros(3, dtype=dtype)
    with pytest.raises(RuntimeError, match=message):
        x[0] = value
    with pytest.raises(RuntimeError, match=message):
        x[1:] = value
    with pytest.raises(RuntimeError, match=message):
        x[ember.tensor([0, 2])] = value
    with pytest.raises(RuntimeError, match=message):
        x[ember.tensor([True, False, True])] = value
    with pytest.raises(RuntimeError, match=message):
        x.fill_(value)
    with pytest.raises(RuntimeError, match=message):
        x.masked_fill_(ember.tensor([True, False, True]), value)
    with pytest.raises(RuntimeError, match=message):
        x.masked_fill(ember.tensor([True, False, True]), value)
    with pytest.raises(RuntimeError, match=message):
        ember.full((2,), value, dtype=dtype)
    assert x.tolist() == [0, 0, 0]


@pytest.mark.parametrize(("dtype", "value", "stored"), [
    (ember.uint8, -1, 255), (ember.uint8, -255, 1), (ember.uint8, 255, 255), (ember.uint8, 2.5, 2),
    (ember.int32, True, 1), (ember.bool, 5, True), (ember.bool, 0.5, True),
    (ember.int64, 2**63 - 1, 2**63 - 1), (ember.int64, -(2**63), -(2**63)),
    (ember.float32, math.inf, math.inf), (ember.float16, -math.inf, -math.inf),
    (ember.float16, 65504.0, 65504.0), (ember.int8, -128, -128),
], ids=str)
def test_scalars_pytorch_accepts(dtype, value, stored):
    x = ember.zeros(2, dtype=dtype)
    x[0] = value
    assert x.tolist()[0] == stored
    assert ember.full((1,), value, dtype=dtype).tolist() == [stored]
    assert x.fill_(value).tolist() == [stored, stored]


def test_tensor_from_python_numbers_and_clamp_bounds_must_fit():
    with pytest.raises(RuntimeError, match=r"\[tensor\] value cannot be converted to type uint8"):
        ember.tensor([1, 300], dtype=ember.uint8)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int32"):
        ember.tensor([[1.0], [math.inf]], dtype=ember.int32)
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8"):
        ember.tensor(300, dtype=ember.uint8)
    with pytest.raises(RuntimeError, match=r"\[clamp\] value cannot be converted to type uint8"):
        ember.tensor([1], dtype=ember.uint8).clamp(0, 300)
    assert ember.tensor([-1, 2.5], dtype=ember.uint8).tolist() == [255, 2]
    assert ember.tensor([1, 200], dtype=ember.uint8).clamp(max=-1).tolist() == [1, 200]
    assert ember.tensor([1, 7], dtype=ember.int8).clamp(0, 2.5).tolist() == [1.0, 2.5]


def test_where_with_a_python_number_that_does_not_fit_raises():
    c = ember.tensor([True, False])
    with pytest.raises(RuntimeError, match=r"\[where\] value cannot be converted to type uint8"):
        ember.where(c, 300, ember.zeros(2, dtype=ember.uint8))
    with pytest.raises(RuntimeError, match="value cannot be converted to type float16"):
        ember.where(c, ember.zeros(2, dtype=ember.float16), 1e6)
    assert ember.where(c, ember.zeros(2, dtype=ember.uint8), -1).tolist() == [0, 255]
    assert ember.where(c, ember.zeros(2, dtype=ember.uint8), 2.5).tolist() == [0.0, 2.5]


def test_arithmetic_with_weak_scalars_still_wraps():
    assert (ember.tensor([5], dtype=ember.uint8) + 300).tolist() == [49]
    assert (ember.tensor([5], dtype=ember.uint8) * 256).tolist() == [0]
    assert (ember.tensor([1], dtype=ember.uint8) == 300).tolist() == [False]


# ---------------------------------------------------------------- alpha


def test_add_with_alpha_keeps_float64_scalars_exact():
    x = ember.zeros(2, dtype=ember.float64)
    assert ember.add(x, 0.1, alpha=2)[0].item() == 0.1 * 2
    assert x.add(0.1, alpha=2)[0].item() == 0.1 * 2
    assert x.sub(0.1, alpha=3)[0].item() == -0.1 * 3
    assert ember.sub(x, 0.1, alpha=3)[0].item() == -0.1 * 3
    assert ember.add(x, ember.tensor(0.1, dtype=ember.float64), alpha=0.1)[0].item() == 0.1 * 0.1
    y = ember.zeros(2, dtype=ember.float64)
    y.add_(0.1, alpha=2)
    assert y[0].item() == 0.1 * 2
    y.sub_(0.1, alpha=0.7)
    assert y[0].item() == 0.1 * 2 - 0.7 * 0.1
    assert ember.add(ember.zeros(1), 0.1, alpha=3).dtype == ember.float32


def test_alpha_rules_follow_pytorch():
    i = ember.tensor([1, 2], dtype=ember.int32)
    with pytest.raises(RuntimeError, match=r"\[add\] For integral input tensors, argument alpha "
                                           "must not be a floating point number"):
        ember.add(i, i, alpha=2.5)
    with pytest.raises(RuntimeError, match=r"\[sub\] For integral input tensors"):
        i.sub(1, alpha=2.0)
    with pytest.raises(RuntimeError, match="Boolean alpha only supported for Boolean results"):
        ember.add(i, i, alpha=True)
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8 without "
                                           "overflow"):
        ember.add(ember.ones(1, dtype=ember.uint8), ember.ones(1, dtype=ember.uint8), alpha=300)
    with pytest.raises(RuntimeError, match="value cannot be converted to type float16"):
        ember.add(ember.ones(1, dtype=ember.float16), ember.ones(1, dtype=ember.float16),
                  alpha=1e6)
    b = ember.tensor([True, False])
    assert ember.add(b, b, alpha=True).tolist() == [True, False]
    assert ember.add(i, i, alpha=-3).tolist() == [-2, -4]
    assert ember.sub(i, i, alpha=3).tolist() == [-2, -4]


def test_alpha_with_a_zero_dim_integer_tensor_keeps_its_dtype():
    # PyTorch: a 0-d int8 tensor and a Python int stay int8 with alpha, as without it.
    for dtype in INTEGRAL:
        x = ember.tensor(2, dtype=dtype)
        assert ember.add(x, 2, alpha=2).dtype == dtype
        assert ember.sub(x, 2, alpha=2).dtype == dtype
        assert x.add(2, alpha=2).dtype == dtype
        assert x.sub(2, alpha=2).dtype == dtype
    assert ember.add(ember.tensor(2, dtype=ember.int8), 2, alpha=-3).item() == -4


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.bfloat16])
def test_alpha_times_other_is_fused_into_the_sum(dtype):
    # PyTorch computes x + alpha * y with one rounding (FMA in opmath): alpha * y alone
    # overflows to -inf here, the sum does not.
    big = 3.0e38 if dtype != ember.float64 else 1.5e308
    x = ember.tensor([big], dtype=dtype)
    y = ember.tensor([-big], dtype=dtype)
    for result in (ember.add(x, y, alpha=1.5), ember.sub(x, y, alpha=-1.5), x.add(y, alpha=1.5),
                   x.clone().add_(y, alpha=1.5), x.clone().sub_(y, alpha=-1.5)):
        assert result.dtype == dtype
        assert math.isfinite(result.item())
        assert result.item() == pytest.approx(-0.5 * x.item(), rel=1e-2)


def test_alpha_is_rounded_once_in_float64():
    # 3 * 0.1 rounds up to 0.30000000000000004; the fused sum keeps the exact remainder.
    from fractions import Fraction
    exact = float(Fraction(0.1) * 3 - Fraction(0.30000000000000004))
    x = ember.tensor([-0.30000000000000004], dtype=ember.float64)
    assert exact != 0.0
    assert ember.add(x, ember.tensor([0.1], dtype=ember.float64), alpha=3).item() == exact
    assert ember.sub(x, ember.tensor([0.1], dtype=ember.float64), alpha=-3).item() == exact


def test_alpha_gradients_and_no_saved_operands():
    x = ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True)
    y = ember.tensor([3.0], dtype=ember.float64, requires_grad=True)
    ember.sub(x, y, alpha=1.5).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    assert y.grad.tolist() == [-3.0]  # summed over the broadcast
    assert ember.add(x, y, alpha=2).grad_fn.name() == "AddBackward0"
    # The gradient of x + alpha * y needs neither operand (fuzz finding 4 for alpha): an
    # in-place change of y after the call is fine, as in PyTorch.
    z = y * 1
    w = ember.add(x, z, alpha=0.5)
    z.add_(1)
    w.sum().backward()
    assert y.grad.tolist() == [-3.0 + 1.0]


# ---------------------------------------------------------------- Tensor methods of index ops


def test_index_functions_have_tensor_methods():
    x = ember.tensor([[1.0, 0.0], [3.0, 4.0]])
    assert x.index_select(1, ember.tensor([1, 0])).tolist() == [[0.0, 1.0], [4.0, 3.0]]
    assert x.masked_select(x > 1).tolist() == [3.0, 4.0]
    assert x.nonzero().tolist() == [[0, 0], [1, 0], [1, 1]]
    y = ember.zeros(3)
    assert y.index_put_((ember.tensor([0, 2, 0]),), ember.tensor(1.0), accumulate=True) is y
    assert y.tolist() == [2.0, 0.0, 1.0]
    assert ember.ones(2).broadcast_to((3, 2)).shape == (3, 2)
    assert ember.tensor([-2.0, 5.0]).clip(-1, 1).tolist() == [-1.0, 1.0]
    b = ember.tensor([True, False])
    assert b.logical_not_() is b and b.tolist() == [False, True]


# ------------------------------------------- non-contiguous tensors with an empty dim


def empty_layouts():
    """Empty tensors whose strides are not contiguous ones (fuzz finding 5: a permuted one
    read and wrote out of bounds in index_select)."""
    return {
        "permuted": ember.zeros(3, 4, 0, 5, dtype=ember.float16).permute(3, 0, 2, 1),
        "stepped": ember.zeros(6, 8, 0, 10)[::2, ::2, :, ::2],
        "step_slice_permuted": ember.zeros(5, 3, 6).permute(2, 1, 0)[:, 2:2:2],
        "expanded": ember.zeros(1, 0, 3).expand(4, 0, 3).permute(2, 0, 1),
    }


@pytest.mark.parametrize("layout", list(empty_layouts()))
def test_index_ops_on_non_contiguous_empty_tensors(layout):
    x = empty_layouts()[layout]
    assert x.stride() != ember.zeros(x.shape).stride()
    for d in range(x.dim()):
        size = x.shape[d]
        index = ember.tensor([0, size - 1] if size else [], dtype=ember.int64)
        expected = list(x.shape)
        expected[d] = len(index)
        assert ember.index_select(x, d, index).shape == tuple(expected)
        assert x.index_select(d, index).shape == tuple(expected)
        key = (slice(None),) * d + (index,)
        assert x[key].shape == tuple(expected)
        target = x.contiguous() if layout == "expanded" else x
        target[key] = 1.0
        target.index_put_((None,) * d + (index,), ember.tensor(2.0), accumulate=True)
        assert target.numel() == 0
    mask = ember.ones(x.shape, dtype=ember.bool)
    assert x.masked_select(mask).shape == (0,)
    assert x[mask].shape == (0,)
    assert x.nonzero().shape == (0, x.dim())
    assert ember.masked_fill(x, mask, 2.0).shape == x.shape
