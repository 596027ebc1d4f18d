// The Adamax optimizer (adamax.h): gathers each group's parameters with gradients and calls
// _fused_adamax_.
#include "ember/optim/adamax.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_adamax.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const AdamaxOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[Adamax] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.eps() >= 0, "[Adamax] Invalid epsilon value: ", options.eps());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[Adamax] Invalid weight_decay value: ", options.weight_decay());
  EMBER_CHECK_VALUE(std::get<0>(options.betas()) >= 0 && std::get<0>(options.betas()) < 1,
                    "[Adamax] Invalid beta parameter at index 0: ", std::get<0>(options.betas()));
  EMBER_CHECK_VALUE(std::get<1>(options.betas()) >= 0 && std::get<1>(options.betas()) < 1,
                    "[Adamax] Invalid beta parameter at index 1: ", std::get<1>(options.betas()));
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const AdamaxOptions&) {
  state.set("step", detail::scalar_state(0));
  state.set("exp_avg", zeros_like(param));
  state.set("exp_inf", zeros_like(param));
}

}  // namespace

OptimizerOptionMap AdamaxOptions::values() const {
  OptimizerOptionMap values{
      {"lr", lr()},
      {"betas", std::vector<double>{std::get<0>(betas()), std::get<1>(betas())}},
      {"eps", eps()},
      {"weight_decay", weight_decay()},
      {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void AdamaxOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "betas", betas_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "maximize", maximize_);
}

Adamax::Adamax(std::vector<OptimizerParamGroup> param_groups, AdamaxOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamaxOptions>(defaults)) {
  check_options(defaults);
}

Adamax::Adamax(std::vector<Tensor> params, AdamaxOptions defaults)
    : Adamax(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
             std::move(defaults)) {}

Tensor Adamax::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<AdamaxOptions>(group, "Adamax");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_adamax_(gathered.params, gathered.grads, gathered.list("exp_avg"),
                   gathered.list("exp_inf"), gathered.list("step"), options.lr(),
                   std::get<0>(options.betas()), std::get<1>(options.betas()),
                   options.weight_decay(), options.eps(), options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adamax::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
