// The checkpoint format (docs/checkpoint_format.md): a valid safetensors file whose entries are
// the storages of the saved tensors and whose __metadata__ holds the object tree as JSON. The
// one writer and reader of it, over ember::safetensors and ember::json (ember/serialize/);
// ember.save/ember.load (Python) and ember::save/ember::load (C++, serialize.h) are shells over
// these functions, so both languages write the same bytes for the same content.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ember/checkpoint/value.h"

namespace ember::serialize {

// Saving raises TypeError for a value the format cannot hold (a dict key that repeats, a tree
// nested deeper than kMaxDepth). A CUDA tensor's storage is written from a host copy and the
// tensor records its device.
inline constexpr int kMaxDepth = 100;

std::string save_to_bytes(const Value& value);
// Atomic: a temporary file beside `path`, fsync, rename over `path`, fsync of the directory, so
// a crash leaves either the old file or the new one.
void save_to_file(const Value& value, const std::string& path);

// PyTorch's map_location: the device a tensor saved on `saved` is loaded onto, or nullopt for
// `saved`; `tensor` is the tensor as read on the host. Without one every tensor goes back to its
// saved device, and a CUDA one without CUDA raises RuntimeError (use a map to the CPU there).
using MapLocation = std::function<std::optional<Device>(const Tensor& tensor, const Device& saved)>;

// Loading never runs code. A truncated, corrupted or hostile file raises ValueError saying what is
// wrong (safetensors::SafetensorError for the container, "[ember.load] ..." for the tree).
Value load_from_bytes(std::string_view bytes, const MapLocation& map_location = {});
// mmap: the tensors view a private (copy-on-write) mapping of the file that lives as long as any
// of them; nothing is copied (for tensors that stay on the CPU).
Value load_from_file(const std::string& path, bool mmap = false,
                     const MapLocation& map_location = {});

}  // namespace ember::serialize
