#include "ember/data/streams/framing.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "ember/base/error.h"
#include "ember/serialize/json.h"

namespace ember::data::streams {
namespace {

// Length-prefixed binary records. The payload is copied straight into the record's bytes; a
// payload of the wrong length is skipped without being buffered.
class BinaryFramer : public Framer {
 public:
  BinaryFramer(const Schema& schema, RecordFn on_record, MalformedFn on_malformed)
      : Framer(std::move(on_record), std::move(on_malformed)),
        record_bytes_(schema.record_bytes()) {}

  void feed(const uint8_t* data, size_t size) override {
    while (size > 0) {
      if (header_filled_ < 4) {
        if (header_filled_ == 0) frame_offset_ = offset_;
        const size_t take = std::min<size_t>(4 - header_filled_, size);
        std::memcpy(header_ + header_filled_, data, take);
        advance(take, data, size);
        header_filled_ += take;
        if (header_filled_ < 4) return;
        payload_length_ = uint32_t{header_[0]} | (uint32_t{header_[1]} << 8) |
                          (uint32_t{header_[2]} << 16) | (uint32_t{header_[3]} << 24);
        payload_filled_ = 0;
        skipping_ = payload_length_ != record_bytes_;
        if (skipping_) {
          on_malformed_(frame_offset_, "expected a payload of " + std::to_string(record_bytes_) +
                                           " bytes; the frame declares " +
                                           std::to_string(payload_length_));
        } else {
          payload_ = new_record(record_bytes_);
        }
      }
      const size_t take = std::min<size_t>(payload_length_ - payload_filled_, size);
      if (!skipping_) std::memcpy(payload_.data() + payload_filled_, data, take);
      payload_filled_ += take;
      advance(take, data, size);
      if (payload_filled_ == payload_length_) finish_payload();
    }
  }

  std::span<uint8_t> direct_target() override {
    if (header_filled_ < 4 || skipping_) return {};
    return {payload_.data() + payload_filled_, payload_length_ - payload_filled_};
  }

  void commit_direct(size_t size) override {
    payload_filled_ += size;
    offset_ += size;
    if (payload_filled_ == payload_length_) finish_payload();
  }

  void end_message() override {
    if (header_filled_ > 0) {
      on_malformed_(frame_offset_, "expected a complete frame; the message ended after " +
                                       std::to_string(offset_ - frame_offset_) + " bytes of it");
    }
    header_filled_ = 0;
    payload_ = {};
  }

 private:
  void finish_payload() {
    header_filled_ = 0;
    if (!skipping_) on_record_(std::move(payload_), frame_offset_);
    payload_ = {};
  }

  void advance(size_t count, const uint8_t*& data, size_t& size) {
    data += count;
    size -= count;
    offset_ += count;
  }

  const size_t record_bytes_;
  uint8_t header_[4] = {};
  size_t header_filled_ = 0;
  uint32_t payload_length_ = 0;
  size_t payload_filled_ = 0;
  bool skipping_ = false;
  uint64_t frame_offset_ = 0;
  std::vector<uint8_t> payload_;
};

// Newline-terminated text frames (NDJSON and CSV): a line longer than the limit is reported
// once and skipped up to its newline.
class LineFramer : public Framer {
 public:
  LineFramer(const Schema& schema, const FramingOptions& options, RecordFn on_record,
             MalformedFn on_malformed)
      : Framer(std::move(on_record), std::move(on_malformed)),
        schema_(schema),
        max_line_(options.max_frame_bytes),
        skip_header_(options.csv_header),
        header_pending_(options.csv_header) {}

  void feed(const uint8_t* data, size_t size) override {
    const char* text = reinterpret_cast<const char*>(data);
    while (size > 0) {
      if (line_.empty() && !overlong_) line_offset_ = offset_;
      const void* newline = std::memchr(text, '\n', size);
      const size_t take = newline ? static_cast<const char*>(newline) - text + 1 : size;
      if (!overlong_) {
        const size_t room = max_line_ - line_.size();
        if (take - (newline ? 1 : 0) > room) {
          overlong_ = true;
          on_malformed_(line_offset_,
                        "expected a line of at most " + std::to_string(max_line_) + " bytes");
          line_.clear();
        } else {
          line_.append(text, newline ? take - 1 : take);
        }
      }
      text += take;
      size -= take;
      offset_ += take;
      if (newline) finish_line();
    }
  }

  void end_message() override {
    if (!line_.empty() || overlong_) finish_line();
    header_pending_ = skip_header_;
  }

 protected:
  virtual void parse(std::string_view line, std::vector<uint8_t>& record, uint64_t offset) = 0;
  const Schema& schema_;

 private:
  void finish_line() {
    std::string_view line = line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!overlong_ && !blank) {
      if (header_pending_) {
        header_pending_ = false;
      } else {
        std::vector<uint8_t> record = new_record(schema_.record_bytes());
        parse(line, record, line_offset_);
      }
    }
    line_.clear();
    overlong_ = false;
  }

  const size_t max_line_;
  const bool skip_header_;
  bool header_pending_;
  std::string line_;
  bool overlong_ = false;
  uint64_t line_offset_ = 0;
};

class CsvFramer : public LineFramer {
 public:
  using LineFramer::LineFramer;

 protected:
  void parse(std::string_view line, std::vector<uint8_t>& record, uint64_t offset) override {
    const int64_t expected = schema_.values_per_record();
    int64_t count = 0;
    for (size_t start = 0; start <= line.size(); ++count) {
      size_t end = line.find(',', start);
      if (end == std::string_view::npos) end = line.size();
      if (count < expected && !store(line.substr(start, end - start), count, record)) {
        on_malformed_(offset, "expected a number for value " + std::to_string(count) + "; got '" +
                                  std::string(line.substr(start, end - start)) + "'");
        return;
      }
      start = end + 1;
    }
    if (count != expected) {
      on_malformed_(offset, "expected " + std::to_string(expected) +
                                " comma-separated values; got " + std::to_string(count));
      return;
    }
    on_record_(std::move(record), offset);
  }

 private:
  // Stores the value at flat position `index` of the record; false when it is not a number.
  bool store(std::string_view text, int64_t index, std::vector<uint8_t>& record) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty() || text.size() > 64) return false;
    size_t field = 0;
    while (index >= schema_.fields()[field].numel()) index -= schema_.fields()[field++].numel();
    const ScalarType dtype = schema_.fields()[field].dtype;
    uint8_t* out = record.data() + schema_.offset(field) + index * itemsize(dtype);
    const std::string value(text);
    char* end = nullptr;
    errno = 0;
    if (is_integral(dtype, /*include_bool=*/true)) {
      const long long integer = std::strtoll(value.c_str(), &end, 10);
      if (end == value.c_str() + value.size() && errno == 0) {
        store_value(dtype, static_cast<int64_t>(integer), out);
        return true;
      }
      if (dtype == kBool && (value == "true" || value == "false")) {
        store_value(dtype, int64_t{value == "true"}, out);
        return true;
      }
      return false;
    }
    const double real = std::strtod(value.c_str(), &end);
    if (end != value.c_str() + value.size()) return false;
    store_value(dtype, real, out);
    return true;
  }
};

class NdjsonFramer : public LineFramer {
 public:
  using LineFramer::LineFramer;

 protected:
  void parse(std::string_view line, std::vector<uint8_t>& record, uint64_t offset) override {
    json::Value value;
    try {
      json::ParseOptions options;
      options.max_depth = 16;
      value = json::parse(line, options);
    } catch (const json::ParseError& error) {
      on_malformed_(offset + error.offset(), std::string("expected JSON: ") + error.what());
      return;
    }
    if (!value.is_object()) {
      on_malformed_(offset,
                    "expected a JSON object; got " + std::string(json::type_name(value.type())));
      return;
    }
    for (size_t i = 0; i < schema_.size(); ++i) {
      const Field& field = schema_.fields()[i];
      const json::Value* member = value.find(field.name);
      if (member == nullptr) {
        on_malformed_(offset, "expected the field '" + field.name + "'; it is missing");
        return;
      }
      int64_t count = 0;
      uint8_t* out = record.data() + schema_.offset(i);
      if (!store(*member, field, out, count, 0) || count != field.numel()) {
        on_malformed_(offset,
                      "expected " + std::to_string(field.numel()) + " numbers for the field '" +
                          field.name + "'; got " +
                          (count < 0 ? std::string("a non-number") : std::to_string(count)));
        return;
      }
    }
    on_record_(std::move(record), offset);
  }

 private:
  // Stores the numbers of `value` (nested arrays flattened) from element `count` on; false with
  // count = -1 for a non-number, false for more values than the field holds.
  bool store(const json::Value& value, const Field& field, uint8_t* out, int64_t& count,
             int depth) {
    if (value.is_array()) {
      if (depth >= 8) return false;
      for (const json::Value& element : value.as_array()) {
        if (!store(element, field, out, count, depth + 1)) return false;
      }
      return true;
    }
    if (count >= field.numel()) {
      ++count;
      return false;
    }
    uint8_t* at = out + count * itemsize(field.dtype);
    if (value.is_bool()) {
      store_value(field.dtype, int64_t{value.as_bool()}, at);
    } else if (value.is_number()) {
      const json::Number& number = value.as_number();
      try {
        if (number.is_integer() && is_integral(field.dtype, /*include_bool=*/true)) {
          store_value(field.dtype, number.to_int64(), at);
        } else {
          store_value(field.dtype, number.to_double(), at);
        }
      } catch (const ValueError&) {
        count = -1;
        return false;
      }
    } else {
      count = -1;
      return false;
    }
    ++count;
    return true;
  }
};

// The JSON value of field values from `next` on: a number, or arrays nested by the shape.
json::Value field_json(const Field& field, const std::vector<double>& values, size_t& next,
                       size_t dim) {
  if (dim == field.shape.size()) {
    const double value = values[next++];
    if (field.dtype == kBool) return json::Value(value != 0);
    if (is_integral(field.dtype, /*include_bool=*/false)) {
      return json::Value(static_cast<int64_t>(value));
    }
    return json::Value(value);
  }
  json::Array elements;
  for (int64_t i = 0; i < field.shape[dim]; ++i) {
    elements.push_back(field_json(field, values, next, dim + 1));
  }
  return json::Value(std::move(elements));
}

}  // namespace

Format format_from_string(const std::string& name) {
  if (name == "binary") return Format::kBinary;
  if (name == "ndjson") return Format::kNdjson;
  if (name == "csv") return Format::kCsv;
  detail::raise<ValueError>("[streams.Stream] expected format 'binary', 'ndjson' or 'csv'; got '",
                            name, "'");
}

std::unique_ptr<Framer> make_framer(Format format, const Schema& schema,
                                    const FramingOptions& options, Framer::RecordFn on_record,
                                    Framer::MalformedFn on_malformed) {
  EMBER_CHECK_VALUE(options.max_frame_bytes > 0,
                    "[streams.Stream] expected max_frame_bytes of at least 1; got 0");
  switch (format) {
    case Format::kBinary:
      return std::make_unique<BinaryFramer>(schema, std::move(on_record), std::move(on_malformed));
    case Format::kNdjson:
      return std::make_unique<NdjsonFramer>(schema, options, std::move(on_record),
                                            std::move(on_malformed));
    case Format::kCsv:
      return std::make_unique<CsvFramer>(schema, options, std::move(on_record),
                                         std::move(on_malformed));
  }
  detail::raise<ValueError>("[streams.Stream] unknown format");
}

std::vector<uint8_t> pack_values(const Schema& schema, const std::vector<double>& values) {
  EMBER_CHECK_VALUE(static_cast<int64_t>(values.size()) == schema.values_per_record(),
                    "[streams.Stream.push] expected ", schema.values_per_record(),
                    " values (every field flattened in order); got ", values.size());
  std::vector<uint8_t> record(schema.record_bytes());
  size_t next = 0;
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& field = schema.fields()[i];
    uint8_t* out = record.data() + schema.offset(i);
    for (int64_t k = 0; k < field.numel(); ++k) {
      store_value(field.dtype, values[next++], out + k * itemsize(field.dtype));
    }
  }
  return record;
}

std::string encode_frame(Format format, const Schema& schema, const std::vector<double>& values) {
  std::vector<uint8_t> record = pack_values(schema, values);  // checks the value count
  if (format == Format::kBinary) {
    const auto length = static_cast<uint32_t>(record.size());
    std::string frame(4, '\0');
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>((length >> (8 * i)) & 0xff);
    frame.append(record.begin(), record.end());
    return frame;
  }
  if (format == Format::kNdjson) {
    json::Object object;
    size_t next = 0;
    for (const Field& field : schema.fields()) {
      object.emplace_back(field.name, field_json(field, values, next, 0));
    }
    std::string line = json::dump(json::Value(std::move(object)));
    line += '\n';
    return line;
  }
  std::string line;
  size_t next = 0;
  for (const Field& field : schema.fields()) {
    for (int64_t k = 0; k < field.numel(); ++k) {
      if (!line.empty()) line += ',';
      char text[32];
      const double value = values[next++];
      const auto written =
          is_integral(field.dtype, /*include_bool=*/true)
              ? std::to_chars(text, text + sizeof(text), static_cast<int64_t>(value))
              : std::to_chars(text, text + sizeof(text), value);
      line.append(text, written.ptr);
    }
  }
  line += '\n';
  return line;
}

}  // namespace ember::data::streams
