// Autocast state, regions and the casting policies (autocast.h; Note [autocast and GradScaler]).
#include "ember/ops/autocast.h"

#include <unordered_map>
#include <utility>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::autocast {

namespace detail {
constinit thread_local bool active_flag = false;
}  // namespace detail

namespace {

struct DeviceState {
  bool enabled = false;
  ScalarType dtype;
};

// One state per device type and thread, as PyTorch's thread-local dispatch keys.
struct ThreadState {
  DeviceState cpu{false, kBFloat16};
  DeviceState cuda{false, kFloat16};
  bool cache_enabled = true;
  int64_t nesting = 0;
  // A weight's cast by its TensorImpl; the entry keeps the weight alive, so the key is not reused
  // while it is cached.
  std::unordered_map<const TensorImpl*, std::pair<Tensor, Tensor>> cache;
};

constinit LeafQuery leaf_query = nullptr;

ThreadState& state() {
  thread_local ThreadState instance;
  return instance;
}

DeviceState& device_state(DeviceType device_type) {
  return device_type == DeviceType::CUDA ? state().cuda : state().cpu;
}

void refresh_active() { detail::active_flag = state().cpu.enabled || state().cuda.enabled; }

void check_dtype(DeviceType device_type, ScalarType dtype) {
  EMBER_CHECK_VALUE(dtype == kBFloat16 || dtype == kFloat16, "[autocast] ",
                    device_type == DeviceType::CUDA ? "cuda" : "cpu",
                    " autocast supports the dtypes bfloat16 and float16; got ", dtype);
}

bool eligible(const Tensor& t) {
  return t.defined() && t.is_floating_point() && t.dtype() != kFloat64;
}

// A lower-precision cast, reused for float32 leaves that require grad (weights) while the cache
// is on: each weight is cast once per outermost region.
Tensor cast_to_lower(const Tensor& t, ScalarType dtype) {
  ThreadState& s = state();
  const bool cacheable = s.cache_enabled && t.dtype() == kFloat32 && t.requires_grad() &&
                         (!leaf_query || leaf_query(t));
  if (!cacheable) return t.to(dtype);
  auto found = s.cache.find(t.impl());
  if (found != s.cache.end() && found->second.second.dtype() == dtype) return found->second.second;
  Tensor cast = t.to(dtype);
  s.cache[t.impl()] = {t, cast};
  return cast;
}

// The widest floating type of the eligible inputs (float32 wins over 16-bit types; two
// different 16-bit types meet at float32).
ScalarType widest(TensorSpan inputs, ScalarType lower) {
  std::optional<ScalarType> result;
  for (const Tensor& t : inputs) {
    if (!eligible(t)) continue;
    result = result ? promote_types(*result, t.dtype()) : t.dtype();
  }
  return result.value_or(lower);
}

}  // namespace

bool is_autocast_enabled(DeviceType device_type) { return device_state(device_type).enabled; }

void set_autocast_enabled(DeviceType device_type, bool enabled) {
  device_state(device_type).enabled = enabled;
  refresh_active();
}

ScalarType get_autocast_dtype(DeviceType device_type) { return device_state(device_type).dtype; }

void set_autocast_dtype(DeviceType device_type, ScalarType dtype) {
  check_dtype(device_type, dtype);
  device_state(device_type).dtype = dtype;
}

bool is_autocast_cache_enabled() { return state().cache_enabled; }
void set_autocast_cache_enabled(bool enabled) { state().cache_enabled = enabled; }

int64_t increment_nesting() { return ++state().nesting; }

int64_t decrement_nesting() {
  EMBER_CHECK(state().nesting > 0, "[autocast] decrement_nesting without a matching increment");
  return --state().nesting;
}

void set_leaf_query(LeafQuery query) { leaf_query = query; }

void clear_cache() { state().cache.clear(); }
int64_t cache_size() { return static_cast<int64_t>(state().cache.size()); }

DeviceType parse_device_type(std::string_view name) {
  if (name == "cpu") return DeviceType::CPU;
  if (name == "cuda") return DeviceType::CUDA;
  throw ValueError("[autocast] expected device_type 'cpu' or 'cuda'; got '" + std::string(name) +
                   "'");
}

SavedState enter(DeviceType device_type, bool enabled, std::optional<ScalarType> dtype,
                 std::optional<bool> cache_enabled) {
  DeviceState& device = device_state(device_type);
  if (dtype) check_dtype(device_type, *dtype);
  const SavedState saved{device_type, device.enabled, device.dtype, state().cache_enabled};
  device.enabled = enabled;
  if (dtype) device.dtype = *dtype;
  if (cache_enabled) state().cache_enabled = *cache_enabled;
  increment_nesting();
  refresh_active();
  return saved;
}

void exit(const SavedState& saved) {
  if (decrement_nesting() == 0) clear_cache();
  DeviceState& device = device_state(saved.device_type);
  device.enabled = saved.enabled;
  device.dtype = saved.dtype;
  state().cache_enabled = saved.cache_enabled;
  refresh_active();
}

AutocastGuard::AutocastGuard(DeviceType device_type, bool enabled, std::optional<ScalarType> dtype,
                             std::optional<bool> cache_enabled)
    : saved_(enter(device_type, enabled, dtype, cache_enabled)) {}

AutocastGuard::~AutocastGuard() { exit(saved_); }

std::vector<Tensor> cast_inputs(Policy policy, Devices devices, TensorSpan inputs) {
  std::vector<Tensor> result(inputs.begin(), inputs.end());
  const Tensor* first = nullptr;
  for (const Tensor& t : inputs) {
    if (t.defined()) {
      first = &t;
      break;
    }
  }
  if (first == nullptr) return result;
  const DeviceType device_type = first->device().type();
  const DeviceState& device = device_state(device_type);
  if (!device.enabled) return result;
  if (devices == Devices::CudaOnly && device_type != DeviceType::CUDA) return result;
  const ScalarType target = policy == Policy::LowerPrecision ? device.dtype
                            : policy == Policy::Float32      ? kFloat32
                                                             : widest(inputs, device.dtype);
  for (Tensor& t : result) {
    // Tensors on another device are left for the op's own device check (B5).
    if (!eligible(t) || t.dtype() == target || t.device().type() != device_type) continue;
    t = policy == Policy::LowerPrecision ? cast_to_lower(t, target) : t.to(target);
  }
  return result;
}

}  // namespace ember::autocast
