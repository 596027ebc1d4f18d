// The object tree a checkpoint holds (docs/checkpoint_format.md): None, bool, int, float, string,
// tensor, list, tuple, dict and OrderedDict (string or integer keys, insertion order kept).
// Python's ember.save converts its objects to one of these and the C++ code writes it, so both
// languages write the same bytes for the same content; ember.load and ember::serialize::load go
// the other way. It plays the part of libtorch's IValue for checkpoints.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::serialize {

class Value {
 public:
  enum class Kind { None, Bool, Int, Float, String, Tensor, List, Tuple, Dict, OrderedDict };
  // A dict key: Python's str or int (an optimizer state dict is keyed by parameter index).
  using Key = std::variant<std::string, int64_t>;
  using Items = std::vector<std::pair<Key, Value>>;

  Value() = default;                                                          // None
  Value(bool value) : kind_(Kind::Bool), data_(value) {}                      // NOLINT: implicit
  Value(int value) : kind_(Kind::Int), data_(int64_t{value}) {}               // NOLINT: implicit
  Value(int64_t value) : kind_(Kind::Int), data_(value) {}                    // NOLINT: implicit
  Value(double value) : kind_(Kind::Float), data_(value) {}                   // NOLINT: implicit
  Value(std::string value) : kind_(Kind::String), data_(std::move(value)) {}  // NOLINT
  Value(const char* value) : Value(std::string(value)) {}                     // NOLINT: implicit
  Value(Tensor value) : kind_(Kind::Tensor), data_(std::move(value)) {}       // NOLINT: implicit

  static Value list(std::vector<Value> elements);
  static Value tuple(std::vector<Value> elements);
  static Value dict(Items items);
  static Value ordered_dict(Items items);

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_sequence() const { return kind_ == Kind::List || kind_ == Kind::Tuple; }
  bool is_mapping() const { return kind_ == Kind::Dict || kind_ == Kind::OrderedDict; }

  // The contents; each raises TypeError naming `what` and the kind found when the kind differs.
  bool to_bool() const;
  int64_t to_int() const;
  // A float, or an int widened (Python's 1 where 1.0 is meant).
  double to_double() const;
  const std::string& to_string() const;
  const Tensor& to_tensor() const;
  const std::vector<Value>& elements() const;  // list or tuple
  std::vector<Value>& elements();
  const Items& items() const;  // dict or OrderedDict
  Items& items();

  // The value of a mapping's key; KeyError-like ValueError when absent. find() returns nullptr.
  const Value& at(const Key& key) const;
  const Value* find(const Key& key) const;
  // Appends to a mapping (keys are not checked for duplicates here; the writer checks).
  void insert(Key key, Value value);

 private:
  Kind kind_ = Kind::None;
  std::variant<std::monostate, bool, int64_t, double, std::string, Tensor, std::vector<Value>,
               Items>
      data_;
};

// "dict", "list", "tensor", ...: the kind's name in messages and in the format.
const char* kind_name(Value::Kind kind);
std::string key_repr(const Value::Key& key);

}  // namespace ember::serialize
