// The Adam optimizer (adam.h) and the group step it shares with AdamW: gathers each group's
// parameters with gradients and calls _fused_adam_.
#include "ember/optim/adam.h"

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_adam.h"
#include "ember/optim/adam_options_common.h"

namespace ember::optim {

namespace detail {

void check_adam_settings(const char* name, const AdamGroupSettings& settings) {
  EMBER_CHECK_VALUE(settings.lr >= 0, "[", name, "] Invalid learning rate: ", settings.lr);
  EMBER_CHECK_VALUE(settings.eps >= 0, "[", name, "] Invalid epsilon value: ", settings.eps);
  EMBER_CHECK_VALUE(settings.beta1 >= 0 && settings.beta1 < 1, "[", name,
                    "] Invalid beta parameter at index 0: ", settings.beta1);
  EMBER_CHECK_VALUE(settings.beta2 >= 0 && settings.beta2 < 1, "[", name,
                    "] Invalid beta parameter at index 1: ", settings.beta2);
  EMBER_CHECK_VALUE(settings.weight_decay >= 0, "[", name,
                    "] Invalid weight_decay value: ", settings.weight_decay);
}

void adam_group_step(const std::vector<Tensor>& params, const AdamGroupSettings& settings,
                     std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state) {
  std::vector<Tensor> with_grad, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps;
  for (const Tensor& parameter : params) {
    const Tensor grad = parameter.grad();
    if (!grad.defined()) continue;
    auto& slot = state[state_key(parameter)];
    if (slot == nullptr) {
      auto fresh = std::make_unique<AdamParamState>();
      fresh->step(zeros({}, kFloat32));
      fresh->exp_avg(zeros_like(parameter));
      fresh->exp_avg_sq(zeros_like(parameter));
      slot = std::move(fresh);
    }
    auto& adam_state = static_cast<AdamParamState&>(*slot);
    if (settings.amsgrad && !adam_state.max_exp_avg_sq().defined()) {
      adam_state.max_exp_avg_sq(zeros_like(parameter));
    }
    with_grad.push_back(parameter);
    grads.push_back(grad);
    exp_avgs.push_back(adam_state.exp_avg());
    exp_avg_sqs.push_back(adam_state.exp_avg_sq());
    if (settings.amsgrad) max_exp_avg_sqs.push_back(adam_state.max_exp_avg_sq());
    steps.push_back(adam_state.step());
  }
  if (with_grad.empty()) return;
  _fused_adam_(with_grad, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, settings.lr,
               settings.beta1, settings.beta2, settings.weight_decay, settings.eps,
               settings.amsgrad, settings.maximize, settings.decoupled_weight_decay);
}

}  // namespace detail

OptimizerOptionMap AdamOptions::values() const {
  return detail::adam_option_values(*this, /*decoupled_weight_decay=*/false);
}

void AdamOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_adam_option_values(values, *this);
}

std::map<std::string, Tensor> AdamParamState::tensors() const {
  std::map<std::string, Tensor> result{
      {"step", step()}, {"exp_avg", exp_avg()}, {"exp_avg_sq", exp_avg_sq()}};
  if (max_exp_avg_sq().defined()) result["max_exp_avg_sq"] = max_exp_avg_sq();
  return result;
}

void AdamParamState::set_tensors(const std::map<std::string, Tensor>& tensors) {
  const auto get = [&](const char* name) {
    const auto found = tensors.find(name);
    return found == tensors.end() ? Tensor() : found->second;
  };
  for (const char* required : {"step", "exp_avg", "exp_avg_sq"}) {
    EMBER_CHECK_VALUE(get(required).defined(),
                      "[Optimizer.load_state_dict] expected the state of "
                      "an Adam parameter to hold '",
                      required, "'; it does not");
  }
  step(get("step").to(kFloat32).reshape({}));
  exp_avg(get("exp_avg"));
  exp_avg_sq(get("exp_avg_sq"));
  max_exp_avg_sq(get("max_exp_avg_sq"));
}

Adam::Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamOptions>(defaults)) {
  detail::check_adam_settings("Adam", detail::adam_settings_of(defaults, false));
}

Adam::Adam(std::vector<Tensor> params, AdamOptions defaults)
    : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
           std::move(defaults)) {}

Tensor Adam::step_impl(LossClosure closure) {
  const Tensor loss = run_closure(closure);
  detail::adam_family_step<AdamOptions>("Adam", /*decoupled_weight_decay=*/false, param_groups_,
                                        state_);
  return loss;
}

std::unique_ptr<OptimizerParamState> Adam::make_param_state() const {
  return std::make_unique<AdamParamState>();
}

}  // namespace ember::optim
