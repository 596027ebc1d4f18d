// A Python-number-like value: bool, integer or floating point. Ops take it where PyTorch takes a
// Scalar (fill values, clamp bounds, alpha), and binary ops wrap it as a weak 0-d tensor.
#pragma once

#include <cstdint>

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
  Scalar(double value) : kind_(Kind::Floating), floating_(value) {}   // NOLINT
  Scalar(float value) : kind_(Kind::Floating), floating_(value) {}    // NOLINT

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
