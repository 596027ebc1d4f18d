#include "ember/checkpoint/checkpoint.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <unordered_map>

#include "ember/base/error.h"
#include "ember/checkpoint/json.h"
#include "ember/tensor/tensor_impl.h"

namespace ember::serialize {
namespace {

constexpr uint64_t kMaxHeaderSize = 100'000'000;  // the safetensors reference reader's limit
constexpr const char* kStructureKey = "ember.structure";
constexpr const char* kFormatName = "ember.checkpoint";
constexpr const char* kFormatVersion = "1";

// ---- dtypes: safetensors' names for the storages, PyTorch's names in the tree ----

const char* safetensors_dtype(ScalarType dtype) {
  switch (dtype) {
    case ScalarType::Bool:
      return "BOOL";
    case ScalarType::UInt8:
      return "U8";
    case ScalarType::Int8:
      return "I8";
    case ScalarType::Int16:
      return "I16";
    case ScalarType::Int32:
      return "I32";
    case ScalarType::Int64:
      return "I64";
    case ScalarType::Float16:
      return "F16";
    case ScalarType::BFloat16:
      return "BF16";
    case ScalarType::Float32:
      return "F32";
    case ScalarType::Float64:
      return "F64";
  }
  return "?";
}

bool dtype_from_name(std::string_view name, bool safetensors_names, ScalarType& dtype) {
  for (int index = 0; index < kNumScalarTypes; ++index) {
    const auto candidate = static_cast<ScalarType>(index);
    const std::string_view known =
        safetensors_names ? safetensors_dtype(candidate) : dtype_name(candidate);
    if (known == name) {
      dtype = candidate;
      return true;
    }
  }
  return false;
}

// ---- writing ----

void append_int(std::string& out, int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

void append_int_array(std::string& out, IntArrayRef values) {
  out += '[';
  for (size_t index = 0; index < values.size(); ++index) {
    if (index > 0) out += ',';
    append_int(out, values[index]);
  }
  out += ']';
}

// Shortest text that reads back to the same double; "inf", "-inf", "nan" for the others.
std::string float_text(double value) {
  if (std::isnan(value)) return std::signbit(value) ? "-nan" : "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

struct StorageEntry {
  const Storage* storage;
  ScalarType dtype;  // of the first tensor that uses it
  std::string name;
};

class StructureWriter {
 public:
  std::string write(const Value& value) {
    write_value(value, 0);
    return std::move(out_);
  }
  std::vector<StorageEntry>& storages() { return storages_; }

 private:
  void write_value(const Value& value, int depth) {
    if (depth > json::kMaxDepth / 2 - 2) {
      detail::raise<TypeError>("[ember.save] expected an object nested at most ",
                               json::kMaxDepth / 2 - 2, " levels deep; got a deeper one");
    }
    switch (value.kind()) {
      case Value::Kind::None:
        out_ += "null";
        break;
      case Value::Kind::Bool:
        out_ += value.to_bool() ? "true" : "false";
        break;
      case Value::Kind::Int:
        append_int(out_, value.to_int());
        break;
      case Value::Kind::Float:
        out_ += "{\"float\":";
        json::write_string(out_, float_text(value.to_double()));
        out_ += '}';
        break;
      case Value::Kind::String:
        json::write_string(out_, value.to_string());
        break;
      case Value::Kind::Tensor:
        write_tensor(value.to_tensor());
        break;
      case Value::Kind::List:
      case Value::Kind::Tuple: {
        out_ += value.kind() == Value::Kind::List ? "{\"list\":[" : "{\"tuple\":[";
        bool first = true;
        for (const Value& element : value.elements()) {
          if (!first) out_ += ',';
          first = false;
          write_value(element, depth + 1);
        }
        out_ += "]}";
        break;
      }
      case Value::Kind::Dict:
      case Value::Kind::OrderedDict: {
        out_ += value.kind() == Value::Kind::Dict ? "{\"dict\":[" : "{\"ordered_dict\":[";
        bool first = true;
        const auto& items = value.items();
        for (size_t index = 0; index < items.size(); ++index) {
          for (size_t earlier = 0; earlier < index; ++earlier) {
            if (items[earlier].first == items[index].first) {
              detail::raise<TypeError>("[ember.save] expected distinct dict keys; got ",
                                       key_repr(items[index].first), " twice");
            }
          }
          if (!first) out_ += ',';
          first = false;
          out_ += '[';
          if (const auto* text = std::get_if<std::string>(&items[index].first)) {
            json::write_string(out_, *text);
          } else {
            append_int(out_, std::get<int64_t>(items[index].first));
          }
          out_ += ',';
          write_value(items[index].second, depth + 1);
          out_ += ']';
        }
        out_ += "]}";
        break;
      }
    }
  }

  void write_tensor(const Tensor& tensor) {
    if (tensor.device().type() != kCPU) {
      detail::raise<TypeError>("[ember.save] expected CPU tensors; got one on ",
                               tensor.device().str(), " (move it with .cpu() first)");
    }
    const Storage* storage = tensor.storage().get();
    auto [found, inserted] = index_of_.try_emplace(storage, storages_.size());
    if (inserted) {
      storages_.push_back({storage, tensor.dtype(), "storage." + std::to_string(found->second)});
    }
    out_ += "{\"tensor\":{\"storage\":";
    json::write_string(out_, storages_[found->second].name);
    out_ += ",\"dtype\":";
    json::write_string(out_, dtype_name(tensor.dtype()));
    out_ += ",\"shape\":";
    append_int_array(out_, tensor.sizes());
    out_ += ",\"stride\":";
    append_int_array(out_, tensor.strides());
    out_ += ",\"offset\":";
    append_int(out_, tensor.storage_offset());
    out_ += ",\"requires_grad\":";
    out_ += tensor.requires_grad() ? "true" : "false";
    out_ += ",\"device\":\"cpu\"}}";
  }

  std::string out_;
  std::vector<StorageEntry> storages_;
  std::unordered_map<const Storage*, size_t> index_of_;
};

// ---- reading ----

[[noreturn]] void corrupt(const std::string& problem) {
  detail::raise<RuntimeError>("[ember.load] expected an ember checkpoint (a safetensors file); ",
                              problem);
}

struct Entry {
  std::string name;
  ScalarType dtype;
  uint64_t begin;
  uint64_t end;
};

struct Header {
  std::vector<Entry> entries;
  std::string structure;
  uint64_t data_start;  // 8 + header length
};

uint64_t read_le64(const unsigned char* bytes) {
  uint64_t value = 0;
  for (int index = 7; index >= 0; --index) value = (value << 8) | bytes[index];
  return value;
}

uint64_t checked_nonnegative(const json::Json& value, const std::string& what) {
  if (value.kind != json::Json::Kind::Int || value.integer < 0) {
    corrupt(what + " must be a non-negative integer");
  }
  return static_cast<uint64_t>(value.integer);
}

// The safetensors rules (RELIABILITY.md): known dtypes, byte sizes that match the shapes, entries
// that cover the data contiguously and end exactly at the end of the file.
Header parse_header(std::string_view header_text, uint64_t file_size) {
  Header header;
  header.data_start = 8 + header_text.size();
  const json::Json root = json::parse(header_text, "the safetensors header");
  if (root.kind != json::Json::Kind::Object) corrupt("the header must be a JSON object");
  bool has_structure = false;
  for (const auto& [name, value] : root.object) {
    if (name == "__metadata__") {
      if (value.kind != json::Json::Kind::Object) corrupt("__metadata__ must be an object");
      for (const auto& [key, text] : value.object) {
        if (text.kind != json::Json::Kind::String) {
          corrupt("__metadata__ values must be strings; '" + key + "' is not");
        }
        if (key == kStructureKey) {
          header.structure = text.text;
          has_structure = true;
        }
      }
      continue;
    }
    if (value.kind != json::Json::Kind::Object) corrupt("entry '" + name + "' must be an object");
    const json::Json* dtype = value.find("dtype");
    const json::Json* shape = value.find("shape");
    const json::Json* offsets = value.find("data_offsets");
    if (dtype == nullptr || shape == nullptr || offsets == nullptr || value.object.size() != 3) {
      corrupt("entry '" + name + "' must have exactly dtype, shape and data_offsets");
    }
    Entry entry{name, ScalarType::UInt8, 0, 0};
    if (dtype->kind != json::Json::Kind::String ||
        !dtype_from_name(dtype->text, true, entry.dtype)) {
      corrupt("entry '" + name + "' has an unknown dtype");
    }
    if (shape->kind != json::Json::Kind::Array) corrupt("entry '" + name + "' shape not a list");
    uint64_t nbytes = itemsize(entry.dtype);
    for (const json::Json& size : shape->array) {
      if (__builtin_mul_overflow(nbytes, checked_nonnegative(size, "a size of '" + name + "'"),
                                 &nbytes)) {
        corrupt("entry '" + name + "' has a shape whose byte size overflows");
      }
    }
    if (offsets->kind != json::Json::Kind::Array || offsets->array.size() != 2) {
      corrupt("entry '" + name + "' data_offsets must be [begin, end]");
    }
    entry.begin = checked_nonnegative(offsets->array[0], "data_offsets of '" + name + "'");
    entry.end = checked_nonnegative(offsets->array[1], "data_offsets of '" + name + "'");
    if (entry.end < entry.begin || entry.end - entry.begin != nbytes) {
      corrupt("entry '" + name + "' has data_offsets that do not match its dtype and shape");
    }
    header.entries.push_back(std::move(entry));
  }
  if (!has_structure) {
    corrupt(
        "its __metadata__ has no 'ember.structure' (a plain safetensors file: read it with "
        "ember.safetensors)");
  }
  std::vector<const Entry*> by_offset;
  for (const Entry& entry : header.entries) by_offset.push_back(&entry);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const Entry* a, const Entry* b) { return a->begin < b->begin; });
  uint64_t covered = 0;
  for (const Entry* entry : by_offset) {
    if (entry->begin != covered) corrupt("entry '" + entry->name + "' leaves a gap or overlaps");
    covered = entry->end;
  }
  if (header.data_start + covered != file_size) {
    corrupt("the data section holds " + std::to_string(file_size - header.data_start) +
            " bytes but the entries describe " + std::to_string(covered) +
            " (truncated or trailing bytes)");
  }
  return header;
}

// Where storages come from: copied out of memory or a file, or pointing into a mapping.
using StorageSource = std::function<IntrusivePtr<Storage>(uint64_t file_offset, uint64_t nbytes)>;

class StructureReader {
 public:
  StructureReader(const Header& header, StorageSource source)
      : header_(header), source_(std::move(source)) {}

  Value read() {
    const json::Json root = json::parse(header_.structure, "the ember.structure metadata");
    return read_value(root);
  }

 private:
  Value read_value(const json::Json& node) {
    switch (node.kind) {
      case json::Json::Kind::Null:
        return Value();
      case json::Json::Kind::Bool:
        return Value(node.boolean);
      case json::Json::Kind::Int:
        return Value(node.integer);
      case json::Json::Kind::String:
        return Value(node.text);
      case json::Json::Kind::Array:
        corrupt("the structure has a bare JSON array");
      case json::Json::Kind::Object:
        break;
    }
    if (node.object.size() != 1) corrupt("a structure node must have one tag");
    const auto& [tag, body] = node.object.front();
    if (tag == "float") {
      if (body.kind != json::Json::Kind::String) corrupt("a float must be a string");
      return Value(parse_float(body.text));
    }
    if (tag == "list" || tag == "tuple") {
      if (body.kind != json::Json::Kind::Array) corrupt("a " + tag + " must be an array");
      std::vector<Value> elements;
      elements.reserve(body.array.size());
      for (const json::Json& element : body.array) elements.push_back(read_value(element));
      return tag == "list" ? Value::list(std::move(elements)) : Value::tuple(std::move(elements));
    }
    if (tag == "dict" || tag == "ordered_dict") {
      if (body.kind != json::Json::Kind::Array) corrupt("a " + tag + " must be an array");
      Value::Items items;
      for (const json::Json& pair : body.array) {
        if (pair.kind != json::Json::Kind::Array || pair.array.size() != 2) {
          corrupt("a dict item must be [key, value]");
        }
        const json::Json& key = pair.array[0];
        if (key.kind == json::Json::Kind::String) {
          items.emplace_back(key.text, read_value(pair.array[1]));
        } else if (key.kind == json::Json::Kind::Int) {
          items.emplace_back(key.integer, read_value(pair.array[1]));
        } else {
          corrupt("a dict key must be a string or an integer");
        }
      }
      return tag == "dict" ? Value::dict(std::move(items)) : Value::ordered_dict(std::move(items));
    }
    if (tag == "tensor") return Value(read_tensor(body));
    corrupt("unknown structure tag '" + tag + "'");
  }

  static double parse_float(const std::string& text) {
    if (text == "nan") return std::nan("");
    if (text == "-nan") return -std::nan("");
    double value = 0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || stop != text.data() + text.size()) {
      corrupt("'" + text + "' is not a float");
    }
    return value;
  }

  static std::vector<int64_t> int_list(const json::Json* node, const char* what) {
    if (node == nullptr || node->kind != json::Json::Kind::Array) {
      corrupt(std::string("a tensor's ") + what + " must be a list");
    }
    std::vector<int64_t> values;
    for (const json::Json& element : node->array) {
      values.push_back(static_cast<int64_t>(checked_nonnegative(element, what)));
    }
    return values;
  }

  Tensor read_tensor(const json::Json& body) {
    if (body.kind != json::Json::Kind::Object) corrupt("a tensor must be an object");
    const json::Json* storage_name = body.find("storage");
    const json::Json* dtype_node = body.find("dtype");
    const json::Json* offset_node = body.find("offset");
    const json::Json* requires_grad = body.find("requires_grad");
    if (storage_name == nullptr || storage_name->kind != json::Json::Kind::String) {
      corrupt("a tensor must name its storage");
    }
    ScalarType dtype = ScalarType::UInt8;
    if (dtype_node == nullptr || dtype_node->kind != json::Json::Kind::String ||
        !dtype_from_name(dtype_node->text, false, dtype)) {
      corrupt("a tensor has an unknown dtype");
    }
    const std::vector<int64_t> shape = int_list(body.find("shape"), "shape");
    const std::vector<int64_t> stride = int_list(body.find("stride"), "stride");
    if (shape.size() != stride.size()) corrupt("a tensor's shape and stride differ in length");
    if (offset_node == nullptr) corrupt("a tensor must have an offset");
    const auto offset = static_cast<int64_t>(checked_nonnegative(*offset_node, "offset"));
    IntrusivePtr<Storage> storage = storage_named(storage_name->text);
    // The furthest element must lie inside the storage (checked without overflow).
    bool empty = false;
    uint64_t last = static_cast<uint64_t>(offset);
    for (size_t dim = 0; dim < shape.size(); ++dim) {
      if (shape[dim] == 0) empty = true;
      uint64_t reach = 0;
      if (shape[dim] > 0 && (__builtin_mul_overflow(static_cast<uint64_t>(shape[dim] - 1),
                                                    static_cast<uint64_t>(stride[dim]), &reach) ||
                             __builtin_add_overflow(last, reach, &last))) {
        corrupt("a tensor's shape and stride overflow");
      }
    }
    uint64_t end_byte = 0;
    if (!empty && (__builtin_add_overflow(last, 1, &end_byte) ||
                   __builtin_mul_overflow(end_byte, itemsize(dtype), &end_byte) ||
                   end_byte > storage->nbytes())) {
      corrupt("a tensor reaches past the end of its storage '" + storage_name->text + "'");
    }
    Tensor tensor(IntrusivePtr<TensorImpl>::make(storage, offset, Shape(shape.begin(), shape.end()),
                                                 Strides(stride.begin(), stride.end()), dtype));
    if (requires_grad != nullptr && requires_grad->kind == json::Json::Kind::Bool &&
        requires_grad->boolean) {
      tensor.requires_grad_(true);
    }
    return tensor;
  }

  IntrusivePtr<Storage> storage_named(const std::string& name) {
    if (auto found = loaded_.find(name); found != loaded_.end()) return found->second;
    for (const Entry& entry : header_.entries) {
      if (entry.name == name) {
        IntrusivePtr<Storage> storage =
            source_(header_.data_start + entry.begin, entry.end - entry.begin);
        loaded_.emplace(name, storage);
        return storage;
      }
    }
    corrupt("a tensor names the storage '" + name + "', which the file does not hold");
  }

  const Header& header_;
  StorageSource source_;
  std::unordered_map<std::string, IntrusivePtr<Storage>> loaded_;
};

// ---- files ----

[[noreturn]] void system_error(const std::string& op, const std::string& path) {
  detail::raise<RuntimeError>("[", op, "] ", path, ": ", std::strerror(errno));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void write_all(int fd, const void* data, size_t nbytes, const std::string& path) {
  const char* cursor = static_cast<const char*>(data);
  while (nbytes > 0) {
    const ssize_t written = ::write(fd, cursor, std::min<size_t>(nbytes, size_t{1} << 30));
    if (written < 0) {
      if (errno == EINTR) continue;
      system_error("ember.save", path);
    }
    cursor += written;
    nbytes -= static_cast<size_t>(written);
  }
}

void read_all(int fd, void* data, size_t nbytes, uint64_t offset, const std::string& path) {
  char* cursor = static_cast<char*>(data);
  while (nbytes > 0) {
    const ssize_t got =
        ::pread(fd, cursor, std::min<size_t>(nbytes, size_t{1} << 30), static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      system_error("ember.load", path);
    }
    if (got == 0) corrupt("the file ended early");
    cursor += got;
    nbytes -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

struct Mapping {
  void* address = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (address != nullptr) ::munmap(address, size);
  }
};

void release_mapping(void*, size_t, void* context) {
  delete static_cast<std::shared_ptr<Mapping>*>(context);
}

Header read_header_prefix(const unsigned char* prefix, uint64_t file_size,
                          const std::function<std::string(uint64_t)>& read_text) {
  if (file_size < 8) corrupt("the file has " + std::to_string(file_size) + " bytes, fewer than 8");
  const uint64_t header_size = read_le64(prefix);
  if (header_size > kMaxHeaderSize) {
    corrupt("the header length " + std::to_string(header_size) + " exceeds 100000000");
  }
  if (header_size > file_size - 8) {
    corrupt("the header length " + std::to_string(header_size) + " runs past the end of the " +
            std::to_string(file_size) + "-byte file");
  }
  return parse_header(read_text(header_size), file_size);
}

}  // namespace

size_t EncodedCheckpoint::total_size() const {
  size_t total = header.size();
  for (const Chunk& chunk : chunks) total += chunk.nbytes;
  return total;
}

EncodedCheckpoint encode(const Value& value) {
  StructureWriter writer;
  const std::string structure = writer.write(value);
  std::vector<StorageEntry>& storages = writer.storages();
  // Widest items first, so that every entry starts at a multiple of its item size (the data
  // section starts 8-byte aligned) and mmap'd tensors are aligned.
  std::stable_sort(storages.begin(), storages.end(), [](const auto& a, const auto& b) {
    return itemsize(a.dtype) > itemsize(b.dtype);
  });
  EncodedCheckpoint encoded;
  std::string text = "{\"__metadata__\":{\"format\":";
  json::write_string(text, kFormatName);
  text += ",\"version\":";
  json::write_string(text, kFormatVersion);
  text += ',';
  json::write_string(text, kStructureKey);
  text += ':';
  json::write_string(text, structure);
  text += '}';
  uint64_t offset = 0;
  for (const StorageEntry& entry : storages) {
    const size_t nbytes = entry.storage->nbytes();
    const bool whole_items = nbytes % itemsize(entry.dtype) == 0;
    const ScalarType entry_dtype = whole_items ? entry.dtype : ScalarType::UInt8;
    text += ',';
    json::write_string(text, entry.name);
    text += ":{\"dtype\":\"";
    text += safetensors_dtype(entry_dtype);
    text += "\",\"shape\":[";
    append_int(text, static_cast<int64_t>(nbytes / itemsize(entry_dtype)));
    text += "],\"data_offsets\":[";
    append_int(text, static_cast<int64_t>(offset));
    text += ',';
    append_int(text, static_cast<int64_t>(offset + nbytes));
    text += "]}";
    offset += nbytes;
    encoded.chunks.push_back({entry.storage->data(), nbytes});
  }
  text += '}';
  text.append((8 - text.size() % 8) % 8, ' ');
  uint64_t length = text.size();
  encoded.header.resize(8);
  for (int index = 0; index < 8; ++index) {
    encoded.header[index] = static_cast<char>((length >> (8 * index)) & 0xFF);
  }
  encoded.header += text;
  return encoded;
}

std::string save_to_bytes(const Value& value) {
  const EncodedCheckpoint encoded = encode(value);
  std::string bytes;
  bytes.reserve(encoded.total_size());
  bytes += encoded.header;
  for (const auto& chunk : encoded.chunks) {
    bytes.append(static_cast<const char*>(chunk.data), chunk.nbytes);
  }
  return bytes;
}

void save_to_file(const Value& value, const std::string& path) {
  const EncodedCheckpoint encoded = encode(value);
  const std::string directory = directory_of(path);
  std::random_device entropy;
  const std::string temporary =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(entropy());
  FileDescriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (file.get() < 0) system_error("ember.save", temporary);
  try {
    write_all(file.get(), encoded.header.data(), encoded.header.size(), temporary);
    for (const auto& chunk : encoded.chunks) {
      write_all(file.get(), chunk.data, chunk.nbytes, temporary);
    }
    if (::fsync(file.get()) != 0) system_error("ember.save", temporary);
    if (::close(file.release()) != 0) system_error("ember.save", temporary);
    if (::rename(temporary.c_str(), path.c_str()) != 0) system_error("ember.save", path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  FileDescriptor directory_fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory_fd.get() >= 0) ::fsync(directory_fd.get());
}

Value load_from_bytes(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  const Header header = read_header_prefix(bytes, size, [&](uint64_t length) {
    return std::string(reinterpret_cast<const char*>(bytes) + 8, length);
  });
  return StructureReader(header,
                         [&](uint64_t offset, uint64_t nbytes) {
                           IntrusivePtr<Storage> storage = Storage::allocate(nbytes, Device(kCPU));
                           if (nbytes > 0) std::memcpy(storage->data(), bytes + offset, nbytes);
                           return storage;
                         })
      .read();
}

Value load_from_file(const std::string& path, bool mmap) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) system_error("ember.load", path);
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) system_error("ember.load", path);
  const auto file_size = static_cast<uint64_t>(info.st_size);
  unsigned char prefix[8] = {};
  if (file_size >= 8) read_all(file.get(), prefix, 8, 0, path);
  const Header header = read_header_prefix(prefix, file_size, [&](uint64_t length) {
    std::string text(length, '\0');
    read_all(file.get(), text.data(), length, 8, path);
    return text;
  });
  if (!mmap) {
    return StructureReader(header,
                           [&](uint64_t offset, uint64_t nbytes) {
                             IntrusivePtr<Storage> storage =
                                 Storage::allocate(nbytes, Device(kCPU));
                             read_all(file.get(), storage->data(), nbytes, offset, path);
                             return storage;
                           })
        .read();
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->size = file_size;
  void* address = ::mmap(nullptr, file_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, file.get(), 0);
  if (address == MAP_FAILED) system_error("ember.load (mmap)", path);
  mapping->address = address;
  return StructureReader(header,
                         [&](uint64_t offset, uint64_t nbytes) {
                           return Storage::wrap(static_cast<char*>(address) + offset, nbytes,
                                                Device(kCPU), &release_mapping,
                                                new std::shared_ptr<Mapping>(mapping));
                         })
      .read();
}

}  // namespace ember::serialize
