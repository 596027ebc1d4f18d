// What Adam and AdamW share beyond the fused step: libtorch keeps AdamOptions and AdamWOptions
// as two types with the same fields, so their reading, writing and group loop are written once
// here as templates. Included only by adam.cpp and adamw.cpp.
#pragma once

#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/optim/adam.h"
#include "ember/optim/option_values.h"

namespace ember::optim::detail {

template <typename Options>
AdamGroupSettings adam_settings_of(const Options& options, bool decoupled_weight_decay) {
  return {options.lr(),       std::get<0>(options.betas()), std::get<1>(options.betas()),
          options.eps(),      options.weight_decay(),       options.amsgrad(),
          options.maximize(), decoupled_weight_decay};
}

template <typename Options>
OptimizerOptionMap adam_option_values(const Options& options, bool decoupled_weight_decay) {
  OptimizerOptionMap values{
      {"lr", options.lr()},
      {"betas", std::vector<double>{std::get<0>(options.betas()), std::get<1>(options.betas())}},
      {"eps", options.eps()},
      {"weight_decay", options.weight_decay()},
      {"amsgrad", options.amsgrad()},
      {"maximize", options.maximize()},
      {"capturable", false},
      {"decoupled_weight_decay", decoupled_weight_decay}};
  add_python_only_options(values);
  return values;
}

template <typename Options>
void read_adam_option_values(const OptimizerOptionMap& values, Options& options) {
  read_option(values, "lr", options.lr());
  read_option(values, "betas", options.betas());
  read_option(values, "eps", options.eps());
  read_option(values, "weight_decay", options.weight_decay());
  read_option(values, "amsgrad", options.amsgrad());
  read_option(values, "maximize", options.maximize());
}

// One step of every group of an Adam (`name` "Adam") or AdamW optimizer.
template <typename Options>
void adam_family_step(const std::string& name, bool decoupled_weight_decay,
                      std::vector<OptimizerParamGroup>& param_groups,
                      std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state) {
  NoGradGuard no_grad;
  for (OptimizerParamGroup& group : param_groups) {
    const auto* options = dynamic_cast<const Options*>(&group.options());
    EMBER_CHECK_TYPE(options != nullptr, "[", name, ".step] expected every group's options to be ",
                     name, "Options; got another options class");
    const AdamGroupSettings settings = adam_settings_of(*options, decoupled_weight_decay);
    check_adam_settings(name.c_str(), settings);
    adam_group_step(group.params(), settings, state);
  }
}

}  // namespace ember::optim::detail
