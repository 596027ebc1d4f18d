// The Adadelta optimizer (adadelta.h): gathers each group's parameters with gradients and calls
// _fused_adadelta_.
#include "ember/optim/adadelta.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_adadelta.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const AdadeltaOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[Adadelta] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.rho() >= 0 && options.rho() <= 1,
                    "[Adadelta] Invalid rho value: ", options.rho());
  EMBER_CHECK_VALUE(options.eps() >= 0, "[Adadelta] Invalid epsilon value: ", options.eps());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[Adadelta] Invalid weight_decay value: ", options.weight_decay());
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const AdadeltaOptions&) {
  state.set("step", detail::scalar_state(0));
  state.set("square_avg", zeros_like(param));
  state.set("acc_delta", zeros_like(param));
}

}  // namespace

OptimizerOptionMap AdadeltaOptions::values() const {
  OptimizerOptionMap values{{"lr", lr()},
                            {"rho", rho()},
                            {"eps", eps()},
                            {"weight_decay", weight_decay()},
                            {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void AdadeltaOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "rho", rho_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "maximize", maximize_);
}

Adadelta::Adadelta(std::vector<OptimizerParamGroup> param_groups, AdadeltaOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdadeltaOptions>(defaults)) {
  check_options(defaults);
}

Adadelta::Adadelta(std::vector<Tensor> params, AdadeltaOptions defaults)
    : Adadelta(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
               std::move(defaults)) {}

Tensor Adadelta::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<AdadeltaOptions>(group, "Adadelta");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_adadelta_(gathered.params, gathered.grads, gathered.list("square_avg"),
                     gathered.list("acc_delta"), gathered.list("step"), options.lr(), options.rho(),
                     options.eps(), options.weight_decay(), options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adadelta::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
