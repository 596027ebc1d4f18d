// What the C++ classes of Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and ASGD share:
// a per-parameter state held as named tensors (PyTorch's state[param] dict, so the state dict
// needs no per-class code), and the gathering of a group's parameters that have a gradient with
// their state, made on a parameter's first step, before the class calls its fused op.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ember/optim/optimizer.h"

namespace ember::optim {

// A parameter's state as named tensors ("step", "exp_avg", ...); an undefined tensor is absent.
class NamedTensorState : public OptimizerCloneableParamState<NamedTensorState> {
 public:
  // The named tensor (undefined when absent).
  Tensor get(const std::string& name) const;
  void set(const std::string& name, const Tensor& value) { tensors_[name] = value; }
  bool has(const std::string& name) const { return get(name).defined(); }

  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override { tensors_ = tensors; }

 private:
  std::map<std::string, Tensor> tensors_;
};

namespace detail {

// The parameters of one group that have a gradient, their gradients and their states.
struct GroupWithGrads {
  std::vector<Tensor> params;
  std::vector<Tensor> grads;
  std::vector<NamedTensorState*> states;

  // The named state tensor of every parameter, in order (a fused op's list argument).
  std::vector<Tensor> list(const std::string& name) const;
};

// Gathers the group's parameters that have a gradient (the others are skipped, as PyTorch does);
// a parameter without state gets a NamedTensorState filled by init(state, param).
GroupWithGrads gather_group(const OptimizerParamGroup& group,
                            std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state,
                            const std::function<void(NamedTensorState&, const Tensor&)>& init);

// A float32 scalar tensor holding value (PyTorch's layout of state['step'], 'eta', 'mu', ...).
Tensor scalar_state(double value);

// TypeError: a group of `optimizer` holds another class's options.
[[noreturn]] void raise_wrong_options(const char* optimizer);

// The options of group as `Options`, or TypeError naming the optimizer.
template <typename Options>
const Options& group_options(const OptimizerParamGroup& group, const char* optimizer) {
  const auto* options = dynamic_cast<const Options*>(&group.options());
  if (options == nullptr) raise_wrong_options(optimizer);
  return *options;
}

// Runs closure with gradients enabled (an undefined tensor without one).
Tensor run_closure(const Optimizer::LossClosure& closure);

}  // namespace detail

}  // namespace ember::optim
