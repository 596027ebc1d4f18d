// Adadelta (torch.optim.Adadelta's rule; the math is _fused_adadelta_), with libtorch-style
// options.
#pragma once

#include <memory>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdadeltaOptions : public OptimizerCloneableOptions<AdadeltaOptions> {
  AdadeltaOptions(double lr = 1.0) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  EMBER_ARG(double, lr);
  EMBER_ARG(double, rho) = 0.9;
  EMBER_ARG(double, eps) = 1e-6;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step", "square_avg" and
// "acc_delta".
class Adadelta : public Optimizer {
 public:
  Adadelta(std::vector<OptimizerParamGroup> param_groups, AdadeltaOptions defaults = {});
  Adadelta(std::vector<Tensor> params, AdadeltaOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
