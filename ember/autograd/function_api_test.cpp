// The libtorch-spelled custom Function API: Function<T>::apply with non-tensor and list
// arguments, AutogradContext (saved tensors and saved_data, mark_dirty,
// mark_non_differentiable, set_materialize_grads, needs_input_grad), the checks on what backward
// returns, double backward, and IValue's kinds.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/function.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/gradcheck.h"
#include "ember/autograd/ivalue.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::function_api_test {
// Outside the anonymous namespace, so that its demangled name is plain.
struct Named : autograd::Function<Named> {
  static Tensor forward(autograd::AutogradContext*, const Tensor& x) { return x * 2; }
  static autograd::variable_list backward(autograd::AutogradContext*,
                                          autograd::variable_list grads) {
    return {grads[0] * 2};
  }
};
}  // namespace ember::function_api_test

namespace ember {
namespace {

using autograd::AutogradContext;
using autograd::variable_list;
using testing::leaf;
using testing::message_of;
using testing::values;

// y = sign * scale * x^2 + bias, with every kind of non-tensor argument on the way.
struct ScaledSquare : autograd::Function<ScaledSquare> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x, double scale, int64_t repeat,
                        bool negate, const std::string& label, const std::vector<int64_t>& dims,
                        const std::optional<Tensor>& bias) {
    EXPECT_EQ(label, "square");
    EXPECT_EQ(dims, (std::vector<int64_t>{0}));
    const double factor = (negate ? -scale : scale) * static_cast<double>(repeat);
    ctx->save_for_backward({x});
    ctx->saved_data["factor"] = factor;
    ctx->saved_data["has_bias"] = bias.has_value();
    Tensor y = x * x * factor;
    return bias ? y + *bias : y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const Tensor x = ctx->get_saved_variables()[0];
    const double factor = ctx->saved_data["factor"].toDouble();
    Tensor grad_bias = ctx->saved_data["has_bias"].toBool() ? grads[0] : Tensor();
    return {
        grads[0] * x * (2 * factor), Tensor(), Tensor(), Tensor(), Tensor(), Tensor(), grad_bias};
  }
};

TEST(FunctionApi, NonTensorArgumentsAndValues) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor bias = tensor({0.5, 0.5}, kFloat64).requires_grad_();
  Tensor y = ScaledSquare::apply(x, 1.5, int64_t{2}, true, std::string("square"),
                                 std::vector<int64_t>{0}, std::optional<Tensor>(bias));
  EXPECT_EQ(values(y), (std::vector<double>{-2.5, -11.5}));  // -3 x^2 + 0.5
  y.sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{-6, -12}));
  EXPECT_EQ(values(bias.grad()), (std::vector<double>{1, 1}));
}

TEST(FunctionApi, GradcheckInFloat64) {
  const auto function = [](const std::vector<Tensor>& in) {
    return ScaledSquare::apply(in[0], 0.75, int64_t{3}, false, std::string("square"),
                               std::vector<int64_t>{0}, std::optional<Tensor>(in[1]));
  };
  EXPECT_EQ(autograd::gradcheck(function, {leaf({2, 3}), leaf({2, 3})}), "");
  // An absent optional is a non-tensor argument: still one entry in backward's results.
  const auto without_bias = [](const std::vector<Tensor>& in) {
    return ScaledSquare::apply(in[0], 0.75, 3, false, "square", std::vector<int64_t>{0},
                               std::optional<Tensor>());
  };
  EXPECT_EQ(autograd::gradcheck(without_bias, {leaf({4})}), "");
}

// The tensors of a variable_list argument are inputs, one backward result each.
struct WeightedSum : autograd::Function<WeightedSum> {
  static Tensor forward(AutogradContext* ctx, const variable_list& tensors, double weight) {
    ctx->saved_data["weight"] = weight;
    return tensors[0] + tensors[1] * weight;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    return {grads[0], grads[0] * ctx->saved_data["weight"].toDouble(), Tensor()};
  }
};

TEST(FunctionApi, VariableListArgumentsAreInputs) {
  Tensor a = leaf({3});
  Tensor b = leaf({3});
  Tensor y = WeightedSum::apply(variable_list{a, b}, 4.0);
  y.sum().backward();
  EXPECT_EQ(values(a.grad()), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(values(b.grad()), (std::vector<double>{4, 4, 4}));
}

TEST(FunctionApi, NodeIsNamedAfterTheType) {
  Tensor y = function_api_test::Named::apply(leaf({2}));
  EXPECT_EQ(y.grad_fn()->name(), "ember::function_api_test::Named");
}

// Stores one value of every kind in forward and reads each back in backward.
struct EveryKind : autograd::Function<EveryKind> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->saved_data["none"] = std::nullopt;
    ctx->saved_data["bool"] = true;
    ctx->saved_data["int"] = 3;
    ctx->saved_data["size"] = size_t{7};
    ctx->saved_data["double"] = 0.5;
    ctx->saved_data["string"] = "name";
    ctx->saved_data["tensor"] = x * 2;
    ctx->saved_data["sizes"] = x.sizes();
    ctx->saved_data["ints"] = std::vector<int64_t>{1, 2};
    ctx->saved_data["doubles"] = std::vector<double>{0.25, 4.0};
    ctx->saved_data["tensors"] = variable_list{x, x * 3};
    ctx->saved_data["optional"] = std::optional<double>(1.5);
    ctx->saved_data["dtype"] = x.scalar_type();
    return x.clone();
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto& data = ctx->saved_data;
    EXPECT_TRUE(data["none"].isNone());
    EXPECT_TRUE(data["bool"].toBool());
    EXPECT_EQ(data["int"].toInt(), 3);
    EXPECT_EQ(data["size"].toInt(), 7);
    EXPECT_EQ(data["double"].toDouble(), 0.5);
    EXPECT_EQ(data["string"].toStringRef(), "name");
    EXPECT_EQ(values(data["tensor"].toTensor()), (std::vector<double>{2, 4}));
    EXPECT_EQ(data["sizes"].toIntVector(), (std::vector<int64_t>{2}));
    EXPECT_EQ(data["ints"].toIntVector(), (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(data["doubles"].toDoubleVector(), (std::vector<double>{0.25, 4.0}));
    EXPECT_EQ(values(data["tensors"].toTensorVector()[1]), (std::vector<double>{3, 6}));
    EXPECT_EQ(data["optional"].toDouble(), 1.5);
    EXPECT_EQ(data["dtype"].toScalarType(), kFloat64);
    return {grads[0] * data["double"].toDouble()};
  }
};

TEST(FunctionApi, SavedDataHoldsEveryKind) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  EveryKind::apply(x).sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0.5, 0.5}));
}

TEST(FunctionApi, IValueKindsAndWrongKindErrors) {
  EXPECT_TRUE(IValue().isNone());
  EXPECT_TRUE(IValue(std::optional<int64_t>()).isNone());
  EXPECT_TRUE(IValue(false).isBool());
  EXPECT_TRUE(IValue(int64_t{1}).isInt());
  EXPECT_TRUE(IValue(1.0).isDouble());
  EXPECT_TRUE(IValue(std::string("s")).isString());
  EXPECT_TRUE(IValue("s").isString());  // a string literal is not a bool
  EXPECT_TRUE(IValue(ones({2})).isTensor());
  EXPECT_TRUE(IValue(IntArrayRef{1, 2}).isIntList());
  EXPECT_TRUE(IValue(std::vector<double>{1.0}).isDoubleList());
  EXPECT_TRUE(IValue(variable_list{ones({1})}).isTensorList());
  EXPECT_EQ(IValue(2.5).tagKind(), std::string("Double"));
  EXPECT_TRUE(IValue(Scalar(2)).isInt());
  EXPECT_EQ(IValue(Scalar(2.5)).toDouble(), 2.5);
  EXPECT_TRUE(IValue(Scalar(true)).toBool());
  EXPECT_EQ(IValue(int64_t{4}).toScalar().to_int64(), 4);
  EXPECT_EQ(IValue(0.25).toScalar().to_double(), 0.25);
  EXPECT_TRUE(IValue(false).toScalar().is_bool());
  EXPECT_EQ(message_of([] { IValue("s").toScalar(); }), "[IValue] Expected Scalar but got String");

  const IValue integer = 3;
  EXPECT_EQ(message_of([&] { integer.toDouble(); }), "[IValue] Expected Double but got Int");
  EXPECT_THROW(integer.toDouble(), RuntimeError);
  EXPECT_EQ(message_of([&] { IValue(0.5).toInt(); }), "[IValue] Expected Int but got Double");
  EXPECT_EQ(message_of([&] { IValue().toTensor(); }), "[IValue] Expected Tensor but got None");
  EXPECT_EQ(message_of([&] { IValue("a").toBool(); }), "[IValue] Expected Bool but got String");
  EXPECT_EQ(message_of([&] { IValue(true).toStringRef(); }),
            "[IValue] Expected String but got Bool");
  EXPECT_EQ(message_of([&] { IValue(std::vector<double>{}).toIntVector(); }),
            "[IValue] Expected IntList but got DoubleList");
  EXPECT_EQ(message_of([&] { IValue(std::vector<int64_t>{}).toDoubleVector(); }),
            "[IValue] Expected DoubleList but got IntList");
  EXPECT_EQ(message_of([&] { IValue(ones({1})).toTensorVector(); }),
            "[IValue] Expected TensorList but got Tensor");
}

// x += 1 in place, as libtorch's mark_dirty example.
struct AddOneInPlace : autograd::Function<AddOneInPlace> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    x.add_(1);
    ctx->mark_dirty({x});
    ctx->save_for_backward({x});  // saved after forward: the write above is no version error
    return x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    EXPECT_EQ(ctx->get_saved_variables().size(), 1u);
    return {grads[0]};
  }
};

TEST(FunctionApi, MarkDirtyRebasesTheInputsHistory) {
  Tensor w = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor x = w * 3;
  Tensor y = AddOneInPlace::apply(x);
  EXPECT_TRUE(y.is_same(x));
  EXPECT_EQ(x.grad_fn()->name(), "ember::(anonymous namespace)::AddOneInPlace");
  EXPECT_EQ(values(x), (std::vector<double>{4, 7}));
  (y * y).sum().backward();
  EXPECT_EQ(values(w.grad()), (std::vector<double>{24, 42}));  // 2 y * 3
}

TEST(FunctionApi, MarkDirtyErrors) {
  Tensor w = tensor({1.0}, kFloat64).requires_grad_();
  EXPECT_NE(message_of([&] {
              AddOneInPlace::apply(w);
            }).find("a leaf Variable that requires grad has been used in an in-place operation"),
            std::string::npos);
  struct NotReturned : autograd::Function<NotReturned> {
    static Tensor forward(AutogradContext* ctx, Tensor x) {
      x.add_(1);
      ctx->mark_dirty({x});
      return x * 2;
    }
    static variable_list backward(AutogradContext*, variable_list grads) { return grads; }
  };
  EXPECT_NE(message_of([&] { NotReturned::apply(w * 1); })
                .find("Some elements marked as dirty during the forward method were not "
                      "returned as output"),
            std::string::npos);
}

// Returns (sorted values, a float mask marked non-differentiable); backward sees a zero
// gradient for the mask (materialized).
struct WithMask : autograd::Function<WithMask> {
  static variable_list forward(AutogradContext* ctx, const Tensor& x) {
    Tensor mask = (x > 0).to(kFloat64);
    ctx->mark_non_differentiable({mask});
    ctx->save_for_backward({mask});
    return {x * mask, mask};
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    EXPECT_TRUE(grads[1].defined());
    EXPECT_EQ(values(grads[1]), (std::vector<double>{0, 0}));
    return {grads[0] * ctx->get_saved_variables()[0]};
  }
};

TEST(FunctionApi, MarkNonDifferentiable) {
  Tensor x = tensor({-1.0, 2.0}, kFloat64).requires_grad_();
  variable_list out = WithMask::apply(x);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  out[0].sum().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 1}));
}

// Two outputs; the test uses the first only. Records whether backward got the second's grad.
struct TwoOutputs : autograd::Function<TwoOutputs> {
  static inline bool second_defined = false;
  static variable_list forward(AutogradContext* ctx, const Tensor& x, bool materialize) {
    ctx->set_materialize_grads(materialize);
    return {x * 2, x * 3};
  }
  static variable_list backward(AutogradContext*, variable_list grads) {
    second_defined = grads[1].defined();
    Tensor grad = grads[0] * 2;
    if (grads[1].defined()) grad = grad + grads[1] * 3;
    return {grad, Tensor()};
  }
};

TEST(FunctionApi, SetMaterializeGrads) {
  for (bool materialize : {true, false}) {
    Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
    TwoOutputs::apply(x, materialize)[0].sum().backward();
    EXPECT_EQ(TwoOutputs::second_defined, materialize);
    EXPECT_EQ(values(x.grad()), (std::vector<double>{2, 2}));
  }
}

// Records needs_input_grad for its two tensor inputs in forward and backward.
struct NeedsGrad : autograd::Function<NeedsGrad> {
  static inline std::vector<bool> seen;
  static Tensor forward(AutogradContext* ctx, const Tensor& a, int64_t k, const Tensor& b) {
    seen = {ctx->needs_input_grad(0), ctx->needs_input_grad(1)};
    return a * b * static_cast<double>(k);
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    EXPECT_FALSE(ctx->needs_input_grad(0));
    EXPECT_TRUE(ctx->needs_input_grad(1));
    EXPECT_THROW(ctx->needs_input_grad(2), IndexError);
    return {Tensor(), Tensor(), grads[0]};
  }
};

TEST(FunctionApi, NeedsInputGradCountsTensorInputs) {
  Tensor a = tensor({1.0}, kFloat64);
  Tensor b = tensor({2.0}, kFloat64).requires_grad_();
  NeedsGrad::apply(a, 5, b).sum().backward();
  EXPECT_EQ(NeedsGrad::seen, (std::vector<bool>{false, true}));
  EXPECT_EQ(values(b.grad()), (std::vector<double>{1}));
  {
    autograd::NoGradGuard no_grad;
    Tensor y = NeedsGrad::apply(a, 5, b);
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(NeedsGrad::seen, (std::vector<bool>{false, false}));
  }
}

// backward returns `count` gradients (the forward has two inputs: a tensor and an int).
struct WrongCount : autograd::Function<WrongCount> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x, int64_t count) {
    ctx->saved_data["count"] = count;
    return x * 1;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const int64_t count = ctx->saved_data["count"].toInt();
    variable_list result(static_cast<size_t>(count));
    if (count > 0) result[0] = grads[0];
    if (count == 4) result[3] = grads[0];
    return result;
  }
};

TEST(FunctionApi, WrongNumberOfGradientsNamesTheFunction) {
  const auto run = [](int64_t count) {
    Tensor x = tensor({1.0}, kFloat64).requires_grad_();
    return message_of([&] { WrongCount::apply(x, count).sum().backward(); });
  };
  EXPECT_EQ(run(1),
            "function ember::(anonymous namespace)::WrongCount returned an incorrect number of "
            "gradients (expected 2, got 1)");
  EXPECT_EQ(run(4),
            "function ember::(anonymous namespace)::WrongCount returned an incorrect number of "
            "gradients (expected 2, got 4)");
  EXPECT_EQ(run(3), "");  // extra undefined results are dropped, as libtorch does
}

TEST(FunctionApi, GradientChecks) {
  struct DefinedForInt : autograd::Function<DefinedForInt> {
    static Tensor forward(AutogradContext*, const Tensor& x, int64_t) { return x * 1; }
    static variable_list backward(AutogradContext*, variable_list grads) {
      return {grads[0], grads[0]};
    }
  };
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  EXPECT_NE(message_of([&] { DefinedForInt::apply(x, 1).sum().backward(); })
                .find("returned a gradient that is defined at position 2, but the corresponding "
                      "forward input is not a Variable"),
            std::string::npos);
  struct WrongShape : autograd::Function<WrongShape> {
    static Tensor forward(AutogradContext*, const Tensor& x) { return x.sum(); }
    static variable_list backward(AutogradContext*, variable_list grads) {
      return {grads[0].expand({3})};
    }
  };
  EXPECT_NE(message_of([&] { WrongShape::apply(x).backward(); })
                .find("returned an invalid gradient at index 0 - got [3] but expected shape "
                      "compatible with [2]"),
            std::string::npos);
  struct Broadcast : autograd::Function<Broadcast> {
    static Tensor forward(AutogradContext*, const Tensor& x) { return x.sum(); }
    static variable_list backward(AutogradContext*, variable_list grads) {
      return {grads[0].expand({3, 2})};  // summed back to [2], as libtorch does
    }
  };
  Broadcast::apply(x).backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{3, 3}));
}

TEST(FunctionApi, UndefinedTensorArgumentNeedsNoGradient) {
  struct OptionalAdd : autograd::Function<OptionalAdd> {
    static Tensor forward(AutogradContext* ctx, const Tensor& a, const Tensor& b) {
      EXPECT_TRUE(ctx->needs_input_grad(0));
      EXPECT_FALSE(ctx->needs_input_grad(1));
      ctx->save_for_backward({a, b});
      return b.defined() ? a + b : a * 1;
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads) {
      EXPECT_FALSE(ctx->get_saved_variables()[1].defined());
      return {grads[0], grads[0]};  // the second is dropped: b needs none
    }
  };
  Tensor a = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  OptionalAdd::apply(a, Tensor()).sum().backward();
  EXPECT_EQ(values(a.grad()), (std::vector<double>{1, 1}));
}

// exp(x), saving its output: backward is differentiable (built from ops on a saved output).
struct Exp : autograd::Function<Exp> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    Tensor y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    return {grads[0] * ctx->get_saved_variables()[0]};
  }
};

TEST(FunctionApi, DoubleBackwardThroughASavedOutput) {
  Tensor x = tensor({0.0, 1.0}, kFloat64).requires_grad_();
  Tensor y = Exp::apply(x);
  auto first = autograd::grad({y.sum()}, {x}, {}, std::nullopt, /*create_graph=*/true);
  EXPECT_TRUE(first[0].requires_grad());
  auto second = autograd::grad({first[0].sum()}, {x});
  EXPECT_NEAR(values(second[0])[1], std::exp(1.0), 1e-12);
  const auto function = [](const std::vector<Tensor>& in) { return Exp::apply(in[0]); };
  EXPECT_EQ(autograd::gradgradcheck(function, {leaf({2, 2})}), "");
}

TEST(FunctionApi, SavedTensorModifiedInPlaceIsAVersionError) {
  Tensor x = tensor({1.0, 2.0}, kFloat64).requires_grad_();
  Tensor input = x * 1;
  Tensor y = ScaledSquare::apply(input, 1.0, 1, false, "square", std::vector<int64_t>{0},
                                 std::optional<Tensor>());
  input.mul_(2);
  const std::string message = message_of([&] { y.sum().backward(); });
  EXPECT_NE(message.find("modified by an inplace operation"), std::string::npos);
  EXPECT_NE(message.find("ScaledSquare"), std::string::npos);
}

TEST(FunctionApi, ReturnedInputIsAnAliasWithTheNewHistory) {
  struct Identity : autograd::Function<Identity> {
    static Tensor forward(AutogradContext*, const Tensor& x) { return x; }
    static variable_list backward(AutogradContext*, variable_list grads) { return {grads[0] * 2}; }
  };
  Tensor x = tensor({1.0}, kFloat64).requires_grad_();
  Tensor y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_EQ(x.grad_fn(), nullptr);
  y.backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{2}));
}

TEST(FunctionApi, SavedTensorsAreFreedAfterBackward) {
  Tensor x = tensor({1.0}, kFloat64).requires_grad_();
  Tensor y = Exp::apply(x);
  y.backward();
  EXPECT_NE(message_of([&] { y.backward(); }).find("backward through the graph a second time"),
            std::string::npos);
}

}  // namespace
}  // namespace ember
