// Rprop (torch.optim.Rprop's rule; the math is _fused_rprop_): per-element step sizes that grow
// while the gradient's sign holds and shrink when it flips, with libtorch-style options.
#pragma once

#include <memory>
#include <tuple>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/fused_algorithm.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct RpropOptions : public OptimizerCloneableOptions<RpropOptions> {
  RpropOptions(double lr = 1e-2) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  using pair_t = std::tuple<double, double>;
  EMBER_ARG(double, lr);
  EMBER_ARG(pair_t, etas) = std::make_tuple(0.5, 1.2);
  EMBER_ARG(pair_t, step_sizes) = std::make_tuple(1e-6, 50);
  EMBER_ARG(bool, maximize) = false;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// Each parameter's state (a NamedTensorState, PyTorch's names): "step", "prev" and "step_size".
class Rprop : public Optimizer {
 public:
  Rprop(std::vector<OptimizerParamGroup> param_groups, RpropOptions defaults = {});
  Rprop(std::vector<Tensor> params, RpropOptions defaults = {});

 protected:
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace ember::optim
