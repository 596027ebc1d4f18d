#include "ember/checkpoint/optimizer_key_order.h"

#include <algorithm>

#include "ember/optim/optim.h"

namespace ember::serialize {
namespace {

using Names = std::string_view;

// python/ember/optim/*.py: each class's defaults dict, and the state each step creates.
constexpr Names kSgdOptions[] = {"lr",           "momentum",       "dampening",
                                 "weight_decay", "nesterov",       "maximize",
                                 "foreach",      "differentiable", "fused"};
constexpr Names kSgdState[] = {"momentum_buffer"};
constexpr Names kAdamOptions[] = {"lr",
                                  "betas",
                                  "eps",
                                  "weight_decay",
                                  "amsgrad",
                                  "maximize",
                                  "foreach",
                                  "capturable",
                                  "differentiable",
                                  "fused",
                                  "decoupled_weight_decay"};
constexpr Names kAdamState[] = {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
constexpr Names kAdamaxOptions[] = {
    "lr", "betas", "eps", "weight_decay", "foreach", "maximize", "differentiable", "capturable"};
constexpr Names kAdamaxState[] = {"step", "exp_avg", "exp_inf"};
constexpr Names kNAdamOptions[] = {"lr",
                                   "betas",
                                   "eps",
                                   "weight_decay",
                                   "momentum_decay",
                                   "decoupled_weight_decay",
                                   "maximize",
                                   "foreach",
                                   "capturable",
                                   "differentiable"};
constexpr Names kNAdamState[] = {"step", "mu_product", "exp_avg", "exp_avg_sq"};
constexpr Names kRAdamOptions[] = {
    "lr",       "betas",   "eps",        "weight_decay",  "decoupled_weight_decay",
    "maximize", "foreach", "capturable", "differentiable"};
constexpr Names kRAdamState[] = {"step", "exp_avg", "exp_avg_sq"};
constexpr Names kRmspropOptions[] = {"lr",       "momentum",      "alpha",      "eps",
                                     "centered", "weight_decay",  "capturable", "foreach",
                                     "maximize", "differentiable"};
constexpr Names kRmspropState[] = {"step", "square_avg", "momentum_buffer", "grad_avg"};
constexpr Names kRpropOptions[] = {"lr",       "etas",           "step_sizes", "foreach",
                                   "maximize", "differentiable", "capturable"};
constexpr Names kRpropState[] = {"step", "prev", "step_size"};
constexpr Names kAdagradOptions[] = {
    "lr",       "lr_decay",       "eps",  "weight_decay", "initial_accumulator_value", "foreach",
    "maximize", "differentiable", "fused"};
constexpr Names kAdagradState[] = {"step", "sum"};
constexpr Names kAdadeltaOptions[] = {"lr",       "rho",        "eps",     "weight_decay",
                                      "maximize", "capturable", "foreach", "differentiable"};
constexpr Names kAdadeltaState[] = {"step", "square_avg", "acc_delta"};
constexpr Names kAsgdOptions[] = {"lr",       "lambd",          "alpha",
                                  "t0",       "weight_decay",   "foreach",
                                  "maximize", "differentiable", "capturable"};
constexpr Names kAsgdState[] = {"step", "eta", "mu", "ax"};
constexpr Names kLbfgsOptions[] = {
    "lr",           "max_iter",      "max_eval", "tolerance_grad", "tolerance_change",
    "history_size", "line_search_fn"};
constexpr Names kLbfgsState[] = {"func_evals", "n_iter",         "t",        "prev_loss", "H_diag",
                                 "d",          "prev_flat_grad", "old_dirs", "old_stps",  "ro",
                                 "al"};

template <typename Algorithm>
bool is(const optim::Optimizer& optimizer) {
  return dynamic_cast<const Algorithm*>(&optimizer) != nullptr;
}

}  // namespace

OptimizerKeyOrder pytorch_key_order(const optim::Optimizer& optimizer) {
  if (is<optim::SGD>(optimizer)) return {kSgdOptions, kSgdState};
  // AdamW's defaults are Adam's (decoupled_weight_decay=True).
  if (is<optim::Adam>(optimizer) || is<optim::AdamW>(optimizer)) {
    return {kAdamOptions, kAdamState};
  }
  if (is<optim::Adamax>(optimizer)) return {kAdamaxOptions, kAdamaxState};
  if (is<optim::NAdam>(optimizer)) return {kNAdamOptions, kNAdamState};
  if (is<optim::RAdam>(optimizer)) return {kRAdamOptions, kRAdamState};
  if (is<optim::RMSprop>(optimizer)) return {kRmspropOptions, kRmspropState};
  if (is<optim::Rprop>(optimizer)) return {kRpropOptions, kRpropState};
  if (is<optim::Adagrad>(optimizer)) return {kAdagradOptions, kAdagradState};
  if (is<optim::Adadelta>(optimizer)) return {kAdadeltaOptions, kAdadeltaState};
  if (is<optim::ASGD>(optimizer)) return {kAsgdOptions, kAsgdState};
  if (is<optim::LBFGS>(optimizer)) return {kLbfgsOptions, kLbfgsState};
  return {};
}

size_t rank_in(std::span<const std::string_view> order, std::string_view name) {
  return static_cast<size_t>(std::find(order.begin(), order.end(), name) - order.begin());
}

}  // namespace ember::serialize
