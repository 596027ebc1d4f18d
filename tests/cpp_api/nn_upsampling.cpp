// Resampling as a libtorch program writes it: the Upsample module with UpsampleOptions, the
// functional interpolate with InterpolateFuncOptions, grid_sample over affine_grid, and a
// contradicting argument caught as a ValueError.
#include <ember/ember.h>

#include <sstream>
#include <vector>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  torch::Tensor x = torch::arange(16, torch::kFloat32).reshape({1, 1, 4, 4});
  torch::nn::Upsample up(torch::nn::UpsampleOptions()
                             .scale_factor(std::vector<double>{2, 2})
                             .mode(torch::kBilinear)
                             .align_corners(false));
  torch::Tensor y = up(x);
  CHECK(y.dim() == 4 && y.size(2) == 8 && y.size(3) == 8);
  CHECK(torch::allclose(y, F::interpolate(x, F::InterpolateFuncOptions()
                                                 .scale_factor(std::vector<double>{2, 2})
                                                 .mode(torch::kBilinear)
                                                 .align_corners(false))));
  std::ostringstream printed;
  printed << *up;
  CHECK(printed.str() == "ember::nn::Upsample(scale_factor=[2, 2], mode=kBilinear)");

  torch::Tensor nearest = F::interpolate(
      x, F::InterpolateFuncOptions().size(std::vector<int64_t>{2, 2}).mode(torch::kNearest));
  CHECK(torch::allclose(nearest, torch::tensor({0.0f, 2.0f, 8.0f, 10.0f}).reshape({1, 1, 2, 2})));
  torch::Tensor area = F::interpolate(
      x, F::InterpolateFuncOptions().size(std::vector<int64_t>{1, 1}).mode(torch::kArea));
  CHECK(std::abs(area.item<float>() - 7.5f) < 1e-6f);

  torch::Tensor theta = torch::tensor({1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f}).reshape({1, 2, 3});
  torch::Tensor grid = F::affine_grid(theta, {1, 1, 4, 4}, /*align_corners=*/false);
  torch::Tensor sampled = F::grid_sample(x, grid,
                                         F::GridSampleFuncOptions()
                                             .mode(torch::kBilinear)
                                             .padding_mode(torch::kZeros)
                                             .align_corners(false));
  CHECK(torch::allclose(sampled, x, 1e-5, 1e-5));

  bool caught = false;
  try {
    F::interpolate(x, F::InterpolateFuncOptions()
                          .size(std::vector<int64_t>{2, 2})
                          .scale_factor(std::vector<double>{2, 2}));
  } catch (const torch::ValueError&) {
    caught = true;
  }
  CHECK(caught);
  return 0;
}
