// libtorch's torch::optim::LBFGS (torch.optim.LBFGS's algorithm: two-loop recursion over a
// history of curvature pairs, and an optional strong-Wolfe line search). The algorithm lives
// here once: the C++ class and Python's ember.optim.LBFGS (through ember._C._optim._lbfgs_step)
// both call detail::lbfgs_step.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/nn/arg.h"
#include "ember/optim/optimizer.h"

namespace ember::optim {

struct LBFGSOptions : public OptimizerCloneableOptions<LBFGSOptions> {
  LBFGSOptions(double lr = 1) : lr_(lr) {}  // NOLINT: implicit as libtorch's
  EMBER_ARG(double, lr);
  EMBER_ARG(int64_t, max_iter) = 20;
  // Function evaluations per step; unset: max_iter * 5 / 4.
  EMBER_ARG(std::optional<int64_t>, max_eval) = std::nullopt;
  EMBER_ARG(double, tolerance_grad) = 1e-7;
  EMBER_ARG(double, tolerance_change) = 1e-9;
  EMBER_ARG(int64_t, history_size) = 100;
  // None or "strong_wolfe".
  EMBER_ARG(std::optional<std::string>, line_search_fn) = std::nullopt;

 public:
  double get_lr() const override { return lr(); }
  void set_lr(double lr) override { lr_ = lr; }
  OptimizerOptionMap values() const override;
  void set_values(const OptimizerOptionMap& values) override;
};

// The state LBFGS keeps (on its first parameter, as PyTorch): counters, the last direction d and
// step t, the curvature history (old_dirs y, old_stps s, ro = 1 / y.s), the initial Hessian
// scale H_diag, and the previous flat gradient and loss. Its state dict has Python's LBFGS keys:
// the tensors d and prev_flat_grad, the scalars func_evals and n_iter (0-d int64), t, prev_loss
// and H_diag (0-d float64), and the lists old_dirs, old_stps and ro (0-d float64 each); loading
// keeps every dtype, so that a resumed run continues bit for bit.
struct LBFGSParamState : public OptimizerCloneableParamState<LBFGSParamState> {
  EMBER_ARG(int64_t, func_evals) = 0;
  EMBER_ARG(int64_t, n_iter) = 0;
  EMBER_ARG(double, t) = 0;
  EMBER_ARG(double, prev_loss) = 0;
  EMBER_ARG(Tensor, d);
  EMBER_ARG(double, H_diag) = 1;
  EMBER_ARG(Tensor, prev_flat_grad);
  EMBER_ARG(std::deque<Tensor>, old_dirs);
  EMBER_ARG(std::deque<Tensor>, old_stps);
  EMBER_ARG(std::deque<double>, ro);

 public:
  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override;
  std::map<std::string, std::vector<Tensor>> tensor_lists() const override;
  void set_tensor_lists(const std::map<std::string, std::vector<Tensor>>& lists) override;
  bool keeps_dtype(const std::string& /*name*/) const override { return true; }
};

class LBFGS : public Optimizer {
 public:
  LBFGS(std::vector<OptimizerParamGroup> param_groups, LBFGSOptions defaults = {});
  LBFGS(std::vector<Tensor> params, LBFGSOptions defaults = {});

 protected:
  // Requires the closure (it re-evaluates the model); returns its first loss.
  Tensor step_impl(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

namespace detail {

// One LBFGS step (up to max_iter iterations) over `params`, evaluating `closure` (which
// recomputes the loss and the gradients) as often as the algorithm needs; updates `state`
// and returns the first loss. Raises ValueError for a line_search_fn other than "strong_wolfe".
Tensor lbfgs_step(const std::vector<Tensor>& params, const std::function<Tensor()>& closure,
                  const LBFGSOptions& options, LBFGSParamState& state);

}  // namespace detail

}  // namespace ember::optim
