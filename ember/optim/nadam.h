// NAdam (torch.optim.NAdam's rule; the math is _fused_nadam_): Adam with Nesterov momentum, with
// libtorch-style options.
#pragma once

#include <memory>
#include <tuple>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct NAdamOptions : public OptimizerCloneableOptions<NAdamOptions> {
  NAdamOptions(double lr = 2e-3) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  using betas_t = std::tuple<double, double>;
  EMBER_ARG(double, lr);
  EMBER_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  EMBER_ARG(double, eps) = 1e-8;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(double, momentum_decay) = 4e-3;
  EMBER_ARG(bool, decoupled_weight_decay) = false;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step", "mu_product", "exp_avg" and
// "exp_avg_sq".
class NAdam : public Optimizer {
 public:
  NAdam(std::vector<OptimizerParamGroup> param_groups, NAdamOptions defaults = {});
  NAdam(std::vector<Tensor> params, NAdamOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
