// The order-preserving unsigned keys that sorting, selection and binary search compare (Note
// [scan order] in ops/primitives_scan.h): the CPU's scan kernels (backend/cpu/scan_rows.h) and
// the CUDA sort kernels (backend/cuda/sort_kernels.cuh) share them, so both order alike.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ember/base/half.h"
#include "ember/base/host_device.h"

namespace ember {

// The unsigned type a value's key has: as wide as the value (bool and bytes: 8 bits).
template <typename T>
using key_t =
    std::conditional_t<sizeof(T) == 1, uint8_t,
                       std::conditional_t<sizeof(T) == 2, uint16_t,
                                          std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

// key(a) < key(b) exactly when a sorts before b: signed integers with the sign bit flipped,
// floats by value with -0.0 as +0.0 and every NaN one key above +inf.
template <typename T>
EMBER_HOST_DEVICE inline key_t<T> sort_key(T value) {
  using K = key_t<T>;
  if constexpr (std::is_same_v<T, bool>) {
    return static_cast<K>(value);
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    return value;
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<K>(static_cast<K>(value) ^ (K{1} << (sizeof(K) * 8 - 1)));
  } else {
    constexpr K sign = K{1} << (sizeof(K) * 8 - 1);
    K bits;
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      bits = value.bits;
    } else {
      memcpy(&bits, &value, sizeof(K));  // ::memcpy: the device has it too
    }
    constexpr K infinity = static_cast<K>(std::is_same_v<T, Half>       ? 0x7c00ull
                                          : std::is_same_v<T, BFloat16> ? 0x7f80ull
                                          : std::is_same_v<T, float>    ? 0x7f800000ull
                                                                        : 0x7ff0000000000000ull);
    if ((bits & ~sign) > infinity) return static_cast<K>(~K{0});  // NaN
    if (bits == sign) bits = 0;                                   // -0.0
    return (bits & sign) ? static_cast<K>(~bits) : static_cast<K>(bits | sign);
  }
}

// Whether a key of T is a NaN's (every NaN has the key above +inf, which no number has).
template <typename T>
EMBER_HOST_DEVICE inline bool is_nan_key(key_t<T> key) {
  return !std::is_integral_v<T> && key == static_cast<key_t<T>>(~key_t<T>{0});
}

// The insertion point of `value` in `row` (`length` values sorted by sort_key): the first index
// whose value sorts after it (`right`) or not before it (left), searchsorted's answer.
template <typename T>
EMBER_HOST_DEVICE inline int64_t sorted_insertion_point(const T* row, int64_t length, T value,
                                                        bool right) {
  const auto key = sort_key(value);
  int64_t low = 0, high = length;
  while (low < high) {
    const int64_t mid = low + (high - low) / 2;
    const auto probe = sort_key(row[mid]);
    if (right ? probe <= key : probe < key) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

}  // namespace ember
