// libtorch's torch::optim::Adagrad: steps scaled by the root of the summed squared gradients, with
// a decaying learning rate (torch.optim.Adagrad's rule; the math is _fused_adagrad_).
#pragma once

#include <memory>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdagradOptions : public OptimizerCloneableOptions<AdagradOptions> {
  AdagradOptions(double lr = 1e-2) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  EMBER_ARG(double, lr);
  EMBER_ARG(double, lr_decay) = 0;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(double, initial_accumulator_value) = 0;
  EMBER_ARG(double, eps) = 1e-10;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step" and "sum" (made for every
// parameter at construction, as libtorch's).
class Adagrad : public Optimizer {
 public:
  Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults = {});
  Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
