// The fused SGD op and its composite reference (optim_sgd.h).
#include "ember/ops/optim_sgd.h"

#include <array>
#include <cstdint>
#include <string_view>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

struct SgdUpdate {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, maximize, is_first_step;

  // arrays: param, grad, momentum buffer (null without momentum).
  template <typename T>
  void apply(size_t, const std::array<T*, optim_detail::kMaxArrays>& arrays, int64_t begin,
             int64_t end) const {
    T* param = arrays[0];
    const T* grad = arrays[1];
    T* buffer = arrays[2];
    const T typed_lr = T(lr), typed_momentum = T(momentum), keep = T(1.0 - dampening);
    const T typed_weight_decay = T(weight_decay);
    const T sign = maximize ? T(-1) : T(1);
    if (buffer == nullptr) {
      for (int64_t i = begin; i < end; ++i) {
        param[i] -= typed_lr * (sign * grad[i] + typed_weight_decay * param[i]);
      }
      return;
    }
    for (int64_t i = begin; i < end; ++i) {
      const T step = sign * grad[i] + typed_weight_decay * param[i];
      const T average = is_first_step ? step : typed_momentum * buffer[i] + keep * step;
      buffer[i] = average;
      param[i] -= typed_lr * (nesterov ? step + typed_momentum * average : average);
    }
  }
};

}  // namespace

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
  optim_detail::for_each_chunk(
      arrays, SgdUpdate{lr, momentum, dampening, weight_decay, nesterov, maximize, is_first_step});
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
