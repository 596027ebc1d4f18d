// Factories: empty/zeros/ones/full, ranges, eye, the *_like family and tensors from host data.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {

Tensor empty(IntArrayRef shape_ref, TensorOptions options) {
  Shape shape = shape_ref.to_shape();
  const int64_t numel = checked_numel(shape, "empty");
  const ScalarType dtype = options.dtype();
  int64_t nbytes = 0;
  EMBER_CHECK(!__builtin_mul_overflow(numel, static_cast<int64_t>(itemsize(dtype)), &nbytes),
              "[empty] Storage size calculation overflowed with sizes=", shape);
  auto storage = Storage::allocate(static_cast<size_t>(nbytes), options.device());
  Strides strides = contiguous_strides(shape);
  return with_requires_grad(
      Tensor(IntrusivePtr<TensorImpl>::make(std::move(storage), 0, std::move(shape),
                                            std::move(strides), dtype)),
      options, "empty");
}

Tensor with_requires_grad(Tensor result, const TensorOptions& options, std::string_view op) {
  if (options.requires_grad()) {
    EMBER_CHECK(result.is_floating_point(), "[", op,
                "] only Tensors of floating point dtype can require gradients; got ",
                result.dtype());
    result.impl()->set_requires_grad_flag(true);
  }
  return result;
}

namespace {

// The largest finite value of `dtype`, as a double (int64's rounds up to 2^63).
double max_value(ScalarType dtype) {
  switch (dtype) {
    case kBool:
      return 1;
    case kUInt8:
      return 255;
    case kInt8:
      return 127;
    case kInt16:
      return 32767;
    case kInt32:
      return 2147483647;
    case kInt64:
      return 0x1p63;
    case kFloat16:
      return 65504;
    case kBFloat16:
      return 0x1.fep127;
    case kFloat32:
      return std::numeric_limits<float>::max();
    case kFloat64:
      return std::numeric_limits<double>::max();
  }
  return 0;
}
double lowest_value(ScalarType dtype) {
  if (is_floating_point(dtype)) return -max_value(dtype);
  return is_signed(dtype) ? -max_value(dtype) - (dtype == kInt64 ? 0 : 1) : 0;
}

}  // namespace

void check_scalar_fits(const Scalar& value, ScalarType dtype, std::string_view op) {
  if (dtype == kBool) return;
  bool fits = true;
  if (value.is_floating_point()) {
    const double number = value.to_double();
    if (is_floating_point(dtype)) {
      fits =
          !std::isfinite(number) || (number >= lowest_value(dtype) && number <= max_value(dtype));
    } else {
      // NaN fails both comparisons; 2^63 rounds int64's maximum up, so its bound is exclusive.
      fits = number >= lowest_value(dtype) &&
             (dtype == kInt64 ? number < 0x1p63 : number <= max_value(dtype));
    }
  } else {
    const int64_t number = value.to_int64();
    const double wide = static_cast<double>(number);
    if (is_floating_point(dtype)) {
      fits = wide <= max_value(dtype) && wide >= lowest_value(dtype);
    } else if (!is_signed(dtype)) {
      // PyTorch lets negative integers wrap into unsigned types (-1 -> 255), down to -max.
      fits = wide <= max_value(dtype) && wide >= -max_value(dtype);
    } else {
      fits = wide <= max_value(dtype) && wide >= lowest_value(dtype);
    }
  }
  if (!fits) {
    detail::raise<RuntimeError>("[", op, "] value cannot be converted to type ", dtype,
                                " without overflow: ",
                                value.is_floating_point() ? std::to_string(value.to_double())
                                                          : std::to_string(value.to_int64()));
  }
}

Tensor full(IntArrayRef shape, const Scalar& value, TensorOptions options) {
  if (!options.has_dtype()) {
    options = options.dtype(value.is_floating_point() ? default_dtype() : value.dtype());
  }
  check_scalar_fits(value, options.dtype(), "full");
  Tensor result = empty(shape, options.requires_grad(false));
  run(Fill(value), {}, {result});
  return with_requires_grad(result, options, "full");
}

Tensor zeros(IntArrayRef shape, TensorOptions options) {
  return with_requires_grad(full(shape, 0, options.dtype(options.dtype()).requires_grad(false)),
                            options, "zeros");
}
Tensor ones(IntArrayRef shape, TensorOptions options) {
  return with_requires_grad(full(shape, 1, options.dtype(options.dtype()).requires_grad(false)),
                            options, "ones");
}

Tensor arange(const Scalar& end, std::optional<TensorOptions> options) {
  return arange(0, end, 1, options);
}

Tensor arange(const Scalar& start, const Scalar& end, TensorOptions options) {
  return arange(start, end, 1, options);
}

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step,
              std::optional<TensorOptions> options) {
  const double first = start.to_double(), last = end.to_double(), increment = step.to_double();
  EMBER_CHECK(increment != 0, "[arange] step must be nonzero");
  EMBER_CHECK(std::isfinite(first) && std::isfinite(last), "[arange] unsupported range: ", first,
              " -> ", last);
  EMBER_CHECK((increment > 0 && last >= first) || (increment < 0 && last <= first),
              "[arange] upper bound and larger bound inconsistent with step sign");
  const bool all_integral =
      !start.is_floating_point() && !end.is_floating_point() && !step.is_floating_point();
  TensorOptions chosen = options.value_or(TensorOptions());
  if (!chosen.dtype_opt()) chosen = chosen.dtype(all_integral ? kInt64 : default_dtype());
  const double span = std::ceil((last - first) / increment);
  // A count past int64 would make the cast undefined (arange(0, 1e300, 1e-300)).
  EMBER_CHECK(span < 0x1p63, "[arange] invalid size, possible overflow: ", first, " -> ", last,
              " with step ", increment);
  const int64_t length = static_cast<int64_t>(span);
  Tensor result = empty({length}, chosen.requires_grad(false));
  run(Range(first, increment), {}, {result});
  return with_requires_grad(result, chosen, "arange");
}

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, TensorOptions options) {
  EMBER_CHECK(steps >= 0, "[linspace] number of steps must be non-negative; got ", steps);
  Tensor result = empty({steps}, options.requires_grad(false));
  const double first = start.to_double();
  const double increment =
      steps > 1 ? (end.to_double() - first) / static_cast<double>(steps - 1) : 0.0;
  run(Range(first, increment), {}, {result});
  // The last element is exactly `end`, not start + (steps - 1) * step with its rounding error.
  if (steps > 1) result.select(0, steps - 1).fill_(end);
  return with_requires_grad(result, options, "linspace");
}

Tensor eye(int64_t n, TensorOptions options) { return eye(n, n, options); }

Tensor eye(int64_t n, int64_t m, TensorOptions options) {
  EMBER_CHECK(n >= 0 && m >= 0, "[eye] n and m must be non-negative; got ", n, " and ", m);
  Tensor result = zeros({n, m}, options.requires_grad(false));
  const int64_t diagonal = n < m ? n : m;
  result.as_strided({diagonal}, {m + 1}, 0).fill_(1);
  return with_requires_grad(result, options, "eye");
}

namespace {
// The options of a *_like result: what is unset comes from `like`.
TensorOptions like_options(const Tensor& like, const std::optional<TensorOptions>& options) {
  const TensorOptions chosen = options.value_or(TensorOptions());
  return chosen.dtype(chosen.dtype_opt().value_or(like.dtype()))
      .device(chosen.device_opt().value_or(like.device()));
}
}  // namespace

Tensor empty_like(const Tensor& like, std::optional<TensorOptions> options) {
  return empty(like.shape(), like_options(like, options));
}
Tensor zeros_like(const Tensor& like, std::optional<TensorOptions> options) {
  return zeros(like.shape(), like_options(like, options));
}
Tensor ones_like(const Tensor& like, std::optional<TensorOptions> options) {
  return ones(like.shape(), like_options(like, options));
}
Tensor full_like(const Tensor& like, const Scalar& value, std::optional<TensorOptions> options) {
  return full(like.shape(), value, like_options(like, options));
}

Tensor scalar_tensor(const Scalar& value, std::optional<ScalarType> dtype, bool wrapped) {
  // Every Python number in an expression becomes one of these: written directly, without a
  // kernel launch, because it is on the per-op path of `x * 2`.
  if (dtype && !wrapped) check_scalar_fits(value, *dtype, "scalar_tensor");
  Tensor result = empty({}, dtype.value_or(value.dtype()));
  visit_dtype(result.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    *result.data_ptr<T>() =
        value.is_floating_point() ? convert<T>(value.to_double()) : convert<T>(value.to_int64());
  });
  result.impl()->set_wrapped_number(wrapped);
  return result;
}

Tensor from_blob_copy(const void* data, IntArrayRef shape, ScalarType dtype) {
  Tensor result = empty(shape, dtype);
  if (result.nbytes() > 0) std::memcpy(result.data_ptr(), data, result.nbytes());
  return result;
}

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides_ref,
                 const std::function<void(void*)>& deleter, const TensorOptions& options) {
  Shape shape = sizes.to_shape();
  checked_numel(shape, "from_blob");
  Strides strides = strides_ref.empty() && !shape.empty()
                        ? contiguous_strides(shape)
                        : Strides(strides_ref.begin(), strides_ref.end());
  EMBER_CHECK(strides.size() == shape.size(), "[from_blob] mismatch in length of strides (",
              strides.size(), ") and shape (", shape.size(), ")");
  int64_t extent = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) extent = 0;
  }
  for (size_t d = 0; d < shape.size() && extent > 0; ++d) {
    EMBER_CHECK(strides[d] >= 0, "[from_blob] negative strides are not supported; got ", strides);
    extent += (shape[d] - 1) * strides[d];
  }
  const ScalarType dtype = options.dtype();
  // The deleter travels as the storage's context; the trampoline runs and frees it.
  Storage::Deleter release = nullptr;
  void* context = nullptr;
  if (deleter) {
    release = [](void* memory, size_t, void* function) {
      auto* owned = static_cast<std::function<void(void*)>*>(function);
      (*owned)(memory);
      delete owned;
    };
    context = new std::function<void(void*)>(deleter);
  }
  auto storage = Storage::wrap(data, static_cast<size_t>(extent) * itemsize(dtype),
                               options.device(), release, context);
  return with_requires_grad(
      Tensor(IntrusivePtr<TensorImpl>::make(std::move(storage), 0, std::move(shape),
                                            std::move(strides), dtype)),
      options, "from_blob");
}

namespace detail {

TensorDataContainer::TensorDataContainer() : dtype_(default_dtype()), shape_({0}) {}

TensorDataContainer::TensorDataContainer(std::initializer_list<TensorDataContainer> values)
    : dtype_(values.size() == 0 ? default_dtype() : values.begin()->dtype_), elements_(values) {
  shape_.push_back(static_cast<int64_t>(values.size()));
  if (values.size() == 0) return;
  const Shape& inner = values.begin()->shape_;
  for (const TensorDataContainer& value : values) {
    EMBER_CHECK_VALUE(!value.tensor_.defined(),
                      "[tensor] a std::vector cannot be an element of a braced list");
    EMBER_CHECK_VALUE(value.shape_ == inner, "[tensor] expected all sub-lists to have sizes ",
                      inner, "; got a sub-list with sizes ", value.shape_);
    dtype_ = promote_types(dtype_, value.dtype_);
  }
  for (int64_t size : inner) shape_.push_back(size);
}

#define EMBER_VECTOR_CONTAINER(T, dtype)                                 \
  TensorDataContainer::TensorDataContainer(const std::vector<T>& values) \
      : dtype_(dtype),                                                   \
        shape_({static_cast<int64_t>(values.size())}),                   \
        tensor_(from_blob_copy(values.data(), {static_cast<int64_t>(values.size())}, dtype)) {}
EMBER_VECTOR_CONTAINER(uint8_t, kUInt8)
EMBER_VECTOR_CONTAINER(int8_t, kInt8)
EMBER_VECTOR_CONTAINER(int16_t, kInt16)
EMBER_VECTOR_CONTAINER(int32_t, kInt32)
EMBER_VECTOR_CONTAINER(int64_t, kInt64)
EMBER_VECTOR_CONTAINER(float, kFloat32)
EMBER_VECTOR_CONTAINER(double, kFloat64)
#undef EMBER_VECTOR_CONTAINER

// std::vector<bool> is packed, so it has no data() to copy from.
TensorDataContainer::TensorDataContainer(const std::vector<bool>& values)
    : dtype_(kBool), shape_({static_cast<int64_t>(values.size())}) {
  const std::vector<uint8_t> bytes(values.begin(), values.end());
  tensor_ = from_blob_copy(bytes.data(), shape_, kBool);
}

void TensorDataContainer::flatten_into(std::vector<Scalar>& out) const {
  if (shape_.empty()) {
    out.push_back(scalar_);
    return;
  }
  for (const TensorDataContainer& element : elements_) element.flatten_into(out);
}

}  // namespace detail

Tensor tensor(const detail::TensorDataContainer& data, const TensorOptions& options) {
  const ScalarType dtype = options.dtype_opt().value_or(data.dtype());
  if (data.vector_tensor().defined()) {
    return with_requires_grad(
        data.vector_tensor().to(TensorOptions(dtype).device(options.device_opt())), options,
        "tensor");
  }
  std::vector<Scalar> values;
  values.reserve(static_cast<size_t>(numel_of(data.shape())));
  data.flatten_into(values);
  for (const Scalar& value : values) check_scalar_fits(value, dtype, "tensor");
  Tensor result = empty(data.shape(), TensorOptions(dtype));
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* out = result.data_ptr<T>();
    for (const Scalar& value : values) {
      *out++ =
          value.is_floating_point() ? convert<T>(value.to_double()) : convert<T>(value.to_int64());
    }
  });
  return with_requires_grad(result.to(options.device()), options, "tensor");
}

}  // namespace ember
