// libtorch's torch::optim::RMSprop: steps scaled by a running root mean square of the gradients,
// optionally centered and with momentum (torch.optim.RMSprop's rule; the math is _fused_rmsprop_).
#pragma once

#include <memory>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct RMSpropOptions : public OptimizerCloneableOptions<RMSpropOptions> {
  RMSpropOptions(double lr = 1e-2) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  EMBER_ARG(double, lr);
  EMBER_ARG(double, alpha) = 0.99;
  EMBER_ARG(double, eps) = 1e-8;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(double, momentum) = 0;
  EMBER_ARG(bool, centered) = false;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step", "square_avg", and
// "momentum_buffer" with momentum, "grad_avg" when centered.
class RMSprop : public Optimizer {
 public:
  RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults = {});
  RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
