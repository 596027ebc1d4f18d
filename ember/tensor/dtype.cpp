#include "ember/tensor/dtype.h"

#include <atomic>
#include <ostream>

#include "ember/base/error.h"

namespace ember {
namespace {

std::atomic<ScalarType> global_default_dtype{ScalarType::Float32};

int category(ScalarType dtype) {
  if (dtype == ScalarType::Bool) return 0;
  return is_floating_point(dtype) ? 2 : 1;
}

}  // namespace

std::string_view dtype_name(ScalarType dtype) {
  switch (dtype) {
    case ScalarType::Bool:
      return "bool";
    case ScalarType::UInt8:
      return "uint8";
    case ScalarType::Int8:
      return "int8";
    case ScalarType::Int16:
      return "int16";
    case ScalarType::Int32:
      return "int32";
    case ScalarType::Int64:
      return "int64";
    case ScalarType::Float16:
      return "float16";
    case ScalarType::BFloat16:
      return "bfloat16";
    case ScalarType::Float32:
      return "float32";
    case ScalarType::Float64:
      return "float64";
  }
  return "unknown";
}

bool is_floating_point(ScalarType dtype) {
  return dtype == ScalarType::Float16 || dtype == ScalarType::BFloat16 ||
         dtype == ScalarType::Float32 || dtype == ScalarType::Float64;
}

bool is_integral(ScalarType dtype, bool include_bool) {
  if (dtype == ScalarType::Bool) return include_bool;
  return !is_floating_point(dtype);
}

bool is_signed(ScalarType dtype) { return dtype != ScalarType::Bool && dtype != ScalarType::UInt8; }

std::ostream& operator<<(std::ostream& stream, ScalarType dtype) {
  return stream << dtype_name(dtype);
}

ScalarType promote_types(ScalarType a, ScalarType b) {
  if (a == b) return a;
  if (a == ScalarType::Bool) return b;
  if (b == ScalarType::Bool) return a;
  const bool a_float = is_floating_point(a), b_float = is_floating_point(b);
  if (a_float != b_float) return a_float ? a : b;
  if (a_float) {
    // float16 and bfloat16 have no common 16-bit type.
    if (itemsize(a) == 2 && itemsize(b) == 2) return ScalarType::Float32;
    return itemsize(a) >= itemsize(b) ? a : b;
  }
  // Integers: uint8 with a signed type needs the next signed width that holds 0..255.
  if (a == ScalarType::UInt8 || b == ScalarType::UInt8) {
    const ScalarType other = a == ScalarType::UInt8 ? b : a;
    return other == ScalarType::Int8 ? ScalarType::Int16 : other;
  }
  return itemsize(a) >= itemsize(b) ? a : b;
}

bool can_cast(ScalarType from, ScalarType to) { return category(from) <= category(to); }

ScalarType default_dtype() { return global_default_dtype.load(std::memory_order_relaxed); }

void set_default_dtype(ScalarType dtype) {
  EMBER_CHECK_TYPE(dtype == ScalarType::Float32 || dtype == ScalarType::Float64,
                   "[set_default_dtype] only floating-point types are supported as the default "
                   "type: float32 and float64; got ",
                   dtype);
  global_default_dtype.store(dtype, std::memory_order_relaxed);
}

void ResultType::add(ScalarType dtype, bool zero_dim, bool wrapped_number) {
  if (wrapped_number) {
    wrapped_ = has_wrapped_ ? promote_types(wrapped_, dtype) : dtype;
    has_wrapped_ = true;
  } else if (zero_dim) {
    zero_dim_ = has_zero_dim_ ? promote_types(zero_dim_, dtype) : dtype;
    has_zero_dim_ = true;
  } else {
    dimensioned_ = has_dimensioned_ ? promote_types(dimensioned_, dtype) : dtype;
    has_dimensioned_ = true;
  }
}

ScalarType ResultType::result() const {
  bool has_result = has_dimensioned_;
  ScalarType result = dimensioned_;
  auto merge = [&](bool present, ScalarType candidate) {
    if (!present) return;
    if (!has_result) {
      result = candidate;
      has_result = true;
    } else if (category(candidate) > category(result)) {
      result = promote_types(result, candidate);
    }
  };
  merge(has_zero_dim_, zero_dim_);
  // A wrapped Python float counts as the default dtype, not as float64.
  merge(has_wrapped_, is_floating_point(wrapped_) ? default_dtype() : wrapped_);
  return result;
}

}  // namespace ember
