// A value of one of a few kinds, as c10::IValue: what a custom Function's ctx->saved_data holds
// besides tensors (sizes, flags, scales, names). Built implicitly from each kind
// (`ctx->saved_data["scale"] = 0.5;`, `= x.sizes();`, `= "name";`) and read back with libtorch's
// accessors (toDouble(), toIntVector(), ...), which throw RuntimeError naming both kinds when the
// value holds another kind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "ember/tensor/scalar.h"
#include "ember/tensor/shape.h"
#include "ember/tensor/tensor.h"

namespace ember {

class IValue {
 public:
  enum class Tag { None, Bool, Int, Double, String, Tensor, IntList, DoubleList, TensorList };

  IValue() = default;
  IValue(std::nullopt_t) {}              // NOLINT: implicit, as libtorch's
  IValue(bool value) : value_(value) {}  // NOLINT
  // Every integer type but bool is an Int (int64), so that `= 3` and `= size_t(3)` both work.
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  IValue(T value) : value_(static_cast<int64_t>(value)) {}          // NOLINT
  IValue(double value) : value_(value) {}                           // NOLINT
  IValue(std::string value) : value_(std::move(value)) {}           // NOLINT
  IValue(const char* value) : value_(std::string(value)) {}         // NOLINT: not a bool
  IValue(std::string_view value) : value_(std::string(value)) {}    // NOLINT
  IValue(Tensor value) : value_(std::move(value)) {}                // NOLINT
  IValue(std::vector<int64_t> value) : value_(std::move(value)) {}  // NOLINT
  IValue(IntArrayRef value);                                        // NOLINT
  IValue(const Shape& value);                                       // NOLINT: t.sizes()
  IValue(std::vector<double> value) : value_(std::move(value)) {}   // NOLINT
  IValue(std::vector<Tensor> value) : value_(std::move(value)) {}   // NOLINT
  IValue(const Scalar& value);  // NOLINT: an Int, Double or Bool, by the Scalar's kind
  // A dtype is an Int, as in libtorch (`ctx->saved_data["dtype"] = x.scalar_type();`).
  IValue(ScalarType value) : value_(static_cast<int64_t>(value)) {}  // NOLINT
  template <typename T>
  IValue(const std::optional<T>& value) : IValue(value ? IValue(*value) : IValue()) {}  // NOLINT

  Tag tag() const { return static_cast<Tag>(value_.index()); }
  // The kind's name in libtorch's spelling: "None", "Int", "Double", "IntList", ...
  const char* tagKind() const;

  bool isNone() const { return tag() == Tag::None; }
  bool isBool() const { return tag() == Tag::Bool; }
  bool isInt() const { return tag() == Tag::Int; }
  bool isDouble() const { return tag() == Tag::Double; }
  bool isString() const { return tag() == Tag::String; }
  bool isTensor() const { return tag() == Tag::Tensor; }
  bool isIntList() const { return tag() == Tag::IntList; }
  bool isDoubleList() const { return tag() == Tag::DoubleList; }
  bool isTensorList() const { return tag() == Tag::TensorList; }
  bool isScalar() const { return isInt() || isDouble() || isBool(); }

  bool toBool() const;
  int64_t toInt() const;
  double toDouble() const;
  Scalar toScalar() const;
  ScalarType toScalarType() const { return static_cast<ScalarType>(toInt()); }
  const std::string& toStringRef() const;
  std::string_view toStringView() const { return toStringRef(); }
  const Tensor& toTensor() const;
  std::vector<int64_t> toIntVector() const;
  std::vector<double> toDoubleVector() const;
  std::vector<Tensor> toTensorVector() const;

 private:
  // Alternatives in Tag's order.
  std::variant<std::monostate, bool, int64_t, double, std::string, Tensor, std::vector<int64_t>,
               std::vector<double>, std::vector<Tensor>>
      value_;
};

}  // namespace ember
