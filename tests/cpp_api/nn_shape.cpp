// Padding, embedding, pixel shuffle and fold as a libtorch program writes them: F::pad with
// PadFuncOptions, the padding layers with their options.
#include <ember/ember.h>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  torch::Tensor x = torch::arange(6.0).reshape({1, 2, 3});
  torch::Tensor reflected = F::pad(x, F::PadFuncOptions({1, 1}).mode(torch::kReflect));
  CHECK(torch::equal(reflected[0][0], torch::tensor({1.0, 0.0, 1.0, 2.0, 1.0})));
  CHECK(F::pad(x, F::PadFuncOptions({1, 1, 1, 1}).value(2.0)).sizes() ==
        std::vector<int64_t>({1, 4, 5}));
  torch::nn::ReplicationPad2d replicate(torch::nn::ReplicationPad2dOptions({1, 0, 0, 1}));
  CHECK(replicate(x).sizes() == std::vector<int64_t>({1, 3, 4}));
  torch::nn::ConstantPad1d constant(torch::nn::ConstantPad1dOptions(2, -1.0));
  CHECK(constant(x)[0][0][0].item<double>() == -1.0);
  bool caught = false;
  try {
    F::pad(x, F::PadFuncOptions({3, 3}).mode(torch::kReflect));
  } catch (const torch::Error&) {
    caught = true;
  }
  CHECK(caught);
  return 0;
}
