// The AdamW optimizer (adamw.h): Adam's group step with decoupled weight decay.
#include "ember/optim/adamw.h"

#include "ember/optim/adam_options_common.h"

namespace ember::optim {

OptimizerOptionMap AdamWOptions::values() const {
  return detail::adam_option_values(*this, /*decoupled_weight_decay=*/true);
}

void AdamWOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_adam_option_values(values, *this);
}

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamWOptions>(defaults)) {
  detail::check_adam_settings("AdamW", detail::adam_settings_of(defaults, true));
}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions defaults)
    : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
            std::move(defaults)) {}

Tensor AdamW::step_impl(LossClosure closure) {
  const Tensor loss = run_closure(closure);
  detail::adam_family_step<AdamWOptions>("AdamW", /*decoupled_weight_decay=*/true, param_groups_,
                                         state_);
  return loss;
}

std::unique_ptr<OptimizerParamState> AdamW::make_param_state() const {
  return std::make_unique<AdamWParamState>();
}

}  // namespace ember::optim
