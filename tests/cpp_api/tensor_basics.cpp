// Tensor basics as a libtorch user writes them: options, factories, from_blob over user memory,
// torch::tensor from braces and vectors, typed access (item, data_ptr, accessor), conversions,
// IntArrayRef sizes and reductions over one dim or several.
#include <ember/ember.h>

#include <cmath>
#include <sstream>
#include <tuple>
#include <vector>

#include "check.h"

namespace torch = ember;

int main() {
  auto options = torch::TensorOptions().dtype(torch::kFloat64).device(torch::kCPU);
  auto x = torch::arange(12, options).reshape({3, 4});
  CHECK(x.sizes() == std::vector<int64_t>({3, 4}));
  CHECK(x.sizes().vec() == std::vector<int64_t>({3, 4}));
  std::ostringstream printed;
  printed << x.sizes() << x.strides();
  CHECK(printed.str() == "[3, 4][4, 1]");
  CHECK(x.size(0) == 3 && x.dim() == 2 && x.numel() == 12);
  CHECK(x.strides().vec() == std::vector<int64_t>({4, 1}));
  CHECK(x.scalar_type() == torch::kDouble && x.options().dtype() == torch::kDouble);
  CHECK(torch::zeros({2}, x.options()).scalar_type() == torch::kDouble);
  CHECK(torch::Device(torch::kCPU) == torch::Device("cpu"));
  const torch::Device second_gpu("cuda:1");
  CHECK(second_gpu.type() == torch::kCUDA && second_gpu.is_cuda() && second_gpu.has_index());
  CHECK(second_gpu.index() == 1 && !torch::Device(torch::kCPU).has_index());
  CHECK(x.device().type() == torch::kCPU && x.device().str() == "cpu");
  CHECK(x.device().is_cpu());
  if (torch::cuda::is_available()) CHECK(x.to(torch::kCUDA).device().is_cuda());

  // Reductions: one dim, a list of dims, keepdim and a result dtype.
  CHECK(x.sum(1)[2].item<double>() == 8 + 9 + 10 + 11);
  CHECK(x.sum({0, 1}).item<double>() == 66);
  CHECK(x.mean(0, /*keepdim=*/true).sizes() == std::vector<int64_t>({1, 4}));
  CHECK(torch::ones({2, 3}, torch::kInt).sum(1, false, torch::kLong).scalar_type() == torch::kLong);
  torch::Tensor best, where;
  std::tie(best, where) = x.max(1);
  CHECK(where[0].item<int64_t>() == 3 && best[2].item<double>() == 11);
  CHECK(x.argmax(0)[1].item<int64_t>() == 2);
  CHECK(std::abs(x.std(1)[0].item<double>() - std::sqrt(5.0 / 3.0)) < 1e-12);
  // x is 0..11: population variance (n^2 - 1) / 12, sample variance n (n + 1) / 12.
  CHECK(std::abs(x.var(false).item<double>() - 143.0 / 12.0) < 1e-12);
  CHECK(std::abs(torch::var(x, true).item<double>() - 13.0) < 1e-12);
  CHECK(std::abs(x.std({1}, false, true)[0][0].item<double>() - std::sqrt(1.25)) < 1e-12);
  CHECK(x.var(0).sizes() == std::vector<int64_t>({4}));
  CHECK(x.amax(0)[0].item<double>() == 8);
  CHECK((x > 5).any().item<bool>() && !(x > 50).all().item<bool>());

  // from_blob shares the caller's memory.
  std::vector<float> buffer = {1, 2, 3, 4, 5, 6};
  auto wrapped = torch::from_blob(buffer.data(), {2, 3}, torch::kFloat);
  wrapped.mul_(2);
  CHECK(buffer[5] == 12);
  auto column_major = torch::from_blob(buffer.data(), {3, 2}, {1, 3});
  CHECK(column_major[0][1].item<float>() == 8);

  // torch::tensor infers libtorch's dtypes.
  CHECK(torch::tensor({1, 2, 3}).scalar_type() == torch::kLong);
  CHECK(torch::tensor({1.5, 2.5}).scalar_type() == torch::kFloat);
  CHECK(torch::tensor({true, false}).scalar_type() == torch::kBool);
  CHECK(torch::tensor({{1, 2}, {3, 4}}, torch::kDouble).sizes() == std::vector<int64_t>({2, 2}));
  CHECK(torch::tensor(std::vector<float>{1, 2}).scalar_type() == torch::kFloat);

  // Typed access.
  auto matrix = torch::zeros({2, 2});
  auto a = matrix.accessor<float, 2>();
  for (int64_t i = 0; i < a.size(0); ++i) a[i][i] = 1;
  CHECK((matrix == torch::eye(2)).all().item<bool>());
  float* raw = matrix.data_ptr<float>();
  CHECK(raw[3] == 1);
  torch::Scalar s = matrix.sum().item();
  CHECK(s.to<double>() == 2 && s.toLong() == 2);

  // Conversions and scalars on either side.
  auto half = x.to(torch::kHalf);
  CHECK(half.scalar_type() == torch::kHalf);
  CHECK(x.to(torch::TensorOptions().dtype(torch::kInt)).scalar_type() == torch::kInt);
  CHECK(x.to(half).scalar_type() == torch::kHalf);
  auto y = 1 - x / 2 * 2.0f + int64_t{1};
  CHECK(y[0][0].item<double>() == 2);
  CHECK((x == 0).sum().item<int64_t>() == 1);
  return 0;
}
