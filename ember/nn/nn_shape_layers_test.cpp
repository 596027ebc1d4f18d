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

}  // namespace
}  // namespace ember::nn
