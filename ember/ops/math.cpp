// Elementwise math beyond the .def rows (ember/ops/math.h): aliases, composites, and the ops with
// an integer order, which run the kernel-only rows Polygamma and ModifiedBesselI.
#include "ember/ops/math.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/primitives.h"

namespace ember {
namespace {

// The type a transcendental composite computes in: integers in the default float type, and
// float16/bfloat16 in float32 so that the composite's steps round once, as a fused kernel would.
ScalarType opmath_type(ScalarType type) {
  if (!is_floating_point(type)) return default_dtype();
  return is_reduced_float(type) ? kFloat32 : type;
}
// The result type of such a composite: the input's floating type, or the default one.
ScalarType float_result_type(ScalarType type) {
  return is_floating_point(type) ? type : default_dtype();
}
Tensor as_dtype(const Tensor& t, ScalarType dtype) { return t.dtype() == dtype ? t : t.to(dtype); }

// Writes a composite's result into self, as the in-place form of an op: B4 for a result self
// cannot hold, and a broadcast result must keep self's shape.
Tensor& assign(std::string_view op, Tensor& self, const Tensor& result) {
  check_inplace_cast(op, result.dtype(), self.dtype());
  EMBER_CHECK(result.shape() == self.shape(), "[", op, "] output with shape ", self.shape(),
              " doesn't match the broadcast shape ", result.shape());
  return self.copy_(result);
}
// What an in-place composite reads of self: a copy when self has history, so that the values the
// composite's backward saves are not the ones the write overwrites (as clamp_).
Tensor read_for_inplace(const Tensor& self) { return self.requires_grad() ? self.clone() : self; }

void check_floating(std::string_view op, const Tensor& x) {
  EMBER_CHECK(is_floating_point(x.dtype()), "[", op, "] not implemented for '", x.dtype(),
              "': it takes floating point tensors");
}

// The largest finite value of a floating type.
double largest(ScalarType type) {
  switch (type) {
    case kFloat16:
      return 65504.0;
    case kBFloat16:
      return 3.3895313892515355e38;
    case kFloat32:
      return std::numeric_limits<float>::max();
    default:
      return std::numeric_limits<double>::max();
  }
}

Tensor all_false(const Tensor& x) {
  return zeros(x.shape(), TensorOptions(kBool).device(x.device()));
}
Tensor all_true(const Tensor& x) {
  return ones(x.shape(), TensorOptions(kBool).device(x.device()));
}

// op(x, n) for an integer order n: x in its floating type, n a 0-d operand of that type.
Tensor with_order(const BinaryPrimitive& primitive, const Tensor& x, int64_t n) {
  const ScalarType type = float_result_type(x.dtype());
  const Tensor input = as_dtype(x, type);
  Tensor result = empty(x.shape(), TensorOptions(type).device(x.device()));
  run_unless_empty(primitive, {input, scalar_tensor(n, type).to(x.device())}, {result});
  return result;
}

}  // namespace

Tensor arcsin(const Tensor& x) { return asin(x); }
Tensor& arcsin_(Tensor& x) { return asin_(x); }
Tensor arccos(const Tensor& x) { return acos(x); }
Tensor& arccos_(Tensor& x) { return acos_(x); }
Tensor arctan(const Tensor& x) { return atan(x); }
Tensor& arctan_(Tensor& x) { return atan_(x); }
Tensor arcsinh(const Tensor& x) { return asinh(x); }
Tensor& arcsinh_(Tensor& x) { return asinh_(x); }
Tensor arccosh(const Tensor& x) { return acosh(x); }
Tensor& arccosh_(Tensor& x) { return acosh_(x); }
Tensor arctanh(const Tensor& x) { return atanh(x); }
Tensor& arctanh_(Tensor& x) { return atanh_(x); }
Tensor arctan2(const Tensor& a, const Tensor& b) { return atan2(a, b); }
Tensor& arctan2_(Tensor& a, const Tensor& b) { return atan2_(a, b); }
Tensor fix(const Tensor& x) { return trunc(x); }
Tensor& fix_(Tensor& x) { return trunc_(x); }
Tensor& true_divide_(Tensor& a, const Tensor& b) { return div_(a, b); }

Tensor positive(const Tensor& x) {
  EMBER_CHECK(x.dtype() != kBool,
              "[positive] The `+` operator, on a bool tensor is not supported.");
  return x;
}

Tensor frac(const Tensor& x) {
  check_floating("frac", x);
  return x - trunc(x);
}
Tensor& frac_(Tensor& x) {
  check_floating("frac_", x);
  return assign("frac_", x, frac(read_for_inplace(x)));
}

Tensor deg2rad(const Tensor& x) {
  return as_dtype(x, float_result_type(x.dtype())) * (std::numbers::pi / 180.0);
}
Tensor& deg2rad_(Tensor& x) {
  check_inplace_cast("deg2rad_", float_result_type(x.dtype()), x.dtype());
  return x.mul_(std::numbers::pi / 180.0);
}
Tensor rad2deg(const Tensor& x) {
  return as_dtype(x, float_result_type(x.dtype())) * (180.0 / std::numbers::pi);
}
Tensor& rad2deg_(Tensor& x) {
  check_inplace_cast("rad2deg_", float_result_type(x.dtype()), x.dtype());
  return x.mul_(180.0 / std::numbers::pi);
}

Tensor logit(const Tensor& x, std::optional<double> eps) {
  Tensor z = as_dtype(x, opmath_type(x.dtype()));
  if (eps) z = clamp(z, *eps, 1.0 - *eps);
  return as_dtype(log(z / (1 - z)), float_result_type(x.dtype()));
}
Tensor& logit_(Tensor& x, std::optional<double> eps) {
  check_inplace_cast("logit_", float_result_type(x.dtype()), x.dtype());
  return assign("logit_", x, logit(read_for_inplace(x), eps));
}

Tensor nan_to_num(const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                  std::optional<double> neginf) {
  if (!is_floating_point(x.dtype())) return x.clone();
  const double high = posinf ? *posinf : largest(x.dtype());
  const double low = neginf ? *neginf : -largest(x.dtype());
  Tensor result = where(isnan(x), nan.value_or(0.0), x);
  result = where(isposinf(x), high, result);
  return where(isneginf(x), low, result);
}
Tensor& nan_to_num_(Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                    std::optional<double> neginf) {
  return assign("nan_to_num_", x, nan_to_num(read_for_inplace(x), nan, posinf, neginf));
}

Tensor isnan(const Tensor& x) { return is_floating_point(x.dtype()) ? ne(x, x) : all_false(x); }
Tensor isinf(const Tensor& x) {
  return is_floating_point(x.dtype()) ? eq(abs(x), std::numeric_limits<double>::infinity())
                                      : all_false(x);
}
Tensor isfinite(const Tensor& x) {
  return is_floating_point(x.dtype()) ? lt(abs(x), std::numeric_limits<double>::infinity())
                                      : all_true(x);
}
Tensor isposinf(const Tensor& x) {
  return is_floating_point(x.dtype()) ? eq(x, std::numeric_limits<double>::infinity())
                                      : all_false(x);
}
Tensor isneginf(const Tensor& x) {
  return is_floating_point(x.dtype()) ? eq(x, -std::numeric_limits<double>::infinity())
                                      : all_false(x);
}
Tensor isreal(const Tensor& x) { return all_true(x); }
Tensor signbit(const Tensor& x) {
  if (is_floating_point(x.dtype())) return lt(copysign(1, x.detach()), 0);
  return x.dtype() == kBool ? all_false(x) : lt(x, 0);
}

Tensor float_power(const Tensor& a, const Tensor& b) {
  return pow(as_dtype(a, kFloat64), as_dtype(b, kFloat64));
}
Tensor float_power(const Tensor& a, const Scalar& b) { return pow(as_dtype(a, kFloat64), b); }
Tensor float_power(const Scalar& a, const Tensor& b) { return pow(a, as_dtype(b, kFloat64)); }
Tensor& float_power_(Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.dtype() == kFloat64, "[float_power_] the base given to float_power_ has dtype ",
              a.dtype(), " but the operation's result requires dtype float64");
  return pow_(a, as_dtype(b, kFloat64));
}
Tensor& float_power_(Tensor& a, const Scalar& b) {
  EMBER_CHECK(a.dtype() == kFloat64, "[float_power_] the base given to float_power_ has dtype ",
              a.dtype(), " but the operation's result requires dtype float64");
  return pow_(a, b);
}

Tensor clamp_min(const Tensor& x, const Scalar& min) { return clamp(x, min, std::nullopt); }
Tensor clamp_min(const Tensor& x, const Tensor& min) { return clamp(x, min, std::nullopt); }
Tensor& clamp_min_(Tensor& x, const Scalar& min) { return clamp_(x, min, std::nullopt); }
Tensor& clamp_min_(Tensor& x, const Tensor& min) { return clamp_(x, min, std::nullopt); }
Tensor clamp_max(const Tensor& x, const Scalar& max) { return clamp(x, std::nullopt, max); }
Tensor clamp_max(const Tensor& x, const Tensor& max) { return clamp(x, std::nullopt, max); }
Tensor& clamp_max_(Tensor& x, const Scalar& max) { return clamp_(x, std::nullopt, max); }
Tensor& clamp_max_(Tensor& x, const Tensor& max) { return clamp_(x, std::nullopt, max); }

namespace {
void check_lerp(std::string_view op, const Tensor& self, const Tensor& end, const Tensor* weight) {
  check_floating(op, self);
  EMBER_CHECK(end.dtype() == self.dtype(), "[", op, "] expected dtype ", self.dtype(),
              " for `end` but got dtype ", end.dtype());
  EMBER_CHECK(!weight || weight->dtype() == self.dtype(), "[", op, "] expected dtype ",
              self.dtype(), " for `weight` but got dtype ", weight ? weight->dtype() : kBool);
}
Tensor lerp_opmath(const Tensor& self, const Tensor& end, const Tensor& weight) {
  const ScalarType compute = opmath_type(self.dtype());
  const Tensor start = as_dtype(self, compute);
  return as_dtype(start + as_dtype(weight, compute) * (as_dtype(end, compute) - start),
                  self.dtype());
}
}  // namespace

Tensor lerp(const Tensor& self, const Tensor& end, const Scalar& weight) {
  check_lerp("lerp", self, end, nullptr);
  const ScalarType compute = opmath_type(self.dtype());
  const Tensor start = as_dtype(self, compute);
  return as_dtype(start + (as_dtype(end, compute) - start) * weight, self.dtype());
}
Tensor lerp(const Tensor& self, const Tensor& end, const Tensor& weight) {
  check_lerp("lerp", self, end, &weight);
  return lerp_opmath(self, end, weight);
}
Tensor& lerp_(Tensor& self, const Tensor& end, const Scalar& weight) {
  check_lerp("lerp_", self, end, nullptr);
  return assign("lerp_", self, lerp(read_for_inplace(self), end, weight));
}
Tensor& lerp_(Tensor& self, const Tensor& end, const Tensor& weight) {
  check_lerp("lerp_", self, end, &weight);
  return assign("lerp_", self, lerp_opmath(read_for_inplace(self), end, weight));
}

namespace {
// self + value * tensor1 op tensor2, in float32 for float16/bfloat16 results so that it rounds
// once at the end, as PyTorch's fused kernel does.
Tensor add_combined(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
                    const Scalar& value, bool divide) {
  ResultType promotion;
  for (const Tensor* t : {&self, &tensor1, &tensor2}) {
    promotion.add(t->dtype(), t->dim() == 0, t->impl()->is_wrapped_number());
  }
  // Integer / integer divides in the default float type, as div does.
  ScalarType type = promotion.result();
  if (divide && !is_floating_point(type)) type = default_dtype();
  const ScalarType compute = is_reduced_float(type) ? kFloat32 : type;
  // value * tensor1 first, as PyTorch's kernel: near the overflow threshold the order decides.
  const bool unit = !value.is_bool() && value.to_double() == 1.0;
  const Tensor a = unit ? as_dtype(tensor1, compute) : as_dtype(tensor1, compute) * value;
  const Tensor b = as_dtype(tensor2, compute);
  return as_dtype(add(as_dtype(self, compute), divide ? a / b : a * b), type);
}
}  // namespace

Tensor addcmul(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
               const Scalar& value) {
  if (autocast::active()) {
    return autocast::promote_on_cuda({self, tensor1, tensor2}, [&](const auto& in) {
      return addcmul(in[0], in[1], in[2], value);
    });
  }
  return add_combined(self, tensor1, tensor2, value, /*divide=*/false);
}
Tensor& addcmul_(Tensor& self, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {
  return assign("addcmul_", self, addcmul(read_for_inplace(self), tensor1, tensor2, value));
}
Tensor addcdiv(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
               const Scalar& value) {
  if (autocast::active()) {
    return autocast::promote_on_cuda({self, tensor1, tensor2}, [&](const auto& in) {
      return addcdiv(in[0], in[1], in[2], value);
    });
  }
  EMBER_CHECK(is_floating_point(tensor1.dtype()) || is_floating_point(tensor2.dtype()),
              "[addcdiv] Integer division with addcdiv is no longer supported; got tensor1 of "
              "dtype ",
              tensor1.dtype(), " and tensor2 of dtype ", tensor2.dtype(),
              ". Hint: divide with true division first and use addcmul.");
  return add_combined(self, tensor1, tensor2, value, /*divide=*/true);
}
Tensor& addcdiv_(Tensor& self, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {
  return assign("addcdiv_", self, addcdiv(read_for_inplace(self), tensor1, tensor2, value));
}

Tensor polygamma(int64_t n, const Tensor& x) {
  EMBER_CHECK(n >= 0, "[polygamma] polygamma(n, x) does not support negative n; got n = ", n);
  return with_order(Polygamma(), x, n);
}
Tensor& polygamma_(Tensor& x, int64_t n) {
  check_inplace_cast("polygamma_", float_result_type(x.dtype()), x.dtype());
  return assign("polygamma_", x, polygamma(n, read_for_inplace(x)));
}

Tensor mvlgamma(const Tensor& x, int64_t p) {
  EMBER_CHECK(p >= 1, "[mvlgamma] p has to be greater than or equal to 1; got p = ", p);
  const ScalarType compute = opmath_type(x.dtype());
  const Tensor z = as_dtype(x, compute);
  EMBER_CHECK(z.numel() == 0 || all(gt(z.detach(), (p - 1) / 2.0)).item<bool>(),
              "[mvlgamma] All elements must be greater than (p-1)/2 = ", (p - 1) / 2.0);
  const Tensor offsets = arange(p, TensorOptions(compute).device(x.device())) * 0.5;
  const Tensor terms = lgamma(z.unsqueeze(-1) - offsets);
  const double constant = static_cast<double>(p * (p - 1)) / 4.0 * std::log(std::numbers::pi);
  return as_dtype(sum(terms, {-1}) + constant, float_result_type(x.dtype()));
}
Tensor& mvlgamma_(Tensor& x, int64_t p) {
  check_inplace_cast("mvlgamma_", float_result_type(x.dtype()), x.dtype());
  return assign("mvlgamma_", x, mvlgamma(read_for_inplace(x), p));
}

Tensor modified_bessel_i(const Tensor& x, int64_t n) {
  EMBER_CHECK(n >= 0, "[modified_bessel_i] the order must be >= 0; got ", n);
  return with_order(ModifiedBesselI(), x, n);
}
Tensor i0(const Tensor& x) { return modified_bessel_i(x, 0); }
Tensor& i0_(Tensor& x) {
  check_inplace_cast("i0_", float_result_type(x.dtype()), x.dtype());
  return assign("i0_", x, i0(read_for_inplace(x)));
}

Tensor operator%(const Tensor& a, const Tensor& b) { return remainder(a, b); }
Tensor operator%(const Tensor& a, const Scalar& b) { return remainder(a, b); }
Tensor operator%(const Scalar& a, const Tensor& b) { return remainder(a, b); }
Tensor operator&(const Scalar& a, const Tensor& b) { return bitwise_and(a, b); }
Tensor operator|(const Scalar& a, const Tensor& b) { return bitwise_or(a, b); }
Tensor operator^(const Scalar& a, const Tensor& b) { return bitwise_xor(a, b); }
Tensor operator<<(const Tensor& a, const Tensor& b) { return bitwise_left_shift(a, b); }
Tensor operator<<(const Tensor& a, const Scalar& b) { return bitwise_left_shift(a, b); }
Tensor operator>>(const Tensor& a, const Tensor& b) { return bitwise_right_shift(a, b); }
Tensor operator>>(const Tensor& a, const Scalar& b) { return bitwise_right_shift(a, b); }

// ---------------------------------------------------------------- Tensor methods

Tensor Tensor::arcsin() const { return ember::asin(*this); }
Tensor& Tensor::arcsin_() { return ember::asin_(*this); }
Tensor Tensor::arccos() const { return ember::acos(*this); }
Tensor& Tensor::arccos_() { return ember::acos_(*this); }
Tensor Tensor::arctan() const { return ember::atan(*this); }
Tensor& Tensor::arctan_() { return ember::atan_(*this); }
Tensor Tensor::arcsinh() const { return ember::asinh(*this); }
Tensor& Tensor::arcsinh_() { return ember::asinh_(*this); }
Tensor Tensor::arccosh() const { return ember::acosh(*this); }
Tensor& Tensor::arccosh_() { return ember::acosh_(*this); }
Tensor Tensor::arctanh() const { return ember::atanh(*this); }
Tensor& Tensor::arctanh_() { return ember::atanh_(*this); }
Tensor Tensor::arctan2(const Tensor& other) const { return ember::atan2(*this, other); }
Tensor& Tensor::arctan2_(const Tensor& other) { return ember::atan2_(*this, other); }
Tensor Tensor::fix() const { return ember::trunc(*this); }
Tensor& Tensor::fix_() { return ember::trunc_(*this); }
Tensor Tensor::true_divide(const Tensor& other) const { return ember::div(*this, other); }
Tensor& Tensor::true_divide_(const Tensor& other) { return ember::div_(*this, other); }
Tensor Tensor::positive() const { return ember::positive(*this); }
Tensor Tensor::frac() const { return ember::frac(*this); }
Tensor& Tensor::frac_() { return ember::frac_(*this); }
Tensor Tensor::deg2rad() const { return ember::deg2rad(*this); }
Tensor& Tensor::deg2rad_() { return ember::deg2rad_(*this); }
Tensor Tensor::rad2deg() const { return ember::rad2deg(*this); }
Tensor& Tensor::rad2deg_() { return ember::rad2deg_(*this); }
Tensor Tensor::logit(std::optional<double> eps) const { return ember::logit(*this, eps); }
Tensor& Tensor::logit_(std::optional<double> eps) { return ember::logit_(*this, eps); }
Tensor Tensor::nan_to_num(std::optional<double> nan, std::optional<double> posinf,
                          std::optional<double> neginf) const {
  return ember::nan_to_num(*this, nan, posinf, neginf);
}
Tensor& Tensor::nan_to_num_(std::optional<double> nan, std::optional<double> posinf,
                            std::optional<double> neginf) {
  return ember::nan_to_num_(*this, nan, posinf, neginf);
}
Tensor Tensor::isnan() const { return ember::isnan(*this); }
Tensor Tensor::isinf() const { return ember::isinf(*this); }
Tensor Tensor::isfinite() const { return ember::isfinite(*this); }
Tensor Tensor::isposinf() const { return ember::isposinf(*this); }
Tensor Tensor::isneginf() const { return ember::isneginf(*this); }
Tensor Tensor::isreal() const { return ember::isreal(*this); }
Tensor Tensor::signbit() const { return ember::signbit(*this); }
Tensor Tensor::float_power(const Tensor& exponent) const {
  return ember::float_power(*this, exponent);
}
Tensor Tensor::float_power(const Scalar& exponent) const {
  return ember::float_power(*this, exponent);
}
Tensor& Tensor::float_power_(const Tensor& exponent) {
  return ember::float_power_(*this, exponent);
}
Tensor& Tensor::float_power_(const Scalar& exponent) {
  return ember::float_power_(*this, exponent);
}
Tensor Tensor::clamp_min(const Tensor& min) const { return ember::clamp_min(*this, min); }
Tensor Tensor::clamp_max(const Tensor& max) const { return ember::clamp_max(*this, max); }
Tensor& Tensor::clamp_min_(const Scalar& min) { return ember::clamp_min_(*this, min); }
Tensor& Tensor::clamp_min_(const Tensor& min) { return ember::clamp_min_(*this, min); }
Tensor& Tensor::clamp_max_(const Scalar& max) { return ember::clamp_max_(*this, max); }
Tensor& Tensor::clamp_max_(const Tensor& max) { return ember::clamp_max_(*this, max); }
Tensor Tensor::lerp(const Tensor& end, const Scalar& weight) const {
  return ember::lerp(*this, end, weight);
}
Tensor Tensor::lerp(const Tensor& end, const Tensor& weight) const {
  return ember::lerp(*this, end, weight);
}
Tensor& Tensor::lerp_(const Tensor& end, const Scalar& weight) {
  return ember::lerp_(*this, end, weight);
}
Tensor& Tensor::lerp_(const Tensor& end, const Tensor& weight) {
  return ember::lerp_(*this, end, weight);
}
Tensor Tensor::addcmul(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) const {
  return ember::addcmul(*this, tensor1, tensor2, value);
}
Tensor& Tensor::addcmul_(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {
  return ember::addcmul_(*this, tensor1, tensor2, value);
}
Tensor Tensor::addcdiv(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) const {
  return ember::addcdiv(*this, tensor1, tensor2, value);
}
Tensor& Tensor::addcdiv_(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {
  return ember::addcdiv_(*this, tensor1, tensor2, value);
}
Tensor Tensor::polygamma(int64_t n) const { return ember::polygamma(n, *this); }
Tensor& Tensor::polygamma_(int64_t n) { return ember::polygamma_(*this, n); }
Tensor Tensor::mvlgamma(int64_t p) const { return ember::mvlgamma(*this, p); }
Tensor& Tensor::mvlgamma_(int64_t p) { return ember::mvlgamma_(*this, p); }
Tensor Tensor::i0() const { return ember::i0(*this); }
Tensor& Tensor::i0_() { return ember::i0_(*this); }

}  // namespace ember
