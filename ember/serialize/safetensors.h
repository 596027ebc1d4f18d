// The safetensors format (huggingface/safetensors), read and written by one implementation for
// Python (ember.safetensors), C++ (ember::safetensors) and the checkpoints built on it. Reading
// validates every rule of ../shared/RELIABILITY.md "What our safe loader must validate" (L1-L17)
// before it allocates anything sized from the file; writing follows W1-W5. Notes:
// docs/architecture.md "safetensors".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::safetensors {

// What is wrong with a file or a request; each failure of L1-L17 has its own kind (the names
// follow the reference reader's errors where it has one).
enum class ErrorKind {
  HeaderTooSmall,                // L1: fewer than 8 bytes
  HeaderTooLarge,                // L2: N > 100 MB (reading), or the header would be (writing)
  InvalidHeaderLength,           // L2: 8 + N past the end of the file
  InvalidHeader,                 // L3: not UTF-8, or not a JSON object
  InvalidHeaderDeserialization,  // L3/L5/L6/L8: malformed JSON or wrong structure
  DuplicateKey,                  // L4: a tensor name (or an entry's field) given twice
  InvalidMetadata,               // L5: __metadata__ not a map of string to string
  InvalidTensorName,             // L13: empty or over-long name
  UnsupportedDtype,              // L7: a dtype string safetensors does not define, or one
                                 //     ember has no type for (when loading that tensor)
  InvalidShape,                  // L8: negative, non-integer or too many dimensions
  ValidationOverflow,            // L9: numel or byte size overflows
  MisalignedSlice,               // L10: a sub-byte dtype that does not fill whole bytes
  InvalidOffset,                 // L11: gaps, overlaps or END < BEGIN
  TensorInvalidInfo,             // L11: END - BEGIN differs from the tensor's byte size
  MetadataIncompleteBuffer,      // L12: bytes after the last tensor, or too few
  TensorNotFound,                // get_tensor of a name the file lacks
  InvalidTensor,                 // writing: a tensor that cannot be saved (undefined)
  Io,                            // the file system refused
};
std::string_view error_kind_name(ErrorKind kind);

// Every safetensors failure: a ValueError whose kind() says which rule failed and whose message
// names the tensor and the offending values: "[safetensors] InvalidOffset: ...".
class SafetensorError : public ValueError {
 public:
  SafetensorError(ErrorKind kind, const std::string& detail);
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

using Metadata = std::map<std::string, std::string>;
using TensorMap = std::map<std::string, Tensor>;

inline constexpr uint64_t kMaxHeaderSize = 100'000'000;
inline constexpr size_t kMaxNameLength = 1 << 16;
inline constexpr size_t kMaxRank = 64;

// The safetensors string of an ember dtype ("F32", "BF16", "BOOL", ...), and back (nullopt when
// the string is not a safetensors dtype ember has).
std::string_view dtype_to_string(ScalarType dtype);
std::optional<ScalarType> dtype_from_string(std::string_view name);

// One tensor's entry in a validated header; offsets are relative to the data section.
struct TensorInfo {
  std::string name;
  std::string dtype_name;           // as written, e.g. "F8_E4M3"
  std::optional<ScalarType> dtype;  // nullopt: a safetensors dtype ember has no type for
  std::vector<int64_t> shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// A header that passed L1-L13 for a file of `file_size` bytes.
struct Header {
  uint64_t data_start = 0;           // 8 + N
  std::vector<TensorInfo> tensors;   // in data order (by offsets)
  std::optional<Metadata> metadata;  // present when the file has __metadata__
  const TensorInfo* find(std::string_view name) const;
};

// Validates the first bytes of a file of `file_size` bytes; `prefix` must hold at least
// min(file_size, 8 + N) bytes (header_length tells how many). Throws SafetensorError.
Header parse_header(std::string_view prefix, uint64_t file_size);
// N from the first 8 bytes, checked against L1-L2 for a file of `file_size` bytes.
uint64_t header_length(std::string_view first_bytes, uint64_t file_size);

// Writing (W1-W5): tensors sorted by alignment then name, header padded with spaces to a
// multiple of 8, non-contiguous tensors packed first, CPU tensors only. Metadata given as
// nullopt writes no __metadata__ key.
std::string save(const TensorMap& tensors, const std::optional<Metadata>& metadata = {});
// Atomic: a temporary file in the same directory, fsync, rename, fsync of the directory; a crash
// leaves any previous file at `path` intact.
void save_file(const TensorMap& tensors, const std::string& path,
               const std::optional<Metadata>& metadata = {});

// Everything in a file: tensors by name and the metadata.
struct Contents {
  TensorMap tensors;
  std::optional<Metadata> metadata;
};

// Tensors read from bytes own their memory (copied).
TensorMap load(std::string_view bytes);
Contents load_contents(std::string_view bytes);
// From a file: read into one buffer that the tensors view, or with `mmap`, views of a read-only
// private mapping that stays alive while any tensor does (zero-copy; docs/architecture.md
// "safetensors" for what a file changed under a mapping means).
TensorMap load_file(const std::string& path, bool mmap = false);
Contents load_file_contents(const std::string& path, bool mmap = false);

class MappedFile;

// A lazily read file, as safetensors' safe_open: the header is validated on opening; tensors
// are read on request.
class SafeOpen {
 public:
  explicit SafeOpen(const std::string& path);
  ~SafeOpen();
  SafeOpen(SafeOpen&&) noexcept;
  SafeOpen& operator=(SafeOpen&&) noexcept;

  // Names in data order (the order of the bytes in the file).
  std::vector<std::string> keys() const;
  const std::optional<Metadata>& metadata() const { return header_.metadata; }
  const Header& header() const { return header_; }
  const TensorInfo& info(std::string_view name) const;
  // A tensor that owns a copy of its bytes (the file may change later without affecting it).
  Tensor get_tensor(std::string_view name) const;
  // A zero-copy view of the mapping, kept alive by the tensor; get_slice's source.
  Tensor get_view(std::string_view name) const;

 private:
  std::shared_ptr<MappedFile> file_;
  Header header_;
};

}  // namespace ember::safetensors
