// A small, strict JSON reader and writer for the serialization formats (safetensors headers and
// the checkpoint structure). Strict: one value, no trailing text, no comments, valid UTF-8 only,
// no lone surrogates; bounded: nesting depth and input size are limited so hostile input cannot
// exhaust the stack or memory. Objects keep their members in order and keep duplicates, so a
// caller can reject them by name. Numbers keep their text, so integers up to 64 bits and
// doubles round-trip exactly (Note [json numbers] in docs/architecture.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ember/base/error.h"

namespace ember::json {

// Malformed or over-limit input: the message names what was expected, what was found, and where.
class ParseError : public ValueError {
 public:
  ParseError(const std::string& message, size_t offset) : ValueError(message), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

class Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>;

// A number as written: integers stay exact (int64 or uint64), floats round-trip exactly.
struct Number {
  std::string text;
  // True when the text has no fraction and no exponent.
  bool is_integer() const;
  // The value as an integer of that type; ValueError when it is not an integer or out of range.
  int64_t to_int64() const;
  uint64_t to_uint64() const;
  double to_double() const;
};

class Value {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Value() : data_(nullptr) {}
  Value(std::nullptr_t) : data_(nullptr) {}
  Value(bool value) : data_(value) {}
  Value(int value) : Value(static_cast<int64_t>(value)) {}
  Value(int64_t value);
  Value(uint64_t value);
  // Finite values are written in their shortest exact form, always with a '.' or an exponent so
  // that they read back as floats; non-finite ones need WriteOptions::allow_nonfinite.
  Value(double value);
  Value(Number value) : data_(std::move(value)) {}
  Value(std::string value) : data_(std::move(value)) {}
  Value(std::string_view value) : data_(std::string(value)) {}
  Value(const char* value) : data_(std::string(value)) {}
  Value(Array value) : data_(std::move(value)) {}
  Value(Object value) : data_(std::move(value)) {}

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Typed access; ValueError naming the expected and actual type on a mismatch.
  bool as_bool() const;
  const Number& as_number() const;
  const std::string& as_string() const;
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();

  // The first member named `key` of an object, or nullptr.
  const Value* find(std::string_view key) const;

 private:
  std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> data_;
};

// "null", "bool", "number", "string", "array", "object".
std::string_view type_name(Value::Type type);

struct ParseOptions {
  size_t max_depth = 128;
  size_t max_size = size_t{1} << 30;
  // Python's json extensions NaN, Infinity and -Infinity (the checkpoint structure's floats).
  bool allow_nonfinite = false;
};

struct WriteOptions {
  bool allow_nonfinite = false;
};

// Parses exactly one JSON value (surrounding whitespace allowed); ParseError otherwise.
Value parse(std::string_view text, const ParseOptions& options = {});
// Compact JSON; strings are written as UTF-8 with only the required escapes.
std::string dump(const Value& value, const WriteOptions& options = {});
void dump_to(std::string& out, const Value& value, const WriteOptions& options = {});

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace ember::json
