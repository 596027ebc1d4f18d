// The JSON a checkpoint needs (docs/checkpoint_format.md): the safetensors header and the object
// tree in its __metadata__. Integers only (floats are stored as strings, so that they round-trip
// exactly), objects keep their order and reject duplicate keys, nesting is bounded so that a
// hostile file cannot exhaust the stack. Parse errors raise RuntimeError naming `what`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::serialize::json {

struct Json {
  enum class Kind { Null, Bool, Int, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  int64_t integer = 0;
  std::string text;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;

  const Json* find(std::string_view key) const;
};

inline constexpr int kMaxDepth = 256;

Json parse(std::string_view text, std::string_view what);
// Appends `text` as a JSON string literal (quoted, escaped).
void write_string(std::string& out, std::string_view text);

}  // namespace ember::serialize::json
