// The linear layers and the containers: PyTorch's parameter names, shapes, registration order and
// initialisation (the same draws as the init calls PyTorch's reset_parameters makes), forwards,
// options and printing.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::message_of;

std::string printed(const Module& module) {
  std::ostringstream stream;
  stream << module;
  return stream.str();
}

TEST(Linear, InitialisesAsPyTorchsResetParameters) {
  manual_seed(42);
  Linear linear(5, 3);
  manual_seed(42);
  const Tensor weight = init::kaiming_uniform_(empty({3, 5}), std::sqrt(5.0));
  const Tensor bias = init::uniform_(empty({3}), -1 / std::sqrt(5.0), 1 / std::sqrt(5.0));
  EXPECT_TRUE(equal(linear->weight, weight));
  EXPECT_TRUE(equal(linear->bias, bias));
  EXPECT_EQ(linear->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_TRUE(linear->weight.requires_grad() && linear->weight.is_leaf());
  const Tensor x = randn({2, 5});
  EXPECT_TRUE(allclose(linear(x), x.matmul(weight.t()) + bias));
  EXPECT_EQ(linear(randn({4, 2, 5})).sizes(), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_NE(message_of([&] { linear(randn({2, 4})); }).find("[2, 4]"), std::string::npos);
}

// The cross-language check: python/tests/test_nn_init.py draws the same table from Python with
// PyTorch's reset_parameters calls (test_layer_initialisation_matches_the_cpp_frontend).
TEST(Linear, SeededInitialisationIsTheTableSharedWithPython) {
  manual_seed(2024);
  Linear linear(3, 2);
  Bilinear bilinear(2, 1, 2);
  const std::vector<std::vector<float>> expected = {
      {0x1.ea6ac4p-4f, -0x1.11a764p-2f, 0x1.1e7f7cp-1f, -0x1.ec5c96p-2f, -0x1.6b82e8p-3f,
       -0x1.2f32aep-4f},
      {-0x1.debdb6p-3f, 0x1.36f17cp-3f},
      {0x1.0f55fep-2f, -0x1.773eb6p-3f, -0x1.81ff24p-2f, 0x1.d21806p-4f},
      {0x1.5a075ap-2f, -0x1.7bf54cp-2f}};
  std::vector<Tensor> parameters = linear->parameters();
  for (const Tensor& parameter : bilinear->parameters()) parameters.push_back(parameter);
  ASSERT_EQ(parameters.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Tensor flat = parameters[i].detach().contiguous();
    EXPECT_EQ(std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()),
              expected[i])
        << "parameter " << i;
  }
}

TEST(Linear, WithoutBiasAndReset) {
  Linear linear(LinearOptions(2, 6).bias(false));
  EXPECT_EQ(linear->named_parameters().keys(), std::vector<std::string>{"weight"});
  EXPECT_FALSE(linear->bias.defined());
  EXPECT_EQ(linear->weight.sizes(), (std::vector<int64_t>{6, 2}));
  const Tensor before = linear->weight.clone();
  linear->reset_parameters();
  EXPECT_FALSE(equal(before, linear->weight));
  EXPECT_EQ(printed(*linear), "ember::nn::Linear(in_features=2, out_features=6, bias=false)");
  EXPECT_EQ(linear->options.out_features(), 6);
}

TEST(Bilinear, InitialisesAndForwards) {
  manual_seed(3);
  Bilinear bilinear(BilinearOptions(4, 2, 3));
  manual_seed(3);
  const Tensor weight = init::uniform_(empty({3, 4, 2}), -0.5, 0.5);
  const Tensor bias = init::uniform_(empty({3}), -0.5, 0.5);
  EXPECT_TRUE(equal(bilinear->weight, weight));
  EXPECT_TRUE(equal(bilinear->bias, bias));
  EXPECT_EQ(bilinear->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  const Tensor x1 = randn({5, 4}), x2 = randn({5, 2});
  EXPECT_TRUE(allclose(bilinear(x1, x2), ember::bilinear(x1, x2, weight, bias)));
  EXPECT_EQ(printed(*bilinear),
            "ember::nn::Bilinear(in1_features=4, in2_features=2, out_features=3, bias=true)");
  EXPECT_EQ(Bilinear(BilinearOptions(1, 1, 1).bias(false))->parameters().size(), 1u);
}

TEST(Shapes, IdentityFlattenUnflatten) {
  const Tensor x = randn({2, 3, 4, 5});
  EXPECT_TRUE(Identity()(x).is_same(x));
  EXPECT_EQ(Flatten()(x).sizes(), (std::vector<int64_t>{2, 60}));
  EXPECT_EQ(Flatten(FlattenOptions().start_dim(0).end_dim(1))(x).sizes(),
            (std::vector<int64_t>{6, 4, 5}));
  EXPECT_EQ(Unflatten(UnflattenOptions(1, {3, 1}))(randn({2, 3})).sizes(),
            (std::vector<int64_t>{2, 3, 1}));
  EXPECT_EQ(Unflatten(-1, std::vector<int64_t>{2, 2})(randn({3, 4})).sizes(),
            (std::vector<int64_t>{3, 2, 2}));
  EXPECT_EQ(printed(*Identity()), "ember::nn::Identity()");
  EXPECT_EQ(printed(*Flatten()), "ember::nn::Flatten(start_dim=1, end_dim=-1)");
  EXPECT_EQ(printed(*Unflatten(1, std::vector<int64_t>{2, 2})),
            "ember::nn::Unflatten(dim=1, unflattened_size={2, 2})");
  EXPECT_TRUE(Flatten()->parameters().empty());
}

TEST(Sequential, ChainsAndNamesByIndex) {
  Sequential sequential(Linear(3, 4), Flatten(), Linear(4, 2));
  EXPECT_EQ(sequential->size(), 3u);
  EXPECT_EQ(sequential->named_parameters().keys(),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  const Tensor x = randn({5, 3});
  const Tensor expected =
      sequential->at<LinearImpl>(2).forward(sequential->at<LinearImpl>(0).forward(x));
  EXPECT_TRUE(allclose(sequential->forward(x), expected));
  EXPECT_TRUE(allclose(sequential(x), expected));
  EXPECT_NE(sequential[0]->as<Linear>(), nullptr);
  EXPECT_EQ(sequential->ptr<LinearImpl>(1), nullptr);
  EXPECT_THROW(sequential[3], IndexError);
  sequential->push_back("head", Identity());
  sequential->push_back(std::make_shared<IdentityImpl>());
  EXPECT_EQ(sequential->named_children().keys(),
            (std::vector<std::string>{"0", "1", "2", "head", "4"}));
  int count = 0;
  for (const auto& module : *sequential) count += module != nullptr;
  EXPECT_EQ(count, 5);
  EXPECT_EQ(printed(*Sequential(Linear(1, 2), Identity())),
            "ember::nn::Sequential(\n"
            "  (0): ember::nn::Linear(in_features=1, out_features=2, bias=true)\n"
            "  (1): ember::nn::Identity()\n"
            ")");
  Sequential empty_sequential;
  EXPECT_NE(message_of([&] { empty_sequential->forward(x); }).find("empty Sequential"),
            std::string::npos);
  Sequential nested(sequential, Linear(2, 1));
  EXPECT_EQ(nested(x).sizes(), (std::vector<int64_t>{5, 1}));
  EXPECT_EQ(nested->named_parameters().keys().front(), "0.0.weight");
}

TEST(ModuleList, AppendsInsertsAndIndexes) {
  ModuleList list(Linear(2, 2), Identity());
  list->push_back(Linear(2, 3));
  list->insert(1, Flatten());
  EXPECT_EQ(list->size(), 4u);
  EXPECT_EQ(list->named_children().keys(), (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_NE(list[1]->as<Flatten>(), nullptr);
  EXPECT_EQ(list->at<LinearImpl>(3).options.out_features(), 3);
  EXPECT_EQ(list->named_parameters().keys(),
            (std::vector<std::string>{"0.weight", "0.bias", "3.weight", "3.bias"}));
  ModuleList other;
  other->extend(*list);
  EXPECT_EQ(other->ptr(0).get(), list->ptr(0).get());
  EXPECT_THROW(list->insert(9, Identity()), IndexError);
  EXPECT_THROW(list->ptr(4), IndexError);
}

TEST(ModuleDict, KeepsModulesByName) {
  ModuleDict dict(std::vector<std::pair<std::string, std::shared_ptr<Module>>>{
      {"encoder", Linear(3, 2).ptr()}, {"act", Identity().ptr()}});
  dict->insert("decoder", Linear(2, 3));
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"encoder", "act", "decoder"}));
  EXPECT_EQ(dict->named_parameters().keys(),
            (std::vector<std::string>{"encoder.weight", "encoder.bias", "decoder.weight",
                                      "decoder.bias"}));
  EXPECT_EQ(dict->at<LinearImpl>("decoder").options.in_features(), 2);
  dict->insert("act", Flatten());  // replaces, keeping the position
  EXPECT_NE(dict["act"]->as<Flatten>(), nullptr);
  EXPECT_EQ(dict->pop("encoder")->as<Linear>()->options.out_features(), 2);
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"act", "decoder"}));
  EXPECT_NE(message_of([&] { dict["missing"]; }).find("no module named 'missing'"),
            std::string::npos);
  EXPECT_TRUE(dict->contains("decoder"));
  dict->clear();
  EXPECT_TRUE(dict->empty());
}

TEST(ParameterContainers, RegisterParameters) {
  ParameterList list(std::vector<Tensor>{ones({2}), zeros({3})});
  list->append(ones({1}));
  EXPECT_EQ(list->size(), 3u);
  EXPECT_EQ(list->named_parameters().keys(), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_TRUE(list[1].requires_grad());
  EXPECT_THROW(list[3], IndexError);
  EXPECT_EQ(printed(*list),
            "ember::nn::ParameterList(\n"
            "  (0): Parameter containing: [float32 of size [2]]\n"
            "  (1): Parameter containing: [float32 of size [3]]\n"
            "  (2): Parameter containing: [float32 of size [1]]\n"
            ")");

  ParameterDict dict;
  dict->insert("alpha", ones({2}));
  dict->insert("beta", zeros({1}));
  EXPECT_EQ(dict->keys(), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_TRUE(dict["alpha"].requires_grad());
  dict->insert("alpha", full({2}, 3.0));
  EXPECT_EQ(dict->get("alpha").sum().item<float>(), 6.0f);
  EXPECT_EQ(dict->pop("beta").numel(), 1);
  EXPECT_FALSE(dict->contains("beta"));
  EXPECT_NE(message_of([&] { dict->get("beta"); }).find("no parameter named 'beta'"),
            std::string::npos);
  auto net = std::make_shared<Module>();
  net->register_module("list", list);
  net->register_module("dict", dict);
  EXPECT_EQ(net->named_parameters().keys(),
            (std::vector<std::string>{"list.0", "list.1", "list.2", "dict.alpha"}));
}

}  // namespace
}  // namespace ember::nn
