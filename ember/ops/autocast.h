// The casting at the entries of autocast's listed ops (Note [autocast and GradScaler] in
// docs/architecture.md): inside an autocast region, the ops of three lists cast their floating
// inputs at entry: to the region's lower-precision dtype (matmul, linear, conv, ...), to float32
// (the losses; on CUDA also softmax, norms, exp/log, ...) or to the widest input type (cat,
// stack, index_copy, ...). Integer, bool and float64 inputs stay as they are. Outside autocast an
// op pays one thread-local read (active()). The public state is ember/ops/autocast_state.h.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/ops/autocast_state.h"
#include "ember/ops/primitive.h"
#include "ember/tensor/tensor.h"

namespace ember::autocast {

namespace detail {
// True while some device's autocast is on and no autocast op is running (Suspend).
extern constinit thread_local bool active_flag;
}  // namespace detail

// The one read an op makes when autocast is off.
inline bool active() { return detail::active_flag; }

// The three casting policies of PyTorch's autocast op lists.
enum class Policy : uint8_t {
  LowerPrecision,  // floating inputs to the region's dtype
  Float32,         // floating inputs to float32
  Promote,         // floating inputs to the widest of them
};
// Which device types a list applies to: PyTorch's CPU and CUDA lists differ.
enum class Devices : uint8_t { CpuAndCuda, CudaOnly };

// Casts `inputs` (undefined ones stay undefined) by `policy` when autocast is on for their device.
std::vector<Tensor> cast_inputs(Policy policy, Devices devices, TensorSpan inputs);

// Runs an op without autocast: the ops it calls inside do not cast again (PyTorch excludes its
// autocast key inside an autocast op in the same way).
class Suspend {
 public:
  Suspend() : previous_(detail::active_flag) { detail::active_flag = false; }
  ~Suspend() { detail::active_flag = previous_; }
  Suspend(const Suspend&) = delete;
  Suspend& operator=(const Suspend&) = delete;

 private:
  bool previous_;
};

// Casts the inputs by `policy`, then runs `op` on them with autocast suspended.
template <typename Op>
auto call(Policy policy, Devices devices, std::initializer_list<Tensor> inputs, const Op& op) {
  const std::vector<Tensor> cast =
      cast_inputs(policy, devices, TensorSpan(inputs.begin(), inputs.size()));
  Suspend suspend;
  return op(cast);
}

// The same for ops taking a list of tensors (cat, stack).
template <typename Op>
auto call_list(Policy policy, Devices devices, TensorSpan inputs, const Op& op) {
  const std::vector<Tensor> cast = cast_inputs(policy, devices, inputs);
  Suspend suspend;
  return op(cast);
}

// One helper per op list, for the op entries: `if (autocast::active()) return
// autocast::lower_precision({a, b}, [](const auto& in) { return mm(in[0], in[1]); });`
template <typename Op>
auto lower_precision(std::initializer_list<Tensor> inputs, const Op& op) {
  return call(Policy::LowerPrecision, Devices::CpuAndCuda, inputs, op);
}
template <typename Op>
auto float32(std::initializer_list<Tensor> inputs, const Op& op) {
  return call(Policy::Float32, Devices::CpuAndCuda, inputs, op);
}
template <typename Op>
auto float32_on_cuda(std::initializer_list<Tensor> inputs, const Op& op) {
  return call(Policy::Float32, Devices::CudaOnly, inputs, op);
}
template <typename Op>
auto promote(std::initializer_list<Tensor> inputs, const Op& op) {
  return call(Policy::Promote, Devices::CpuAndCuda, inputs, op);
}
template <typename Op>
auto promote_on_cuda(std::initializer_list<Tensor> inputs, const Op& op) {
  return call(Policy::Promote, Devices::CudaOnly, inputs, op);
}
template <typename Op>
auto float32_list(TensorSpan inputs, const Op& op) {
  return call_list(Policy::Float32, Devices::CpuAndCuda, inputs, op);
}
// Norms: float32 on CUDA (PyTorch's list). On CPU PyTorch's kernels take a 16-bit input with
// float32 weights and return the input's dtype; here such a call runs in float32 and casts back.
template <typename Op>
Tensor float32_on_cuda_else_mixed(std::initializer_list<Tensor> inputs, const Op& op) {
  const Tensor& input = *inputs.begin();
  const ScalarType dtype = input.dtype();
  if (input.device().is_cuda() || (dtype != kBFloat16 && dtype != kFloat16)) {
    return float32_on_cuda(inputs, op);
  }
  return float32(inputs, op).to(dtype);
}
template <typename Op>
auto promote_list(TensorSpan inputs, const Op& op) {
  return call_list(Policy::Promote, Devices::CpuAndCuda, inputs, op);
}

}  // namespace ember::autocast
