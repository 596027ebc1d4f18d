// AnyValue and AnyModule (modules/any.h): typed forward through the handle, declared default
// arguments, the type and count errors, and Transformer's custom_encoder/custom_decoder.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "ember/base/error_testing.h"
#include "ember/nn/nn.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"

namespace ember::nn {
namespace {

using test_support::contains;
using test_support::error_of;

// forward(x, scale = 2.0, shift = nullopt), its defaults declared for AnyModule (protected, as a
// libtorch module would).
struct ScaleShiftImpl : Module {
  Tensor forward(const Tensor& x, double scale = 2.0, std::optional<double> shift = std::nullopt) {
    Tensor scaled = mul(x, scalar_tensor(scale));
    return shift ? add(scaled, scalar_tensor(*shift)) : scaled;
  }

 protected:
  FORWARD_HAS_DEFAULT_ARGS({1, AnyValue(2.0)}, {2, AnyValue(std::optional<double>())})
};

// An encoder that ignores its masks: one Linear over the source.
struct LinearEncoderImpl : Module {
  explicit LinearEncoderImpl(int64_t d_model)
      : linear(register_module("linear", Linear(d_model, d_model))) {}
  Tensor forward(const Tensor& src, const Tensor& /*mask*/, const Tensor& /*key_padding_mask*/) {
    return linear(src);
  }
  Linear linear;
};

// A decoder that adds the mean of memory over its sequence to the target.
struct MeanMemoryDecoderImpl : Module {
  Tensor forward(const Tensor& tgt, const Tensor& memory, const Tensor& /*tgt_mask*/,
                 const Tensor& /*memory_mask*/, const Tensor& /*tgt_key_padding_mask*/,
                 const Tensor& /*memory_key_padding_mask*/) {
    return add(tgt, mean(memory, {0}, true));
  }
};

TEST(AnyValue, GetsItsTypeAndRejectsAnother) {
  AnyValue value(3.5);
  EXPECT_EQ(value.get<double>(), 3.5);
  EXPECT_NE(value.try_get<double>(), nullptr);
  EXPECT_EQ(value.try_get<int>(), nullptr);
  EXPECT_TRUE(value.type_info() == typeid(double));
  EXPECT_TRUE(contains(error_of<TypeError>([&] { value.get<std::string>(); }),
                       "[AnyValue] attempted to cast an AnyValue holding double to"));
}

TEST(AnyModule, ForwardsThroughTheHandleAndReachesTheModule) {
  manual_seed(0);
  Linear linear(3, 2);
  AnyModule any(linear);
  const Tensor x = randn({4, 3});
  EXPECT_TRUE(equal(any.forward(x), linear(x)));
  EXPECT_TRUE(equal(any.any_forward(x).get<Tensor>(), linear(x)));
  EXPECT_EQ(any.ptr().get(), linear.ptr().get());
  EXPECT_EQ(any.ptr<LinearImpl>().get(), linear.ptr().get());
  EXPECT_EQ(any.get<LinearImpl>().options.out_features(), 2);
  EXPECT_TRUE(any.type_info() == typeid(LinearImpl));
  EXPECT_FALSE(any.is_empty());
  // A module given by value or by shared_ptr.
  EXPECT_EQ(AnyModule(ReLUImpl()).forward(full({2}, -1.0)).sum().item<double>(), 0.0);
  EXPECT_FALSE(AnyModule(std::make_shared<ReLUImpl>()).is_empty());
}

TEST(AnyModule, FillsDeclaredDefaultArguments) {
  AnyModule any(std::make_shared<ScaleShiftImpl>());
  const Tensor x = full({2}, 3.0);
  EXPECT_EQ(any.forward(x).sum().item<double>(), 12.0);
  EXPECT_EQ(any.forward(x, 0.5).sum().item<double>(), 3.0);
  EXPECT_EQ(any.forward(x, 0.5, std::optional<double>(1.0)).sum().item<double>(), 5.0);
}

TEST(AnyModule, RejectsWrongCountsTypesAndEmptiness) {
  AnyModule linear(Linear(3, 2));
  const Tensor x = randn({1, 3});
  EXPECT_TRUE(contains(error_of<TypeError>([&] { linear.forward(x, x); }),
                       "'s forward() expects 1 arguments; got 2"));
  EXPECT_TRUE(
      contains(error_of<TypeError>([&] { linear.forward(); }), "expects 1 arguments; got 0"));
  EXPECT_TRUE(contains(error_of<TypeError>([&] { linear.forward(1.0); }),
                       "[AnyModule] expected argument #0 of"));
  EXPECT_TRUE(contains(error_of<TypeError>([&] { linear.forward<double>(x); }), "to double"));
  EXPECT_TRUE(contains(error_of<TypeError>([&] { linear.get<ReLUImpl>(); }),
                       "[AnyModule] attempted to cast a module of type"));
  AnyModule scale_shift(std::make_shared<ScaleShiftImpl>());
  EXPECT_TRUE(contains(error_of<TypeError>([&] { scale_shift.forward(x, 1.0, 2.0, 3.0); }),
                       "expects 1 to 3 arguments; got 4"));
  // A float where forward takes std::optional<double>: exact types, as libtorch.
  EXPECT_TRUE(contains(error_of<TypeError>([&] { scale_shift.forward(x, 1.0, 2.0); }),
                       "expected argument #2 of"));
  AnyModule empty;
  EXPECT_TRUE(empty.is_empty());
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { empty.forward(x); }), "empty AnyModule"));
  EXPECT_TRUE(contains(error_of<ValueError>([] { AnyModule(std::shared_ptr<LinearImpl>()); }),
                       "got a null pointer"));
}

TEST(AnyModule, BuiltTransformerCodersTakeThreeAndSixArguments) {
  manual_seed(0);
  Transformer transformer(TransformerOptions(4, 2)
                              .num_encoder_layers(1)
                              .num_decoder_layers(1)
                              .dim_feedforward(8)
                              .dropout(0.0));
  auto& encoder = transformer->encoder.get<TransformerEncoderImpl>();
  const Tensor src = randn({5, 2, 4});
  const Tensor tgt = randn({3, 2, 4});
  const Tensor memory = encoder.forward(src);
  EXPECT_TRUE(allclose(transformer->encoder.forward(src, Tensor(), Tensor()), memory));
  EXPECT_TRUE(allclose(transformer(src, tgt),
                       transformer->decoder.get<TransformerDecoderImpl>().forward(tgt, memory)));
}

TEST(Transformer, UsesTheCustomEncoderAndDecoder) {
  manual_seed(0);
  auto custom_encoder = std::make_shared<LinearEncoderImpl>(4);
  auto custom_decoder = std::make_shared<MeanMemoryDecoderImpl>();
  Transformer transformer(TransformerOptions(4, 2)
                              .custom_encoder(AnyModule(custom_encoder))
                              .custom_decoder(AnyModule(custom_decoder)));
  // The custom modules are the Transformer's children, re-initialised as PyTorch's are.
  const auto keys = transformer->named_parameters().keys();
  EXPECT_EQ(keys, (std::vector<std::string>{"encoder.linear.weight", "encoder.linear.bias"}));
  EXPECT_EQ(transformer->encoder.ptr().get(), custom_encoder.get());
  const Tensor src = randn({5, 2, 4});
  const Tensor tgt = randn({3, 2, 4});
  const Tensor expected = add(tgt, mean(custom_encoder->linear(src), {0}, true));
  EXPECT_TRUE(allclose(transformer(src, tgt), expected));
}

}  // namespace
}  // namespace ember::nn
