// Mixed precision (torch.autocast; Note [autocast and GradScaler] in docs/architecture.md).
// Thread-local state per device type: inside an autocast region, the ops of three lists cast
// their floating inputs at entry: to the region's lower-precision dtype (matmul, linear, conv,
// ...), to float32 (the losses; on CUDA also softmax, norms, exp/log, ...) or to the widest input
// type (cat, stack, index_copy, ...). Integer, bool and float64 inputs stay as they are. The
// casting lives in the op functions, so C++ and Python agree; outside autocast an op pays one
// thread-local read (active()).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ember/ops/primitive.h"
#include "ember/tensor/tensor.h"

namespace ember::autocast {

bool is_autocast_enabled(DeviceType device_type);
void set_autocast_enabled(DeviceType device_type, bool enabled);
// The lower-precision dtype of a region (default: bfloat16 on CPU, float16 on CUDA).
ScalarType get_autocast_dtype(DeviceType device_type);
void set_autocast_dtype(DeviceType device_type, ScalarType dtype);
// Whether lower-precision casts of float32 leaf tensors that require grad (weights) are reused
// within the outermost region. One setting per thread, as in PyTorch.
bool is_autocast_cache_enabled();
void set_autocast_cache_enabled(bool enabled);
// The depth of nested regions; leaving the outermost one clears the weight-cast cache.
int64_t increment_nesting();
int64_t decrement_nesting();
void clear_cache();
// The number of cached weight casts (for tests).
int64_t cache_size();

// Whether a tensor is an autograd leaf, installed by the autograd layer (above this one) so that
// the cache keeps weights only. Until then every tensor counts as a leaf (none has history).
using LeafQuery = bool (*)(const Tensor&);
void set_leaf_query(LeafQuery query);

// A device type by name: "cpu" or "cuda"; anything else is a typed error.
DeviceType parse_device_type(std::string_view name);

// What entering a region replaced, for leaving it (AutocastGuard; Python's ember.autocast).
struct SavedState {
  DeviceType device_type = DeviceType::CPU;
  bool enabled = false;
  ScalarType dtype = kBFloat16;
  bool cache_enabled = true;
};
// Enters a region: checks the dtype (float16 or bfloat16), sets the device's state and counts
// the nesting. exit() undoes it and clears the cache when the outermost region ends.
SavedState enter(DeviceType device_type, bool enabled, std::optional<ScalarType> dtype,
                 std::optional<bool> cache_enabled);
void exit(const SavedState& saved);

// libtorch-style RAII region: AutocastGuard guard(DeviceType::CPU, true, kBFloat16);
class AutocastGuard {
 public:
  explicit AutocastGuard(DeviceType device_type, bool enabled = true,
                         std::optional<ScalarType> dtype = std::nullopt,
                         std::optional<bool> cache_enabled = std::nullopt);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  SavedState saved_;
};

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
