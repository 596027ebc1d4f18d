// libtorch's torch::optim::AdamW: Adam with decoupled weight decay (torch.optim.AdamW's rule; the
// math is _fused_adam_ with decoupled_weight_decay).
#pragma once

#include <memory>
#include <tuple>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/adam.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdamWOptions : public OptimizerCloneableOptions<AdamWOptions> {
  AdamWOptions(double lr = 1e-3) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  using betas_t = std::tuple<double, double>;
  EMBER_ARG(double, lr);
  EMBER_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  EMBER_ARG(double, eps) = 1e-8;
  EMBER_ARG(double, weight_decay) = 1e-2;
  EMBER_ARG(bool, amsgrad) = false;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// The same state as Adam's.
using AdamWParamState = AdamParamState;

class AdamW : public Optimizer {
 public:
  AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults = {});
  AdamW(std::vector<Tensor> params, AdamWOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
