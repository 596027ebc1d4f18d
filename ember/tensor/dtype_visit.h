// Maps a runtime ScalarType to its C++ storage type. Device-neutral: the backends' loops and the
// ops that touch one element (item, scalar_tensor, printing) share it, so it sits in the tensor
// layer.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "ember/base/error.h"
#include "ember/base/half.h"
#include "ember/tensor/dtype.h"

namespace ember {

template <typename T>
struct TypeTag {
  using type = T;
};

// Calls visitor(TypeTag<T>{}) with T the storage type of `dtype`.
template <typename Visitor>
decltype(auto) visit_dtype(ScalarType dtype, Visitor&& visitor) {
  switch (dtype) {
    case ScalarType::Bool:
      return visitor(TypeTag<bool>{});
    case ScalarType::UInt8:
      return visitor(TypeTag<uint8_t>{});
    case ScalarType::Int8:
      return visitor(TypeTag<int8_t>{});
    case ScalarType::Int16:
      return visitor(TypeTag<int16_t>{});
    case ScalarType::Int32:
      return visitor(TypeTag<int32_t>{});
    case ScalarType::Int64:
      return visitor(TypeTag<int64_t>{});
    case ScalarType::Float16:
      return visitor(TypeTag<Half>{});
    case ScalarType::BFloat16:
      return visitor(TypeTag<BFloat16>{});
    case ScalarType::Float32:
      return visitor(TypeTag<float>{});
    case ScalarType::Float64:
      return visitor(TypeTag<double>{});
  }
  detail::raise<RuntimeError>("[dtype] unknown dtype");
}

// Converts between storage types through their opmath types; float -> int truncates like C.
// Host and device: the CUDA copy kernel casts with it too.
template <typename To, typename From>
EMBER_HOST_DEVICE inline To convert(From value) {
  if constexpr (std::is_same_v<To, From>) {
    return value;
  } else if constexpr (std::is_same_v<To, bool>) {
    return static_cast<opmath_t<From>>(value) != opmath_t<From>(0);
  } else if constexpr (std::is_same_v<To, Half> || std::is_same_v<To, BFloat16>) {
    return To(static_cast<float>(static_cast<opmath_t<From>>(value)));
  } else if constexpr (std::is_integral_v<To> && (std::is_floating_point_v<opmath_t<From>>)) {
    // Out-of-range float -> int is UB in C++; PyTorch's result there is unspecified too, so
    // saturate NaN to 0 and clamp to the target range instead of trapping.
    const double wide = static_cast<double>(static_cast<opmath_t<From>>(value));
    if (!(wide == wide)) return To(0);
    if (wide <= static_cast<double>(std::numeric_limits<To>::lowest()))
      return std::numeric_limits<To>::lowest();
    if (wide >= static_cast<double>(std::numeric_limits<To>::max()))
      return std::numeric_limits<To>::max();
    return static_cast<To>(wide);
  } else {
    return static_cast<To>(static_cast<opmath_t<From>>(value));
  }
}

}  // namespace ember
