// The padding, embedding, pixel-shuffle and fold layers and their functional forms: options,
// forwards against the ops, state-dict keys and printing.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

namespace F = functional;
using testing::message_of;

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

Tensor counting(IntArrayRef shape) {
  return arange(0, numel_of(shape.to_shape()), TensorOptions(kFloat32)).reshape(shape);
}

TEST(Pad, FunctionalTakesLibtorchsOptions) {
  const Tensor x = counting({1, 2, 3});
  EXPECT_TRUE(
      equal(F::pad(x, F::PadFuncOptions({1, 1}).mode(kReflect)), ember::pad(x, {1, 1}, "reflect")));
  EXPECT_TRUE(equal(F::pad(x, F::PadFuncOptions({1, 2, 0, 1}).value(3.5)),
                    ember::pad(x, {1, 2, 0, 1}, "constant", 3.5)));
  EXPECT_TRUE(equal(F::pad(x, F::PadFuncOptions({2, 0}).mode(kCircular)),
                    ember::pad(x, {2, 0}, "circular")));
  EXPECT_TRUE(equal(F::pad(x, F::PadFuncOptions({0, 2}).mode(kReplicate)),
                    ember::pad(x, {0, 2}, "replicate")));
  EXPECT_THROW(F::pad(x, F::PadFuncOptions({1})), RuntimeError);
}

TEST(Pad, LayersForwardAndPrint) {
  const Tensor x = counting({1, 2, 3, 4});
  ReflectionPad2d reflect(ReflectionPad2dOptions({1, 0, 2, 1}));
  EXPECT_TRUE(equal(reflect(x), ember::pad(x, {1, 0, 2, 1}, "reflect")));
  EXPECT_EQ(printed(*reflect), "ember::nn::ReflectionPad2d(padding=[1, 0, 2, 1])");
  ReplicationPad1d replicate(2);
  EXPECT_TRUE(
      equal(replicate(counting({2, 3})), ember::pad(counting({2, 3}), {2, 2}, "replicate")));
  EXPECT_EQ(printed(*replicate), "ember::nn::ReplicationPad1d(padding=[2, 2])");
  ReplicationPad3d replicate3(ReplicationPad3dOptions(1));
  EXPECT_EQ(replicate3(counting({1, 2, 2, 2})).sizes(), (std::vector<int64_t>{1, 4, 4, 4}));
  ReflectionPad1d reflect1(1);
  ReflectionPad3d reflect3(1);
  EXPECT_EQ(reflect1(counting({2, 3})).sizes(), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(reflect3(counting({1, 2, 2, 2})).sizes(), (std::vector<int64_t>{1, 4, 4, 4}));
  ZeroPad2d zero(ZeroPad2dOptions({1, 1, 0, 0}));
  EXPECT_TRUE(equal(zero(x), ember::pad(x, {1, 1, 0, 0})));
  EXPECT_EQ(printed(*zero), "ember::nn::ZeroPad2d(padding=[1, 1, 0, 0])");
  ConstantPad1d constant1(ConstantPad1dOptions({1, 2}, 3.5));
  ConstantPad2d constant2(ConstantPad2dOptions(1, -1.0));
  ConstantPad3d constant3(ConstantPad3dOptions(1, 0.5));
  EXPECT_TRUE(equal(constant1(x), ember::pad(x, {1, 2}, "constant", 3.5)));
  EXPECT_TRUE(equal(constant2(x), ember::pad(x, {1, 1, 1, 1}, "constant", -1.0)));
  EXPECT_EQ(constant3(x).sizes(), (std::vector<int64_t>{1, 4, 5, 6}));
  EXPECT_EQ(printed(*constant1), "ember::nn::ConstantPad1d(padding=[1, 2], value=3.5)");
  EXPECT_TRUE(constant2->named_parameters().is_empty());
  EXPECT_THROW(ReflectionPad2dOptions({1, 2}), ValueError);
  EXPECT_NE(message_of([&] { reflect(counting({4})); }).find("[4]"), std::string::npos);
}

TEST(Embedding, InitialisesNormalWithThePaddingRowZeroed) {
  manual_seed(7);
  Embedding embedding(EmbeddingOptions(6, 3).padding_idx(-2));
  manual_seed(7);
  Tensor expected = init::normal_(empty({6, 3}));
  expected.select(0, 4).fill_(0);
  EXPECT_TRUE(equal(embedding->weight, expected));
  EXPECT_EQ(embedding->options.padding_idx(), 4);
  EXPECT_EQ(embedding->named_parameters().keys(), (std::vector<std::string>{"weight"}));
  EXPECT_EQ(printed(*embedding),
            "ember::nn::Embedding(num_embeddings=6, embedding_dim=3, "
            "padding_idx=4)");
  const Tensor input = tensor({{1, 4}, {4, 0}});
  Tensor out = embedding(input);
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{2, 2, 3}));
  out.sum().backward();
  const Tensor grad = embedding->weight.grad();
  EXPECT_EQ(grad.select(0, 4).abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(grad.select(0, 1).sum().item<float>(), 3.0f);
  EXPECT_THROW(Embedding(EmbeddingOptions(3, 2).padding_idx(3)), ValueError);
  EXPECT_THROW(embedding(tensor({6})), IndexError);
}

// The cross-language check: python/tests/test_nn_shape_layers.py draws the same table from
// Python (test_embedding_initialisation_matches_the_cpp_frontend).
TEST(Embedding, SeededInitialisationIsTheTableSharedWithPython) {
  manual_seed(2024);
  Embedding embedding(EmbeddingOptions(3, 2).padding_idx(1));
  const Tensor flat = embedding->weight.detach().contiguous();
  const std::vector<float> weight(flat.data_ptr<float>(), flat.data_ptr<float>() + 6);
  const std::vector<float> expected = {-0x1.dee4b2p-4f, 0x1.fee72cp-1f, 0.0f, 0.0f,
                                       -0x1.56fde8p+0f, 0x1.24495ap-1f};
  EXPECT_EQ(weight, expected);
}

TEST(Embedding, FromPretrainedMaxNormAndFunctional) {
  const Tensor table = tensor({{3.0f, 4.0f}, {0.3f, 0.4f}, {1.0f, 0.0f}});
  Embedding frozen = Embedding::from_pretrained(table.clone());
  EXPECT_FALSE(frozen->weight.requires_grad());
  EXPECT_TRUE(equal(frozen(tensor({2, 0})), tensor({{1.0f, 0.0f}, {3.0f, 4.0f}})));
  Embedding trained = Embedding::from_pretrained(
      table.clone(), EmbeddingFromPretrainedOptions().freeze(false).max_norm(1.0));
  EXPECT_TRUE(trained->weight.requires_grad());
  trained(tensor({0}));
  EXPECT_NEAR(trained->weight[0].norm().item<float>(), 1.0f, 1e-5);
  EXPECT_NEAR(trained->weight[1].norm().item<float>(), 0.5f, 1e-6);
  EXPECT_THROW(Embedding::from_pretrained(tensor({1.0f, 2.0f})), ValueError);
  EXPECT_TRUE(equal(F::embedding(tensor({1}), table, F::EmbeddingFuncOptions().padding_idx(1)),
                    tensor({{0.3f, 0.4f}})));
  EXPECT_THROW(F::embedding(tensor({1}), table, F::EmbeddingFuncOptions().sparse(true)),
               NotImplementedError);
}

TEST(EmbeddingBag, ModesOffsetsAndPrinting) {
  const Tensor table = tensor({{1.0f, 2.0f}, {3.0f, 4.0f}, {5.0f, 6.0f}});
  EmbeddingBag bag =
      EmbeddingBag::from_pretrained(table, EmbeddingBagFromPretrainedOptions().mode(kSum));
  const Tensor input = tensor({0, 1, 2});
  EXPECT_TRUE(equal(bag(input, tensor({0, 1})), tensor({{1.0f, 2.0f}, {8.0f, 10.0f}})));
  EXPECT_TRUE(
      equal(F::embedding_bag(input, table,
                             F::EmbeddingBagFuncOptions().offsets(tensor({0, 2})).mode(kMax)),
            tensor({{3.0f, 4.0f}, {5.0f, 6.0f}})));
  EXPECT_TRUE(equal(F::embedding_bag(tensor({{0, 2}}), table), tensor({{3.0f, 4.0f}})));
  EmbeddingBag fresh(EmbeddingBagOptions(4, 2).padding_idx(0));
  EXPECT_EQ(fresh->weight[0].abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(printed(*fresh),
            "ember::nn::EmbeddingBag(num_embeddings=4, embedding_dim=2, mode=mean, padding_idx=0)");
  EXPECT_EQ(fresh->named_parameters().keys(), (std::vector<std::string>{"weight"}));
}

TEST(EmbeddingBag, MaxSendsEachGradientToItsFirstMaximumOnly) {
  // Rows [1, 5], [3, 5], [3, 0], [7, 7]; bags {0, 1, 2}, {}, {3, 1}, {0}: ties keep the first row.
  const Tensor weight = tensor({{1.0, 5.0}, {3.0, 5.0}, {3.0, 0.0}, {7.0, 7.0}}).requires_grad_();
  F::embedding_bag(tensor({0, 1, 2, 3, 1, 0}), weight,
                   F::EmbeddingBagFuncOptions().offsets(tensor({0, 3, 3, 5})).mode(kMax))
      .sum()
      .backward();
  EXPECT_TRUE(equal(weight.grad(), tensor({{1.0, 2.0}, {1.0, 0.0}, {0.0, 0.0}, {1.0, 1.0}})));
}

TEST(Rearrange, PixelShuffleFoldAndUnfoldLayers) {
  const Tensor x = counting({1, 8, 2, 3});
  PixelShuffle shuffle(2);
  PixelUnshuffle unshuffle(PixelUnshuffleOptions(2));
  EXPECT_TRUE(equal(shuffle(x), ember::pixel_shuffle(x, 2)));
  EXPECT_TRUE(equal(unshuffle(shuffle(x)), x));
  EXPECT_TRUE(equal(F::pixel_shuffle(x, 2), shuffle(x)));
  EXPECT_EQ(printed(*shuffle), "ember::nn::PixelShuffle(upscale_factor=2)");
  EXPECT_EQ(printed(*unshuffle), "ember::nn::PixelUnshuffle(downscale_factor=2)");
  Unfold unfold(UnfoldOptions({2, 2}).padding(1));
  const Tensor columns = unfold(counting({1, 2, 3, 4}));
  EXPECT_EQ(columns.sizes(), (std::vector<int64_t>{1, 8, 20}));
  EXPECT_TRUE(
      equal(columns, F::unfold(counting({1, 2, 3, 4}), F::UnfoldFuncOptions(2).padding(1))));
  Fold fold(FoldOptions({3, 4}, {2, 2}).padding(1));
  EXPECT_EQ(fold(columns).sizes(), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(printed(*fold),
            "ember::nn::Fold(output_size=[3, 4], kernel_size=[2, 2], "
            "dilation=[1, 1], padding=[1, 1], stride=[1, 1])");
  EXPECT_EQ(printed(*unfold),
            "ember::nn::Unfold(kernel_size=[2, 2], dilation=[1, 1], "
            "padding=[1, 1], stride=[1, 1])");
  EXPECT_THROW(fold(counting({1, 7, 20})), RuntimeError);
}

}  // namespace
}  // namespace ember::nn
