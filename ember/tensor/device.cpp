#include "ember/tensor/device.h"

#include <atomic>
#include <charconv>
#include <ostream>

#include "ember/base/error.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember {

Device::Device(std::string_view spec) {
  const auto colon = spec.find(':');
  const std::string_view kind = spec.substr(0, colon);
  if (kind == "cpu") {
    type_ = DeviceType::CPU;
  } else if (kind == "cuda") {
    type_ = DeviceType::CUDA;
  } else {
    detail::raise<RuntimeError>("[device] expected a device type 'cpu' or 'cuda'; got '", spec,
                                "'");
  }
  if (colon != std::string_view::npos) {
    const std::string_view number = spec.substr(colon + 1);
    int parsed = -1;
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), parsed);
    EMBER_CHECK(
        error == std::errc() && end == number.data() + number.size() && parsed >= 0 && parsed < 128,
        "[device] invalid device index in '", spec, "'");
    index_ = static_cast<int8_t>(parsed);
  }
}

std::string Device::str() const {
  std::string text = type_ == DeviceType::CPU ? "cpu" : "cuda";
  if (index_ >= 0) {
    text += ':';
    text += std::to_string(index_);
  }
  return text;
}

std::ostream& operator<<(std::ostream& stream, Device device) { return stream << device.str(); }

namespace cuda {
namespace {
std::atomic<Hooks*> installed_hooks{nullptr};
}  // namespace

void set_hooks(Hooks* hooks) { installed_hooks.store(hooks, std::memory_order_release); }
Hooks* hooks() { return installed_hooks.load(std::memory_order_acquire); }
bool is_available() {
  Hooks* backend = hooks();
  return backend != nullptr && backend->is_available();
}
int device_count() {
  Hooks* backend = hooks();
  return backend != nullptr ? backend->device_count() : 0;
}
}  // namespace cuda

void check_device_available(Device device, std::string_view op) {
  if (device.is_cuda() && !cuda::is_available()) {
    detail::raise<RuntimeError>(
        "[", op, "] ",
        cuda::hooks() == nullptr
            ? "this build of ember has no CUDA support (built without EMBER_CUDA)"
            : "no CUDA device is available (no GPU, or no NVIDIA driver, on this machine)",
        "; use the cpu device");
  }
}

}  // namespace ember
