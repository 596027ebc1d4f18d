// The checkpoint format (docs/checkpoint_format.md): a valid safetensors file whose entries are
// the storages of the saved tensors and whose __metadata__ holds the object tree as JSON. The
// one writer and reader of it; ember.save/ember.load (Python) and ember::save/ember::load (C++,
// serialize.h) are shells over these functions, so both languages write the same bytes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ember/checkpoint/value.h"

namespace ember::serialize {

// A checkpoint ready to be written: the header (length prefix, JSON, padding) followed by the
// storages' bytes in file order. The tensors of `value` must outlive it.
struct EncodedCheckpoint {
  std::string header;
  struct Chunk {
    const void* data;
    size_t nbytes;
  };
  std::vector<Chunk> chunks;
  size_t total_size() const;
};

// Raises TypeError for a value the format cannot hold (a non-CPU tensor, a key of a dict
// that repeats, a tree nested deeper than the reader accepts).
EncodedCheckpoint encode(const Value& value);

std::string save_to_bytes(const Value& value);
// Atomic: writes a temporary file beside `path`, fsyncs it, renames it over `path` and fsyncs
// the directory, so a crash leaves either the old file or the new one.
void save_to_file(const Value& value, const std::string& path);

// Loading never runs code. A truncated, corrupted or hostile file raises RuntimeError saying what
// is wrong. The bytes are copied into new storages.
Value load_from_bytes(const void* data, size_t size);
// mmap: the storages point into a private (copy-on-write) mapping of the file that the last of
// them unmaps; nothing is copied.
Value load_from_file(const std::string& path, bool mmap = false);

}  // namespace ember::serialize
