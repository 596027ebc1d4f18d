// The RMSprop optimizer (rmsprop.h): gathers each group's parameters with gradients and calls
// _fused_rmsprop_.
#include "ember/optim/rmsprop.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_rmsprop.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const RMSpropOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[RMSprop] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.eps() >= 0, "[RMSprop] Invalid epsilon value: ", options.eps());
  EMBER_CHECK_VALUE(options.momentum() >= 0,
                    "[RMSprop] Invalid momentum value: ", options.momentum());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[RMSprop] Invalid weight_decay value: ", options.weight_decay());
  EMBER_CHECK_VALUE(options.alpha() >= 0, "[RMSprop] Invalid alpha value: ", options.alpha());
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const RMSpropOptions&) {
  state.set("step", detail::scalar_state(0));
  state.set("square_avg", zeros_like(param));
}

}  // namespace

OptimizerOptionMap RMSpropOptions::values() const {
  OptimizerOptionMap values{{"lr", lr()},
                            {"alpha", alpha()},
                            {"eps", eps()},
                            {"weight_decay", weight_decay()},
                            {"momentum", momentum()},
                            {"centered", centered()},
                            {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void RMSpropOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "alpha", alpha_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "momentum", momentum_);
  detail::read_option(values, "centered", centered_);
  detail::read_option(values, "maximize", maximize_);
}

RMSprop::RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<RMSpropOptions>(defaults)) {
  check_options(defaults);
}

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions defaults)
    : RMSprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
              std::move(defaults)) {}

Tensor RMSprop::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<RMSpropOptions>(group, "RMSprop");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    for (size_t i = 0; i < gathered.params.size(); ++i) {
      NamedTensorState& state = *gathered.states[i];
      if (options.momentum() > 0 && !state.has("momentum_buffer")) {
        state.set("momentum_buffer", zeros_like(gathered.params[i]));
      }
      if (options.centered() && !state.has("grad_avg")) {
        state.set("grad_avg", zeros_like(gathered.params[i]));
      }
    }
    const std::vector<Tensor> none;
    _fused_rmsprop_(gathered.params, gathered.grads, gathered.list("square_avg"),
                    options.centered() ? gathered.list("grad_avg") : none,
                    options.momentum() > 0 ? gathered.list("momentum_buffer") : none,
                    gathered.list("step"), options.lr(), options.alpha(), options.eps(),
                    options.weight_decay(), options.momentum(), options.centered(),
                    options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> RMSprop::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
