// The NAdam optimizer (nadam.h): gathers each group's parameters with gradients and calls
// _fused_nadam_.
#include "ember/optim/nadam.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_nadam.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const NAdamOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[NAdam] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.eps() >= 0, "[NAdam] Invalid epsilon value: ", options.eps());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[NAdam] Invalid weight_decay value: ", options.weight_decay());
  EMBER_CHECK_VALUE(options.momentum_decay() >= 0,
                    "[NAdam] Invalid momentum_decay value: ", options.momentum_decay());
  EMBER_CHECK_VALUE(std::get<0>(options.betas()) >= 0 && std::get<0>(options.betas()) < 1,
                    "[NAdam] Invalid beta parameter at index 0: ", std::get<0>(options.betas()));
  EMBER_CHECK_VALUE(std::get<1>(options.betas()) >= 0 && std::get<1>(options.betas()) < 1,
                    "[NAdam] Invalid beta parameter at index 1: ", std::get<1>(options.betas()));
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const NAdamOptions&) {
  state.set("step", detail::scalar_state(0));
  state.set("mu_product", detail::scalar_state(1));
  state.set("exp_avg", zeros_like(param));
  state.set("exp_avg_sq", zeros_like(param));
}

}  // namespace

OptimizerOptionMap NAdamOptions::values() const {
  OptimizerOptionMap values{
      {"lr", lr()},
      {"betas", std::vector<double>{std::get<0>(betas()), std::get<1>(betas())}},
      {"eps", eps()},
      {"weight_decay", weight_decay()},
      {"momentum_decay", momentum_decay()},
      {"decoupled_weight_decay", decoupled_weight_decay()},
      {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void NAdamOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "betas", betas_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "momentum_decay", momentum_decay_);
  detail::read_option(values, "decoupled_weight_decay", decoupled_weight_decay_);
  detail::read_option(values, "maximize", maximize_);
}

NAdam::NAdam(std::vector<OptimizerParamGroup> param_groups, NAdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<NAdamOptions>(defaults)) {
  check_options(defaults);
}

NAdam::NAdam(std::vector<Tensor> params, NAdamOptions defaults)
    : NAdam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
            std::move(defaults)) {}

Tensor NAdam::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<NAdamOptions>(group, "NAdam");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_nadam_(gathered.params, gathered.grads, gathered.list("exp_avg"),
                  gathered.list("exp_avg_sq"), gathered.list("mu_product"), gathered.list("step"),
                  options.lr(), std::get<0>(options.betas()), std::get<1>(options.betas()),
                  options.weight_decay(), options.momentum_decay(), options.eps(),
                  options.decoupled_weight_decay(), options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> NAdam::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
