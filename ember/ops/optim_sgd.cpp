// The fused SGD op and its composite reference (optim_sgd.h).
#include "ember/ops/optim_sgd.h"

#include <array>
#include <cstdint>
#include <string_view>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

void _fused_sgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                 const std::vector<Tensor>& momentum_buffers, double lr, double momentum,
                 double dampening, double weight_decay, bool nesterov, bool maximize,
                 bool is_first_step) {
  constexpr std::string_view op = "_fused_sgd_";
  optim_detail::check_lists(
      op, params, grads,
      {{"momentum_buffers", momentum_buffers, momentum != 0.0 ? "" : "when momentum is 0"}});
  EMBER_CHECK_VALUE(
      !nesterov || (momentum > 0.0 && dampening == 0.0), "[", op,
      "] expected a momentum and zero dampening with Nesterov momentum; got momentum ", momentum,
      " and dampening ", dampening);
  optim_detail::ParamArrays arrays(params, grads, {momentum_buffers});
  const optim_detail::SgdUpdate update{lr,       momentum, dampening,    weight_decay,
                                       nesterov, maximize, is_first_step};
  optim_detail::for_each_chunk(op, arrays, update,
                               std::vector<optim_detail::NoCoefficients>(params.size()));
}

namespace detail {

void sgd_step_composite(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer,
                        double lr, double momentum, double dampening, double weight_decay,
                        bool nesterov, bool maximize, bool is_first_step) {
  // Detached: the update is not recorded.
  Tensor parameter = param.detach();
  Tensor step = maximize ? grad.detach().neg() : grad.detach();
  if (weight_decay != 0.0) step = step.add(parameter, weight_decay);
  if (momentum != 0.0) {
    Tensor buffer = momentum_buffer.detach();
    if (is_first_step) {
      buffer.copy_(step);
    } else {
      buffer.mul_(momentum).add_(step, 1.0 - dampening);
    }
    step = nesterov ? step.add(buffer, momentum) : buffer;
  }
  parameter.add_(step, -lr);
}

}  // namespace detail

}  // namespace ember
