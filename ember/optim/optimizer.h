// The optimizer base of the C++ frontend (libtorch's torch/optim/optimizer.h): parameter groups,
// each with its own options, per-parameter state, zero_grad, step and a state dict in PyTorch's
// layout (Note [optimizer state dict] in docs/architecture.md). Each algorithm (sgd.h, adam.h,
// ...) derives its options, state and optimizer from these and calls its fused op
// (ember/ops/optim_<algo>.h): the update math lives there, once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "ember/optim/step_hooks.h"
#include "ember/tensor/tensor.h"

namespace ember::optim {

// One option value of a state dict's param group: None, a flag, an integer, a float, a pair such
// as Adam's betas, a group's parameter indices ("params"), or a name (LBFGS's line_search_fn).
using OptimizerOptionValue = std::variant<std::monostate, bool, int64_t, double,
                                          std::vector<double>, std::vector<int64_t>, std::string>;
using OptimizerOptionMap = std::map<std::string, OptimizerOptionValue>;

// PyTorch's optimizer.state_dict() as a structure with the same keys:
//   state[i]         the state of the i-th parameter (counted over the groups in order) by name,
//                    e.g. {"step", "exp_avg", "exp_avg_sq"}; parameters without state are absent
//   param_groups[g]  group g's options by name (PyTorch's names: "lr", "betas", ...) and
//                    "params", the indices of its parameters
//   state_lists[i]   the entries of that state that are lists of tensors, by name (LBFGS's
//                    history: old_dirs, old_stps, ro); with state[i], Python's state[i]
struct OptimizerStateDict {
  std::map<int64_t, std::map<std::string, Tensor>> state;
  std::vector<OptimizerOptionMap> param_groups;
  // Last, so that aggregate initialisation {state, param_groups} keeps its meaning.
  std::map<int64_t, std::map<std::string, std::vector<Tensor>>> state_lists = {};
};

// The state an algorithm keeps per parameter (momentum buffers, moment estimates, ...).
class OptimizerParamState {
 public:
  OptimizerParamState() = default;
  OptimizerParamState(const OptimizerParamState&) = default;
  OptimizerParamState& operator=(const OptimizerParamState&) = default;
  virtual ~OptimizerParamState() = default;
  virtual std::unique_ptr<OptimizerParamState> clone() const;
  // The state's tensors by PyTorch's names (state_dict) and their restoration (load_state_dict).
  virtual std::map<std::string, Tensor> tensors() const { return {}; }
  virtual void set_tensors(const std::map<std::string, Tensor>& tensors);
  // The state's lists of tensors by name (OptimizerStateDict::state_lists), and back.
  virtual std::map<std::string, std::vector<Tensor>> tensor_lists() const { return {}; }
  virtual void set_tensor_lists(const std::map<std::string, std::vector<Tensor>>& lists);
  // Whether load_state_dict keeps a floating entry's dtype rather than casting it to its
  // parameter's (PyTorch casts all but "step").
  virtual bool keeps_dtype(const std::string& name) const { return name == "step"; }
};

// clone() for a state class: `struct SGDParamState : OptimizerCloneableParamState<SGDParamState>`.
template <typename Derived>
class OptimizerCloneableParamState : public OptimizerParamState {
 public:
  std::unique_ptr<OptimizerParamState> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

// The options of a parameter group (lr and the algorithm's others).
class OptimizerOptions {
 public:
  OptimizerOptions() = default;
  OptimizerOptions(const OptimizerOptions&) = default;
  OptimizerOptions& operator=(const OptimizerOptions&) = default;
  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const;
  virtual double get_lr() const;
  virtual void set_lr(double lr);
  // The options by PyTorch's names (state_dict's param_groups) and their restoration; a name
  // that is absent keeps its value.
  virtual OptimizerOptionMap values() const { return {}; }
  virtual void set_values(const OptimizerOptionMap& values);
  // PyTorch's group["initial_lr"]: the lr of the group when the first learning-rate scheduler
  // of the optimizer was built; every scheduler of the optimizer takes it as its base lr.
  // Unset until then; in the state dict when set.
  std::optional<double> initial_lr() const { return initial_lr_; }
  void set_initial_lr(std::optional<double> initial_lr) { initial_lr_ = initial_lr; }

 private:
  std::optional<double> initial_lr_;
};

// clone() for an options class: `struct SGDOptions : OptimizerCloneableOptions<SGDOptions>`.
template <typename Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
 public:
  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

// Parameters trained with one set of options; without options, the optimizer's defaults.
class OptimizerParamGroup {
 public:
  OptimizerParamGroup(const OptimizerParamGroup& group);
  OptimizerParamGroup& operator=(const OptimizerParamGroup& group);
  OptimizerParamGroup(OptimizerParamGroup&&) = default;
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) = default;
  OptimizerParamGroup(std::vector<Tensor> params);  // NOLINT: implicit as libtorch's
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options);
  ~OptimizerParamGroup() = default;

  bool has_options() const { return options_ != nullptr; }
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() { return params_; }
  const std::vector<Tensor>& params() const { return params_; }

 private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

class Optimizer {
 public:
  // Called by step for algorithms that re-evaluate the model (LBFGS); returns the loss.
  using LossClosure = std::function<Tensor()>;

  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  Optimizer(std::vector<OptimizerParamGroup> param_groups,
            std::unique_ptr<OptimizerOptions> defaults);
  Optimizer(std::vector<Tensor> parameters, std::unique_ptr<OptimizerOptions> defaults);
  virtual ~Optimizer() = default;

  // Adds a group (options: the defaults when it has none). Its parameters start without state
  // and train from the next step. Raises ValueError for a parameter already in a group, a
  // parameter that is not a leaf, or a tensor listed twice.
  void add_param_group(const OptimizerParamGroup& param_group);
  // Adds parameters to the first group (libtorch's add_parameters).
  void add_parameters(const std::vector<Tensor>& parameters);

  // One update of every parameter with a gradient; the closure's loss when there is one. Runs
  // the step hooks (step_hooks.h) around the algorithm's step_impl. Virtual only so that a
  // libtorch-style optimizer overriding step itself still compiles (it then runs no hooks).
  virtual Tensor step(LossClosure closure = nullptr);
  // Hooks run before and after each step of this optimizer (PyTorch's register_step_pre_hook and
  // register_step_post_hook); the handle removes them.
  StepHookHandle register_step_pre_hook(OptimizerStepPreHook hook);
  StepHookHandle register_step_post_hook(OptimizerStepPostHook hook);
  // Clears each parameter's gradient (set_to_none) or zeroes it in place.
  void zero_grad(bool set_to_none = true);

  // The parameters of every group, in order.
  std::vector<Tensor> parameters() const;
  // Their count.
  size_t size() const;
  OptimizerOptions& defaults() { return *defaults_; }
  const OptimizerOptions& defaults() const { return *defaults_; }
  std::vector<OptimizerParamGroup>& param_groups() { return param_groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const { return param_groups_; }
  // Per-parameter state, keyed by the parameter's TensorImpl (libtorch's key).
  std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state() { return state_; }
  const std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state() const {
    return state_;
  }

  // PyTorch's state_dict layout (OptimizerStateDict). The tensors are the state's own (not
  // copies), as PyTorch's.
  OptimizerStateDict state_dict() const;
  // Restores options and state from a state dict of an optimizer with groups of the same sizes;
  // the state tensors are copied. Raises ValueError when the group count or sizes differ.
  void load_state_dict(const OptimizerStateDict& state_dict);

 protected:
  // Evaluates step's closure, if any, with gradients enabled (step itself runs without); its loss
  // or an undefined tensor.
  static Tensor run_closure(const LossClosure& closure);
  // The algorithm's update (what step runs between its hooks).
  virtual Tensor step_impl(LossClosure closure);
  // The algorithm's fresh state for one parameter (load_state_dict fills it from a state dict).
  virtual std::unique_ptr<OptimizerParamState> make_param_state() const;

  std::unique_ptr<OptimizerOptions> defaults_;
  std::vector<OptimizerParamGroup> param_groups_;
  std::unordered_map<void*, std::unique_ptr<OptimizerParamState>> state_;

 private:
  // Shared with the handles, which outlive a moved-from optimizer safely.
  std::shared_ptr<detail::StepHooks> step_hooks_ = std::make_shared<detail::StepHooks>();
};

// The key of a parameter in Optimizer::state().
inline void* state_key(const Tensor& parameter) { return parameter.impl(); }

}  // namespace ember::optim
