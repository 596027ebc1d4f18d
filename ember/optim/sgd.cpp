// The SGD optimizer (sgd.h): gathers each group's parameters with gradients and calls
// _fused_sgd_.
#include "ember/optim/sgd.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_sgd.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

void check_options(const SGDOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[SGD] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.momentum() >= 0, "[SGD] Invalid momentum value: ", options.momentum());
  EMBER_CHECK_VALUE(options.weight_decay() >= 0,
                    "[SGD] Invalid weight_decay value: ", options.weight_decay());
  EMBER_CHECK_VALUE(!options.nesterov() || (options.momentum() > 0 && options.dampening() == 0),
                    "[SGD] Nesterov momentum requires a momentum and zero dampening; got "
                    "momentum ",
                    options.momentum(), " and dampening ", options.dampening());
}

}  // namespace

OptimizerOptionMap SGDOptions::values() const {
  OptimizerOptionMap values{{"lr", lr()},
                            {"momentum", momentum()},
                            {"dampening", dampening()},
                            {"weight_decay", weight_decay()},
                            {"nesterov", nesterov()},
                            {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void SGDOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "momentum", momentum_);
  detail::read_option(values, "dampening", dampening_);
  detail::read_option(values, "weight_decay", weight_decay_);
  detail::read_option(values, "nesterov", nesterov_);
  detail::read_option(values, "maximize", maximize_);
}

std::map<std::string, Tensor> SGDParamState::tensors() const {
  if (!momentum_buffer().defined()) return {};
  return {{"momentum_buffer", momentum_buffer()}};
}

void SGDParamState::set_tensors(const std::map<std::string, Tensor>& tensors) {
  const auto found = tensors.find("momentum_buffer");
  momentum_buffer(found == tensors.end() ? Tensor() : found->second);
}

SGD::SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<SGDOptions>(defaults)) {
  check_options(defaults);
}

SGD::SGD(std::vector<Tensor> params, SGDOptions defaults)
    : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
          std::move(defaults)) {}

Tensor SGD::step_impl(LossClosure closure) {
  const Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (OptimizerParamGroup& group : param_groups_) {
    const auto* options = dynamic_cast<const SGDOptions*>(&group.options());
    EMBER_CHECK_TYPE(options != nullptr,
                     "[SGD.step] expected every group's options to be "
                     "SGDOptions; got another options class");
    check_options(*options);
    const bool with_momentum = options->momentum() != 0;
    // Parameters whose buffer exists, and those taking their first momentum step.
    std::vector<Tensor> params, grads, buffers, new_params, new_grads, new_buffers;
    for (const Tensor& parameter : group.params()) {
      const Tensor grad = parameter.grad();
      if (!grad.defined()) continue;
      if (!with_momentum) {
        params.push_back(parameter);
        grads.push_back(grad);
        continue;
      }
      auto& state = state_[state_key(parameter)];
      if (state == nullptr) state = std::make_unique<SGDParamState>();
      auto& sgd_state = static_cast<SGDParamState&>(*state);
      if (sgd_state.momentum_buffer().defined()) {
        params.push_back(parameter);
        grads.push_back(grad);
        buffers.push_back(sgd_state.momentum_buffer());
      } else {
        sgd_state.momentum_buffer(empty_like(parameter));
        new_params.push_back(parameter);
        new_grads.push_back(grad);
        new_buffers.push_back(sgd_state.momentum_buffer());
      }
    }
    const auto update = [&](const std::vector<Tensor>& p, const std::vector<Tensor>& g,
                            const std::vector<Tensor>& b, bool is_first_step) {
      if (p.empty()) return;
      _fused_sgd_(p, g, b, options->lr(), options->momentum(), options->dampening(),
                  options->weight_decay(), options->nesterov(), options->maximize(), is_first_step);
    };
    update(params, grads, buffers, false);
    update(new_params, new_grads, new_buffers, true);
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> SGD::make_param_state() const {
  return std::make_unique<SGDParamState>();
}

}  // namespace ember::optim
