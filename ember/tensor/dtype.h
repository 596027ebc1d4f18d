// Element types and PyTorch's type-promotion rules, including "weak" Python scalars
// (Note [type promotion] in docs/architecture.md).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string_view>
#include <type_traits>

namespace ember {

enum class ScalarType : uint8_t {
  Bool,
  UInt8,
  Int8,
  Int16,
  Int32,
  Int64,
  Float16,
  BFloat16,
  Float32,
  Float64,
};
inline constexpr int kNumScalarTypes = 10;

// libtorch-style short names: ember::kFloat32, ember::kInt64, ...
inline constexpr ScalarType kBool = ScalarType::Bool;
inline constexpr ScalarType kUInt8 = ScalarType::UInt8;
inline constexpr ScalarType kInt8 = ScalarType::Int8;
inline constexpr ScalarType kInt16 = ScalarType::Int16;
inline constexpr ScalarType kInt32 = ScalarType::Int32;
inline constexpr ScalarType kInt64 = ScalarType::Int64;
inline constexpr ScalarType kFloat16 = ScalarType::Float16;
inline constexpr ScalarType kBFloat16 = ScalarType::BFloat16;
inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kFloat = kFloat32;
inline constexpr ScalarType kDouble = kFloat64;
inline constexpr ScalarType kHalf = kFloat16;
inline constexpr ScalarType kLong = kInt64;
inline constexpr ScalarType kInt = kInt32;
inline constexpr ScalarType kShort = kInt16;
inline constexpr ScalarType kChar = kInt8;
inline constexpr ScalarType kByte = kUInt8;
// libtorch's Rust-style short names (torch/types.h).
inline constexpr ScalarType kU8 = kUInt8;
inline constexpr ScalarType kI8 = kInt8;
inline constexpr ScalarType kI16 = kInt16;
inline constexpr ScalarType kI32 = kInt32;
inline constexpr ScalarType kI64 = kInt64;
inline constexpr ScalarType kF16 = kFloat16;
inline constexpr ScalarType kF32 = kFloat32;
inline constexpr ScalarType kF64 = kFloat64;

struct Half;  // base/half.h
struct BFloat16;

// The ScalarType whose storage type is T (libtorch's CppTypeToScalarType); any other T does not
// compile.
template <typename T>
constexpr ScalarType scalar_type_of() {
  if constexpr (std::is_same_v<T, bool>)
    return ScalarType::Bool;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return ScalarType::UInt8;
  else if constexpr (std::is_same_v<T, int8_t>)
    return ScalarType::Int8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return ScalarType::Int16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return ScalarType::Int32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return ScalarType::Int64;
  else if constexpr (std::is_same_v<T, Half>)
    return ScalarType::Float16;
  else if constexpr (std::is_same_v<T, BFloat16>)
    return ScalarType::BFloat16;
  else if constexpr (std::is_same_v<T, float>)
    return ScalarType::Float32;
  else {
    static_assert(std::is_same_v<T, double>, "no ScalarType stores this C++ type");
    return ScalarType::Float64;
  }
}

// Inline: every op asks, several times.
constexpr size_t itemsize(ScalarType dtype) {
  switch (dtype) {
    case ScalarType::Bool:
    case ScalarType::UInt8:
    case ScalarType::Int8:
      return 1;
    case ScalarType::Int16:
    case ScalarType::Float16:
    case ScalarType::BFloat16:
      return 2;
    case ScalarType::Int32:
    case ScalarType::Float32:
      return 4;
    case ScalarType::Int64:
    case ScalarType::Float64:
      return 8;
  }
  return 0;
}
// PyTorch's name without the "torch." prefix: "float32", "int64", "bool", ...
std::string_view dtype_name(ScalarType dtype);
bool is_floating_point(ScalarType dtype);
// float16 and bfloat16: stored in 16 bits, computed in float32 (Note [reduced precision]).
constexpr bool is_reduced_float(ScalarType dtype) {
  return dtype == ScalarType::Float16 || dtype == ScalarType::BFloat16;
}
bool is_integral(ScalarType dtype, bool include_bool);
bool is_signed(ScalarType dtype);
std::ostream& operator<<(std::ostream& stream, ScalarType dtype);

// The smallest type both a and b convert to without loss of category (torch.promote_types).
ScalarType promote_types(ScalarType a, ScalarType b);
// Whether a result of type `from` may be written into a tensor of type `to` (torch.can_cast):
// never to a lower category (float -> int, int -> bool).
bool can_cast(ScalarType from, ScalarType to);

ScalarType default_dtype();
void set_default_dtype(ScalarType dtype);

// Accumulates operands into torch.result_type. Dimensioned tensors decide unless a zero-dim
// tensor or a wrapped Python number belongs to a higher category (bool < integer < float).
class ResultType {
 public:
  void add(ScalarType dtype, bool zero_dim, bool wrapped_number);
  ScalarType result() const;

 private:
  bool has_dimensioned_ = false, has_zero_dim_ = false, has_wrapped_ = false;
  ScalarType dimensioned_ = ScalarType::Bool, zero_dim_ = ScalarType::Bool,
             wrapped_ = ScalarType::Bool;
};

}  // namespace ember
