// The fused SGD op and its composite reference (optim_sgd.h).
#include "ember/ops/optim_sgd.h"

#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"

namespace ember {

namespace {

struct SgdSettings {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, maximize, is_first_step;
};

// One chunk of one parameter; buffer is null without momentum.
template <typename T>
void sgd_loop(T* param, const T* grad, T* buffer, int64_t count, const SgdSettings& settings) {
  const T lr = static_cast<T>(settings.lr);
  const T momentum = static_cast<T>(settings.momentum);
  const T keep = static_cast<T>(1.0 - settings.dampening);
  const T weight_decay = static_cast<T>(settings.weight_decay);
  const T sign = settings.maximize ? T(-1) : T(1);
  const bool first = settings.is_first_step, nesterov = settings.nesterov;
  if (buffer == nullptr) {
    for (int64_t i = 0; i < count; ++i) param[i] -= lr * (sign * grad[i] + weight_decay * param[i]);
    return;
  }
  for (int64_t i = 0; i < count; ++i) {
    const T step = sign * grad[i] + weight_decay * param[i];
    const T average = first ? step : momentum * buffer[i] + keep * step;
    buffer[i] = average;
    param[i] -= lr * (nesterov ? step + momentum * average : average);
  }
}

template <typename T>
void sgd_chunk(const optim_detail::Chunk& chunk, const std::vector<Tensor>& params,
               const std::vector<Tensor>& grads, const std::vector<Tensor>& buffers,
               const SgdSettings& settings) {
  const size_t index = chunk.tensor;
  T* buffer = buffers.empty() ? nullptr : buffers[index].data_ptr<T>() + chunk.begin;
  sgd_loop<T>(params[index].data_ptr<T>() + chunk.begin, grads[index].data_ptr<T>() + chunk.begin,
              buffer, chunk.end - chunk.begin, settings);
}

}  // namespace

void _fused_sgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                 const std::vector<Tensor>& momentum_buffers, double lr, double momentum,
                 double dampening, double weight_decay, bool nesterov, bool maximize,
                 bool is_first_step) {
  constexpr std::string_view op = "_fused_sgd_";
  optim_detail::check_tensor_lists(op, params, {{"grads", &grads}});
  if (momentum != 0.0) {
    optim_detail::check_tensor_lists(op, params, {{"momentum_buffers", &momentum_buffers}});
  } else {
    EMBER_CHECK_VALUE(momentum_buffers.empty(), "[", op,
                      "] expected no momentum_buffers when momentum is 0; got ",
                      momentum_buffers.size());
  }
  EMBER_CHECK_VALUE(!nesterov || (momentum > 0.0 && dampening == 0.0), "[", op,
                    "] Nesterov momentum requires a momentum and zero dampening; got momentum ",
                    momentum, " and dampening ", dampening);
  const SgdSettings settings{lr,       momentum, dampening,    weight_decay,
                             nesterov, maximize, is_first_step};
  std::vector<size_t> raw_float, raw_double;
  for (size_t index = 0; index < params.size(); ++index) {
    if (optim_detail::takes_raw_loop(params, {&grads, &momentum_buffers}, index)) {
      (params[index].dtype() == kFloat ? raw_float : raw_double).push_back(index);
    } else {
      detail::sgd_step_composite(params[index], grads[index],
                                 momentum_buffers.empty() ? Tensor() : momentum_buffers[index], lr,
                                 momentum, dampening, weight_decay, nesterov, maximize,
                                 is_first_step);
    }
  }
  const auto run = [&](const std::vector<size_t>& indices, auto type_tag) {
    using T = decltype(type_tag);
    if (indices.empty()) return;
    optim_detail::for_each_chunk(optim_detail::chunks_of(params, indices),
                                 optim_detail::total_elements(params, indices), 1,
                                 [&](const optim_detail::Chunk& chunk) {
                                   sgd_chunk<T>(chunk, params, grads, momentum_buffers, settings);
                                 });
    for (const size_t index : indices)
      optim_detail::bump_versions({&params, &momentum_buffers}, index);
  };
  run(raw_float, float{});
  run(raw_double, double{});
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
