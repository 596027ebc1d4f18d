// The fuzz target of the checkpoint loader (ember/checkpoint/checkpoint.h; docs/
// checkpoint_format.md): any input either loads or raises a ValueError (the safetensors
// container's SafetensorError, the JSON reader's ParseError, the tree's "[ember.load]" errors);
// nothing else may happen (crash, sanitizer report, another exception). Whatever loads and can
// be saved again must save to the same bytes after another load (the writer is deterministic and
// the reader loses nothing it wrote). Built with libFuzzer by tools/fuzz_checkpoint.sh; the ctest
// checkpoint_fuzz_corpus replays tests/fuzz/corpus/checkpoint through the same function.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ember/base/error.h"
#include "ember/checkpoint/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace serialize = ember::serialize;
  serialize::Value value;
  try {
    value = serialize::load_from_bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const ember::ValueError&) {
    return 0;
  }
  std::string saved;
  try {
    saved = serialize::save_to_bytes(value);
  } catch (const ember::TypeError&) {
    return 0;  // loadable but not savable: a dict with a repeated key, a very deep tree
  }
  if (serialize::save_to_bytes(serialize::load_from_bytes(saved)) != saved) std::abort();
  return 0;
}
