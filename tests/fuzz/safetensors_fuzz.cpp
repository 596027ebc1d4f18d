// The fuzz target of the safetensors loader and the JSON reader (RELIABILITY.md T19, L1-L17):
// any input either loads or raises a SafetensorError / json::ParseError; nothing else may
// happen (crash, sanitizer report, another exception). Whatever loads must save and load back to
// the same tensors. Built with libFuzzer by tools/fuzz_safetensors.sh; the ctest
// safetensors_fuzz_corpus replays tests/fuzz/corpus/safetensors through the same function.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "ember/serialize/json.h"
#include "ember/serialize/safetensors.h"

namespace {

void check_round_trip(const ember::safetensors::Contents& contents) {
  namespace st = ember::safetensors;
  const st::Contents back = st::load_contents(st::save(contents.tensors, contents.metadata));
  if (back.metadata != contents.metadata || back.tensors.size() != contents.tensors.size()) {
    std::abort();
  }
  for (const auto& [name, tensor] : contents.tensors) {
    const ember::Tensor& other = back.tensors.at(name);
    if (other.dtype() != tensor.dtype() || other.shape() != tensor.shape() ||
        std::memcmp(other.data_ptr(), tensor.data_ptr(), tensor.nbytes()) != 0) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    check_round_trip(ember::safetensors::load_contents(bytes));
  } catch (const ember::safetensors::SafetensorError&) {
  }
  try {
    ember::json::ParseOptions options;
    options.allow_nonfinite = size % 2 == 0;
    const ember::json::Value value = ember::json::parse(bytes, options);
    ember::json::WriteOptions write;
    write.allow_nonfinite = options.allow_nonfinite;
    if (ember::json::dump(ember::json::parse(ember::json::dump(value, write), options), write) !=
        ember::json::dump(value, write)) {
      std::abort();
    }
  } catch (const ember::json::ParseError&) {
  }
  return 0;
}
