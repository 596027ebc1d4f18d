// Adamax (torch.optim.Adamax's rule; the math is _fused_adamax_): Adam with the infinity norm of
// the gradients in place of their second moment, with libtorch-style options.
#pragma once

#include <memory>
#include <tuple>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct AdamaxOptions : public OptimizerCloneableOptions<AdamaxOptions> {
  AdamaxOptions(double lr = 2e-3) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  using betas_t = std::tuple<double, double>;
  EMBER_ARG(double, lr);
  EMBER_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  EMBER_ARG(double, eps) = 1e-8;
  EMBER_ARG(double, weight_decay) = 0;
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step", "exp_avg" and "exp_inf".
class Adamax : public Optimizer {
 public:
  Adamax(std::vector<OptimizerParamGroup> param_groups, AdamaxOptions defaults = {});
  Adamax(std::vector<Tensor> params, AdamaxOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
