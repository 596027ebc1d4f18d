// A whole file mapped privately (copy-on-write) into memory: the storage behind zero-copy
// loading. Tensors viewing it hold a shared_ptr, so the mapping lives as long as any of them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace ember::safetensors {

class MappedFile {
 public:
  // SafetensorError(Io) naming the path when the file cannot be opened or mapped.
  static std::shared_ptr<MappedFile> open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  MappedFile(char* data, size_t size) : data_(data), size_(size) {}
  char* data_;
  size_t size_;
};

}  // namespace ember::safetensors
