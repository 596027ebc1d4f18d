// Where a tensor's memory lives. Every tensor carries one from the start, so CUDA slots in
// without changing any signature.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace ember {

enum class DeviceType : uint8_t { CPU, CUDA };

// A device type and index, as libtorch's c10::Device (accessors, not fields).
class Device {
 public:
  Device() = default;
  Device(DeviceType device_type, int8_t device_index = -1)  // NOLINT: implicit like libtorch
      : type_(device_type), index_(device_index) {}
  // Parses "cpu", "cuda", "cuda:1"; throws ValueError on anything else. Implicit, as libtorch's.
  Device(std::string_view spec);  // NOLINT

  DeviceType type() const { return type_; }
  // -1: the current device of that type.
  int8_t index() const { return index_; }
  bool has_index() const { return index_ >= 0; }
  void set_index(int8_t index) { index_ = index; }
  bool is_cpu() const { return type_ == DeviceType::CPU; }
  bool is_cuda() const { return type_ == DeviceType::CUDA; }
  std::string str() const;
  friend bool operator==(Device a, Device b) {
    return a.type_ == b.type_ && (a.index_ == b.index_ || a.type_ == DeviceType::CPU);
  }
  friend bool operator!=(Device a, Device b) { return !(a == b); }

 private:
  DeviceType type_ = DeviceType::CPU;
  int8_t index_ = -1;
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
