// Elementwise op functions: type rules (elementwise/type_rule.h), broadcasting, in-place checks,
// and the composites built on them (clamp, masked_fill, div rounding modes).
#include <cstring>
#include <limits>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember {
namespace {

Tensor wrap(const Scalar& value) { return scalar_tensor(value, std::nullopt, /*wrapped=*/true); }

Tensor as_dtype(const Tensor& t, ScalarType dtype) {
  return t.dtype() == dtype ? t : to(t, std::nullopt, dtype);
}

// Bitwise ops take integer and bool types (shifts: integers only), as PyTorch's do.
void check_bitwise_type(const Primitive& primitive, bool is_shift, ScalarType type) {
  EMBER_CHECK(!is_floating_point(type), "[", primitive.name(), "] not implemented for '", type,
              "': bitwise ops take integer and bool tensors");
  EMBER_CHECK(!is_shift || type != kBool, "[", primitive.name(),
              "] not implemented for 'bool': shifts take integer tensors");
}

ScalarType unary_compute_type(const UnaryPrimitive& primitive, ScalarType input) {
  switch (type_rule(primitive.op())) {
    case UnaryTypeRule::Floating:
      return is_floating_point(input) ? input : default_dtype();
    case UnaryTypeRule::Numeric:
      EMBER_CHECK(input != kBool, "[", primitive.name(), "] not supported for bool tensors; got a ",
                  input, " tensor");
      return input;
    case UnaryTypeRule::Bitwise:
      check_bitwise_type(primitive, /*is_shift=*/false, input);
      return input;
  }
  return input;
}

Tensor unary(const UnaryPrimitive& primitive, const Tensor& x) {
  const ScalarType compute = unary_compute_type(primitive, x.dtype());
  Tensor input = as_dtype(x, compute);
  Tensor result = empty(x.shape(), TensorOptions(compute).device(x.device()));
  run_unless_empty(primitive, {input}, {result});
  return result;
}

Tensor& unary_(const UnaryPrimitive& primitive, Tensor& x) {
  const ScalarType compute = unary_compute_type(primitive, x.dtype());
  check_inplace_cast(primitive.name(), compute, x.dtype());
  check_no_internal_overlap(primitive.name(), x);
  if (compute == x.dtype()) {
    if (x.numel() > 0) run(primitive, {x}, {x});
  } else {
    Tensor result = unary(primitive, x);
    if (x.numel() > 0) run(Copy(), {result}, {x});
  }
  return x;
}

struct BinaryTypes {
  ScalarType compute;
  ScalarType result;
};

// Operand dtypes PyTorch refuses although the type rule would admit them: hypot and logaddexp(2)
// have no integer kernels (two integer tensors are not computed as floats), and heaviside takes
// tensors of one dtype (a Python number is converted to it).
void check_operand_dtypes(const BinaryPrimitive& primitive, const Tensor& a, const Tensor& b,
                          ScalarType common) {
  const BinaryOp op = primitive.op();
  if (op == BinaryOp::Hypot || op == BinaryOp::Logaddexp || op == BinaryOp::Logaddexp2) {
    EMBER_CHECK(is_floating_point(common), "[", primitive.name(), "] \"", primitive.name(),
                "_cpu\" not implemented for '", common, "': it takes floating point tensors; got ",
                a.dtype(), " and ", b.dtype());
  }
  if (op == BinaryOp::Heaviside && !a.impl()->is_wrapped_number() &&
      !b.impl()->is_wrapped_number()) {
    EMBER_CHECK(a.dtype() == b.dtype(),
                "[heaviside] heaviside is not yet implemented for tensors with different dtypes; "
                "got ",
                a.dtype(), " and ", b.dtype());
  }
}

BinaryTypes binary_types(const BinaryPrimitive& primitive, const Tensor& a, const Tensor& b) {
  const ScalarType common = result_type(a, b);
  check_operand_dtypes(primitive, a, b, common);
  switch (type_rule(primitive.op())) {
    case BinaryTypeRule::Arithmetic:
      return {common, common};
    case BinaryTypeRule::ArithmeticNoBool:
      EMBER_CHECK(common != kBool, "[", primitive.name(),
                  "] not supported for two bool tensors; for bools use logical_xor / "
                  "logical_and instead");
      return {common, common};
    case BinaryTypeRule::TrueDivide: {
      const ScalarType compute = is_floating_point(common) ? common : default_dtype();
      return {compute, compute};
    }
    case BinaryTypeRule::Comparison:
    case BinaryTypeRule::Logical:
      return {common, kBool};
    case BinaryTypeRule::Bitwise:
    case BinaryTypeRule::Shift:
      check_bitwise_type(primitive, type_rule(primitive.op()) == BinaryTypeRule::Shift, common);
      return {common, common};
    case BinaryTypeRule::Integral:
      EMBER_CHECK(is_integral(common, /*include_bool=*/false), "[", primitive.name(),
                  "] not implemented for '", common, "': it takes integer tensors");
      return {common, common};
  }
  return {common, common};
}

bool any_true(const Tensor& mask) { return any(mask).item<bool>(); }

// The smallest value of a signed integer type, as a Scalar.
Scalar min_value(ScalarType type) {
  const int64_t bits = 8 * static_cast<int64_t>(itemsize(type));
  return bits == 64 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (bits - 1));
}

// Integer division traps in hardware (SIGFPE) on a zero divisor, and the quotient of a signed
// type's minimum by -1 does not fit the type: refuse both before the kernel (B13). The divisor is
// checked in the compute type, where a Python int can have wrapped to 0 (uint8 % 256). PyTorch
// raises "ZeroDivisionError" for the first; for the second it traps (int32/int64) or wraps silently
// (int8/int16), so ember raises for every type instead. remainder(min, -1) is 0, exact and
// representable, so only the quotients are refused.
void check_integer_division(const Primitive& primitive, BinaryOp op, const Tensor& dividend,
                            const Tensor& divisor) {
  const ScalarType type = divisor.dtype();
  if (is_floating_point(type) || divisor.numel() == 0) return;
  if (op != BinaryOp::FloorDivide && op != BinaryOp::Remainder && op != BinaryOp::DivTrunc &&
      op != BinaryOp::Fmod) {
    return;
  }
  EMBER_CHECK(!any_true(eq(divisor, 0)), "[", primitive.name(),
              "] ZeroDivisionError: integer division by zero (divisor of dtype ", type, ")");
  if (op == BinaryOp::Remainder || op == BinaryOp::Fmod || !is_signed(type) ||
      dividend.numel() == 0) {
    return;
  }
  const Tensor minus_one = eq(divisor, -1);
  if (!any_true(minus_one)) return;
  EMBER_CHECK(!any_true(logical_and(minus_one, eq(dividend, min_value(type)))), "[",
              primitive.name(), "] integer overflow: ", min_value(type).to_int64(),
              " divided by -1 does not fit in ", type);
}

// pow(integer tensor, negative Python int) is refused, as in PyTorch (the result would be 0
// or +-1, never what was meant); a tensor exponent is computed elementwise.
void check_integer_pow(const Primitive& primitive, BinaryOp op, ScalarType compute,
                       const Tensor& exponent) {
  if (op != BinaryOp::Pow || is_floating_point(compute)) return;
  if (!exponent.impl()->is_wrapped_number() || exponent.is_floating_point()) return;
  EMBER_CHECK(exponent.item<int64_t>() >= 0, "[", primitive.name(),
              "] Integers to negative integer powers are not allowed.");
}

Tensor binary(const BinaryPrimitive& primitive, const Tensor& a, const Tensor& b) {
  const Device device = elementwise_device(primitive.name(), {&a, &b});
  const BinaryTypes types = binary_types(primitive, a, b);
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), primitive.name());
  check_integer_pow(primitive, primitive.op(), types.compute, b);
  Tensor left = on_device(as_dtype(a, types.compute), device);
  Tensor right = on_device(as_dtype(b, types.compute), device);
  check_integer_division(primitive, primitive.op(), left, right);
  Tensor result = empty(shape, TensorOptions(types.result).device(device));
  run_unless_empty(primitive, {left, right}, {result});
  return result;
}

Tensor& binary_(const BinaryPrimitive& primitive, Tensor& a, const Tensor& b) {
  // A CPU scalar may join a's device, never the other way round.
  if (elementwise_device(primitive.name(), {&a, &b}) != a.device()) {
    check_same_device(primitive.name(), {&a, &b});
  }
  const BinaryTypes types = binary_types(primitive, a, b);
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), primitive.name());
  EMBER_CHECK(shape == a.shape(), "[", primitive.name(), "] output with shape ", a.shape(),
              " doesn't match the broadcast shape ", shape);
  check_inplace_cast(primitive.name(), types.result, a.dtype());
  check_no_internal_overlap(primitive.name(), a);
  check_no_partial_overlap(primitive.name(), a, b);
  check_integer_pow(primitive, primitive.op(), types.compute, b);
  if (a.numel() > 0) {
    if (types.compute == a.dtype() && types.result == a.dtype()) {
      const Tensor right = on_device(as_dtype(b, types.compute), a.device());
      check_integer_division(primitive, primitive.op(), a, right);
      run(primitive, {a, right}, {a});
    } else {
      Tensor result = binary(primitive, a, b);
      run(Copy(), {result}, {a});
    }
  }
  return a;
}

}  // namespace

ScalarType result_type(const Tensor& a, const Tensor& b) {
  ResultType state;
  state.add(a.dtype(), a.dim() == 0, a.impl()->is_wrapped_number());
  state.add(b.dtype(), b.dim() == 0, b.impl()->is_wrapped_number());
  return state.result();
}

#define EMBER_UNARY_OP(name, Name, rule)                    \
  Tensor name(const Tensor& x) { return unary(Name(), x); } \
  Tensor& name##_(Tensor& x) { return unary_(Name(), x); }
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP

#define EMBER_BINARY_OP(name, Name, rule)                                              \
  Tensor name(const Tensor& a, const Tensor& b) { return binary(Name(), a, b); }       \
  Tensor name(const Tensor& a, const Scalar& b) { return binary(Name(), a, wrap(b)); } \
  Tensor name(const Scalar& a, const Tensor& b) { return binary(Name(), wrap(a), b); } \
  Tensor& name##_(Tensor& a, const Tensor& b) { return binary_(Name(), a, b); }        \
  Tensor& name##_(Tensor& a, const Scalar& b) { return binary_(Name(), a, wrap(b)); }
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

namespace {
bool is_one(const Scalar& alpha) {
  if (alpha.is_bool()) return false;  // checked: only bool results take a bool alpha
  return alpha.is_floating_point() ? alpha.to_double() == 1.0 : alpha.to_int64() == 1;
}

// PyTorch's alpha rules: an integral result takes no float alpha, only a bool result takes a
// bool alpha, and alpha must fit the result type.
void check_alpha(std::string_view op, const Scalar& alpha, ScalarType type) {
  EMBER_CHECK(!alpha.is_floating_point() || is_floating_point(type), "[", op,
              "] For integral input tensors, argument alpha must not be a floating point number.");
  EMBER_CHECK(!alpha.is_bool() || type == kBool, "[", op,
              "] Boolean alpha only supported for Boolean results.");
  check_scalar_fits(alpha, type, op);
}

// a + alpha * b (a - alpha * b when `subtract`), computed in the result type of (a, b): a Python
// number b or alpha never goes through the default dtype first (add(x_f64, 0.1, alpha=2) stays
// float64). Floating results are one fused multiply-add in opmath (float32 for float16/bfloat16),
// rounded once as PyTorch's kernel does, so alpha * b neither overflows nor rounds on its own.
Tensor add_scaled(std::string_view op, const Tensor& a, const Tensor& b, const Scalar& alpha,
                  bool subtract) {
  const Device device = elementwise_device(op, {&a, &b});
  const ScalarType type = result_type(a, b);
  check_alpha(op, alpha, type);
  if (is_floating_point(type)) {
    const ScalarType compute = is_reduced_float(type) ? kFloat32 : type;
    const Tensor left = on_device(as_dtype(a, compute), device);
    const Tensor right = on_device(as_dtype(b, compute), device);
    Tensor result =
        empty(broadcast_shapes(a.shape(), b.shape(), op), TensorOptions(compute).device(device));
    const double factor = subtract ? -alpha.to_double() : alpha.to_double();
    run_unless_empty(AddScaled(subtract ? "sub" : "add", factor), {left, right}, {result});
    return as_dtype(result, type);
  }
  // Integers are exact (wrapping) either way. A wrapped b becomes an ordinary 0-d tensor: two
  // weak scalars would multiply in int64.
  const Tensor strong_b =
      b.impl()->is_wrapped_number() ? to(b, std::nullopt, type, /*copy=*/true) : b;
  const Tensor scaled = mul(as_dtype(strong_b, type), alpha);
  const Tensor left = as_dtype(a, type);
  return as_dtype(subtract ? sub(left, scaled) : add(left, scaled), type);
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return is_one(alpha) ? add(a, b) : add_scaled("add", a, b, alpha, /*subtract=*/false);
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  EMBER_CHECK(a.dtype() != kBool || b.dtype() != kBool, "[sub] not supported for two bool tensors");
  return is_one(alpha) ? sub(a, b) : add_scaled("sub", a, b, alpha, /*subtract=*/true);
}
Tensor& add_(Tensor& a, const Tensor& b, const Scalar& alpha) {
  if (is_one(alpha)) return add_(a, b);
  check_inplace_cast("add_", result_type(a, b), a.dtype());
  return copy_(a, add_scaled("add_", a, b, alpha, /*subtract=*/false));
}
Tensor& sub_(Tensor& a, const Tensor& b, const Scalar& alpha) {
  if (is_one(alpha)) return sub_(a, b);
  check_inplace_cast("sub_", result_type(a, b), a.dtype());
  return copy_(a, add_scaled("sub_", a, b, alpha, /*subtract=*/true));
}

Tensor div(const Tensor& a, const Tensor& b, std::optional<std::string_view> rounding_mode) {
  if (!rounding_mode) return div(a, b);
  if (*rounding_mode == "floor") return floor_divide(a, b);
  EMBER_CHECK_VALUE(
      *rounding_mode == "trunc",
      "[div] expected rounding_mode to be one of None, 'trunc', or 'floor' but found '",
      *rounding_mode, "'");
  return binary(DivTrunc(), a, b);
}

Tensor& div_(Tensor& a, const Tensor& b, std::optional<std::string_view> rounding_mode) {
  if (!rounding_mode) return div_(a, b);
  if (*rounding_mode == "floor") return floor_divide_(a, b);
  EMBER_CHECK_VALUE(
      *rounding_mode == "trunc",
      "[div_] expected rounding_mode to be one of None, 'trunc', or 'floor' but found '",
      *rounding_mode, "'");
  return binary_(DivTrunc(), a, b);
}

Tensor true_divide(const Tensor& a, const Tensor& b) { return div(a, b); }

namespace {

// min(max(x, lo), hi): the values come from maximum/minimum (a NaN in x or in a bound
// propagates). With autograd, x's gradient passes wherever lo <= x <= hi, bounds included, as in
// PyTorch; maximum/minimum alone would split it with the bound at a tie.
Tensor clamp_between(const Tensor& x, const std::optional<Tensor>& lo,
                     const std::optional<Tensor>& hi) {
  EMBER_CHECK(lo || hi, "[clamp] At least one of 'min' or 'max' must not be None");
  Tensor clamped = lo ? maximum(x, *lo) : x;
  if (hi) clamped = minimum(clamped, *hi);
  const bool with_history =
      x.requires_grad() || (lo && lo->requires_grad()) || (hi && hi->requires_grad());
  if (!with_history) return clamped;
  Tensor inside = lo ? ge(x, *lo) : le(x, *hi);
  if (lo && hi) inside = logical_and(inside, le(x, *hi));
  return where(inside, x, clamped);
}

// An integer bound of an integer tensor is compared in the tensor's type, where one that does
// not fit would wrap (uint8 clamp(0, 300) would clamp to 44): PyTorch refuses it.
void check_clamp_bound(const Tensor& x, const std::optional<Scalar>& bound) {
  if (bound && is_integral(x.dtype(), /*include_bool=*/false) && !bound->is_floating_point()) {
    check_scalar_fits(*bound, x.dtype(), "clamp");
  }
}
}  // namespace

Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
  EMBER_CHECK(min || max, "[clamp] At least one of 'min' or 'max' must not be None");
  check_clamp_bound(x, min);
  check_clamp_bound(x, max);
  return clamp_between(x, min ? std::optional<Tensor>(wrap(*min)) : std::nullopt,
                       max ? std::optional<Tensor>(wrap(*max)) : std::nullopt);
}

Tensor clamp(const Tensor& x, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  return clamp_between(x, min, max);
}

// The in-place forms compute out of place and copy back. When x has history, the composite
// reads a copy, so the values its backward saves are not the ones overwritten here.
Tensor& clamp_(Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
  Tensor result = clamp(x.requires_grad() ? x.clone() : x, min, max);
  check_inplace_cast("clamp_", result.dtype(), x.dtype());
  return copy_(x, result);
}

Tensor& clamp_(Tensor& x, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  Tensor result = clamp(x.requires_grad() ? x.clone() : x, min, max);
  check_inplace_cast("clamp_", result.dtype(), x.dtype());
  EMBER_CHECK(result.shape() == x.shape(), "[clamp_] output with shape ", x.shape(),
              " doesn't match the broadcast shape ", result.shape());
  return copy_(x, result);
}

Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y) {
  const Device device = elementwise_device("where", {&condition, &x, &y});
  EMBER_CHECK(condition.dtype() == kBool || condition.dtype() == kUInt8,
              "[where] where expected condition to be a boolean tensor, but got a tensor with "
              "dtype ",
              condition.dtype());
  const ScalarType common = result_type(x, y);
  // A Python number is stored in the result type, where PyTorch refuses one that does not fit.
  for (const Tensor* operand : {&x, &y}) {
    if (operand->impl()->is_wrapped_number()) check_scalar_fits(operand->item(), common, "where");
  }
  const Shape shape =
      broadcast_shapes(broadcast_shapes(condition.shape(), x.shape(), "where"), y.shape(), "where");
  Tensor result = empty(shape, TensorOptions(common).device(device));
  run_unless_empty(Where(),
                   {on_device(as_dtype(condition, kBool), device),
                    on_device(as_dtype(x, common), device), on_device(as_dtype(y, common), device)},
                   {result});
  return result;
}
Tensor where(const Tensor& condition, const Scalar& x, const Tensor& y) {
  return where(condition, wrap(x), y);
}
Tensor where(const Tensor& condition, const Tensor& x, const Scalar& y) {
  return where(condition, x, wrap(y));
}

Tensor logical_not(const Tensor& x) { return eq(x, wrap(0)); }

namespace {

// PyTorch's message for a value tensor of dim > 0 names the in-place op for both variants.
void check_masked_fill_value(const Tensor& value) {
  EMBER_CHECK(value.dim() == 0,
              "[masked_fill_] masked_fill_ only supports a 0-dimensional value tensor, but got "
              "tensor with ",
              value.dim(), " dimension(s).");
}

// The checks of masked_fill_ that do not depend on the value, all before anything is written.
void check_masked_fill_target(const Tensor& self, const Tensor& mask) {
  EMBER_CHECK(mask.dtype() == kBool, "[masked_fill_] expected a bool mask; got ", mask.dtype());
  check_same_device("masked_fill_", {&self, &mask});
  const Shape shape = broadcast_shapes(self.shape(), mask.shape(), "masked_fill_");
  EMBER_CHECK(shape == self.shape(), "[masked_fill_] mask of shape ", mask.shape(),
              " is not broadcastable to self of shape ", self.shape());
  check_no_internal_overlap("masked_fill_", self);
  check_no_partial_overlap("masked_fill_", self, mask);
}

}  // namespace

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value) {
  EMBER_CHECK(mask.dtype() == kBool, "[masked_fill] expected a bool mask; got ", mask.dtype());
  check_scalar_fits(value, self.dtype(), "masked_fill");
  Tensor result = where(mask, scalar_tensor(value, self.dtype()), self);
  EMBER_CHECK(result.shape() == self.shape(), "[masked_fill] mask of shape ", mask.shape(),
              " is not broadcastable to self of shape ", self.shape());
  return result;
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value) {
  check_masked_fill_value(value);
  EMBER_CHECK(mask.dtype() == kBool, "[masked_fill] expected a bool mask; got ", mask.dtype());
  elementwise_device("masked_fill", {&self, &mask, &value});
  Tensor result = where(mask, value.to(self.dtype()), self);
  EMBER_CHECK(result.shape() == self.shape(), "[masked_fill] mask of shape ", mask.shape(),
              " is not broadcastable to self of shape ", self.shape());
  return result;
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value) {
  check_masked_fill_target(self, mask);
  check_scalar_fits(value, self.dtype(), "masked_fill_");
  // One in-place pass: where(mask, value, self) written over self, element by element.
  if (self.numel() > 0) {
    run(Where(), {mask, full({}, value, TensorOptions(self.dtype()).device(self.device())), self},
        {self});
  }
  return self;
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value) {
  check_masked_fill_value(value);
  elementwise_device("masked_fill_", {&self, &value});
  check_masked_fill_target(self, mask);
  // A value that is an element of self would be read after the pass wrote it: copied first.
  const bool aliases = value.storage().get() == self.storage().get();
  const Tensor fill =
      on_device(aliases ? value.clone().to(self.dtype()) : value.to(self.dtype()), self.device());
  if (self.numel() > 0) run(Where(), {mask, fill, self}, {self});
  return self;
}

Tensor operator-(const Tensor& x) { return neg(x); }
Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, b); }
Tensor operator+(const Scalar& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Scalar& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Scalar& a, const Tensor& b) { return div(a, b); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator==(const Tensor& a, const Scalar& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Scalar& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Scalar& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Scalar& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Scalar& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Scalar& b) { return ge(a, b); }
Tensor operator~(const Tensor& x) { return bitwise_not(x); }
Tensor operator&(const Tensor& a, const Tensor& b) { return bitwise_and(a, b); }
Tensor operator|(const Tensor& a, const Tensor& b) { return bitwise_or(a, b); }
Tensor operator^(const Tensor& a, const Tensor& b) { return bitwise_xor(a, b); }
Tensor operator&(const Tensor& a, const Scalar& b) { return bitwise_and(a, b); }
Tensor operator|(const Tensor& a, const Scalar& b) { return bitwise_or(a, b); }
Tensor operator^(const Tensor& a, const Scalar& b) { return bitwise_xor(a, b); }

}  // namespace ember
