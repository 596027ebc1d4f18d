// Padding, embedding, pixel shuffle and fold as a libtorch program writes them: F::pad with
// PadFuncOptions, the padding layers with their options, Embedding / EmbeddingBag, PixelShuffle,
// F::unfold and Fold.
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

  torch::nn::Embedding embedding(torch::nn::EmbeddingOptions(10, 3).padding_idx(0));
  torch::Tensor looked_up = embedding(torch::tensor({{0, 4}, {9, 0}}));
  CHECK(looked_up.sizes() == std::vector<int64_t>({2, 2, 3}));
  looked_up.sum().backward();
  CHECK(embedding->weight.grad()[0].abs().sum().item<float>() == 0.0f);
  auto pretrained = torch::nn::Embedding::from_pretrained(torch::ones({4, 2}));
  CHECK(!pretrained->weight.requires_grad());
  torch::nn::EmbeddingBag bag(torch::nn::EmbeddingBagOptions(10, 3).mode(torch::kSum));
  CHECK(bag(torch::tensor({1, 2, 3}), torch::tensor({0, 1})).sizes() ==
        std::vector<int64_t>({2, 3}));
  caught = false;
  try {
    embedding(torch::tensor({10}));
  } catch (const torch::IndexError&) {
    caught = true;
  }
  CHECK(caught);

  torch::nn::PixelShuffle shuffle(torch::nn::PixelShuffleOptions(2));
  CHECK(shuffle(torch::zeros({1, 8, 3, 3})).sizes() == std::vector<int64_t>({1, 2, 6, 6}));
  torch::Tensor columns = F::unfold(torch::ones({1, 2, 4, 4}), F::UnfoldFuncOptions({2, 2}));
  CHECK(columns.sizes() == std::vector<int64_t>({1, 8, 9}));
  torch::nn::Fold fold(torch::nn::FoldOptions({4, 4}, {2, 2}));
  CHECK(fold(columns)[0][0][1][1].item<float>() == 4.0f);
  return 0;
}
