// A Python-number-like value: bool, integer or floating point. Ops take it where PyTorch takes a
// Scalar (fill values, clamp bounds, alpha), and binary ops wrap it as a weak 0-d tensor.
#pragma once

#include <cstdint>
#include <type_traits>

#include "ember/tensor/dtype.h"

namespace ember {

class Scalar {
 public:
  enum class Kind : uint8_t { Bool, Integer, Floating };

  Scalar() : Scalar(int64_t{0}) {}
  Scalar(bool value) : kind_(Kind::Bool), integer_(value) {}          // NOLINT: implicit by design
  Scalar(int value) : kind_(Kind::Integer), integer_(value) {}        // NOLINT
  Scalar(long value) : kind_(Kind::Integer), integer_(value) {}       // NOLINT
  Scalar(long long value) : kind_(Kind::Integer), integer_(value) {}  // NOLINT
  Scalar(unsigned value) : kind_(Kind::Integer), integer_(value) {}   // NOLINT
  Scalar(unsigned long value)                                         // NOLINT
      : kind_(Kind::Integer), integer_(static_cast<int64_t>(value)) {}
  Scalar(unsigned long long value)  // NOLINT
      : kind_(Kind::Integer), integer_(static_cast<int64_t>(value)) {}
  Scalar(double value) : kind_(Kind::Floating), floating_(value) {}  // NOLINT
  Scalar(float value) : kind_(Kind::Floating), floating_(value) {}   // NOLINT

  Kind kind() const { return kind_; }
  bool is_floating_point() const { return kind_ == Kind::Floating; }
  bool is_integral() const { return kind_ == Kind::Integer; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  double to_double() const {
    return kind_ == Kind::Floating ? floating_ : static_cast<double>(integer_);
  }
  int64_t to_int64() const {
    return kind_ == Kind::Floating ? static_cast<int64_t>(floating_) : integer_;
  }
  // libtorch's spellings of the conversions.
  double toDouble() const { return to_double(); }
  float toFloat() const { return static_cast<float>(to_double()); }
  int64_t toLong() const { return to_int64(); }
  int32_t toInt() const { return static_cast<int32_t>(to_int64()); }
  int16_t toShort() const { return static_cast<int16_t>(to_int64()); }
  int8_t toChar() const { return static_cast<int8_t>(to_int64()); }
  uint8_t toByte() const { return static_cast<uint8_t>(to_int64()); }
  bool toBool() const { return kind_ == Kind::Floating ? floating_ != 0 : integer_ != 0; }
  template <typename T>
  T to() const {
    if constexpr (std::is_same_v<T, bool>)
      return toBool();
    else if constexpr (std::is_floating_point_v<T>)
      return static_cast<T>(to_double());
    else
      return static_cast<T>(to_int64());
  }
  bool isFloatingPoint() const { return is_floating_point(); }
  bool isIntegral(bool include_bool) const { return is_integral() || (include_bool && is_bool()); }
  bool isBoolean() const { return is_bool(); }

  // The dtype a Python number of this kind has as a wrapped tensor: bool, int64 or float64.
  ScalarType dtype() const {
    switch (kind_) {
      case Kind::Bool:
        return ScalarType::Bool;
      case Kind::Integer:
        return ScalarType::Int64;
      case Kind::Floating:
        return ScalarType::Float64;
    }
    return ScalarType::Float64;
  }

 private:
  Kind kind_;
  union {
    int64_t integer_;
    double floating_;
  };
};

}  // namespace ember
