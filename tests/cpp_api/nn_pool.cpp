// Pooling as a libtorch program writes it: the top-level ops (torch::max_pool2d,
// torch::adaptive_avg_pool2d), the functional forms with their FuncOptions, and the layers with
// their Options, forward_with_indices and printed form.
#include <ember/ember.h>

#include <sstream>
#include <string>
#include <tuple>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  torch::Tensor x = torch::arange(16, torch::kFloat32).reshape({1, 1, 4, 4});
  torch::Tensor pooled = torch::max_pool2d(x, {2, 2});
  CHECK(torch::equal(pooled, torch::tensor({5.0f, 7.0f, 13.0f, 15.0f}).reshape({1, 1, 2, 2})));
  CHECK(torch::equal(F::max_pool2d(x, F::MaxPool2dFuncOptions(2)), pooled));
  CHECK(torch::allclose(F::avg_pool2d(x, F::AvgPool2dFuncOptions(2).stride(2)),
                        torch::tensor({2.5f, 4.5f, 10.5f, 12.5f}).reshape({1, 1, 2, 2})));
  CHECK(torch::adaptive_avg_pool2d(x, {1, 1}).item<float>() == 7.5f);
  CHECK(F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({1, std::nullopt})).size(3) == 4);

  torch::nn::MaxPool2d max_pool(torch::nn::MaxPool2dOptions(3).stride(2).padding(1));
  torch::Tensor values, indices;
  std::tie(values, indices) = max_pool->forward_with_indices(x);
  CHECK(values.sizes() == std::vector<int64_t>({1, 1, 2, 2}));
  CHECK(indices.dtype() == torch::kInt64);
  CHECK(indices.flatten()[3].item<int64_t>() == 15);
  std::ostringstream printed;
  printed << *max_pool;
  CHECK(printed.str() ==
        "ember::nn::MaxPool2d(kernel_size=[3, 3], stride=[2, 2], padding=[1, 1], "
        "dilation=[1, 1], ceil_mode=false)");

  torch::nn::AvgPool1d avg_pool(3);
  CHECK(avg_pool(torch::ones({2, 3, 9})).sizes() == std::vector<int64_t>({2, 3, 3}));
  torch::nn::AdaptiveMaxPool2d adaptive(torch::nn::AdaptiveMaxPool2dOptions({2, 1}));
  CHECK(adaptive(x).sizes() == std::vector<int64_t>({1, 1, 2, 1}));

  bool caught = false;
  try {
    torch::max_pool2d(x, {0, 2});
  } catch (const torch::Error& error) {
    caught = std::string(error.what()).find("max_pool2d") != std::string::npos;
  }
  CHECK(caught);
  return 0;
}
