// The RAdam optimizer (radam.h): gathers each group's parameters with gradients and calls
// _fused_radam_.
#include "ember/optim/radam.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_radam.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const RAdamOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[RAdam] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.eps() >= 0, "[RAdam] Invalid epsilon value: ", options.eps());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[RAdam] Invalid weight_decay value: ", options.weight_decay());
  EMBER_CHECK_VALUE(std::get<0>(options.betas()) >= 0 && std::get<0>(options.betas()) < 1,
                    "[RAdam] Invalid beta parameter at index 0: ", std::get<0>(options.betas()));
  EMBER_CHECK_VALUE(std::get<1>(options.betas()) >= 0 && std::get<1>(options.betas()) < 1,
                    "[RAdam] Invalid beta parameter at index 1: ", std::get<1>(options.betas()));
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const RAdamOptions&) {
  state.set("step", detail::scalar_state(0));
  state.set("exp_avg", zeros_like(param));
  state.set("exp_avg_sq", zeros_like(param));
}

}  // namespace

OptimizerOptionMap RAdamOptions::values() const {
  OptimizerOptionMap values{
      {"lr", lr()},
      {"betas", std::vector<double>{std::get<0>(betas()), std::get<1>(betas())}},
      {"eps", eps()},
      {"weight_decay", weight_decay()},
      {"decoupled_weight_decay", decoupled_weight_decay()},
      {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void RAdamOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "betas", betas_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "decoupled_weight_decay", decoupled_weight_decay_);
  detail::read_option(values, "maximize", maximize_);
}

RAdam::RAdam(std::vector<OptimizerParamGroup> param_groups, RAdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<RAdamOptions>(defaults)) {
  check_options(defaults);
}

RAdam::RAdam(std::vector<Tensor> params, RAdamOptions defaults)
    : RAdam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
            std::move(defaults)) {}

Tensor RAdam::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<RAdamOptions>(group, "RAdam");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_radam_(gathered.params, gathered.grads, gathered.list("exp_avg"),
                  gathered.list("exp_avg_sq"), gathered.list("step"), options.lr(),
                  std::get<0>(options.betas()), std::get<1>(options.betas()),
                  options.weight_decay(), options.eps(), options.decoupled_weight_decay(),
                  options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> RAdam::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
