// The checkpoint format (docs/checkpoint_format.md): a valid safetensors file whose entries are
// the storages of the saved tensors and whose __metadata__ holds the object tree as JSON. The
// one writer and reader of it, over ember::safetensors and ember::json (ember/serialize/);
// ember.save/ember.load (Python) and ember::save/ember::load (C++, serialize.h) are shells over
// these functions, so both languages write the same bytes for the same content.
#pragma once

#include <string>

#include "ember/checkpoint/value.h"

namespace ember::serialize {

// Saving raises TypeError for a value the format cannot hold (a non-CPU tensor, a dict key that
// repeats, a tree nested deeper than kMaxDepth).
inline constexpr int kMaxDepth = 100;

std::string save_to_bytes(const Value& value);
// Atomic: a temporary file beside `path`, fsync, rename over `path`, fsync of the directory, so
// a crash leaves either the old file or the new one.
void save_to_file(const Value& value, const std::string& path);

// Loading never runs code. A truncated, corrupted or hostile file raises ValueError saying what is
// wrong (safetensors::SafetensorError for the container, "[ember.load] ..." for the tree).
Value load_from_bytes(std::string_view bytes);
// mmap: the tensors view a private (copy-on-write) mapping of the file that lives as long as any
// of them; nothing is copied.
Value load_from_file(const std::string& path, bool mmap = false);

}  // namespace ember::serialize
