#include "ember/checkpoint/json.h"

#include <charconv>

#include "ember/base/error.h"

namespace ember::serialize::json {
namespace {

class Parser {
 public:
  Parser(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  Json document() {
    Json value = parse_value(0);
    skip_space();
    if (position_ != text_.size()) fail("trailing characters after the JSON value");
    return value;
  }

 private:
  [[noreturn]] void fail(std::string_view problem) const {
    detail::raise<RuntimeError>("[ember.load] ", what_, " is not valid: expected JSON; ", problem,
                                " at byte ", position_);
  }

  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n' ||
                                        text_[position_] == '\t' || text_[position_] == '\r')) {
      ++position_;
    }
  }

  bool consume(std::string_view word) {
    if (text_.substr(position_, word.size()) != word) return false;
    position_ += word.size();
    return true;
  }

  Json parse_value(int depth) {
    if (depth > kMaxDepth) fail("nesting deeper than 256 levels");
    skip_space();
    if (position_ >= text_.size()) fail("unexpected end");
    Json value;
    const char next = text_[position_];
    if (next == '{') {
      parse_object(value, depth);
    } else if (next == '[') {
      parse_array(value, depth);
    } else if (next == '"') {
      value.kind = Json::Kind::String;
      value.text = parse_string();
    } else if (consume("null")) {
      value.kind = Json::Kind::Null;
    } else if (consume("true")) {
      value.kind = Json::Kind::Bool;
      value.boolean = true;
    } else if (consume("false")) {
      value.kind = Json::Kind::Bool;
    } else {
      value.kind = Json::Kind::Int;
      value.integer = parse_integer();
    }
    return value;
  }

  void parse_object(Json& value, int depth) {
    value.kind = Json::Kind::Object;
    ++position_;
    skip_space();
    if (consume("}")) return;
    while (true) {
      skip_space();
      if (position_ >= text_.size() || text_[position_] != '"') fail("a string key");
      std::string key = parse_string();
      if (value.find(key) != nullptr) fail("no duplicate keys; got '" + key + "' twice");
      skip_space();
      if (!consume(":")) fail("':' after a key");
      value.object.emplace_back(std::move(key), parse_value(depth + 1));
      skip_space();
      if (consume("}")) return;
      if (!consume(",")) fail("',' or '}' in an object");
    }
  }

  void parse_array(Json& value, int depth) {
    value.kind = Json::Kind::Array;
    ++position_;
    skip_space();
    if (consume("]")) return;
    while (true) {
      value.array.push_back(parse_value(depth + 1));
      skip_space();
      if (consume("]")) return;
      if (!consume(",")) fail("',' or ']' in an array");
    }
  }

  int64_t parse_integer() {
    const char* begin = text_.data() + position_;
    const char* end = text_.data() + text_.size();
    int64_t result = 0;
    const auto [stop, error] = std::from_chars(begin, end, result);
    if (error == std::errc::result_out_of_range) fail("an integer within 64 bits");
    if (error != std::errc() || stop == begin) fail("a value");
    if (stop < end && (*stop == '.' || *stop == 'e' || *stop == 'E')) {
      fail("integers only (floats are stored as strings)");
    }
    position_ += static_cast<size_t>(stop - begin);
    return result;
  }

  unsigned hex_digits() {
    if (position_ + 4 > text_.size()) fail("four hex digits after \\u");
    unsigned code = 0;
    const auto [stop, error] =
        std::from_chars(text_.data() + position_, text_.data() + position_ + 4, code, 16);
    if (error != std::errc() || stop != text_.data() + position_ + 4) fail("hex digits after \\u");
    position_ += 4;
    return code;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string parse_string() {
    ++position_;  // the opening quote
    std::string out;
    while (true) {
      if (position_ >= text_.size()) fail("a closing '\"'");
      const char next = text_[position_++];
      if (next == '"') return out;
      if (static_cast<unsigned char>(next) < 0x20) fail("no control characters in strings");
      if (next != '\\') {
        out += next;
        continue;
      }
      if (position_ >= text_.size()) fail("an escape after '\\'");
      const char escape = text_[position_++];
      switch (escape) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
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
          unsigned code = hex_digits();
          if (code >= 0xD800 && code < 0xDC00) {
            if (!consume("\\u")) fail("a low surrogate after a high one");
            const unsigned low = hex_digits();
            if (low < 0xDC00 || low >= 0xE000) fail("a low surrogate after a high one");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          } else if (code >= 0xDC00 && code < 0xE000) {
            fail("no lone low surrogate");
          }
          append_utf8(out, code);
          break;
        }
        default:
          fail("a valid escape");
      }
    }
  }

  std::string_view text_;
  std::string_view what_;
  size_t position_ = 0;
};

}  // namespace

const Json* Json::find(std::string_view key) const {
  for (const auto& [name, value] : object) {
    if (name == key) return &value;
  }
  return nullptr;
}

Json parse(std::string_view text, std::string_view what) { return Parser(text, what).document(); }

void write_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace ember::serialize::json
