// Framings: bytes from a source to records in the schema's packed layout. A malformed frame is
// reported with its byte offset and skipped; a frame never buffers more than max_frame_bytes,
// so hostile input cannot grow memory.
//   binary: a 4-byte little-endian payload length, then the payload (the packed record; its
//           length must equal Schema::record_bytes()).
//   ndjson: one JSON object per line, a member per field (a number, a bool, or nested arrays
//           holding the field's values in row-major order); other members are ignored.
//   csv:    one line per record, the values of every field flattened in schema order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ember/data/streams/schema.h"

namespace ember::data::streams {

enum class Format { kBinary, kNdjson, kCsv };
// "binary", "ndjson", "csv"; ValueError otherwise.
Format format_from_string(const std::string& name);

class Framer {
 public:
  using RecordFn = std::function<void(std::vector<uint8_t>&& bytes, uint64_t offset)>;
  using MalformedFn = std::function<void(uint64_t offset, std::string reason)>;

  Framer(RecordFn on_record, MalformedFn on_malformed)
      : on_record_(std::move(on_record)), on_malformed_(std::move(on_malformed)) {}
  virtual ~Framer() = default;

  // Consumes the next bytes of the stream.
  virtual void feed(const uint8_t* data, size_t size) = 0;
  // The end of a message (a datagram) or of a connection: a partial frame there is malformed.
  virtual void end_message() = 0;
  // Byte offset of the next byte fed.
  uint64_t offset() const { return offset_; }

  // Where the next bytes of the stream may be read straight into (the rest of a binary
  // payload, inside the record's own buffer), so that a large record costs one copy from the
  // kernel; empty when the next bytes must go through feed().
  virtual std::span<uint8_t> direct_target() { return {}; }
  // Accounts for `size` bytes that were read into direct_target().
  virtual void commit_direct(size_t /*size*/) {}

  // Where new records' buffers come from (a RecordPool); none: fresh vectors.
  void set_record_source(std::function<std::vector<uint8_t>()> acquire) {
    acquire_record_ = std::move(acquire);
  }

 protected:
  // A buffer for the next record, of `bytes` (the schema's record size).
  std::vector<uint8_t> new_record(size_t bytes) const {
    return acquire_record_ ? acquire_record_() : std::vector<uint8_t>(bytes);
  }

  RecordFn on_record_;
  MalformedFn on_malformed_;
  uint64_t offset_ = 0;

 private:
  std::function<std::vector<uint8_t>()> acquire_record_;
};

struct FramingOptions {
  size_t max_frame_bytes = size_t{1} << 20;
  bool csv_header = false;  // skip the first line after each (re)connect
};

std::unique_ptr<Framer> make_framer(Format format, const Schema& schema,
                                    const FramingOptions& options, Framer::RecordFn on_record,
                                    Framer::MalformedFn on_malformed);

// One record's bytes from its values, flattened in schema order (the push API's record form);
// ValueError naming the expected and received count.
std::vector<uint8_t> pack_values(const Schema& schema, const std::vector<double>& values);

// The frame a sender writes for one record of `values` (flattened as for pack_values), newline
// included for the text formats: the simulators' encoder, so that the format lives here once.
std::string encode_frame(Format format, const Schema& schema, const std::vector<double>& values);

}  // namespace ember::data::streams
