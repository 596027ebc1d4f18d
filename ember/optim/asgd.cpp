// The ASGD optimizer (asgd.h): gathers each group's parameters with gradients and calls
// _fused_asgd_.
#include "ember/optim/asgd.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_asgd.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const ASGDOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[ASGD] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[ASGD] Invalid weight_decay value: ", options.weight_decay());
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const ASGDOptions& options) {
  state.set("step", detail::scalar_state(0));
  state.set("eta", detail::scalar_state(options.lr()));
  state.set("mu", detail::scalar_state(1));
  state.set("ax", zeros_like(param));
}

}  // namespace

OptimizerOptionMap ASGDOptions::values() const {
  OptimizerOptionMap values{{"lr", lr()},
                            {"lambd", lambd()},
                            {"alpha", alpha()},
                            {"t0", t0()},
                            {"weight_decay", weight_decay()},
                            {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void ASGDOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "lambd", lambd_);
  detail::read_option(values, "alpha", alpha_);
  detail::read_option(values, "t0", t0_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "maximize", maximize_);
}

ASGD::ASGD(std::vector<OptimizerParamGroup> param_groups, ASGDOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<ASGDOptions>(defaults)) {
  check_options(defaults);
}

ASGD::ASGD(std::vector<Tensor> params, ASGDOptions defaults)
    : ASGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
           std::move(defaults)) {}

Tensor ASGD::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<ASGDOptions>(group, "ASGD");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_asgd_(gathered.params, gathered.grads, gathered.list("ax"), gathered.list("mu"),
                 gathered.list("eta"), gathered.list("step"), options.lambd(), options.lr(),
                 options.t0(), options.alpha(), options.weight_decay(), options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> ASGD::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
