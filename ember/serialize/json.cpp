#include "ember/serialize/json.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace ember::json {
namespace {

std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

bool is_nonfinite_text(std::string_view text) {
  return text == "NaN" || text == "Infinity" || text == "-Infinity";
}

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {}

  Value parse_document() {
    if (text_.size() > options_.max_size) {
      fail("a JSON text of at most " + std::to_string(options_.max_size) + " bytes; got " +
           std::to_string(text_.size()));
    }
    if (!is_valid_utf8(text_)) fail("valid UTF-8; got invalid byte sequences");
    skip_whitespace();
    Value value = parse_value(0);
    skip_whitespace();
    if (position_ != text_.size()) fail("the end of the text after the value; got " + found());
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ParseError("[json] expected " + what + " at byte " + std::to_string(position_),
                     position_);
  }

  std::string found() const {
    if (position_ >= text_.size()) return "the end of the text";
    const unsigned char c = static_cast<unsigned char>(text_[position_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    return "byte 0x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
  }

  void skip_whitespace() {
    while (position_ < text_.size()) {
      const char c = text_[position_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++position_;
    }
  }

  bool consume_literal(std::string_view literal) {
    if (text_.substr(position_, literal.size()) != literal) return false;
    position_ += literal.size();
    return true;
  }

  Value parse_value(size_t depth) {
    if (position_ >= text_.size()) fail("a value; got the end of the text");
    switch (text_[position_]) {
      case '{':
        return parse_object(depth + 1);
      case '[':
        return parse_array(depth + 1);
      case '"':
        return Value(parse_string());
      case 't':
        if (consume_literal("true")) return Value(true);
        break;
      case 'f':
        if (consume_literal("false")) return Value(false);
        break;
      case 'n':
        if (consume_literal("null")) return Value(nullptr);
        break;
      default:
        return Value(parse_number());
    }
    fail("a value; got " + found());
  }

  void check_depth(size_t depth) const {
    if (depth > options_.max_depth) {
      fail("nesting of at most " + std::to_string(options_.max_depth) + " levels; got deeper");
    }
  }

  Value parse_object(size_t depth) {
    check_depth(depth);
    ++position_;
    Object members;
    skip_whitespace();
    if (position_ < text_.size() && text_[position_] == '}') {
      ++position_;
      return Value(std::move(members));
    }
    while (true) {
      skip_whitespace();
      if (position_ >= text_.size() || text_[position_] != '"')
        fail("a string key; got " + found());
      std::string key = parse_string();
      skip_whitespace();
      if (position_ >= text_.size() || text_[position_] != ':') fail("':'; got " + found());
      ++position_;
      skip_whitespace();
      Value value = parse_value(depth);
      members.emplace_back(std::move(key), std::move(value));
      skip_whitespace();
      if (position_ < text_.size() && text_[position_] == ',') {
        ++position_;
        continue;
      }
      if (position_ < text_.size() && text_[position_] == '}') {
        ++position_;
        return Value(std::move(members));
      }
      fail("',' or '}'; got " + found());
    }
  }

  Value parse_array(size_t depth) {
    check_depth(depth);
    ++position_;
    Array elements;
    skip_whitespace();
    if (position_ < text_.size() && text_[position_] == ']') {
      ++position_;
      return Value(std::move(elements));
    }
    while (true) {
      skip_whitespace();
      elements.push_back(parse_value(depth));
      skip_whitespace();
      if (position_ < text_.size() && text_[position_] == ',') {
        ++position_;
        continue;
      }
      if (position_ < text_.size() && text_[position_] == ']') {
        ++position_;
        return Value(std::move(elements));
      }
      fail("',' or ']'; got " + found());
    }
  }

  uint32_t parse_hex4() {
    if (position_ + 4 > text_.size()) fail("four hex digits after \\u; got the end of the text");
    uint32_t code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[position_];
      uint32_t digit = 0;
      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      else
        fail("a hex digit in a \\u escape; got " + found());
      code = code * 16 + digit;
      ++position_;
    }
    return code;
  }

  static void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
  }

  std::string parse_string() {
    ++position_;  // the opening quote
    std::string out;
    while (true) {
      if (position_ >= text_.size()) fail("a closing '\"'; got the end of the text");
      const char c = text_[position_];
      if (c == '"') {
        ++position_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        fail("no control character in a string; got " + found());
      if (c != '\\') {
        out += c;
        ++position_;
        continue;
      }
      ++position_;
      if (position_ >= text_.size()) fail("an escape after '\\'; got the end of the text");
      const char escape = text_[position_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t code = parse_hex4();
          if (code >= 0xdc00 && code <= 0xdfff) fail("no lone low surrogate in a \\u escape");
          if (code >= 0xd800 && code <= 0xdbff) {
            if (!consume_literal("\\u")) fail("a low surrogate after a high surrogate");
            const uint32_t low = parse_hex4();
            if (low < 0xdc00 || low > 0xdfff) fail("a low surrogate after a high surrogate");
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          --position_;
          fail("a valid escape character; got " + found());
      }
    }
  }

  Number parse_number() {
    const size_t start = position_;
    if (options_.allow_nonfinite) {
      for (std::string_view literal : {"NaN", "Infinity", "-Infinity"}) {
        if (consume_literal(literal)) return Number{std::string(literal)};
      }
    }
    auto digit = [&] {
      return position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9';
    };
    if (position_ < text_.size() && text_[position_] == '-') ++position_;
    if (!digit()) fail("a value; got " + found());
    if (text_[position_] == '0') {
      ++position_;
      if (digit()) fail("no leading zero in a number");
    } else {
      while (digit()) ++position_;
    }
    if (position_ < text_.size() && text_[position_] == '.') {
      ++position_;
      if (!digit()) fail("a digit after '.'; got " + found());
      while (digit()) ++position_;
    }
    if (position_ < text_.size() && (text_[position_] == 'e' || text_[position_] == 'E')) {
      ++position_;
      if (position_ < text_.size() && (text_[position_] == '+' || text_[position_] == '-'))
        ++position_;
      if (!digit()) fail("a digit in the exponent; got " + found());
      while (digit()) ++position_;
    }
    return Number{std::string(text_.substr(start, position_ - start))};
  }

  std::string_view text_;
  const ParseOptions& options_;
  size_t position_ = 0;
};

void dump_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 15];
          out += kHex[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

bool Number::is_integer() const { return text.find_first_of(".eEIN") == std::string::npos; }

int64_t Number::to_int64() const {
  int64_t value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  EMBER_CHECK_VALUE(
      is_integer() && result.ec == std::errc() && result.ptr == text.data() + text.size(),
      "[json] expected an integer that fits in int64; got ", text);
  return value;
}

uint64_t Number::to_uint64() const {
  uint64_t value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  EMBER_CHECK_VALUE(
      is_integer() && result.ec == std::errc() && result.ptr == text.data() + text.size(),
      "[json] expected a non-negative integer that fits in uint64; got ", text);
  return value;
}

double Number::to_double() const {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  double value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  // Out-of-range literals (1e400) read as infinities, as Python's json does.
  if (result.ec == std::errc::result_out_of_range) {
    return text[0] == '-' ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
  }
  EMBER_CHECK_VALUE(result.ec == std::errc() && result.ptr == text.data() + text.size(),
                    "[json] expected a number; got ", text);
  return value;
}

Value::Value(int64_t value) : data_(Number{std::to_string(value)}) {}
Value::Value(uint64_t value) : data_(Number{std::to_string(value)}) {}
Value::Value(double value) : data_(Number{number_text(value)}) {}

std::string_view type_name(Value::Type type) {
  static constexpr std::string_view kNames[] = {"null",   "bool",  "number",
                                                "string", "array", "object"};
  return kNames[static_cast<int>(type)];
}

namespace {

[[noreturn]] void wrong_type(Value::Type expected, Value::Type got) {
  detail::raise<ValueError>("[json] expected a JSON ", type_name(expected), "; got a JSON ",
                            type_name(got));
}

}  // namespace

bool Value::as_bool() const {
  if (!is_bool()) wrong_type(Type::kBool, type());
  return std::get<bool>(data_);
}
const Number& Value::as_number() const {
  if (!is_number()) wrong_type(Type::kNumber, type());
  return std::get<Number>(data_);
}
const std::string& Value::as_string() const {
  if (!is_string()) wrong_type(Type::kString, type());
  return std::get<std::string>(data_);
}
const Array& Value::as_array() const {
  if (!is_array()) wrong_type(Type::kArray, type());
  return std::get<Array>(data_);
}
Array& Value::as_array() {
  if (!is_array()) wrong_type(Type::kArray, type());
  return std::get<Array>(data_);
}
const Object& Value::as_object() const {
  if (!is_object()) wrong_type(Type::kObject, type());
  return std::get<Object>(data_);
}
Object& Value::as_object() {
  if (!is_object()) wrong_type(Type::kObject, type());
  return std::get<Object>(data_);
}

const Value* Value::find(std::string_view key) const {
  for (const auto& [name, value] : as_object()) {
    if (name == key) return &value;
  }
  return nullptr;
}

Value parse(std::string_view text, const ParseOptions& options) {
  return Parser(text, options).parse_document();
}

void dump_to(std::string& out, const Value& value, const WriteOptions& options) {
  switch (value.type()) {
    case Value::Type::kNull:
      out += "null";
      return;
    case Value::Type::kBool:
      out += value.as_bool() ? "true" : "false";
      return;
    case Value::Type::kNumber: {
      const std::string& text = value.as_number().text;
      EMBER_CHECK_VALUE(options.allow_nonfinite || !is_nonfinite_text(text),
                        "[json] expected a finite number (JSON has no ", text,
                        "); got one with WriteOptions::allow_nonfinite unset");
      out += text;
      return;
    }
    case Value::Type::kString:
      dump_string(out, value.as_string());
      return;
    case Value::Type::kArray: {
      out += '[';
      bool first = true;
      for (const Value& element : value.as_array()) {
        if (!first) out += ',';
        first = false;
        dump_to(out, element, options);
      }
      out += ']';
      return;
    }
    case Value::Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.as_object()) {
        if (!first) out += ',';
        first = false;
        dump_string(out, key);
        out += ':';
        dump_to(out, member, options);
      }
      out += '}';
      return;
    }
  }
}

std::string dump(const Value& value, const WriteOptions& options) {
  std::string out;
  dump_to(out, value, options);
  return out;
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    uint32_t minimum = 0;
    if ((lead & 0xe0) == 0xc0) {
      length = 2, code = lead & 0x1f, minimum = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3, code = lead & 0x0f, minimum = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4, code = lead & 0x07, minimum = 0x10000;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xc0) != 0x80) return false;
      code = (code << 6) | (byte(i + k) & 0x3f);
    }
    if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

}  // namespace ember::json
