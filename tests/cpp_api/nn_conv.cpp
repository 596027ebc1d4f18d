// Convolutions as a libtorch program writes them: Conv2d with Conv2dOptions, ConvTranspose2d with
// an output_size, F::conv2d with Conv2dFuncOptions.
#include <ember/ember.h>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  torch::manual_seed(0);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 8, 3).stride(1).padding(1).bias(false));
  torch::Tensor x = torch::randn({2, 3, 8, 8});
  CHECK(conv(x).sizes() == std::vector<int64_t>({2, 8, 8, 8}));
  CHECK(conv->named_parameters().size() == 1);
  torch::nn::Conv1d same(torch::nn::Conv1dOptions(2, 2, 4).padding(torch::kSame));
  CHECK(same(torch::randn({1, 2, 5})).sizes() == std::vector<int64_t>({1, 2, 5}));
  torch::nn::Conv2d reflect(
      torch::nn::Conv2dOptions(3, 4, 3).padding(1).padding_mode(torch::kReflect));
  CHECK(reflect(x).sizes() == std::vector<int64_t>({2, 4, 8, 8}));
  torch::nn::ConvTranspose2d up(torch::nn::ConvTranspose2dOptions(8, 3, 3).stride(2).padding(1));
  std::vector<int64_t> size{16, 16};
  CHECK(up->forward(conv(x), size).sizes() == std::vector<int64_t>({2, 3, 16, 16}));
  torch::Tensor w = torch::randn({4, 3, 3, 3});
  torch::Tensor y = F::conv2d(x, w, F::Conv2dFuncOptions().stride(2).padding({1, 0}));
  CHECK(y.sizes() == std::vector<int64_t>({2, 4, 4, 3}));
  CHECK(F::conv_transpose2d(y, w, F::ConvTranspose2dFuncOptions().stride(2)).size(1) == 3);
  bool caught = false;
  try {
    F::conv2d(x, torch::randn({4, 2, 3, 3}));
  } catch (const torch::Error&) {
    caught = true;
  }
  CHECK(caught);
  return 0;
}
