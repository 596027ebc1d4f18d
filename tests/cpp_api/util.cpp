// Utilities, the util reductions and the *_out functions as a libtorch program uses them:
// torch::add_out(out, a, b), torch::sum_out, torch::finfo-like limits through
// std::numeric_limits in libtorch (here torch::finfo), the default dtype, nansum, cdist, cross.
#include <ember/ember.h>

#include <cmath>
#include <limits>
#include <string>

#include "check.h"

namespace torch = ember;

int main() {
  // *_out: out first, resized when empty, returned by reference.
  torch::Tensor a = torch::ones({2, 3});
  torch::Tensor b = torch::full({2, 3}, 2.0);
  torch::Tensor out = torch::empty({0});
  torch::Tensor& written = torch::add_out(out, a, b);
  CHECK(&written == &out && out.sizes() == torch::IntArrayRef({2, 3}));
  CHECK(out.sum().item<double>() == 18.0);
  torch::Tensor total = torch::empty({}, torch::kDouble);
  torch::sum_out(total, a, {0, 1});
  CHECK(total.item<double>() == 6.0);
  torch::Tensor product = torch::empty({2, 2});
  torch::mm_out(product, a, b.t());
  CHECK(product[0][0].item<float>() == 6.0f);
  torch::Tensor longs = torch::empty({2, 3}, torch::kLong);
  try {
    torch::mul_out(longs, a, b);  // a float result cannot go into int64 (B4)
    CHECK(false);
  } catch (const std::exception& error) {
    CHECK(std::string(error.what()).find("can't be cast") != std::string::npos);
  }

  // Tensor utilities.
  torch::Tensor x = torch::arange(12, torch::kFloat).reshape({3, 4});
  CHECK(x.element_size() == 4 && x.itemsize() == 4 && x.nbytes() == 48);
  CHECK(x[1].storage_offset() == 4 && x.is_floating_point() && x.is_signed() && !x.is_complex());
  torch::Tensor transposed = x.t().clone(torch::MemoryFormat::Preserve);
  CHECK(transposed.stride(0) == 1 && transposed.stride(1) == 4);
  CHECK(x.t().clone(torch::MemoryFormat::Contiguous).is_contiguous());

  // dtype utilities.
  CHECK(torch::finfo(torch::kFloat).eps == std::numeric_limits<float>::epsilon());
  CHECK(torch::iinfo(torch::kByte).max == 255);
  CHECK(torch::get_default_dtype_as_scalartype() == torch::kFloat);
  torch::set_default_dtype(torch::kDouble);
  CHECK(torch::ones({2}).scalar_type() == torch::kDouble);
  CHECK(torch::tensor({1.5}).scalar_type() == torch::kDouble);
  torch::set_default_dtype(torch::kFloat);
  CHECK(torch::result_type(torch::ones({2}, torch::kInt), 2.5) == torch::kFloat);

  // Reductions.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  torch::Tensor with_nan = torch::tensor({1.0, nan, 2.0});
  CHECK(torch::nansum(with_nan).item<float>() == 3.0f);
  CHECK(with_nan.nanmean().item<float>() == 1.5f);
  auto [low, high] = torch::aminmax(x);
  CHECK(low.item<float>() == 0.0f && high.item<float>() == 11.0f);
  auto [variance, mean] = torch::var_mean(x, {1});
  CHECK(mean.sizes() == torch::IntArrayRef({3}) && variance[0].item<float>() > 1.6f);
  CHECK(x.trace().item<float>() == 0.0f + 5.0f + 10.0f);
  torch::Tensor distances = torch::cdist(torch::zeros({1, 2}), torch::tensor({{3.0, 4.0}}));
  CHECK(std::abs(distances.item<float>() - 5.0f) < 1e-6f);
  torch::Tensor e1 = torch::tensor({1.0, 0.0, 0.0}), e2 = torch::tensor({0.0, 1.0, 0.0});
  CHECK(torch::cross(e1, e2).equal(torch::tensor({0.0, 0.0, 1.0})));
  CHECK(torch::linalg_cross(e1, e2, -1).equal(e1.cross(e2)));
  CHECK(torch::ones({2, 3}, torch::kBool).all({0, 1}).item<bool>());
  return 0;
}
