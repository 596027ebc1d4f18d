// libtorch's attention and Transformer frontend as a libtorch program uses it: MultiheadAttention
// and F::multi_head_attention_forward with their option structs, a TransformerEncoder built from
// TransformerEncoderLayerOptions, a Transformer with a causal target mask, and a few Adam steps
// that lower a copy-the-input loss, and a Transformer with a custom encoder (AnyModule).
#include <ember/ember.h>

#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  torch::manual_seed(0);
  torch::nn::MultiheadAttention attention(
      torch::nn::MultiheadAttentionOptions(8, 2).dropout(0.0).add_bias_kv(true));
  const torch::Tensor x = torch::randn({5, 3, 8});
  auto [output, weights] = attention(x, x, x);
  CHECK(output.sizes() == std::vector<int64_t>({5, 3, 8}));
  CHECK(weights.sizes() == std::vector<int64_t>({3, 5, 6}));  // bias_k adds one key

  // The functional with the module's parameters gives the module's output.
  auto [functional_output, unused] = F::multi_head_attention_forward(
      x, x, x,
      F::MultiheadAttentionForwardFuncOptions(
          8, 2, attention->in_proj_weight, attention->in_proj_bias, attention->bias_k,
          attention->bias_v, false, 0.0, attention->out_proj->weight, attention->out_proj->bias)
          .need_weights(false));
  CHECK(!unused.defined());
  CHECK(torch::allclose(functional_output, output, 1e-5, 1e-6));

  torch::nn::TransformerEncoder encoder(torch::nn::TransformerEncoderOptions(
      torch::nn::TransformerEncoderLayerOptions(8, 2).dim_feedforward(16).activation(torch::kGELU),
      2));
  CHECK(encoder->named_parameters().contains("layers.1.self_attn.in_proj_weight"));
  const torch::Tensor padding = torch::zeros({3, 5}).to(torch::kBool);
  CHECK(encoder(x, torch::Tensor(), padding).sizes() == std::vector<int64_t>({5, 3, 8}));

  torch::nn::Transformer transformer(
      torch::nn::TransformerOptions(8, 2, 1, 1).dim_feedforward(16).dropout(0.0));
  const torch::Tensor mask = torch::nn::TransformerImpl::generate_square_subsequent_mask(4);
  CHECK(mask[0][1].item<float>() == -std::numeric_limits<float>::infinity());
  const torch::Tensor src = torch::randn({6, 2, 8});
  const torch::Tensor tgt = torch::randn({4, 2, 8});
  torch::optim::Adam adam(transformer->parameters(), torch::optim::AdamOptions(1e-2));
  double first = 0.0;
  double last = 0.0;
  for (int step = 0; step < 30; ++step) {
    adam.zero_grad();
    const torch::Tensor loss = (transformer(src, tgt, torch::Tensor(), mask) - tgt).pow(2).mean();
    loss.backward();
    adam.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  CHECK(std::isfinite(last) && last < 0.5 * first);

  // A custom encoder through AnyModule, as libtorch's TransformerOptions::custom_encoder.
  torch::nn::TransformerEncoder custom_encoder(
      torch::nn::TransformerEncoderOptions(torch::nn::TransformerEncoderLayerOptions(8, 2), 1));
  torch::nn::Transformer with_custom(torch::nn::TransformerOptions(8, 2, 1, 1)
                                         .custom_encoder(torch::nn::AnyModule(custom_encoder)));
  CHECK(with_custom->encoder.ptr().get() == custom_encoder.ptr().get());
  CHECK(with_custom->encoder.get<torch::nn::TransformerEncoderImpl>().layers->size() == 1);
  CHECK(with_custom(src, tgt).sizes() == std::vector<int64_t>({4, 2, 8}));
  return 0;
}
