// Where a tensor's memory lives. Every tensor carries one from the start, so CUDA slots in
// without changing any signature.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace ember {

enum class DeviceType : uint8_t { CPU, CUDA };

struct Device {
  DeviceType type = DeviceType::CPU;
  int8_t index = -1;  // -1: the current device of that type

  Device() = default;
  Device(DeviceType device_type, int8_t device_index = -1)  // NOLINT: implicit like libtorch
      : type(device_type), index(device_index) {}
  // Parses "cpu", "cuda", "cuda:1"; throws ValueError on anything else.
  explicit Device(std::string_view spec);

  bool is_cpu() const { return type == DeviceType::CPU; }
  bool is_cuda() const { return type == DeviceType::CUDA; }
  std::string str() const;
  friend bool operator==(Device a, Device b) {
    return a.type == b.type && (a.index == b.index || a.type == DeviceType::CPU);
  }
  friend bool operator!=(Device a, Device b) { return !(a == b); }
};

inline constexpr DeviceType kCPU = DeviceType::CPU;
inline constexpr DeviceType kCUDA = DeviceType::CUDA;

std::ostream& operator<<(std::ostream& stream, Device device);

namespace cuda {
// False in a build without CUDA kernels; then every CUDA request raises a clear error.
bool is_available();
int device_count();
}  // namespace cuda

// Throws the error every CUDA request gets when this build or machine has no CUDA.
void check_device_available(Device device, std::string_view op);

}  // namespace ember
