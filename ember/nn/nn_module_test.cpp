// Module, OrderedDict and ModuleHolder: registration and its errors, the recursive named views
// with PyTorch's dotted keys, apply, training mode, zero_grad and printing.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ember/autograd/variable.h"
#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::nn {
namespace {

using testing::message_of;

struct BlockImpl : Module {
  BlockImpl() {
    fc = register_module("fc", Linear(3, 2));
    scale = register_parameter("scale", ones({2}));
    register_buffer("running", zeros({2}));
  }
  Tensor forward(const Tensor& x) { return fc(x) * scale; }
  Linear fc = nullptr;
  Tensor scale;
};
EMBER_MODULE(Block);

struct Net : Module {
  Net() {
    first = register_module("first", Block());
    second = register_module("second", std::make_shared<LinearImpl>(LinearOptions(2, 1)));
    offset = register_parameter("offset", zeros({1}));
  }
  Tensor forward(const Tensor& x) { return second->forward(first->forward(x)) + offset; }
  Block first = nullptr;
  std::shared_ptr<LinearImpl> second;
  Tensor offset;
};

std::vector<std::string> keys(const OrderedDict<std::string, Tensor>& dict) { return dict.keys(); }

TEST(OrderedDict, KeepsInsertionOrderAndRefusesDuplicates) {
  OrderedDict<std::string, int> dict("Thing");
  dict.insert("b", 2);
  dict.insert("a", 1);
  dict.insert("c", 3);
  EXPECT_EQ(dict.keys(), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(dict["a"], 1);
  EXPECT_EQ(dict[2].key(), "c");
  EXPECT_EQ(dict.front().value(), 2);
  EXPECT_TRUE(dict.contains("c") && !dict.contains("d"));
  EXPECT_EQ(dict.find("d"), nullptr);
  EXPECT_NE(message_of([&] { dict.insert("a", 5); }).find("Thing 'a' already defined"),
            std::string::npos);
  EXPECT_NE(message_of([&] { dict["zz"]; }).find("Thing 'zz' is not defined"), std::string::npos);
  EXPECT_THROW(dict[7], IndexError);
  dict.erase("b");
  EXPECT_EQ(dict.keys(), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(dict["c"], 3);
  dict.update(OrderedDict<std::string, int>{{"c", 30}, {"d", 4}});
  EXPECT_EQ(dict.values(), (std::vector<int>{1, 30, 4}));
}

TEST(Module, NamedParametersUseDottedKeysInRegistrationOrder) {
  auto net = std::make_shared<Net>();
  EXPECT_EQ(keys(net->named_parameters()),
            (std::vector<std::string>{"offset", "first.scale", "first.fc.weight", "first.fc.bias",
                                      "second.weight", "second.bias"}));
  EXPECT_EQ(keys(net->named_parameters(/*recurse=*/false)), std::vector<std::string>{"offset"});
  EXPECT_EQ(keys(net->named_buffers()), std::vector<std::string>{"first.running"});
  EXPECT_EQ(net->parameters().size(), 6u);
  EXPECT_EQ(net->buffers(false).size(), 0u);
  for (const auto& item : net->named_parameters()) {
    EXPECT_TRUE(item.value().requires_grad()) << item.key();
  }
  // The handles are the registered tensors themselves.
  EXPECT_TRUE(net->named_parameters()["first.fc.weight"].is_same(net->first->fc->weight));
  EXPECT_EQ(net->forward(ones({4, 3})).sizes(), (std::vector<int64_t>{4, 1}));
}

TEST(Module, ChildrenAndModules) {
  auto net = std::make_shared<Net>();
  EXPECT_EQ(net->named_children().keys(), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(net->children().size(), 2u);
  EXPECT_EQ(net->named_modules().keys(),
            (std::vector<std::string>{"", "first", "first.fc", "second"}));
  EXPECT_EQ(net->named_modules("net").keys(),
            (std::vector<std::string>{"net", "net.first", "net.first.fc", "net.second"}));
  EXPECT_EQ(net->modules(/*include_self=*/false).size(), 3u);
  EXPECT_EQ(net->modules().front().get(), net.get());
  // A module registered twice is listed once.
  auto shared = std::make_shared<IdentityImpl>();
  auto twice = std::make_shared<Module>();
  twice->register_module("a", shared);
  twice->register_module("b", shared);
  EXPECT_EQ(twice->named_modules().keys(), (std::vector<std::string>{"", "a"}));
  EXPECT_NE(net->named_children()["first"]->as<Block>(), nullptr);
  EXPECT_EQ(net->named_children()["first"]->as<Linear>(), nullptr);
  EXPECT_NE(net->named_children()["second"]->as<LinearImpl>(), nullptr);
}

TEST(Module, RegistrationErrors) {
  Module module;
  module.register_parameter("w", ones({2}));
  EXPECT_NE(message_of([&] {
              module.register_parameter("w", ones({2}));
            }).find("Parameter 'w' already defined"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              module.register_parameter("a.b", ones({2}));
            }).find("must not contain a dot (got 'a.b')"),
            std::string::npos);
  EXPECT_NE(message_of([&] { module.register_buffer("", ones({2})); }).find("must not be empty"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              module.register_module("x", std::shared_ptr<LinearImpl>());
            }).find("Submodule 'x' is null"),
            std::string::npos);
  EXPECT_NE(message_of([&] { module.unregister_module("nope"); }).find("'nope'"),
            std::string::npos);
  // requires_grad=false and undefined parameters (Linear's absent bias).
  EXPECT_FALSE(module.register_parameter("frozen", ones({2}), false).requires_grad());
  module.register_parameter("absent", Tensor(), false);
  EXPECT_EQ(keys(module.named_parameters()), (std::vector<std::string>{"w", "frozen"}));
}

TEST(Module, ReplaceAndUnregister) {
  auto net = std::make_shared<Net>();
  net->replace_module("second", Linear(LinearOptions(2, 1).bias(false)));
  EXPECT_EQ(keys(net->named_parameters()),
            (std::vector<std::string>{"offset", "first.scale", "first.fc.weight", "first.fc.bias",
                                      "second.weight"}));
  net->unregister_module("first");
  EXPECT_EQ(net->named_children().keys(), std::vector<std::string>{"second"});
}

TEST(Module, TrainEvalAndApply) {
  auto net = std::make_shared<Net>();
  EXPECT_TRUE(net->is_training());
  net->eval();
  int visited = 0;
  net->apply([&](const Module& module) {
    EXPECT_FALSE(module.is_training());
    ++visited;
  });
  EXPECT_EQ(visited, 4);
  net->train();
  std::vector<std::string> names;
  net->apply([&](const std::string& name, Module& module) {
    names.push_back(name);
    EXPECT_TRUE(module.is_training());
  });
  EXPECT_EQ(names, (std::vector<std::string>{"", "first", "first.fc", "second"}));
  int pointers = 0;
  net->apply([&](const std::shared_ptr<Module>& module) { pointers += module != nullptr; });
  EXPECT_EQ(pointers, 4);
}

TEST(Module, ZeroGradClearsOrZeroes) {
  auto net = std::make_shared<Net>();
  net->forward(ones({2, 3})).sum().backward();
  for (const Tensor& p : net->parameters()) EXPECT_TRUE(p.grad().defined());
  net->zero_grad(/*set_to_none=*/false);
  for (const Tensor& p : net->parameters()) {
    EXPECT_TRUE(p.grad().defined());
    EXPECT_EQ(p.grad().abs().sum().item<float>(), 0.0f);
  }
  net->zero_grad();
  for (const Tensor& p : net->parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(Module, ToConvertsInPlaceKeepingHandles) {
  Net net;
  const Tensor weight_handle = net.second->weight;
  net.first->forward(ones({4, 3})).sum().backward();
  net.to(kFloat64);
  // The member, the registered parameter and a handle taken before are one tensor, now float64.
  EXPECT_EQ(weight_handle.dtype(), kFloat64);
  EXPECT_EQ(net.named_parameters()["second.weight"].dtype(), kFloat64);
  EXPECT_EQ(net.first->fc->weight.grad().dtype(), kFloat64);
  EXPECT_EQ(net.named_buffers()["first.running"].dtype(), kFloat64);
  const Tensor out = net.forward(ones({4, 3}, kFloat64));
  EXPECT_EQ(out.dtype(), kFloat64);
  out.sum().backward();
  EXPECT_EQ(net.offset.grad().dtype(), kFloat64);
  EXPECT_TRUE(net.second->weight.requires_grad());

  BatchNorm1d norm(3);
  norm->to(kFloat64);
  EXPECT_EQ(norm->running_mean.dtype(), kFloat64);
  EXPECT_EQ(norm->num_batches_tracked.dtype(), kInt64);
  norm->to(Device(kCPU));
  EXPECT_EQ(norm->weight.dtype(), kFloat64);

  EXPECT_THROW(Tensor().set_data(ones({1})), RuntimeError);
  EXPECT_THROW(net.offset.set_data(Tensor()), RuntimeError);
  EXPECT_THROW(net.to(kInt32), TypeError);
  EXPECT_NE(message_of([&] { net.to(kInt32); }).find("floating point"), std::string::npos);
}

TEST(Module, PrettyPrintsTheTree) {
  auto net = std::make_shared<Net>();
  std::ostringstream stream;
  stream << *net;
  // A user module without pretty_print shows its demangled type name, as in libtorch.
  EXPECT_EQ(stream.str(),
            "ember::nn::(anonymous namespace)::Net(\n"
            "  (first): ember::nn::(anonymous namespace)::BlockImpl(\n"
            "    (fc): ember::nn::Linear(in_features=3, out_features=2, bias=true)\n"
            "  )\n"
            "  (second): ember::nn::Linear(in_features=2, out_features=1, bias=true)\n"
            ")");
  EXPECT_EQ(Module("Custom").name(), "Custom");
}

TEST(ModuleHolder, ConstructsCallsAndReportsEmptiness) {
  Linear empty_holder = nullptr;
  EXPECT_TRUE(empty_holder.is_empty());
  EXPECT_FALSE(static_cast<bool>(empty_holder));
  EXPECT_NE(message_of([&] { empty_holder->reset(); }).find("empty ModuleHolder"),
            std::string::npos);
  Linear linear(LinearOptions(4, 3).bias(false));
  EXPECT_FALSE(linear->bias.defined());
  EXPECT_EQ(linear(ones({2, 4})).sizes(), (std::vector<int64_t>{2, 3}));
  Linear alias = linear;  // holders share their module
  EXPECT_EQ(alias.get(), linear.get());
  Linear from_pointer(std::make_shared<LinearImpl>(1, 1));
  EXPECT_EQ(from_pointer->options.in_features(), 1);
  Block block;  // default-constructible Impl
  EXPECT_EQ(block->parameters().size(), 3u);
  std::ostringstream stream;
  stream << linear;
  EXPECT_EQ(stream.str(), "ember::nn::Linear(in_features=4, out_features=3, bias=false)");
}

}  // namespace
}  // namespace ember::nn
