// numpy 2's scalar arithmetic (NEP 50) for the built-in environments whose Gymnasium code mixes
// float32 and float64 values: a float32 with a Python float computes in float32 (the Python
// float rounded to float32 first), float32 with float64 in float64, Python floats in double.
// Reproducing these roundings is what makes the observations equal Gymnasium's bit for bit.
#pragma once

#include <cmath>

namespace ember::env {

// x ** y as Python and numpy compute it: the C library's pow, which the compiler must not fold
// into x * x (pow(x, 2) and x * x round differently when x * x lies halfway between floats).
inline double library_pow(double x, double y) {
  volatile double exponent = y;
  return std::pow(x, static_cast<double>(exponent));
}
inline float library_pow(float x, float y) {
  volatile float exponent = y;
  return std::pow(x, static_cast<float>(exponent));
}

class NpScalar {
 public:
  enum class Kind { Python, Float32, Float64 };

  static NpScalar python(double value) { return {value, Kind::Python}; }
  static NpScalar float32(double value) { return {static_cast<float>(value), Kind::Float32}; }
  static NpScalar float64(double value) { return {value, Kind::Float64}; }

  double value() const { return value_; }
  Kind kind() const { return kind_; }

  friend NpScalar operator+(NpScalar a, NpScalar b) {
    return apply(a, b, [](auto x, auto y) { return x + y; });
  }
  friend NpScalar operator-(NpScalar a, NpScalar b) {
    return apply(a, b, [](auto x, auto y) { return x - y; });
  }
  friend NpScalar operator*(NpScalar a, NpScalar b) {
    return apply(a, b, [](auto x, auto y) { return x * y; });
  }
  friend NpScalar operator/(NpScalar a, NpScalar b) {
    return apply(a, b, [](auto x, auto y) { return x / y; });
  }
  // x ** y (numpy's scalar power: powf for float32).
  friend NpScalar pow(NpScalar x, double y) {
    if (x.kind_ == Kind::Float32) {
      return {library_pow(static_cast<float>(x.value_), static_cast<float>(y)), x.kind_};
    }
    return {library_pow(x.value_, y), x.kind_};
  }
  friend bool operator<(NpScalar a, NpScalar b) { return compare(a, b) < 0; }
  friend bool operator>(NpScalar a, NpScalar b) { return compare(a, b) > 0; }
  friend bool operator>=(NpScalar a, NpScalar b) { return compare(a, b) >= 0; }
  friend bool operator==(NpScalar a, NpScalar b) { return compare(a, b) == 0; }

 private:
  NpScalar(double value, Kind kind) : value_(value), kind_(kind) {}

  // The kind numpy computes a and b in: the strong one over a Python float, else the wider.
  static Kind common(NpScalar a, NpScalar b) {
    if (a.kind_ == Kind::Python) return b.kind_;
    if (b.kind_ == Kind::Python) return a.kind_;
    return a.kind_ == Kind::Float64 || b.kind_ == Kind::Float64 ? Kind::Float64 : Kind::Float32;
  }

  template <typename Op>
  static NpScalar apply(NpScalar a, NpScalar b, Op op) {
    Kind kind = common(a, b);
    if (kind == Kind::Float32) {
      return {op(static_cast<float>(a.value_), static_cast<float>(b.value_)), kind};
    }
    return {op(a.value_, b.value_), kind};
  }

  // -1, 0 or 1 (comparisons with NaN do not occur in the environments).
  static int compare(NpScalar a, NpScalar b) {
    if (common(a, b) == Kind::Float32) {
      float x = static_cast<float>(a.value_), y = static_cast<float>(b.value_);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    return a.value_ < b.value_ ? -1 : (a.value_ > b.value_ ? 1 : 0);
  }

  double value_;
  Kind kind_;
};

}  // namespace ember::env
