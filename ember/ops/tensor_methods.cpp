// Tensor methods of the view, copy and elementwise families, forwarding to the free functions
// (reductions, linear algebra and random keep their methods beside their functions).
#include "ember/base/error.h"
#include "ember/ops/device_copy.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {

Scalar Tensor::item() const {
  EMBER_CHECK(numel() == 1, "[item] a Tensor with ", numel(),
              " elements cannot be converted to Scalar");
  // A device tensor's value comes over in one synchronising copy, as libtorch's item() does.
  if (device().is_cuda()) return cpu().item();
  return visit_dtype(dtype(), [&](auto tag) -> Scalar {
    using T = typename decltype(tag)::type;
    const T value = *data_ptr<T>();
    if constexpr (std::is_same_v<T, bool>)
      return Scalar(value);
    else if constexpr (std::is_integral_v<T>)
      return Scalar(static_cast<int64_t>(value));
    else
      return Scalar(static_cast<double>(static_cast<opmath_t<T>>(value)));
  });
}

template <typename T>
T Tensor::item() const {
  const Scalar value = item();
  check_scalar_fits(value, scalar_type_of<T>(), "item");
  if constexpr (std::is_same_v<T, bool>)
    return value.toBool();
  else if constexpr (std::is_integral_v<T>)
    return static_cast<T>(value.to_int64());
  else
    return static_cast<T>(static_cast<opmath_t<T>>(value.to_double()));
}
template bool Tensor::item<bool>() const;
template uint8_t Tensor::item<uint8_t>() const;
template int8_t Tensor::item<int8_t>() const;
template int16_t Tensor::item<int16_t>() const;
template int32_t Tensor::item<int32_t>() const;
template int64_t Tensor::item<int64_t>() const;
template Half Tensor::item<Half>() const;
template BFloat16 Tensor::item<BFloat16>() const;
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;

std::string Tensor::str() const { return to_string(*this); }
std::ostream& operator<<(std::ostream& stream, const Tensor& tensor) {
  return stream << to_string(tensor);
}

Tensor Tensor::view(IntArrayRef shape) const { return ember::view(*this, shape); }
Tensor Tensor::reshape(IntArrayRef shape) const { return ember::reshape(*this, shape); }
Tensor Tensor::permute(IntArrayRef dims) const { return ember::permute(*this, dims); }
Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const {
  return ember::transpose(*this, dim0, dim1);
}
Tensor Tensor::t() const { return ember::t(*this); }
Tensor Tensor::expand(IntArrayRef shape) const { return ember::expand(*this, shape); }
Tensor Tensor::expand_as(const Tensor& other) const { return ember::expand(*this, other.shape()); }
Tensor Tensor::squeeze() const { return ember::squeeze(*this); }
Tensor Tensor::squeeze(int64_t d) const { return ember::squeeze(*this, d); }
Tensor Tensor::unsqueeze(int64_t d) const { return ember::unsqueeze(*this, d); }
Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  return ember::narrow(*this, d, start, length);
}
Tensor Tensor::select(int64_t d, int64_t index) const { return ember::select(*this, d, index); }
Tensor Tensor::slice(int64_t d, std::optional<int64_t> start, std::optional<int64_t> end,
                     int64_t step) const {
  return ember::slice(*this, d, start, end, step);
}
Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  return ember::flatten(*this, start_dim, end_dim);
}
Tensor Tensor::unflatten(int64_t d, IntArrayRef sizes) const {
  return ember::unflatten(*this, d, sizes);
}
Tensor Tensor::as_strided(IntArrayRef size, IntArrayRef stride,
                          std::optional<int64_t> storage_offset) const {
  return ember::as_strided(*this, size, stride, storage_offset);
}

Tensor Tensor::contiguous() const { return ember::contiguous(*this); }
Tensor Tensor::clone() const { return ember::clone(*this); }
Tensor& Tensor::copy_(const Tensor& src) { return ember::copy_(*this, src); }
Tensor Tensor::to(ScalarType dtype, bool non_blocking, bool copy) const {
  return ember::to(*this, std::nullopt, dtype, non_blocking, copy);
}
Tensor Tensor::to(const TensorOptions& options, bool non_blocking, bool copy) const {
  EMBER_CHECK(!options.requires_grad(),
              "[to] Operators taking TensorOptions cannot take a TensorOptions with "
              "options.requires_grad set as true. This isn't implemented yet.");
  return ember::to(*this, options.device_opt(), options.dtype_opt(), non_blocking, copy);
}
Tensor Tensor::to(Device device, ScalarType dtype, bool non_blocking, bool copy) const {
  return ember::to(*this, device, dtype, non_blocking, copy);
}
Tensor Tensor::to(const Tensor& other, bool non_blocking, bool copy) const {
  return ember::to(*this, other.device(), other.dtype(), non_blocking, copy);
}
Tensor Tensor::cpu() const { return to(Device(kCPU)); }
Tensor Tensor::cuda() const { return to(Device(kCUDA)); }

Tensor& Tensor::fill_(const Scalar& value) {
  check_no_internal_overlap("fill_", *this);
  check_scalar_fits(value, dtype(), "fill_");
  if (numel() > 0) run(Fill(value), {}, {*this});
  return *this;
}
Tensor& Tensor::zero_() { return fill_(0); }

#define EMBER_UNARY_OP(name, Name, rule)                     \
  Tensor Tensor::name() const { return ember::name(*this); } \
  Tensor& Tensor::name##_() { return ember::name##_(*this); }
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                               \
  Tensor Tensor::name(const Tensor& other) const { return ember::name(*this, other); }  \
  Tensor Tensor::name(const Scalar& other) const { return ember::name(*this, other); }  \
  Tensor& Tensor::name##_(const Tensor& other) { return ember::name##_(*this, other); } \
  Tensor& Tensor::name##_(const Scalar& other) { return ember::name##_(*this, other); }
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

Tensor Tensor::add(const Tensor& other, const Scalar& alpha) const {
  return ember::add(*this, other, alpha);
}
Tensor Tensor::add(const Scalar& other, const Scalar& alpha) const {
  return ember::add(*this, scalar_tensor(other, std::nullopt, true), alpha);
}
Tensor Tensor::sub(const Tensor& other, const Scalar& alpha) const {
  return ember::sub(*this, other, alpha);
}
Tensor Tensor::sub(const Scalar& other, const Scalar& alpha) const {
  return ember::sub(*this, scalar_tensor(other, std::nullopt, true), alpha);
}
Tensor& Tensor::add_(const Tensor& other, const Scalar& alpha) {
  return ember::add_(*this, other, alpha);
}
Tensor& Tensor::sub_(const Tensor& other, const Scalar& alpha) {
  return ember::sub_(*this, other, alpha);
}
Tensor Tensor::div(const Tensor& other, std::optional<std::string_view> rounding_mode) const {
  return ember::div(*this, other, rounding_mode);
}
Tensor Tensor::div(const Scalar& other, std::optional<std::string_view> rounding_mode) const {
  return ember::div(*this, scalar_tensor(other, std::nullopt, true), rounding_mode);
}
Tensor& Tensor::div_(const Tensor& other, std::optional<std::string_view> rounding_mode) {
  return ember::div_(*this, other, rounding_mode);
}
Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max) const {
  return ember::clamp(*this, min, max);
}
Tensor Tensor::clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const {
  return ember::clamp(*this, min, max);
}
Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) {
  return ember::clamp_(*this, min, max);
}
Tensor Tensor::where(const Tensor& condition, const Tensor& other) const {
  return ember::where(condition, *this, other);
}
Tensor Tensor::logical_not() const { return ember::logical_not(*this); }
Tensor& Tensor::logical_not_() { return ember::copy_(*this, ember::logical_not(*this)); }
Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const {
  return ember::masked_fill(*this, mask, value);
}
Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& value) {
  return ember::masked_fill_(*this, mask, value);
}

}  // namespace ember
