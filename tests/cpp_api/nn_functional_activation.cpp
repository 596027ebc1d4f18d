// nn::functional's activations as a libtorch user writes them: namespace F =
// torch::nn::functional, the *FuncOptions builders, inplace options, softmax with a dim and
// dtype, dropout in training and evaluation, and the top-level torch:: activations.
#include <ember/ember.h>
#include <ember/nn/functional/activation.h>

#include <cmath>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  auto x = torch::tensor({-2.0, -0.5, 0.0, 1.5});

  auto probabilities = F::softmax(x, F::SoftmaxFuncOptions(0));
  CHECK(std::abs(probabilities.sum().item<double>() - 1.0) < 1e-6);
  auto wide = F::log_softmax(x, F::LogSoftmaxFuncOptions(0).dtype(torch::kFloat64));
  CHECK(wide.dtype() == torch::kFloat64);
  CHECK(torch::softmax(x, 0).allclose(x.softmax(0)));
  CHECK(torch::log_softmax(x, -1).allclose(torch::log(probabilities)));

  CHECK(std::abs(F::elu(x, F::ELUFuncOptions().alpha(2.0))[0].item<double>() -
                 2.0 * std::expm1(-2.0)) < 1e-6);
  CHECK(F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.5))[1].item<double>() == -0.25);
  CHECK(F::hardtanh(x, F::HardtanhFuncOptions().min_val(-1).max_val(1))[0].item<double>() == -1);
  CHECK(F::hardshrink(x, F::HardshrinkFuncOptions().lambda(1.0))[1].item<double>() == 0);
  CHECK(F::gelu(x, F::GELUFuncOptions().approximate("tanh")).size(0) == 4);
  CHECK(F::softplus(x, F::SoftplusFuncOptions().beta(2).threshold(1))[3].item<double>() == 1.5);
  CHECK(F::threshold(x, F::ThresholdFuncOptions(0.0, 9.0))[0].item<double>() == 9.0);

  auto y = x.clone();
  F::relu(y, F::ReLUFuncOptions(true));
  CHECK(y[0].item<double>() == 0.0);
  CHECK(torch::selu(x).allclose(F::selu(x)));
  CHECK(torch::relu6(x * 10)[3].item<double>() == 6.0);

  torch::manual_seed(0);
  auto ones = torch::ones({1000});
  auto dropped = F::dropout(ones, F::DropoutFuncOptions().p(0.5));
  CHECK(dropped.eq(0).sum().item<int64_t>() > 400 && dropped.max().item<double>() == 2.0);
  CHECK(torch::dropout(ones, 0.5, /*train=*/false).equal(ones));
  CHECK(F::one_hot(torch::tensor({0, 2}), 3)[1][2].item<int64_t>() == 1);
  CHECK(
      F::cosine_similarity(x.unsqueeze(0), x.unsqueeze(0), F::CosineSimilarityFuncOptions().dim(1))
          .item<double>() > 0.999);
  return 0;
}
