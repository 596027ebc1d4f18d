#include "ember/data/streams/schema.h"

#include <cstring>
#include <set>
#include <sstream>

#include "ember/base/error.h"
#include "ember/base/half.h"

namespace ember::data::streams {
namespace {

constexpr ScalarType kStreamDtypes[] = {kBool,  kUInt8,   kInt8,     kInt16,   kInt32,
                                        kInt64, kFloat16, kBFloat16, kFloat32, kFloat64};

template <typename T>
void store_as(T value, uint8_t* out) {
  std::memcpy(out, &value, sizeof(T));
}

template <typename From>
void store_any(ScalarType dtype, From value, uint8_t* out) {
  switch (dtype) {
    case ScalarType::Bool:
      return store_as<uint8_t>(value != 0 ? 1 : 0, out);
    case ScalarType::UInt8:
      return store_as(static_cast<uint8_t>(value), out);
    case ScalarType::Int8:
      return store_as(static_cast<int8_t>(value), out);
    case ScalarType::Int16:
      return store_as(static_cast<int16_t>(value), out);
    case ScalarType::Int32:
      return store_as(static_cast<int32_t>(value), out);
    case ScalarType::Int64:
      return store_as(static_cast<int64_t>(value), out);
    // The 16-bit floats round through float32, as PyTorch's conversions to them do.
    case ScalarType::Float16:
      return store_as(Half(static_cast<float>(value)), out);
    case ScalarType::BFloat16:
      return store_as(BFloat16(static_cast<float>(value)), out);
    case ScalarType::Float32:
      return store_as(static_cast<float>(value), out);
    case ScalarType::Float64:
      return store_as(static_cast<double>(value), out);
    default:
      detail::raise<ValueError>("[streams.Schema] expected a stream dtype; got ", dtype);
  }
}

}  // namespace

int64_t Field::numel() const {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  return count;
}

size_t Field::nbytes() const { return static_cast<size_t>(numel()) * itemsize(dtype); }

Schema::Schema(std::vector<Field> fields) : fields_(std::move(fields)) {
  EMBER_CHECK_VALUE(!fields_.empty(), "[streams.Schema] expected at least one field; got none");
  std::set<std::string> names;
  for (const Field& field : fields_) {
    EMBER_CHECK_VALUE(!field.name.empty(),
                      "[streams.Schema] expected named fields; got an empty name");
    EMBER_CHECK_VALUE(names.insert(field.name).second,
                      "[streams.Schema] expected distinct field names; got '", field.name,
                      "' twice");
    for (int64_t size : field.shape) {
      EMBER_CHECK_VALUE(size >= 0, "[streams.Schema] expected non-negative sizes for field '",
                        field.name, "'; got ", size);
    }
    offsets_.push_back(record_bytes_);
    record_bytes_ += field.nbytes();
    values_per_record_ += field.numel();
  }
}

std::optional<size_t> Schema::index_of(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

std::string Schema::repr() const {
  std::ostringstream out;
  out << "Schema(";
  for (size_t i = 0; i < fields_.size(); ++i) {
    out << (i ? ", " : "") << fields_[i].name << ": " << fields_[i].dtype << "[";
    for (size_t d = 0; d < fields_[i].shape.size(); ++d) {
      out << (d ? ", " : "") << fields_[i].shape[d];
    }
    out << "]";
  }
  out << ")";
  return out.str();
}

ScalarType stream_dtype(std::string_view name) {
  for (ScalarType dtype : kStreamDtypes) {
    if (dtype_name(dtype) == name) return dtype;
  }
  detail::raise<ValueError>(
      "[streams.Schema] expected a dtype among bool, uint8, int8, int16, int32, int64, float16, "
      "bfloat16, float32, float64; got '",
      name, "'");
}

void store_value(ScalarType dtype, double value, uint8_t* out) { store_any(dtype, value, out); }
void store_value(ScalarType dtype, int64_t value, uint8_t* out) { store_any(dtype, value, out); }

}  // namespace ember::data::streams
