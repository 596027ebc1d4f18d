// The AdamW optimizer (adamw.h): Adam's group step with decoupled weight decay.
#include "ember/optim/adamw.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

detail::AdamGroupSettings settings_of(const AdamWOptions& options) {
  return {options.lr(),
          std::get<0>(options.betas()),
          std::get<1>(options.betas()),
          options.eps(),
          options.weight_decay(),
          options.amsgrad(),
          options.maximize(),
          true};
}

}  // namespace

OptimizerOptionMap AdamWOptions::values() const {
  OptimizerOptionMap values{
      {"lr", lr()},
      {"betas", std::vector<double>{std::get<0>(betas()), std::get<1>(betas())}},
      {"eps", eps()},
      {"weight_decay", weight_decay()},
      {"amsgrad", amsgrad()},
      {"maximize", maximize()},
      {"capturable", false},
      {"decoupled_weight_decay", true}};
  detail::add_python_only_options(values);
  return values;
}

void AdamWOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "betas", betas_);
  detail::read_option(values, "eps", eps_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "amsgrad", amsgrad_);
  detail::read_option(values, "maximize", maximize_);
}

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamWOptions>(defaults)) {
  detail::check_adam_settings("AdamW", settings_of(defaults));
}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions defaults)
    : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
            std::move(defaults)) {}

Tensor AdamW::step(LossClosure closure) {
  const Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (OptimizerParamGroup& group : param_groups_) {
    const auto* options = dynamic_cast<const AdamWOptions*>(&group.options());
    EMBER_CHECK_TYPE(options != nullptr,
                     "[AdamW.step] expected every group's options to be "
                     "AdamWOptions; got another options class");
    const detail::AdamGroupSettings settings = settings_of(*options);
    detail::check_adam_settings("AdamW", settings);
    detail::adam_group_step(group.params(), settings, state_);
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> AdamW::make_param_state() const {
  return std::make_unique<AdamWParamState>();
}

}  // namespace ember::optim
