#include "ember/autograd/ivalue.h"

#include "ember/base/error.h"

namespace ember {
namespace {

// libtorch's "Expected Double but got Int" for an accessor of the wrong kind: a RuntimeError,
// as c10::Error is one in Python.
template <IValue::Tag tag, typename Value, typename Variant>
const Value& get(const IValue& value, const Variant& variant, const char* expected) {
  EMBER_CHECK(value.tag() == tag, "[IValue] Expected ", expected, " but got ", value.tagKind());
  return std::get<Value>(variant);
}

}  // namespace

IValue::IValue(IntArrayRef value) : value_(std::vector<int64_t>(value.begin(), value.end())) {}
IValue::IValue(const Shape& value) : value_(std::vector<int64_t>(value.begin(), value.end())) {}

IValue::IValue(const Scalar& value) {
  switch (value.kind()) {
    case Scalar::Kind::Bool:
      value_ = value.to_int64() != 0;
      break;
    case Scalar::Kind::Integer:
      value_ = value.to_int64();
      break;
    case Scalar::Kind::Floating:
      value_ = value.to_double();
      break;
  }
}

const char* IValue::tagKind() const {
  static constexpr const char* kNames[] = {"None",   "Bool",    "Int",        "Double",    "String",
                                           "Tensor", "IntList", "DoubleList", "TensorList"};
  return kNames[value_.index()];
}

bool IValue::toBool() const { return get<Tag::Bool, bool>(*this, value_, "Bool"); }
int64_t IValue::toInt() const { return get<Tag::Int, int64_t>(*this, value_, "Int"); }
double IValue::toDouble() const { return get<Tag::Double, double>(*this, value_, "Double"); }
Scalar IValue::toScalar() const {
  if (isDouble()) return std::get<double>(value_);
  if (isBool()) return std::get<bool>(value_);
  return get<Tag::Int, int64_t>(*this, value_, "Scalar");
}
const std::string& IValue::toStringRef() const {
  return get<Tag::String, std::string>(*this, value_, "String");
}
const Tensor& IValue::toTensor() const { return get<Tag::Tensor, Tensor>(*this, value_, "Tensor"); }
std::vector<int64_t> IValue::toIntVector() const {
  return get<Tag::IntList, std::vector<int64_t>>(*this, value_, "IntList");
}
std::vector<double> IValue::toDoubleVector() const {
  return get<Tag::DoubleList, std::vector<double>>(*this, value_, "DoubleList");
}
std::vector<Tensor> IValue::toTensorVector() const {
  return get<Tag::TensorList, std::vector<Tensor>>(*this, value_, "TensorList");
}

}  // namespace ember
