// MultiheadAttention and the Transformer modules: PyTorch's parameter names (state dict keys),
// initialisation (the table shared with Python), values against softmax(Q K^T / sqrt(d)) V written
// from ops, masks, norm_first, batch_first, backward and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error_testing.h"
#include "ember/nn/nn.h"
#include "ember/ops/math.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::nn {
namespace {

using test_support::contains;
using test_support::error_of;

std::vector<std::string> keys_of(const Module& module) { return module.named_parameters().keys(); }

// One head, projections the identity, zero biases: attention is softmax(x x^T / sqrt(E)) x.
MultiheadAttention identity_attention(int64_t embed_dim) {
  MultiheadAttention attention(embed_dim, 1);
  autograd::NoGradGuard no_grad;
  Tensor in_proj = attention->in_proj_weight;
  in_proj.copy_(cat({eye(embed_dim), eye(embed_dim), eye(embed_dim)}));
  Tensor out_proj = attention->out_proj->weight;
  out_proj.copy_(eye(embed_dim));
  return attention;
}

TEST(MultiheadAttention, ParameterNamesAreTorchs) {
  EXPECT_EQ(keys_of(*MultiheadAttention(4, 2)),
            (std::vector<std::string>{"in_proj_weight", "in_proj_bias", "out_proj.weight",
                                      "out_proj.bias"}));
  EXPECT_EQ(
      keys_of(
          *MultiheadAttention(MultiheadAttentionOptions(4, 2).kdim(3).vdim(5).add_bias_kv(true))),
      (std::vector<std::string>{"q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias",
                                "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"}));
  EXPECT_EQ(keys_of(*MultiheadAttention(MultiheadAttentionOptions(4, 2).bias(false))),
            (std::vector<std::string>{"in_proj_weight", "out_proj.weight"}));
  MultiheadAttention separate(MultiheadAttentionOptions(4, 2).kdim(3).vdim(5));
  EXPECT_EQ(separate->k_proj_weight.sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(separate->v_proj_weight.sizes(), (std::vector<int64_t>{4, 5}));
}

// The cross-language check: python/tests/test_nn_init.py draws the same table
// (test_multihead_attention_initialisation_matches_the_cpp_frontend).
TEST(MultiheadAttention, SeededInitialisationIsTheTableSharedWithPython) {
  manual_seed(2024);
  MultiheadAttention attention(MultiheadAttentionOptions(2, 1).add_bias_kv(true));
  const std::vector<std::vector<float>> expected = {
      {0x1.4c5138p-2f, -0x1.cb945p-3f, -0x1.d8bf58p-2f, 0x1.1d6c4cp-3f, -0x1.5c3a7ep-1f,
       0x1.21c048p-1f, -0x1.7a789p-1f, -0x1.551a38p-1f, -0x1.5c6384p-3f, -0x1.5f2d9cp-2f,
       0x1.3afd68p-3f, 0x1.b0f6dep-1f},
      {0, 0, 0, 0, 0, 0},
      {0x1.5df80ap-5f, 0x1.18c3a8p-1f},
      {-0x1.37a9aep-1f, -0x1.64f79p+0f},
      {0x1.2c516p-3f, -0x1.4f27fcp-2f, 0x1.5ee30ep-1f, -0x1.2d823ap-1f},
      {0, 0}};
  const auto parameters = attention->named_parameters();
  ASSERT_EQ(parameters.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Tensor flat = parameters[i].value().detach().contiguous();
    const std::vector<float> values(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
    EXPECT_EQ(values, expected[i]) << parameters[i].key();
  }
}

// A seeded Transformer draws what Python's draws (test_nn_init.py,
// test_transformer_initialisation_matches_the_cpp_frontend): the layer copies draw nothing, then
// xavier_uniform_ re-draws every matrix. The checksum is the sum of |parameter| in float64,
// parameter by parameter in state-dict order.
TEST(Transformer, SeededInitialisationIsTheChecksumSharedWithPython) {
  manual_seed(7);
  Transformer transformer(TransformerOptions(4, 2, 2, 1).dim_feedforward(6));
  double checksum = 0.0;
  for (const auto& item : transformer->named_parameters()) {
    checksum += item.value().detach().to(ScalarType::Float64).abs().sum().item<double>();
  }
  EXPECT_EQ(checksum, 0x1.6c617074032p+7);
}

TEST(MultiheadAttention, ComputesScaledDotProductAttentionOfTheProjections) {
  MultiheadAttention attention = identity_attention(3);
  const Tensor x = randn({4, 2, 3});  // (L, N, E)
  const auto [output, weights] = attention(x, x, x);
  const Tensor batch_first = x.transpose(0, 1);  // (N, L, E)
  const Tensor expected_weights =
      softmax(matmul(batch_first, batch_first.transpose(1, 2)) / std::sqrt(3.0), -1);
  EXPECT_TRUE(allclose(weights, expected_weights, 1e-5, 1e-6));
  EXPECT_TRUE(allclose(output, matmul(expected_weights, batch_first).transpose(0, 1), 1e-5, 1e-6));
  const auto [without_weights, none] = attention(x, x, x, Tensor(), /*need_weights=*/false);
  EXPECT_FALSE(none.defined());
  EXPECT_TRUE(allclose(without_weights, output, 1e-5, 1e-6));
}

TEST(MultiheadAttention, MasksRemoveKeys) {
  MultiheadAttention attention(4, 2);
  const Tensor x = randn({3, 2, 4});
  const Tensor padding = tensor({false, false, true, false, true, true}).view({2, 3});
  const auto [output, weights] = attention(x, x, x, padding);
  EXPECT_EQ(weights.sizes(), (std::vector<int64_t>{2, 3, 3}));
  EXPECT_EQ(weights.select(0, 0).select(1, 2).sum().item<float>(), 0.0f);
  EXPECT_EQ(weights.select(0, 1).select(1, 1).sum().item<float>(), 0.0f);
  // The same as a float mask of -inf, and as the 3-dim (N * H, L, S) attn_mask.
  const Tensor additive =
      zeros({2, 3}).masked_fill(padding, -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(allclose(std::get<0>(attention(x, x, x, additive)), output));
  const Tensor per_head = additive.view({2, 1, 1, 3}).expand({2, 2, 3, 3}).reshape({4, 3, 3});
  EXPECT_TRUE(allclose(std::get<0>(attention(x, x, x, Tensor(), true, per_head)), output));
  // Causal: the first query attends only to the first key.
  const Tensor causal = Transformer::Impl::generate_square_subsequent_mask(3);
  const auto [causal_output, causal_weights] = attention(
      x, x, x, Tensor(), true, causal, /*average_attn_weights=*/false, /*is_causal=*/true);
  EXPECT_EQ(causal_weights.sizes(), (std::vector<int64_t>{2, 2, 3, 3}));
  EXPECT_EQ(causal_weights.select(2, 0).select(2, 0).sum().item<float>(), 4.0f);
}

TEST(MultiheadAttention, BatchFirstUnbatchedAndBackward) {
  manual_seed(0);
  MultiheadAttention seq_first(MultiheadAttentionOptions(4, 2).add_zero_attn(true));
  manual_seed(0);
  MultiheadAttention batch_first(
      MultiheadAttentionOptions(4, 2).add_zero_attn(true).batch_first(true));
  const Tensor x = randn({3, 2, 4});
  const Tensor expected = std::get<0>(seq_first(x, x, x));
  EXPECT_TRUE(
      allclose(std::get<0>(batch_first(x.transpose(0, 1), x.transpose(0, 1), x.transpose(0, 1))),
               expected.transpose(0, 1)));
  const auto [single, single_weights] = seq_first(x.select(1, 0), x.select(1, 0), x.select(1, 0));
  EXPECT_TRUE(allclose(single, expected.select(1, 0), 1e-5, 1e-6));
  EXPECT_EQ(single_weights.sizes(), (std::vector<int64_t>{3, 4}));
  std::get<0>(seq_first(x, x, x)).sum().backward();
  EXPECT_TRUE(seq_first->in_proj_weight.grad().defined());
  EXPECT_TRUE(seq_first->out_proj->weight.grad().defined());
}

TEST(MultiheadAttention, TypedErrors) {
  EXPECT_TRUE(contains(error_of<ValueError>([] { MultiheadAttention(5, 2); }), "divisible"));
  MultiheadAttention attention(4, 2);
  const Tensor x = randn({3, 2, 4});
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         attention(x, x, x, Tensor(), true, zeros({2, 2}));
                       }),
                       "attn_mask of shape (L, S) = (3, 3)"));
  EXPECT_TRUE(
      contains(error_of<TypeError>([&] {
                 attention(x, x, x, zeros({2, 3}, TensorOptions().dtype(ScalarType::Int32)));
               }),
               "key_padding_mask to be bool"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         attention(randn({1, 3, 2, 4}), x, x);
                       }),
                       "expected query of 3 dims"));
  EXPECT_TRUE(contains(
      error_of<RuntimeError>([&] { attention(x, x, x, Tensor(), true, Tensor(), true, true); }),
      "is_causal"));
}

TEST(Transformer, StateDictKeysAreTorchs) {
  TransformerEncoderLayer encoder_layer(TransformerEncoderLayerOptions(4, 2).dim_feedforward(8));
  EXPECT_EQ(keys_of(*encoder_layer),
            (std::vector<std::string>{
                "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
                "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}));
  TransformerDecoderLayer decoder_layer(TransformerDecoderLayerOptions(4, 2).dim_feedforward(8));
  EXPECT_EQ(
      keys_of(*decoder_layer),
      (std::vector<std::string>{
          "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
          "self_attn.out_proj.bias", "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias",
          "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias", "linear1.weight",
          "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias",
          "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"}));
  Transformer transformer(TransformerOptions(4, 2, 2, 1).dim_feedforward(8));
  const std::vector<std::string> keys = keys_of(*transformer);
  EXPECT_EQ(keys.size(), 2 * 12 + 2 + 18 + 2);
  EXPECT_EQ(keys[0], "encoder.layers.0.self_attn.in_proj_weight");
  EXPECT_EQ(keys[12], "encoder.layers.1.self_attn.in_proj_weight");
  EXPECT_EQ(keys[24], "encoder.norm.weight");
  EXPECT_EQ(keys[26], "decoder.layers.0.self_attn.in_proj_weight");
  EXPECT_EQ(keys.back(), "decoder.norm.bias");
}

TEST(Transformer, EncoderLayersStartAsCopiesOfTheLayer) {
  TransformerEncoderLayer layer(TransformerEncoderLayerOptions(4, 2).dim_feedforward(8));
  TransformerEncoder encoder(layer, 3);
  for (size_t i = 0; i < 3; ++i) {
    auto copy = encoder->layers->ptr<TransformerEncoderLayerImpl>(i);
    EXPECT_TRUE(equal(copy->linear1->weight, layer->linear1->weight));
    EXPECT_FALSE(copy->linear1->weight.is_same(layer->linear1->weight));
  }
}

TEST(Transformer, LayerIsTheResidualComposition) {
  for (const bool norm_first : {false, true}) {
    TransformerEncoderLayer layer(TransformerEncoderLayerOptions(4, 2)
                                      .dim_feedforward(8)
                                      .dropout(0.0)
                                      .activation(kGELU)
                                      .norm_first(norm_first));
    const Tensor x = randn({5, 2, 4});
    const auto attend = [&](const Tensor& input) {
      return std::get<0>(layer->self_attn(input, input, input));
    };
    const auto feed_forward = [&](const Tensor& input) {
      return layer->linear2(gelu(layer->linear1(input)));
    };
    Tensor expected;
    if (norm_first) {
      const Tensor h = x + attend(layer->norm1(x));
      expected = h + feed_forward(layer->norm2(h));
    } else {
      const Tensor h = layer->norm1(x + attend(x));
      expected = layer->norm2(h + feed_forward(h));
    }
    EXPECT_TRUE(allclose(layer(x), expected, 1e-5, 1e-6)) << "norm_first " << norm_first;
  }
}

TEST(Transformer, ForwardShapesMasksAndErrors) {
  Transformer transformer(TransformerOptions(8, 2, 1, 1).dim_feedforward(16).dropout(0.0));
  const Tensor src = randn({6, 3, 8});
  const Tensor tgt = randn({5, 3, 8});
  const Tensor mask = Transformer::Impl::generate_square_subsequent_mask(5);
  const Tensor output = transformer(src, tgt, Tensor(), mask);
  EXPECT_EQ(output.sizes(), (std::vector<int64_t>{5, 3, 8}));
  // Causal: the first target position does not see the later ones.
  const Tensor changed = tgt.clone();
  changed.select(0, 4).fill_(1.0);
  EXPECT_TRUE(allclose(transformer(src, changed, Tensor(), mask).select(0, 0), output.select(0, 0),
                       1e-5, 1e-6));
  EXPECT_EQ(mask.select(0, 0).select(0, 1).item<float>(), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(mask.select(0, 1).select(0, 1).item<float>(), 0.0f);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         transformer(src, randn({5, 2, 8}));
                       }),
                       "same batch size"));
  EXPECT_TRUE(contains(
      error_of<ValueError>([] { TransformerEncoderLayer(TransformerEncoderLayerOptions(6, 4)); }),
      "divisible"));
}

// bias(false) (PyTorch's bias=False) drops every bias: the attention's, both Linears' and the
// LayerNorms' (whose weights stay), in the layers and in the Transformer that builds them.
TEST(Transformer, BiasFalseDropsEveryBias) {
  TransformerEncoderLayer encoder_layer(
      TransformerEncoderLayerOptions(4, 2).dim_feedforward(8).bias(false));
  EXPECT_EQ(keys_of(*encoder_layer),
            (std::vector<std::string>{"self_attn.in_proj_weight", "self_attn.out_proj.weight",
                                      "linear1.weight", "linear2.weight", "norm1.weight",
                                      "norm2.weight"}));
  TransformerDecoderLayer decoder_layer(
      TransformerDecoderLayerOptions(4, 2).dim_feedforward(8).bias(false));
  EXPECT_EQ(keys_of(*decoder_layer).size(), 9u);
  Transformer transformer(TransformerOptions(4, 2, 2, 1).dim_feedforward(8).bias(false));
  for (const std::string& key : keys_of(*transformer)) {
    EXPECT_EQ(key.find("bias"), std::string::npos) << key;
  }
  const Tensor out = transformer(randn({3, 2, 4}), randn({5, 2, 4}));
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{5, 2, 4}));
  LayerNorm norm(LayerNormOptions({4}).bias(false));
  EXPECT_FALSE(norm->bias.defined());
  EXPECT_TRUE(allclose(norm(randn({2, 4})).sum(-1), zeros({2}), 1e-5, 1e-5));
}

// PyTorch's _detect_is_causal_mask: the square subsequent mask of the input's sequence length
// (float, or bool true above the diagonal) is detected; an explicit hint wins.
TEST(Transformer, DetectsTheCausalMask) {
  using detail::detect_is_causal_mask;
  const Tensor causal = Transformer::Impl::generate_square_subsequent_mask(5);
  const Tensor sequence_first = randn({5, 2, 4}), batch_first = randn({2, 5, 4});
  EXPECT_TRUE(detect_is_causal_mask(causal, std::nullopt, sequence_first, false));
  EXPECT_TRUE(detect_is_causal_mask(causal, std::nullopt, batch_first, true));
  EXPECT_TRUE(detect_is_causal_mask(causal, std::nullopt, randn({5, 4}), true));
  EXPECT_FALSE(detect_is_causal_mask(causal, std::nullopt, batch_first, false));
  EXPECT_FALSE(detect_is_causal_mask(causal, false, sequence_first, false));
  EXPECT_TRUE(detect_is_causal_mask(Tensor(), true, sequence_first, false));
  EXPECT_FALSE(detect_is_causal_mask(Tensor(), std::nullopt, sequence_first, false));
  EXPECT_TRUE(detect_is_causal_mask(ember::isinf(causal), std::nullopt, sequence_first, false));
  EXPECT_FALSE(detect_is_causal_mask(zeros({5, 5}), std::nullopt, sequence_first, false));
  // The detected hint takes the causal path and gives what the mask gives.
  TransformerEncoder encoder(
      TransformerEncoderLayer(TransformerEncoderLayerOptions(4, 2).dim_feedforward(8).dropout(0)),
      2);
  EXPECT_TRUE(allclose(encoder(sequence_first, causal),
                       encoder(sequence_first, causal, Tensor(), false), 1e-5, 1e-6));
}

}  // namespace
}  // namespace ember::nn
