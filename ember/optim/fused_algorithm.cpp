// The shared state and gathering of fused_algorithm.h.
#include "ember/optim/fused_algorithm.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::optim {

Tensor NamedTensorState::get(const std::string& name) const {
  const auto found = tensors_.find(name);
  return found == tensors_.end() ? Tensor() : found->second;
}

std::map<std::string, Tensor> NamedTensorState::tensors() const {
  std::map<std::string, Tensor> defined;
  for (const auto& [name, tensor] : tensors_) {
    if (tensor.defined()) defined.emplace(name, tensor);
  }
  return defined;
}

namespace detail {

std::vector<Tensor> GroupWithGrads::list(const std::string& name) const {
  std::vector<Tensor> tensors;
  tensors.reserve(states.size());
  for (const NamedTensorState* state : states) tensors.push_back(state->get(name));
  return tensors;
}

GroupWithGrads gather_group(const OptimizerParamGroup& group,
                            std::unordered_map<void*, std::unique_ptr<OptimizerParamState>>& state,
                            const std::function<void(NamedTensorState&, const Tensor&)>& init) {
  GroupWithGrads gathered;
  for (const Tensor& param : group.params()) {
    const Tensor grad = param.grad();
    if (!grad.defined()) continue;
    auto& slot = state[state_key(param)];
    if (slot == nullptr) {
      auto fresh = std::make_unique<NamedTensorState>();
      init(*fresh, param);
      slot = std::move(fresh);
    }
    auto* named = dynamic_cast<NamedTensorState*>(slot.get());
    EMBER_CHECK_TYPE(named != nullptr,
                     "[Optimizer.step] expected the parameter's state to be a NamedTensorState; "
                     "got another state class");
    gathered.params.push_back(param);
    gathered.grads.push_back(grad);
    gathered.states.push_back(named);
  }
  return gathered;
}

Tensor scalar_state(double value) { return full({}, value, kFloat); }

void raise_wrong_options(const char* optimizer) {
  ::ember::detail::raise<TypeError>("[", optimizer, ".step] expected every group's options to be ",
                                    optimizer, "Options; got another options class");
}

Tensor run_closure(const Optimizer::LossClosure& closure) {
  if (!closure) return {};
  EnableGradGuard enable_grad;
  return closure();
}

}  // namespace detail

}  // namespace ember::optim
