// The optimizer base (optimizer.h).
#include "ember/optim/optimizer.h"

#include <unordered_set>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"

namespace ember::optim {

std::unique_ptr<OptimizerParamState> OptimizerParamState::clone() const {
  return std::make_unique<OptimizerParamState>(*this);
}

void OptimizerParamState::set_tensors(const std::map<std::string, Tensor>& tensors) {
  EMBER_CHECK_VALUE(tensors.empty(),
                    "[Optimizer.load_state_dict] expected no state for this "
                    "optimizer's parameters; got ",
                    tensors.size(), " tensors");
}

void OptimizerParamState::set_tensor_lists(
    const std::map<std::string, std::vector<Tensor>>& lists) {
  EMBER_CHECK_VALUE(lists.empty(),
                    "[Optimizer.load_state_dict] expected no lists of tensors in the state of "
                    "this optimizer's parameters; got ",
                    lists.size());
}

std::unique_ptr<OptimizerOptions> OptimizerOptions::clone() const {
  return std::make_unique<OptimizerOptions>(*this);
}

double OptimizerOptions::get_lr() const {
  ::ember::detail::raise<NotImplementedError>(
      "[OptimizerOptions] get_lr() is not implemented by this options class");
}

void OptimizerOptions::set_lr(double /*lr*/) {
  ::ember::detail::raise<NotImplementedError>(
      "[OptimizerOptions] set_lr() is not implemented by this options class");
}

void OptimizerOptions::set_values(const OptimizerOptionMap& /*values*/) {}

OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup& group)
    : params_(group.params_), options_(group.has_options() ? group.options_->clone() : nullptr) {}

OptimizerParamGroup& OptimizerParamGroup::operator=(const OptimizerParamGroup& group) {
  if (this != &group) {
    params_ = group.params_;
    options_ = group.has_options() ? group.options_->clone() : nullptr;
  }
  return *this;
}

OptimizerParamGroup::OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}

OptimizerParamGroup::OptimizerParamGroup(std::vector<Tensor> params,
                                         std::unique_ptr<OptimizerOptions> options)
    : params_(std::move(params)), options_(std::move(options)) {}

OptimizerOptions& OptimizerParamGroup::options() {
  EMBER_CHECK(has_options(), "[OptimizerParamGroup] the group has no options");
  return *options_;
}

const OptimizerOptions& OptimizerParamGroup::options() const {
  EMBER_CHECK(has_options(), "[OptimizerParamGroup] the group has no options");
  return *options_;
}

Optimizer::Optimizer(std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults)
    : defaults_(std::move(defaults)) {
  EMBER_CHECK_VALUE(defaults_ != nullptr, "[Optimizer] expected default options; got none");
  for (const OptimizerParamGroup& group : param_groups) add_param_group(group);
}

Optimizer::Optimizer(std::vector<Tensor> parameters, std::unique_ptr<OptimizerOptions> defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(parameters))},
                std::move(defaults)) {}

void Optimizer::add_param_group(const OptimizerParamGroup& param_group) {
  std::unordered_set<void*> seen;
  for (const OptimizerParamGroup& group : param_groups_) {
    for (const Tensor& parameter : group.params()) seen.insert(state_key(parameter));
  }
  std::unordered_set<void*> in_new_group;
  for (size_t index = 0; index < param_group.params().size(); ++index) {
    const Tensor& parameter = param_group.params()[index];
    EMBER_CHECK_VALUE(parameter.defined(), "[Optimizer.add_param_group] expected params[", index,
                      "] to be a tensor; got an undefined tensor");
    EMBER_CHECK_VALUE(parameter.is_leaf(),
                      "[Optimizer.add_param_group] can't optimize a "
                      "non-leaf Tensor (params[",
                      index, "], shape ", parameter.shape(), ")");
    EMBER_CHECK_VALUE(in_new_group.insert(state_key(parameter)).second,
                      "[Optimizer.add_param_group] expected distinct parameters in a group; "
                      "params[",
                      index, "] appears twice");
    EMBER_CHECK_VALUE(seen.count(state_key(parameter)) == 0,
                      "[Optimizer.add_param_group] some parameters appear in more than one "
                      "parameter group (params[",
                      index, "], shape ", parameter.shape(), ")");
  }
  OptimizerParamGroup group(param_group.params(), param_group.has_options()
                                                      ? param_group.options().clone()
                                                      : defaults_->clone());
  param_groups_.push_back(std::move(group));
}

void Optimizer::add_parameters(const std::vector<Tensor>& parameters) {
  if (param_groups_.empty()) {
    add_param_group(OptimizerParamGroup(parameters));
    return;
  }
  OptimizerParamGroup group(parameters);
  // The checks of add_param_group, then the parameters join the first group.
  Optimizer::add_param_group(group);
  OptimizerParamGroup added = std::move(param_groups_.back());
  param_groups_.pop_back();
  auto& first = param_groups_.front().params();
  first.insert(first.end(), added.params().begin(), added.params().end());
}

void Optimizer::zero_grad(bool set_to_none) {
  for (OptimizerParamGroup& group : param_groups_) {
    for (Tensor& parameter : group.params()) {
      Tensor& grad = parameter.mutable_grad();
      if (!grad.defined()) continue;
      if (set_to_none) {
        grad = Tensor();
      } else {
        NoGradGuard no_grad;
        grad = grad.detach();
        grad.zero_();
      }
    }
  }
}

std::vector<Tensor> Optimizer::parameters() const {
  std::vector<Tensor> all;
  for (const OptimizerParamGroup& group : param_groups_) {
    all.insert(all.end(), group.params().begin(), group.params().end());
  }
  return all;
}

size_t Optimizer::size() const {
  size_t count = 0;
  for (const OptimizerParamGroup& group : param_groups_) count += group.params().size();
  return count;
}

OptimizerStateDict Optimizer::state_dict() const {
  OptimizerStateDict result;
  int64_t index = 0;
  for (const OptimizerParamGroup& group : param_groups_) {
    OptimizerOptionMap values = group.options().values();
    if (const std::optional<double> initial_lr = group.options().initial_lr()) {
      values["initial_lr"] = *initial_lr;
    }
    std::vector<int64_t> indices;
    for (const Tensor& parameter : group.params()) {
      const auto found = state_.find(state_key(parameter));
      if (found != state_.end()) {
        result.state[index] = found->second->tensors();
        std::map<std::string, std::vector<Tensor>> lists = found->second->tensor_lists();
        if (!lists.empty()) result.state_lists[index] = std::move(lists);
      }
      indices.push_back(index++);
    }
    values["params"] = std::move(indices);
    result.param_groups.push_back(std::move(values));
  }
  return result;
}

void Optimizer::load_state_dict(const OptimizerStateDict& state_dict) {
  EMBER_CHECK_VALUE(state_dict.param_groups.size() == param_groups_.size(),
                    "[Optimizer.load_state_dict] loaded state dict has a different number of "
                    "parameter groups: expected ",
                    param_groups_.size(), "; got ", state_dict.param_groups.size());
  for (size_t g = 0; g < param_groups_.size(); ++g) {
    const auto found = state_dict.param_groups[g].find("params");
    EMBER_CHECK_VALUE(found != state_dict.param_groups[g].end() &&
                          std::holds_alternative<std::vector<int64_t>>(found->second),
                      "[Optimizer.load_state_dict] expected param_groups[", g,
                      "] to hold \"params\", a list of parameter indices");
    const size_t saved = std::get<std::vector<int64_t>>(found->second).size();
    EMBER_CHECK_VALUE(saved == param_groups_[g].params().size(),
                      "[Optimizer.load_state_dict] loaded state dict contains a parameter group "
                      "that doesn't match the size of optimizer's group: group ",
                      g, " expected ", param_groups_[g].params().size(), " parameters; got ",
                      saved);
  }
  std::unordered_map<void*, std::unique_ptr<OptimizerParamState>> new_state;
  for (size_t g = 0; g < param_groups_.size(); ++g) {
    OptimizerParamGroup& group = param_groups_[g];
    group.options().set_values(state_dict.param_groups[g]);
    const auto initial_lr = state_dict.param_groups[g].find("initial_lr");
    if (initial_lr != state_dict.param_groups[g].end()) {
      const auto* value = std::get_if<double>(&initial_lr->second);
      EMBER_CHECK_TYPE(value != nullptr, "[Optimizer.load_state_dict] expected param_groups[", g,
                       "][\"initial_lr\"] to be a float");
      group.options().set_initial_lr(*value);
    }
    const auto& indices = std::get<std::vector<int64_t>>(state_dict.param_groups[g].at("params"));
    for (size_t position = 0; position < indices.size(); ++position) {
      const auto saved = state_dict.state.find(indices[position]);
      const auto saved_lists = state_dict.state_lists.find(indices[position]);
      if (saved == state_dict.state.end() && saved_lists == state_dict.state_lists.end()) {
        continue;
      }
      const Tensor& parameter = group.params()[position];
      std::unique_ptr<OptimizerParamState> state = make_param_state();
      // As PyTorch: state follows its parameter's device and dtype, except the step counter
      // (a CPU tensor, on any device).
      const auto copy = [&](const std::string& name, const Tensor& tensor) {
        const bool keeps_dtype = state->keeps_dtype(name) || !tensor.is_floating_point();
        const Device device = name == "step" ? tensor.device() : parameter.device();
        return tensor.detach().to(device, keeps_dtype ? tensor.dtype() : parameter.dtype()).clone();
      };
      if (saved != state_dict.state.end()) {
        std::map<std::string, Tensor> copies;
        for (const auto& [name, tensor] : saved->second) copies[name] = copy(name, tensor);
        state->set_tensors(copies);
      }
      if (saved_lists != state_dict.state_lists.end()) {
        std::map<std::string, std::vector<Tensor>> copies;
        for (const auto& [name, tensors] : saved_lists->second) {
          for (const Tensor& tensor : tensors) copies[name].push_back(copy(name, tensor));
        }
        state->set_tensor_lists(copies);
      }
      new_state[state_key(parameter)] = std::move(state);
    }
  }
  state_ = std::move(new_state);
}

Tensor Optimizer::run_closure(const LossClosure& closure) {
  if (!closure) return Tensor();
  EnableGradGuard enable_grad;
  return closure();
}

namespace {

// The hooks of one kind as they are now (a hook may remove itself or add others while running).
template <typename Hook>
std::vector<Hook> snapshot(detail::StepHooks& hooks,
                           std::map<uint64_t, Hook> detail::StepHooks::*kind) {
  std::lock_guard<std::mutex> lock(hooks.mutex);
  std::vector<Hook> result;
  for (const auto& entry : hooks.*kind) result.push_back(entry.second);
  return result;
}

}  // namespace

Tensor Optimizer::step(LossClosure closure) {
  detail::StepHooks& global = *detail::global_step_hooks();
  for (auto* hooks : {&global, step_hooks_.get()}) {
    for (const auto& hook : snapshot(*hooks, &detail::StepHooks::pre)) hook(*this, closure);
  }
  Tensor loss = step_impl(closure);
  for (auto* hooks : {step_hooks_.get(), &global}) {
    for (const auto& hook : snapshot(*hooks, &detail::StepHooks::post)) hook(*this, closure);
  }
  return loss;
}

StepHookHandle Optimizer::register_step_pre_hook(OptimizerStepPreHook hook) {
  return detail::add_pre_hook(step_hooks_, std::move(hook));
}

StepHookHandle Optimizer::register_step_post_hook(OptimizerStepPostHook hook) {
  return detail::add_post_hook(step_hooks_, std::move(hook));
}

Tensor Optimizer::step_impl(LossClosure /*closure*/) {
  ::ember::detail::raise<NotImplementedError>(
      "[Optimizer.step] expected the optimizer class to implement step_impl (or step); it "
      "implements neither");
}

std::unique_ptr<OptimizerParamState> Optimizer::make_param_state() const {
  return std::make_unique<OptimizerParamState>();
}

}  // namespace ember::optim
