// The Adagrad optimizer (adagrad.h): gathers each group's parameters with gradients and calls
// _fused_adagrad_.
#include "ember/optim/adagrad.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_adagrad.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const AdagradOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[Adagrad] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.lr_decay() >= 0,
                    "[Adagrad] Invalid lr_decay value: ", options.lr_decay());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[Adagrad] Invalid weight_decay value: ", options.weight_decay());
  EMBER_CHECK_VALUE(
      options.initial_accumulator_value() >= 0,
      "[Adagrad] Invalid initial_accumulator_value value: ", options.initial_accumulator_value());
  EMBER_CHECK_VALUE(options.eps() >= 0, "[Adagrad] Invalid epsilon value: ", options.eps());
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const AdagradOptions& options) {
  state.set("step", detail::scalar_state(0));
  state.set("sum", full_like(param, options.initial_accumulator_value()));
}

}  // namespace

OptimizerOptionMap AdagradOptions::values() const {
  OptimizerOptionMap values{{"lr", lr()},
                            {"lr_decay", lr_decay()},
                            {"weight_decay", weight_decay()},
                            {"initial_accumulator_value", initial_accumulator_value()},
                            {"eps", eps()},
                            {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void AdagradOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "lr_decay", lr_decay_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "initial_accumulator_value", initial_accumulator_value_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "maximize", maximize_);
}

Adagrad::Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdagradOptions>(defaults)) {
  check_options(defaults);
  // As PyTorch's and libtorch's Adagrad: every parameter's state is made at construction.
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<AdagradOptions>(group, "Adagrad");
    for (const Tensor& param : group.params()) {
      auto state = std::make_unique<NamedTensorState>();
      init_state(*state, param, options);
      state_[state_key(param)] = std::move(state);
    }
  }
}

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions defaults)
    : Adagrad(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
              std::move(defaults)) {}

Tensor Adagrad::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<AdagradOptions>(group, "Adagrad");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_adagrad_(gathered.params, gathered.grads, gathered.list("sum"), gathered.list("step"),
                    options.lr(), options.lr_decay(), options.weight_decay(), options.eps(),
                    options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adagrad::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
