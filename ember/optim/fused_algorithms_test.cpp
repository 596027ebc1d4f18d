// The C++ classes of Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and ASGD: each,
// over many steps, equals its op's composite reference run by hand on the same gradients (and
// skips a parameter without gradient); PyTorch's option errors; state made at construction
// (Adagrad) or on the first step; and the state dict round trip.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_adadelta.h"
#include "ember/ops/optim_adagrad.h"
#include "ember/ops/optim_adamax.h"
#include "ember/ops/optim_asgd.h"
#include "ember/ops/optim_nadam.h"
#include "ember/ops/optim_radam.h"
#include "ember/ops/optim_rmsprop.h"
#include "ember/ops/optim_rprop.h"
#include "ember/optim/optim.h"
#include "tests/test_support.h"

namespace ember::optim {
namespace {

using ember::testing::message_of;

// The composite's step on one parameter with its hand-made state tensors (`state`, in the order
// the test lists them; `step` the float32 step counter).
using CompositeStep = std::function<void(const Tensor& param, const Tensor& grad,
                                         const std::vector<Tensor>& state, const Tensor& step)>;

// Trains `trained` (made by the test over its parameters) for 12 steps on random float64
// gradients, and the same start by `composite` with states from `initial_state`, and expects
// equal parameters; a second parameter never has a gradient and stays as it was, without state.
void expect_matches_composite(
    const std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>& make,
    const std::function<std::vector<Tensor>(const Tensor&)>& initial_state,
    const CompositeStep& composite, const std::string& label) {
  manual_seed(11);
  const Tensor start = randn({3, 2}, kDouble);
  Tensor param = start.clone().requires_grad_();
  Tensor idle = ones({2}, kDouble).requires_grad_();
  std::unique_ptr<Optimizer> optimizer = make({param, idle});
  Tensor reference = start.clone();
  const std::vector<Tensor> state = initial_state(reference);
  const Tensor step = zeros({});
  for (int i = 0; i < 12; ++i) {
    const Tensor grad = randn({3, 2}, kDouble);
    param.mutable_grad() = grad.clone();
    optimizer->step();
    composite(reference, grad, state, step);
  }
  EXPECT_TRUE(allclose(param.detach(), reference, 1e-12, 1e-12)) << label << "\n"
                                                                 << param << "\n"
                                                                 << reference;
  EXPECT_TRUE(equal(idle.detach(), ones({2}, kDouble))) << label;
  EXPECT_EQ(optimizer->state().count(state_key(idle)), label == "Adagrad" ? 1u : 0u) << label;
  EXPECT_EQ(optimizer->state().at(state_key(param))->tensors().at("step").item<double>(), 12)
      << label;
}

Tensor zeros_of(const Tensor& like) { return zeros_like(like); }

TEST(FusedAlgorithms, EachClassMatchesItsComposite) {
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<RMSprop>(
            p, RMSpropOptions(0.01).momentum(0.9).centered(true).weight_decay(0.1));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), zeros_of(p), zeros_of(p)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::rmsprop_step(p, g, s[0], s[1], s[2], step, 0.01, 0.99, 1e-8, 0.1, 0.9, true,
                                    false);
      },
      "RMSprop");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<Adagrad>(
            p, AdagradOptions(0.1).lr_decay(0.1).initial_accumulator_value(0.5).maximize(true));
      },
      [](const Tensor& p) { return std::vector<Tensor>{full_like(p, 0.5)}; },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::adagrad_step(p, g, s[0], step, 0.1, 0.1, 0, 1e-10, true);
      },
      "Adagrad");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<Adamax>(p, AdamaxOptions(0.1).betas({0.8, 0.9}).weight_decay(0.1));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), zeros_of(p)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::adamax_step(p, g, s[0], s[1], step, 0.1, 0.8, 0.9, 0.1, 1e-8, false);
      },
      "Adamax");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<NAdam>(
            p, NAdamOptions(0.05).weight_decay(0.1).decoupled_weight_decay(true));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), zeros_of(p), ones({}, kFloat)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::nadam_step(p, g, s[0], s[1], s[2], step, 0.05, 0.9, 0.999, 0.1, 4e-3, 1e-8,
                                  true, false);
      },
      "NAdam");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<RAdam>(p, RAdamOptions(0.05).betas({0.8, 0.9}).maximize(true));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), zeros_of(p)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::radam_step(p, g, s[0], s[1], step, 0.05, 0.8, 0.9, 0, 1e-8, false, true);
      },
      "RAdam");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<Adadelta>(p, AdadeltaOptions(0.5).rho(0.8).weight_decay(0.1));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), zeros_of(p)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::adadelta_step(p, g, s[0], s[1], step, 0.5, 0.8, 1e-6, 0.1, false);
      },
      "Adadelta");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<Rprop>(p, RpropOptions(0.05).etas({0.3, 1.7}));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), full_like(p, 0.05)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::rprop_step(p, g, s[0], s[1], step, 1e-6, 50, 0.3, 1.7, false);
      },
      "Rprop");
  expect_matches_composite(
      [](std::vector<Tensor> p) {
        return std::make_unique<ASGD>(p, ASGDOptions(0.05).lambd(0.3).t0(4));
      },
      [](const Tensor& p) {
        return std::vector<Tensor>{zeros_of(p), ones({}, kFloat), full({}, 0.05, kFloat)};
      },
      [](const Tensor& p, const Tensor& g, const std::vector<Tensor>& s, const Tensor& step) {
        ember::detail::asgd_step(p, g, s[0], s[1], s[2], step, 0.3, 0.05, 4, 0.75, 0, false);
      },
      "ASGD");
}

TEST(FusedAlgorithms, RejectInvalidOptionsWithPyTorchsMessages) {
  const std::vector<Tensor> params = {zeros({2}).requires_grad_()};
  EXPECT_EQ(message_of([&] { RMSprop(params, RMSpropOptions(-1)); }),
            "[RMSprop] Invalid learning rate: -1");
  EXPECT_EQ(message_of([&] { RMSprop(params, RMSpropOptions().alpha(-0.5)); }),
            "[RMSprop] Invalid alpha value: -0.5");
  EXPECT_EQ(message_of([&] { Adagrad(params, AdagradOptions().lr_decay(-1)); }),
            "[Adagrad] Invalid lr_decay value: -1");
  EXPECT_EQ(message_of([&] { Adagrad(params, AdagradOptions().initial_accumulator_value(-1)); }),
            "[Adagrad] Invalid initial_accumulator_value value: -1");
  EXPECT_EQ(message_of([&] {
              Adamax(params, AdamaxOptions().betas({1.0, 0.9}));
            }),
            "[Adamax] Invalid beta parameter at index 0: 1");
  EXPECT_EQ(message_of([&] { NAdam(params, NAdamOptions().momentum_decay(-1)); }),
            "[NAdam] Invalid momentum_decay value: -1");
  EXPECT_EQ(message_of([&] {
              RAdam(params, RAdamOptions().betas({0.9, -0.1}));
            }),
            "[RAdam] Invalid beta parameter at index 1: -0.1");
  EXPECT_EQ(message_of([&] { Adadelta(params, AdadeltaOptions().rho(1.5)); }),
            "[Adadelta] Invalid rho value: 1.5");
  EXPECT_EQ(message_of([&] {
              Rprop(params, RpropOptions().etas({0.5, 0.9}));
            }),
            "[Rprop] Invalid eta values: 0.5, 0.9");
  EXPECT_EQ(message_of([&] { ASGD(params, ASGDOptions().weight_decay(-1)); }),
            "[ASGD] Invalid weight_decay value: -1");
  EXPECT_THROW(RMSprop(params, RMSpropOptions(-1)), ValueError);
}

TEST(FusedAlgorithms, DefaultsAreLibtorchs) {
  EXPECT_DOUBLE_EQ(RMSpropOptions().lr(), 1e-2);
  EXPECT_DOUBLE_EQ(RMSpropOptions().alpha(), 0.99);
  EXPECT_DOUBLE_EQ(RMSpropOptions().eps(), 1e-8);
  EXPECT_DOUBLE_EQ(AdagradOptions().lr(), 1e-2);
  EXPECT_DOUBLE_EQ(AdagradOptions().eps(), 1e-10);
  EXPECT_DOUBLE_EQ(AdamaxOptions().lr(), 2e-3);
  EXPECT_DOUBLE_EQ(NAdamOptions().momentum_decay(), 4e-3);
  EXPECT_DOUBLE_EQ(RAdamOptions().lr(), 1e-3);
  EXPECT_DOUBLE_EQ(AdadeltaOptions().lr(), 1.0);
  EXPECT_DOUBLE_EQ(std::get<1>(RpropOptions().step_sizes()), 50);
  EXPECT_DOUBLE_EQ(ASGDOptions().t0(), 1e6);
}

TEST(FusedAlgorithms, StateDictRoundTrips) {
  manual_seed(5);
  const Tensor start = randn({4}, kDouble);
  Tensor a = start.clone().requires_grad_(), b = start.clone().requires_grad_();
  RMSprop first({a}, RMSpropOptions(0.05).momentum(0.5).centered(true));
  a.mutable_grad() = randn({4}, kDouble);
  first.step();
  const OptimizerStateDict saved = first.state_dict();
  EXPECT_EQ(saved.state.at(0).size(), 4u);  // step, square_avg, grad_avg, momentum_buffer
  b.detach().copy_(a.detach());
  RMSprop second({b}, RMSpropOptions(0.05).momentum(0.5).centered(true));
  second.load_state_dict(saved);
  for (int i = 0; i < 3; ++i) {
    const Tensor grad = randn({4}, kDouble);
    a.mutable_grad() = grad.clone();
    b.mutable_grad() = grad.clone();
    first.step();
    second.step();
  }
  EXPECT_TRUE(equal(a.detach(), b.detach()));
}

TEST(FusedAlgorithms, AdagradMakesItsStateAtConstruction) {
  Tensor param = zeros({3}).requires_grad_();
  Adagrad adagrad({param}, AdagradOptions().initial_accumulator_value(0.25));
  const auto tensors = adagrad.state().at(state_key(param))->tensors();
  EXPECT_EQ(tensors.at("step").item<double>(), 0);
  EXPECT_TRUE(equal(tensors.at("sum"), full({3}, 0.25)));
}

}  // namespace
}  // namespace ember::optim
