// The Rprop optimizer (rprop.h): gathers each group's parameters with gradients and calls
// _fused_rprop_.
#include "ember/optim/rprop.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_rprop.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

// PyTorch's checks of the options, with its messages.
void check_options(const RpropOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[Rprop] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(0 < std::get<0>(options.etas()) && std::get<0>(options.etas()) < 1 &&
                        1 < std::get<1>(options.etas()),
                    "[Rprop] Invalid eta values: ", std::get<0>(options.etas()), ", ",
                    std::get<1>(options.etas()));
}

// A parameter's state before its first step.
void init_state(NamedTensorState& state, const Tensor& param, const RpropOptions& options) {
  state.set("step", detail::scalar_state(0));
  state.set("prev", zeros_like(param));
  state.set("step_size", full_like(param, options.lr()));
}

}  // namespace

OptimizerOptionMap RpropOptions::values() const {
  OptimizerOptionMap values{
      {"lr", lr()},
      {"etas", std::vector<double>{std::get<0>(etas()), std::get<1>(etas())}},
      {"step_sizes", std::vector<double>{std::get<0>(step_sizes()), std::get<1>(step_sizes())}},
      {"maximize", maximize()}};
  detail::add_python_only_options(values);
  return values;
}

void RpropOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "etas", etas_);
  detail::read_option(values, "step_sizes", step_sizes_);
  detail::read_option(values, "maximize", maximize_);
}

Rprop::Rprop(std::vector<OptimizerParamGroup> param_groups, RpropOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<RpropOptions>(defaults)) {
  check_options(defaults);
}

Rprop::Rprop(std::vector<Tensor> params, RpropOptions defaults)
    : Rprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
            std::move(defaults)) {}

Tensor Rprop::step_impl(LossClosure closure) {
  Tensor loss = detail::run_closure(closure);
  NoGradGuard no_grad;
  for (const OptimizerParamGroup& group : param_groups_) {
    const auto& options = detail::group_options<RpropOptions>(group, "Rprop");
    check_options(options);
    const detail::GroupWithGrads gathered = detail::gather_group(
        group, state_,
        [&](NamedTensorState& state, const Tensor& param) { init_state(state, param, options); });
    if (gathered.params.empty()) continue;
    _fused_rprop_(gathered.params, gathered.grads, gathered.list("prev"),
                  gathered.list("step_size"), gathered.list("step"),
                  std::get<0>(options.step_sizes()), std::get<1>(options.step_sizes()),
                  std::get<0>(options.etas()), std::get<1>(options.etas()), options.maximize());
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Rprop::make_param_state() const {
  return std::make_unique<NamedTensorState>();
}

}  // namespace ember::optim
