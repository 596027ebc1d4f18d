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
  const ScalarType dtype = options.dtype_or_default();
  int64_t nbytes = 0;
  EMBER_CHECK(!__builtin_mul_overflow(numel, static_cast<int64_t>(itemsize(dtype)), &nbytes),
              "[empty] Storage size calculation overflowed with sizes=", shape);
  auto storage = Storage::allocate(static_cast<size_t>(nbytes), options.device());
  Strides strides = contiguous_strides(shape);
  return Tensor(IntrusivePtr<TensorImpl>::make(std::move(storage), 0, std::move(shape),
                                               std::move(strides), dtype));
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
  check_scalar_fits(value, options.dtype_or_default(), "full");
  Tensor result = empty(shape, options);
  run(Fill(value), {}, {result});
  return result;
}

Tensor zeros(IntArrayRef shape, TensorOptions options) { return full(shape, 0, options); }
Tensor ones(IntArrayRef shape, TensorOptions options) { return full(shape, 1, options); }

Tensor arange(const Scalar& end, std::optional<TensorOptions> options) {
  return arange(0, end, 1, options);
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
  Tensor result = empty({length}, chosen);
  run(Range(first, increment), {}, {result});
  return result;
}

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, TensorOptions options) {
  EMBER_CHECK(steps >= 0, "[linspace] number of steps must be non-negative; got ", steps);
  Tensor result = empty({steps}, options);
  const double first = start.to_double();
  const double increment =
      steps > 1 ? (end.to_double() - first) / static_cast<double>(steps - 1) : 0.0;
  run(Range(first, increment), {}, {result});
  // The last element is exactly `end`, not start + (steps - 1) * step with its rounding error.
  if (steps > 1) result.select(0, steps - 1).fill_(end);
  return result;
}

Tensor eye(int64_t n, std::optional<int64_t> m, TensorOptions options) {
  const int64_t columns = m.value_or(n);
  EMBER_CHECK(n >= 0 && columns >= 0, "[eye] n and m must be non-negative; got ", n, " and ",
              columns);
  Tensor result = zeros({n, columns}, options);
  const int64_t diagonal = n < columns ? n : columns;
  result.as_strided({diagonal}, {columns + 1}, 0).fill_(1);
  return result;
}

Tensor empty_like(const Tensor& like, std::optional<TensorOptions> options) {
  TensorOptions chosen = options.value_or(TensorOptions(like.device()));
  if (!chosen.dtype_opt()) chosen = chosen.dtype(like.dtype());
  return empty(like.shape(), chosen);
}
Tensor zeros_like(const Tensor& like, std::optional<TensorOptions> options) {
  return empty_like(like, options).fill_(0);
}
Tensor ones_like(const Tensor& like, std::optional<TensorOptions> options) {
  return empty_like(like, options).fill_(1);
}
Tensor full_like(const Tensor& like, const Scalar& value, std::optional<TensorOptions> options) {
  return empty_like(like, options).fill_(value);
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

Tensor from_blob(void* data, IntArrayRef shape_ref, IntArrayRef strides_ref, ScalarType dtype,
                 Storage::Deleter deleter, void* context, size_t storage_nbytes) {
  Shape shape = shape_ref.to_shape();
  checked_numel(shape, "from_blob");
  Strides strides = strides_ref.empty() ? contiguous_strides(shape)
                                        : Strides(strides_ref.begin(), strides_ref.end());
  EMBER_CHECK(strides.size() == shape.size(),
              "[from_blob] mismatch in length of strides and shape");
  if (storage_nbytes == 0) {
    int64_t extent = 1;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] == 0) extent = 0;
    }
    for (size_t d = 0; d < shape.size() && extent > 0; ++d) extent += (shape[d] - 1) * strides[d];
    storage_nbytes = static_cast<size_t>(extent) * itemsize(dtype);
  }
  auto storage = Storage::wrap(data, storage_nbytes, Device(kCPU), deleter, context);
  return Tensor(IntrusivePtr<TensorImpl>::make(std::move(storage), 0, std::move(shape),
                                               std::move(strides), dtype));
}

Tensor tensor(std::initializer_list<double> values, TensorOptions options) {
  Tensor staged = from_blob_copy(values.begin(), {static_cast<int64_t>(values.size())}, kFloat64);
  return staged.to(options.dtype_or_default());
}

Tensor tensor(std::initializer_list<std::initializer_list<double>> rows, TensorOptions options) {
  const int64_t columns = rows.size() == 0 ? 0 : static_cast<int64_t>(rows.begin()->size());
  std::vector<double> flat;
  flat.reserve(rows.size() * static_cast<size_t>(columns));
  for (const auto& row : rows) {
    EMBER_CHECK_VALUE(static_cast<int64_t>(row.size()) == columns,
                      "[tensor] expected every row to have ", columns, " elements; got ",
                      row.size());
    flat.insert(flat.end(), row.begin(), row.end());
  }
  Tensor staged =
      from_blob_copy(flat.data(), {static_cast<int64_t>(rows.size()), columns}, kFloat64);
  return staged.to(options.dtype_or_default());
}

}  // namespace ember
