// The convolution layers: PyTorch's parameter names, shapes and initialisation (the seeded table
// shared with python/tests/test_nn_conv_layers.py), forwards through the ops, padding modes,
// output_size, options checks and printing.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::message_of;

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

TEST(Conv2d, ParametersAndInitialisationAsPyTorch) {
  manual_seed(7);
  Conv2d conv(Conv2dOptions(4, 6, {3, 2}).groups(2));
  EXPECT_EQ(conv->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(conv->weight.sizes(), (std::vector<int64_t>{6, 2, 3, 2}));
  EXPECT_EQ(conv->bias.sizes(), (std::vector<int64_t>{6}));
  manual_seed(7);
  const Tensor weight = init::kaiming_uniform_(empty({6, 2, 3, 2}), std::sqrt(5.0));
  const Tensor bias = init::uniform_(empty({6}), -1 / std::sqrt(12.0), 1 / std::sqrt(12.0));
  EXPECT_TRUE(equal(conv->weight, weight));
  EXPECT_TRUE(equal(conv->bias, bias));
  const Tensor x = randn({2, 4, 5, 5});
  EXPECT_TRUE(allclose(conv(x), conv2d(x, weight, bias, 1, 0, 1, 2)));
}

// The cross-language check: python/tests/test_nn_conv_layers.py builds the same layers after the
// same seed and compares with this table (test_layer_initialisation_matches_the_cpp_frontend).
TEST(Conv, SeededInitialisationIsTheTableSharedWithPython) {
  manual_seed(2024);
  Conv1d conv(Conv1dOptions(2, 2, 2));
  ConvTranspose2d transpose(ConvTranspose2dOptions(1, 2, 1));
  std::vector<Tensor> parameters = conv->parameters();
  for (const Tensor& parameter : transpose->parameters()) parameters.push_back(parameter);
  const std::vector<std::vector<float>> expected = {
      {0x1.a8b6bp-4f, -0x1.d9fb8p-3f, 0x1.f03aa4p-2f, -0x1.aa65dp-2f, -0x1.3acf6p-3f,
       -0x1.0693cp-4f, 0x1.977228p-2f, -0x1.2782p-5f},
      {-0x1.9e9a18p-3f, 0x1.0d48e8p-3f},
      {0x1.0f55fep-2f, -0x1.773eb6p-3f},
      {0x1.5a075ap-2f, -0x1.7bf54cp-2f}};
  ASSERT_EQ(parameters.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Tensor flat = parameters[i].detach().contiguous();
    EXPECT_EQ(std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()),
              expected[i])
        << "parameter " << i;
  }
}

TEST(Conv, PaddingModesAndSame) {
  const Tensor x = randn({1, 2, 6});
  Conv1d zeros(Conv1dOptions(2, 3, 3).padding(1));
  Conv1d circular(Conv1dOptions(2, 3, 3).padding(1).padding_mode(kCircular).bias(false));
  EXPECT_EQ(zeros(x).sizes(), (std::vector<int64_t>{1, 3, 6}));
  const Tensor wrapped = ember::cat({x.narrow(2, 5, 1), x, x.narrow(2, 0, 1)}, 2);
  EXPECT_TRUE(allclose(circular(x), conv1d(wrapped, circular->weight)));
  Conv2d same(Conv2dOptions(2, 2, {2, 3}).padding(kSame).padding_mode(kReplicate));
  EXPECT_EQ(same(randn({1, 2, 4, 5})).sizes(), (std::vector<int64_t>{1, 2, 4, 5}));
  Conv3d valid(Conv3dOptions(1, 1, 2).padding(kValid));
  EXPECT_EQ(valid(randn({1, 1, 3, 3, 3})).sizes(), (std::vector<int64_t>{1, 1, 2, 2, 2}));
}

TEST(ConvTranspose, OutputSizePicksTheOutputPadding) {
  ConvTranspose2d up(ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1));
  EXPECT_EQ(up->weight.sizes(), (std::vector<int64_t>{4, 2, 3, 3}));
  const Tensor x = randn({1, 4, 5, 5});
  EXPECT_EQ(up(x).sizes(), (std::vector<int64_t>{1, 2, 9, 9}));
  const std::vector<int64_t> size{10, 9};
  EXPECT_EQ(up->forward(x, size).sizes(), (std::vector<int64_t>{1, 2, 10, 9}));
  const std::vector<int64_t> too_big{11, 9};
  EXPECT_NE(message_of([&] { up->forward(x, too_big); }).find("valid sizes range from 9 to 10"),
            std::string::npos);
}

TEST(Conv, OptionsChecksAndPrinting) {
  EXPECT_THROW(Conv2d(Conv2dOptions(3, 4, 3).groups(2)), ValueError);
  EXPECT_THROW(Conv2d(Conv2dOptions(4, 3, 3).groups(2)), ValueError);
  EXPECT_THROW(Conv2d(Conv2dOptions(4, 4, 3).stride(2).padding(kSame)), ValueError);
  EXPECT_THROW(ConvTranspose1d(ConvTranspose1dOptions(2, 2, 3).padding_mode(kReflect)), ValueError);
  EXPECT_EQ(printed(*Conv2d(Conv2dOptions(3, 16, 3).padding(1))),
            "ember::nn::Conv2d(3, 16, kernel_size=[3, 3], stride=[1, 1], padding=[1, 1])");
  EXPECT_EQ(
      printed(*Conv1d(
          Conv1dOptions(2, 4, 3).dilation(2).groups(2).bias(false).padding(kSame).padding_mode(
              kCircular))),
      "ember::nn::Conv1d(2, 4, kernel_size=[3], stride=[1], padding=same, dilation=[2], "
      "groups=2, bias=false, padding_mode=circular)");
  EXPECT_EQ(printed(*ConvTranspose3d(ConvTranspose3dOptions(2, 2, 2).stride(2).output_padding(1))),
            "ember::nn::ConvTranspose3d(2, 2, kernel_size=[2, 2, 2], stride=[2, 2, 2], "
            "output_padding=[1, 1, 1])");
}

}  // namespace
}  // namespace ember::nn
