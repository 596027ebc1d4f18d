#include "ember/checkpoint/value.h"

#include "ember/base/error.h"

namespace ember::serialize {
namespace {

[[noreturn]] void wrong_kind(const char* expected, Value::Kind found) {
  detail::raise<TypeError>("[ember::serialize::Value] expected a ", expected, "; got a ",
                           kind_name(found));
}

}  // namespace

Value Value::list(std::vector<Value> elements) {
  Value value;
  value.kind_ = Kind::List;
  value.data_ = std::move(elements);
  return value;
}

Value Value::tuple(std::vector<Value> elements) {
  Value value = list(std::move(elements));
  value.kind_ = Kind::Tuple;
  return value;
}

Value Value::dict(Items items) {
  Value value;
  value.kind_ = Kind::Dict;
  value.data_ = std::move(items);
  return value;
}

Value Value::ordered_dict(Items items) {
  Value value = dict(std::move(items));
  value.kind_ = Kind::OrderedDict;
  return value;
}

bool Value::to_bool() const {
  if (kind_ != Kind::Bool) wrong_kind("bool", kind_);
  return std::get<bool>(data_);
}

int64_t Value::to_int() const {
  if (kind_ != Kind::Int) wrong_kind("int", kind_);
  return std::get<int64_t>(data_);
}

double Value::to_double() const {
  if (kind_ == Kind::Int) return static_cast<double>(std::get<int64_t>(data_));
  if (kind_ != Kind::Float) wrong_kind("float", kind_);
  return std::get<double>(data_);
}

const std::string& Value::to_string() const {
  if (kind_ != Kind::String) wrong_kind("string", kind_);
  return std::get<std::string>(data_);
}

const Tensor& Value::to_tensor() const {
  if (kind_ != Kind::Tensor) wrong_kind("tensor", kind_);
  return std::get<Tensor>(data_);
}

const std::vector<Value>& Value::elements() const {
  if (!is_sequence()) wrong_kind("list or tuple", kind_);
  return std::get<std::vector<Value>>(data_);
}

std::vector<Value>& Value::elements() {
  if (!is_sequence()) wrong_kind("list or tuple", kind_);
  return std::get<std::vector<Value>>(data_);
}

const Value::Items& Value::items() const {
  if (!is_mapping()) wrong_kind("dict", kind_);
  return std::get<Items>(data_);
}

Value::Items& Value::items() {
  if (!is_mapping()) wrong_kind("dict", kind_);
  return std::get<Items>(data_);
}

const Value* Value::find(const Key& key) const {
  for (const auto& [item_key, item_value] : items()) {
    if (item_key == key) return &item_value;
  }
  return nullptr;
}

const Value& Value::at(const Key& key) const {
  const Value* found = find(key);
  if (found == nullptr) {
    detail::raise<ValueError>("[ember::serialize::Value] expected the key ", key_repr(key),
                              " in the dict; it is absent");
  }
  return *found;
}

void Value::insert(Key key, Value value) { items().emplace_back(std::move(key), std::move(value)); }

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::None:
      return "None";
    case Value::Kind::Bool:
      return "bool";
    case Value::Kind::Int:
      return "int";
    case Value::Kind::Float:
      return "float";
    case Value::Kind::String:
      return "str";
    case Value::Kind::Tensor:
      return "tensor";
    case Value::Kind::List:
      return "list";
    case Value::Kind::Tuple:
      return "tuple";
    case Value::Kind::Dict:
      return "dict";
    case Value::Kind::OrderedDict:
      return "OrderedDict";
  }
  return "?";
}

std::string key_repr(const Value::Key& key) {
  if (const auto* text = std::get_if<std::string>(&key)) return "'" + *text + "'";
  return std::to_string(std::get<int64_t>(key));
}

}  // namespace ember::serialize
