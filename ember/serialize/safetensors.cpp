#include "ember/serialize/safetensors.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <tuple>

#include "ember/ops/ops.h"
#include "ember/serialize/json.h"
#include "ember/serialize/mapped_file.h"
#include "ember/tensor/storage.h"

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; big-endian hosts would need byte swaps");

namespace ember::safetensors {
namespace {

struct DtypeEntry {
  std::string_view name;
  uint64_t bits;
  std::optional<ScalarType> dtype;
};

// The reference implementation's Dtype enum (RELIABILITY.md "Dtype strings").
constexpr DtypeEntry kDtypes[] = {
    {"BOOL", 8, kBool},
    {"U8", 8, kUInt8},
    {"I8", 8, kInt8},
    {"I16", 16, kInt16},
    {"I32", 32, kInt32},
    {"I64", 64, kInt64},
    {"F16", 16, kFloat16},
    {"BF16", 16, kBFloat16},
    {"F32", 32, kFloat32},
    {"F64", 64, kFloat64},
    {"U16", 16, std::nullopt},
    {"U32", 32, std::nullopt},
    {"U64", 64, std::nullopt},
    {"C64", 64, std::nullopt},
    {"F4", 4, std::nullopt},
    {"F6_E2M3", 6, std::nullopt},
    {"F6_E3M2", 6, std::nullopt},
    {"F8_E5M2", 8, std::nullopt},
    {"F8_E4M3", 8, std::nullopt},
    {"F8_E8M0", 8, std::nullopt},
    {"F8_E4M3FNUZ", 8, std::nullopt},
    {"F8_E5M2FNUZ", 8, std::nullopt},
};

const DtypeEntry* find_dtype(std::string_view name) {
  for (const DtypeEntry& entry : kDtypes) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

[[noreturn]] void fail(ErrorKind kind, const std::string& detail) {
  throw SafetensorError(kind, detail);
}

std::string named(std::string_view name) { return "'" + std::string(name) + "'"; }

void check_name(std::string_view name) {
  if (name.empty()) fail(ErrorKind::InvalidTensorName, "expected a non-empty tensor name; got ''");
  if (name.size() > kMaxNameLength) {
    fail(ErrorKind::InvalidTensorName, "expected a tensor name of at most " +
                                           std::to_string(kMaxNameLength) + " bytes; got " +
                                           std::to_string(name.size()));
  }
}

Metadata parse_metadata(const json::Value& value) {
  if (!value.is_object()) {
    fail(ErrorKind::InvalidMetadata, "expected __metadata__ to be a JSON object; got a JSON " +
                                         std::string(json::type_name(value.type())));
  }
  Metadata metadata;
  for (const auto& [key, item] : value.as_object()) {
    if (!item.is_string()) {
      fail(ErrorKind::InvalidMetadata, "expected string values in __metadata__; got a JSON " +
                                           std::string(json::type_name(item.type())) + " for key " +
                                           named(key));
    }
    if (!metadata.emplace(key, item.as_string()).second) {
      fail(ErrorKind::DuplicateKey, "__metadata__ has the key " + named(key) + " twice");
    }
  }
  return metadata;
}

uint64_t checked_multiply(uint64_t a, uint64_t b, const std::string& name) {
  uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) {
    fail(ErrorKind::ValidationOverflow,
         "the byte size of tensor " + named(name) + " overflows 64 bits");
  }
  return product;
}

TensorInfo parse_entry(const std::string& name, const json::Value& value) {
  check_name(name);
  if (!value.is_object()) {
    fail(ErrorKind::InvalidHeaderDeserialization, "expected tensor " + named(name) +
                                                      " to be a JSON object; got a JSON " +
                                                      std::string(json::type_name(value.type())));
  }
  const json::Value* dtype = nullptr;
  const json::Value* shape = nullptr;
  const json::Value* offsets = nullptr;
  for (const auto& [field, item] : value.as_object()) {
    const json::Value** slot = field == "dtype"          ? &dtype
                               : field == "shape"        ? &shape
                               : field == "data_offsets" ? &offsets
                                                         : nullptr;
    if (slot == nullptr) {
      fail(ErrorKind::InvalidHeaderDeserialization,
           "expected only dtype, shape and data_offsets in tensor " + named(name) +
               "; got the field " + named(field));
    }
    if (*slot != nullptr) {
      fail(ErrorKind::DuplicateKey,
           "tensor " + named(name) + " has the field " + named(field) + " twice");
    }
    *slot = &item;
  }
  if (dtype == nullptr || shape == nullptr || offsets == nullptr) {
    fail(ErrorKind::InvalidHeaderDeserialization,
         "expected dtype, shape and data_offsets in tensor " + named(name) + "; got no " +
             (dtype == nullptr   ? "dtype"
              : shape == nullptr ? "shape"
                                 : "data_offsets"));
  }
  TensorInfo info;
  info.name = name;
  if (!dtype->is_string()) {
    fail(ErrorKind::InvalidHeaderDeserialization,
         "expected a string dtype for tensor " + named(name));
  }
  const DtypeEntry* entry = find_dtype(dtype->as_string());
  if (entry == nullptr) {
    fail(ErrorKind::UnsupportedDtype,
         "tensor " + named(name) + " has the unsupported dtype " + named(dtype->as_string()));
  }
  info.dtype_name = std::string(entry->name);
  info.dtype = entry->dtype;

  if (!shape->is_array() || shape->as_array().size() > kMaxRank) {
    fail(ErrorKind::InvalidShape, "expected the shape of tensor " + named(name) +
                                      " to be a list of at most " + std::to_string(kMaxRank) +
                                      " sizes");
  }
  uint64_t numel = 1;
  // The product of the non-zero sizes: the largest contiguous stride, which must fit int64 even
  // when a zero size makes the tensor empty.
  uint64_t stride_span = 1;
  for (const json::Value& size : shape->as_array()) {
    if (!size.is_number() || !size.as_number().is_integer() || size.as_number().text[0] == '-') {
      fail(ErrorKind::InvalidShape, "expected non-negative integer sizes in the shape of tensor " +
                                        named(name) + "; got " + json::dump(*shape));
    }
    uint64_t extent = 0;
    try {
      extent = size.as_number().to_uint64();
    } catch (const ValueError&) {
      fail(ErrorKind::ValidationOverflow,
           "a size of tensor " + named(name) + " (" + size.as_number().text + ") overflows");
    }
    if (extent > static_cast<uint64_t>(INT64_MAX)) {
      fail(ErrorKind::ValidationOverflow,
           "a size of tensor " + named(name) + " (" + size.as_number().text + ") overflows int64");
    }
    info.shape.push_back(static_cast<int64_t>(extent));
    numel = checked_multiply(numel, extent, name);
    if (__builtin_mul_overflow(stride_span, std::max<uint64_t>(extent, 1), &stride_span) ||
        stride_span > static_cast<uint64_t>(INT64_MAX)) {
      fail(ErrorKind::ValidationOverflow, "the shape of tensor " + named(name) + " (" +
                                              json::dump(*shape) +
                                              ") has strides that overflow int64");
    }
  }
  if (numel > static_cast<uint64_t>(INT64_MAX)) {
    fail(ErrorKind::ValidationOverflow,
         "the element count of tensor " + named(name) + " overflows int64");
  }
  const uint64_t bits = checked_multiply(numel, entry->bits, name);
  if (bits % 8 != 0) {
    fail(ErrorKind::MisalignedSlice, "tensor " + named(name) + " of dtype " + info.dtype_name +
                                         " has " + std::to_string(numel) +
                                         " elements, which do not fill whole bytes");
  }

  const bool offsets_valid =
      offsets->is_array() && offsets->as_array().size() == 2 &&
      std::all_of(offsets->as_array().begin(), offsets->as_array().end(), [](const json::Value& v) {
        return v.is_number() && v.as_number().is_integer() && v.as_number().text[0] != '-';
      });
  if (!offsets_valid) {
    fail(ErrorKind::InvalidHeaderDeserialization,
         "expected data_offsets of tensor " + named(name) +
             " to be two non-negative integers [BEGIN, END]; got " + json::dump(*offsets));
  }
  try {
    info.begin = offsets->as_array()[0].as_number().to_uint64();
    info.end = offsets->as_array()[1].as_number().to_uint64();
  } catch (const ValueError&) {
    fail(ErrorKind::ValidationOverflow,
         "data_offsets of tensor " + named(name) + " overflow: " + json::dump(*offsets));
  }
  if (info.end < info.begin) {
    fail(ErrorKind::InvalidOffset, "tensor " + named(name) + " ends (" + std::to_string(info.end) +
                                       ") before it begins (" + std::to_string(info.begin) + ")");
  }
  if (info.end - info.begin != bits / 8) {
    fail(ErrorKind::TensorInvalidInfo,
         "tensor " + named(name) + " of dtype " + info.dtype_name + " and shape " +
             json::dump(*shape) + " needs " + std::to_string(bits / 8) +
             " bytes; its data_offsets span " + std::to_string(info.end - info.begin));
  }
  return info;
}

// A tensor of `info` over bytes the caller keeps alive (`owner` runs when the last view dies),
// or a copy when the bytes are not aligned to the element size.
Tensor view_or_copy(const TensorInfo& info, char* data, const std::function<void(void*)>& owner) {
  if (!info.dtype) {
    fail(ErrorKind::UnsupportedDtype, "tensor " + named(info.name) + " has dtype " +
                                          info.dtype_name + ", which ember has no type for");
  }
  const ScalarType dtype = *info.dtype;
  if (reinterpret_cast<uintptr_t>(data) % itemsize(dtype) != 0 || !owner) {
    return from_blob_copy(data, info.shape, dtype);
  }
  return from_blob(data, info.shape, {}, owner, TensorOptions(dtype));
}

// The packed tensors in file order and the padded header.
struct Plan {
  std::string header;  // 8-byte length prefix included
  std::vector<std::pair<std::string, Tensor>> tensors;
};

Plan plan(const TensorMap& tensors, const std::optional<Metadata>& metadata) {
  Plan result;
  for (const auto& [name, tensor] : tensors) {
    check_name(name);
    if (name == "__metadata__") {
      fail(ErrorKind::InvalidTensorName, "'__metadata__' is reserved; it can't name a tensor");
    }
    if (!tensor.defined()) {
      fail(ErrorKind::InvalidTensor, "tensor " + named(name) + " is undefined");
    }
    // A tensor on another device (CUDA) is written from one contiguous host copy, as PyTorch's
    // safetensors does: its memory is not the host's to read.
    if (!tensor.device().is_cpu()) {
      result.tensors.emplace_back(name, tensor.to(Device(kCPU), tensor.dtype()).contiguous());
      continue;
    }
    result.tensors.emplace_back(name, tensor.is_contiguous() ? tensor : tensor.contiguous());
  }
  // W1: larger elements first, so that every tensor starts aligned to its element size.
  std::stable_sort(result.tensors.begin(), result.tensors.end(), [](const auto& a, const auto& b) {
    if (a.second.element_size() != b.second.element_size())
      return a.second.element_size() > b.second.element_size();
    return a.first < b.first;
  });
  json::Object header;
  if (metadata) {
    json::Object items;
    for (const auto& [key, value] : *metadata) items.emplace_back(key, json::Value(value));
    header.emplace_back("__metadata__", json::Value(std::move(items)));
  }
  uint64_t offset = 0;
  for (const auto& [name, tensor] : result.tensors) {
    json::Array shape;
    for (int64_t size : tensor.shape()) shape.emplace_back(size);
    const uint64_t end = offset + tensor.nbytes();
    header.emplace_back(
        name, json::Value(json::Object{
                  {"dtype", json::Value(dtype_to_string(tensor.dtype()))},
                  {"shape", json::Value(std::move(shape))},
                  {"data_offsets", json::Value(json::Array{json::Value(offset), json::Value(end)})},
              }));
    offset = end;
  }
  std::string text = json::dump(json::Value(std::move(header)));
  text.append((8 - text.size() % 8) % 8, ' ');  // W2
  if (text.size() > kMaxHeaderSize) {
    fail(ErrorKind::HeaderTooLarge, "the header would take " + std::to_string(text.size()) +
                                        " bytes; at most " + std::to_string(kMaxHeaderSize) +
                                        " are allowed");
  }
  const uint64_t length = text.size();
  result.header.resize(8);
  std::memcpy(result.header.data(), &length, 8);
  result.header += text;
  return result;
}

[[noreturn]] void fail_io(const std::string& what, const std::string& path) {
  fail(ErrorKind::Io, what + " '" + path + "': " + std::strerror(errno));
}

void write_all(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, std::min<size_t>(size, size_t{1} << 30));
    if (written < 0) {
      if (errno == EINTR) continue;
      fail_io("can't write", path);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
}

void read_all(int fd, char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t got = ::read(fd, data, std::min<size_t>(size, size_t{1} << 30));
    if (got < 0) {
      if (errno == EINTR) continue;
      fail_io("can't read", path);
    }
    if (got == 0) fail(ErrorKind::Io, "'" + path + "' shrank while it was read");
    data += got;
    size -= static_cast<size_t>(got);
  }
}

Contents contents_of(const Header& header, char* data_section,
                     const std::function<void(void*)>& owner) {
  Contents contents;
  contents.metadata = header.metadata;
  for (const TensorInfo& info : header.tensors) {
    contents.tensors.emplace(info.name, view_or_copy(info, data_section + info.begin, owner));
  }
  return contents;
}

}  // namespace

std::string_view error_kind_name(ErrorKind kind) {
  static constexpr std::string_view kNames[] = {
      "HeaderTooSmall",
      "HeaderTooLarge",
      "InvalidHeaderLength",
      "InvalidHeader",
      "InvalidHeaderDeserialization",
      "DuplicateKey",
      "InvalidMetadata",
      "InvalidTensorName",
      "UnsupportedDtype",
      "InvalidShape",
      "ValidationOverflow",
      "MisalignedSlice",
      "InvalidOffset",
      "TensorInvalidInfo",
      "MetadataIncompleteBuffer",
      "TensorNotFound",
      "InvalidTensor",
      "Io",
  };
  return kNames[static_cast<int>(kind)];
}

SafetensorError::SafetensorError(ErrorKind kind, const std::string& detail)
    : ValueError("[safetensors] " + std::string(error_kind_name(kind)) + ": " + detail),
      kind_(kind) {}

std::string_view dtype_to_string(ScalarType dtype) {
  for (const DtypeEntry& entry : kDtypes) {
    if (entry.dtype == dtype) return entry.name;
  }
  return "";
}

std::optional<ScalarType> dtype_from_string(std::string_view name) {
  const DtypeEntry* entry = find_dtype(name);
  return entry == nullptr ? std::nullopt : entry->dtype;
}

const TensorInfo* Header::find(std::string_view name) const {
  for (const TensorInfo& info : tensors) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

uint64_t header_length(std::string_view first_bytes, uint64_t file_size) {
  if (file_size < 8 || first_bytes.size() < 8) {
    fail(ErrorKind::HeaderTooSmall,
         "expected at least 8 bytes (the header length); got " +
             std::to_string(std::min<uint64_t>(file_size, first_bytes.size())));
  }
  uint64_t length = 0;
  std::memcpy(&length, first_bytes.data(), 8);
  if (length > kMaxHeaderSize) {
    fail(ErrorKind::HeaderTooLarge, "the header claims " + std::to_string(length) +
                                        " bytes; at most " + std::to_string(kMaxHeaderSize) +
                                        " are allowed");
  }
  if (8 + length > file_size) {
    fail(ErrorKind::InvalidHeaderLength, "the header claims " + std::to_string(length) +
                                             " bytes, past the end of the " +
                                             std::to_string(file_size) + "-byte file");
  }
  return length;
}

Header parse_header(std::string_view prefix, uint64_t file_size) {
  const uint64_t length = header_length(prefix, file_size);
  if (prefix.size() < 8 + length) {
    fail(ErrorKind::InvalidHeaderLength, "expected " + std::to_string(8 + length) +
                                             " bytes of header; got " +
                                             std::to_string(prefix.size()));
  }
  const std::string_view text = prefix.substr(8, length);
  if (!json::is_valid_utf8(text)) {
    fail(ErrorKind::InvalidHeader, "expected the header to be UTF-8; got invalid byte sequences");
  }
  const size_t first = text.find_first_not_of(" \t\n\r");
  if (first == std::string_view::npos || text[first] != '{') {
    fail(ErrorKind::InvalidHeader, "expected the header to be a JSON object starting with '{'");
  }
  json::Value root;
  try {
    json::ParseOptions options;
    options.max_depth = 3;  // header > tensor entry > shape
    root = json::parse(text, options);
  } catch (const json::ParseError& error) {
    fail(ErrorKind::InvalidHeaderDeserialization, error.what());
  }
  Header header;
  header.data_start = 8 + length;
  std::set<std::string_view> names;
  for (const auto& [name, value] : root.as_object()) {
    if (!names.insert(name).second) {
      fail(ErrorKind::DuplicateKey, "the header names " + named(name) + " twice");
    }
    if (name == "__metadata__") {
      header.metadata = parse_metadata(value);
    } else {
      header.tensors.push_back(parse_entry(name, value));
    }
  }
  // L11: sorted by offsets, the tensors cover the data section exactly.
  std::sort(header.tensors.begin(), header.tensors.end(), [](const auto& a, const auto& b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  uint64_t expected = 0;
  for (const TensorInfo& info : header.tensors) {
    if (info.begin != expected) {
      fail(ErrorKind::InvalidOffset,
           "tensor " + named(info.name) + " begins at " + std::to_string(info.begin) +
               "; expected " + std::to_string(expected) +
               (info.begin < expected ? " (it overlaps the previous tensor)" : " (a gap)"));
    }
    expected = info.end;
  }
  uint64_t total = 0;
  if (__builtin_add_overflow(header.data_start, expected, &total) || total != file_size) {
    fail(ErrorKind::MetadataIncompleteBuffer,
         "the header describes " + std::to_string(expected) + " bytes of data after " +
             std::to_string(header.data_start) + " bytes of header; the file has " +
             std::to_string(file_size) + " bytes in all");
  }
  return header;
}

std::string save(const TensorMap& tensors, const std::optional<Metadata>& metadata) {
  Plan file = plan(tensors, metadata);
  size_t total = file.header.size();
  for (const auto& entry : file.tensors) total += entry.second.nbytes();
  std::string bytes = std::move(file.header);
  bytes.reserve(total);
  for (const auto& [name, tensor] : file.tensors) {
    bytes.append(static_cast<const char*>(tensor.data_ptr()), tensor.nbytes());
  }
  return bytes;
}

namespace {

// The temporary files save_file names ".<name>.tmp-<pid>-<n>" beside the target: the ones whose
// process no longer exists were left by a save that was killed before its rename, and go. A
// temporary of a live process (or of a pid reused since) stays: its save may still be running.
void remove_stale_temporaries(const std::filesystem::path& directory, const std::string& name) {
  const std::string prefix = "." + name + ".tmp-";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) != 0) continue;
    const std::string rest = file.substr(prefix.size());
    const size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || rest.find_first_not_of("0123456789") != dash) {
      continue;
    }
    const long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      ::unlink(entry.path().c_str());
    }
  }
}

}  // namespace

void save_file(const TensorMap& tensors, const std::string& path,
               const std::optional<Metadata>& metadata) {
  Plan file = plan(tensors, metadata);
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  remove_stale_temporaries(directory, target.filename().string());
  static std::atomic<uint64_t> counter{0};
  const std::string temporary =
      (directory / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++)))
          .string();
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail_io("can't create", temporary);
  // Any failure from here on (a full disk, an I/O error) removes the temporary file.
  bool descriptor_open = true;
  try {
    write_all(fd, file.header.data(), file.header.size(), temporary);
    for (const auto& [name, tensor] : file.tensors) {
      write_all(fd, static_cast<const char*>(tensor.data_ptr()), tensor.nbytes(), temporary);
    }
    if (::fsync(fd) != 0) fail_io("can't fsync", temporary);
    descriptor_open = false;  // close releases the descriptor even when it reports an error
    if (::close(fd) != 0) fail_io("can't close", temporary);
  } catch (...) {
    if (descriptor_open) ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    errno = error;
    fail_io("can't rename the temporary file onto", path);
  }
  // The rename itself is durable only once the directory is.
  const int directory_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd >= 0) {
    ::fsync(directory_fd);
    ::close(directory_fd);
  }
}

Contents load_contents(std::string_view bytes) {
  const Header header = parse_header(bytes, bytes.size());
  char* data = const_cast<char*>(bytes.data()) + header.data_start;
  return contents_of(header, data, nullptr);
}

TensorMap load(std::string_view bytes) { return load_contents(bytes).tensors; }

Contents load_file_contents(const std::string& path, bool mmap) {
  if (mmap) {
    std::shared_ptr<MappedFile> file = MappedFile::open(path);
    const Header header = parse_header(std::string_view(file->data(), file->size()), file->size());
    return contents_of(header, file->data() + header.data_start, [file](void*) {});
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_io("can't open", path);
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    fail(ErrorKind::Io, "'" + path + "' is not a regular file");
  }
  const auto size = static_cast<uint64_t>(status.st_size);
  // Header first (L14: nothing sized from the file's claims before it validates).
  char first[8] = {};
  read_all(fd, first, std::min<uint64_t>(size, 8), path);
  header_length(std::string_view(first, std::min<uint64_t>(size, 8)), size);
  // One buffer of the file's real size holds it all; the tensors view it (no second copy).
  IntrusivePtr<Storage> storage = Storage::allocate(size, Device(kCPU));
  char* base = static_cast<char*>(storage->data());
  std::memcpy(base, first, 8);
  read_all(fd, base + 8, size - 8, path);
  const Header header = parse_header(std::string_view(base, size), size);
  // Each tensor gets a storage of its own over its bytes (so storage identity means what it
  // means for tensors made any other way); those storages keep the buffer alive.
  return contents_of(header, base + header.data_start, [storage](void*) {});
}

TensorMap load_file(const std::string& path, bool mmap) {
  return load_file_contents(path, mmap).tensors;
}

SafeOpen::SafeOpen(const std::string& path)
    : file_(MappedFile::open(path)),
      header_(parse_header(std::string_view(file_->data(), file_->size()), file_->size())) {}
SafeOpen::~SafeOpen() = default;
SafeOpen::SafeOpen(SafeOpen&&) noexcept = default;
SafeOpen& SafeOpen::operator=(SafeOpen&&) noexcept = default;

std::vector<std::string> SafeOpen::keys() const {
  std::vector<std::string> names;
  for (const TensorInfo& info : header_.tensors) names.push_back(info.name);
  return names;
}

const TensorInfo& SafeOpen::info(std::string_view name) const {
  const TensorInfo* info = header_.find(name);
  if (info == nullptr) {
    fail(ErrorKind::TensorNotFound, "the file has no tensor named " + named(name));
  }
  return *info;
}

Tensor SafeOpen::get_tensor(std::string_view name) const {
  const TensorInfo& entry = info(name);
  return view_or_copy(entry, file_->data() + header_.data_start + entry.begin, nullptr);
}

Tensor SafeOpen::get_view(std::string_view name) const {
  const TensorInfo& entry = info(name);
  std::shared_ptr<MappedFile> file = file_;
  return view_or_copy(entry, file_->data() + header_.data_start + entry.begin, [file](void*) {});
}

}  // namespace ember::safetensors
