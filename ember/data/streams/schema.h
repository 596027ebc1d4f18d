// A stream's record layout: named fields, each of one dtype and a fixed shape. Every framing
// (binary, NDJSON, CSV) turns a frame into these bytes, so a batch is filled by copying each
// record's bytes straight into the batch tensors' buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ember/tensor/dtype.h"

namespace ember::data::streams {

struct Field {
  std::string name;
  ScalarType dtype = ScalarType::Float32;
  std::vector<int64_t> shape;  // empty: one scalar per record

  int64_t numel() const;
  size_t nbytes() const;
};

class Schema {
 public:
  Schema() = default;
  // ValueError for no fields, a repeated or empty name or a negative size. Every dtype is a
  // stream dtype; text frames parse into float16 and bfloat16 by rounding through float32.
  explicit Schema(std::vector<Field> fields);

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  // Bytes of one record: the fields packed in order, native (little-endian) byte order.
  size_t record_bytes() const { return record_bytes_; }
  size_t offset(size_t field) const { return offsets_[field]; }
  // Values of one record over all fields (a CSV line's value count).
  int64_t values_per_record() const { return values_per_record_; }
  std::optional<size_t> index_of(std::string_view name) const;
  std::string repr() const;

 private:
  std::vector<Field> fields_;
  std::vector<size_t> offsets_;
  size_t record_bytes_ = 0;
  int64_t values_per_record_ = 0;
};

// "float32", "int64", ... (PyTorch's names); ValueError naming the accepted ones otherwise.
ScalarType stream_dtype(std::string_view name);

// Stores one value as `dtype` at `out` (a record's field element). Integers are exact up to 64
// bits; doubles are rounded to the dtype.
void store_value(ScalarType dtype, double value, uint8_t* out);
void store_value(ScalarType dtype, int64_t value, uint8_t* out);

}  // namespace ember::data::streams
