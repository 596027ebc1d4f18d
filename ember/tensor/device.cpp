#include "ember/tensor/device.h"

#include <charconv>
#include <ostream>

#include "ember/base/error.h"

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
bool is_available() { return false; }
int device_count() { return 0; }
}  // namespace cuda

void check_device_available(Device device, std::string_view op) {
  if (device.is_cuda() && !cuda::is_available()) {
    detail::raise<RuntimeError>("[", op,
                                "] this build of ember has no CUDA support (built without "
                                "EMBER_CUDA, or no CUDA device is present); use the cpu device");
  }
}

}  // namespace ember
