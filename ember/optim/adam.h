// libtorch's torch::optim::Adam (torch.optim.Adam's rule with amsgrad, weight decay and
// maximize; the math is _fused_adam_).
#pragma once

#include <memory>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
  AdamOptions(double lr = 1e-3) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  using betas_t = std::tuple<double, double>;
  EMBER_ARG(double, lr);
  EMBER_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  EMBER_ARG(double, eps) = 1e-8;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(bool, amsgrad) = false;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Adam's per-parameter state. step is PyTorch's state['step'], a 0-d float32 tensor (libtorch
// keeps an int64): _fused_adam_ increments it, and state dicts hold it as Python's do.
struct AdamParamState : public OptimizerCloneableParamState<AdamParamState> {
  EMBER_ARG(Tensor, step);
  EMBER_ARG(Tensor, exp_avg);
  EMBER_ARG(Tensor, exp_avg_sq);
  EMBER_ARG(Tensor, max_exp_avg_sq);

 public:
  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults = {});
  Adam(std::vector<Tensor> params, AdamOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

namespace detail {

// The options of one Adam/AdamW group as _fused_adam_ takes them.
struct AdamGroupSettings {
  double lr, beta1, beta2, eps, weight_decay;
  bool amsgrad, maximize, decoupled_weight_decay;
};

// Checks the options' ranges (ValueError naming the option, PyTorch's messages); `name` is the
// optimizer's.
void check_adam_settings(const char* name, const AdamGroupSettings& settings);

// One Adam/AdamW step of a group: creates the state of parameters stepping for the first time
// and calls _fused_adam_ on every parameter with a gradient.
void adam_group_step(const std::vector<Tensor>& params, const AdamGroupSettings& settings,
                     std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state);

}  // namespace detail

}  // namespace ember::optim
