// Mixed precision's public state (torch.autocast; Note [autocast and GradScaler] in
// docs/architecture.md): the regions, their dtype and the weight-cast cache. The casting at the
// op entries is ember/ops/autocast.h, which only the op files include. C++17, as ember.h.
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

}  // namespace ember::autocast
