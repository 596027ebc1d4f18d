// safetensors and DLPack as a libtorch user reaches them: a state-dict-like map saved with
// safetensors::save_file and read back (whole, memory-mapped, and lazily with SafeOpen), a
// corrupted file rejected with a typed error, and a tensor passed through DLPack without a copy.
#include <ember/ember.h>
#include <ember/serialize/dlpack.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "check.h"

namespace torch = ember;

int main() {
  namespace st = torch::safetensors;
  const std::string path = "safetensors_dlpack_test.safetensors";
  st::TensorMap state{{"weight", torch::randn({3, 4})},
                      {"bias", torch::arange(3, torch::dtype(torch::kInt64))},
                      {"mask", torch::ones({2, 2}, torch::dtype(torch::kBool))},
                      {"half", torch::ones({5}, torch::dtype(torch::kBFloat16))}};
  st::save_file(state, path, st::Metadata{{"format", "pt"}});

  for (bool mmap : {false, true}) {
    st::TensorMap loaded = st::load_file(path, mmap);
    CHECK(loaded.size() == 4);
    for (const auto& [name, tensor] : state) {
      CHECK(torch::equal(loaded.at(name), tensor));
    }
  }
  st::SafeOpen file(path);
  CHECK(file.metadata()->at("format") == "pt");
  CHECK(torch::equal(file.get_tensor("weight"), state.at("weight")));
  CHECK(file.info("bias").dtype_name == "I64");

  // Bytes in memory, and one flipped length byte: a typed error that names the rule.
  std::string bytes = st::save(state);
  CHECK(torch::equal(st::load(bytes).at("bias"), state.at("bias")));
  bytes[0] = static_cast<char>(bytes[0] + 1);
  bool rejected = false;
  try {
    st::load(bytes);
  } catch (const st::SafetensorError& error) {
    rejected = std::string(error.what()).find("[safetensors]") != std::string::npos;
  }
  CHECK(rejected);
  std::remove(path.c_str());

  // DLPack: out and back in, sharing memory.
  torch::Tensor source = torch::arange(6, torch::dtype(torch::kFloat32)).reshape({2, 3});
  DLManagedTensor* managed = torch::toDLPack(source);
  torch::Tensor back = torch::fromDLPack(managed);
  CHECK(back.data_ptr() == source.data_ptr());
  CHECK(torch::equal(back, source));
  return 0;
}
