// ASGD (torch.optim.ASGD's rule; the math is _fused_asgd_): SGD with a decaying step and a running
// average of the iterates (state "ax"), with libtorch-style options.
#pragma once

#include <memory>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct ASGDOptions : public OptimizerCloneableOptions<ASGDOptions> {
  ASGDOptions(double lr = 1e-2) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  EMBER_ARG(double, lr);
  EMBER_ARG(double, lambd) = 1e-4;
  EMBER_ARG(double, alpha) = 0.75;
  EMBER_ARG(double, t0) = 1e6;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step", "eta", "mu" and "ax".
class ASGD : public Optimizer {
 public:
  ASGD(std::vector<OptimizerParamGroup> param_groups, ASGDOptions defaults = {});
  ASGD(std::vector<Tensor> params, ASGDOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
