// Tensor and dtype utilities: finfo/iinfo, result_type with numbers, clone(memory_format) and
// resize_ (which out= uses, ops/out.cpp).
#include "ember/ops/util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/primitives.h"

namespace ember {

FInfo finfo(ScalarType dtype) {
  EMBER_CHECK_TYPE(is_floating_point(dtype),
                   "[finfo] finfo() requires a floating point input type; got ", dtype);
  // (bits, mantissa bits, eps, max, tiny): PyTorch's values.
  struct Limits {
    int bits, mantissa;
    double eps, max, tiny;
  };
  Limits limits{};
  switch (dtype) {
    case kFloat16:
      limits = {16, 11, 0x1p-10, 65504.0, 0x1p-14};
      break;
    case kBFloat16:
      limits = {16, 8, 0x1p-7, 0x1.fep127, 0x1p-126};
      break;
    case kFloat32:
      limits = {32, 24, std::numeric_limits<float>::epsilon(), std::numeric_limits<float>::max(),
                std::numeric_limits<float>::min()};
      break;
    default:
      limits = {64, 53, std::numeric_limits<double>::epsilon(), std::numeric_limits<double>::max(),
                std::numeric_limits<double>::min()};
      break;
  }
  const double digits = std::floor((limits.mantissa - 1) * std::log10(2.0));
  return FInfo{limits.bits,
               limits.eps,
               limits.max,
               -limits.max,
               limits.tiny,
               limits.tiny,
               std::pow(10.0, -digits),
               dtype};
}

IInfo iinfo(ScalarType dtype) {
  EMBER_CHECK_TYPE(is_integral(dtype, /*include_bool=*/false),
                   "[iinfo] iinfo() requires an integer input type; got ", dtype);
  const int bits = static_cast<int>(itemsize(dtype)) * 8;
  if (!is_signed(dtype)) return IInfo{bits, (int64_t{1} << bits) - 1, 0, dtype};
  const int64_t max =
      bits == 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (bits - 1)) - 1;
  return IInfo{bits, max, -max - 1, dtype};
}

ScalarType result_type(const Tensor& tensor, const Scalar& other) {
  return result_type(tensor, scalar_tensor(other, std::nullopt, /*wrapped=*/true));
}
ScalarType result_type(const Scalar& scalar, const Tensor& tensor) {
  return result_type(scalar_tensor(scalar, std::nullopt, /*wrapped=*/true), tensor);
}
ScalarType result_type(const Scalar& a, const Scalar& b) {
  return result_type(scalar_tensor(a, std::nullopt, /*wrapped=*/true),
                     scalar_tensor(b, std::nullopt, /*wrapped=*/true));
}

namespace {

// Dense strides laying the dims out in `order` (outermost first).
Strides strides_in_order(const Shape& shape, const std::vector<int64_t>& order) {
  Strides strides(shape.size(), 0);
  int64_t step = 1;
  for (auto d = order.rbegin(); d != order.rend(); ++d) {
    strides[static_cast<size_t>(*d)] = step;
    step *= std::max<int64_t>(shape[static_cast<size_t>(*d)], 1);
  }
  return strides;
}

// PyTorch's memory-format rules for the result of clone.
Strides clone_strides(const Tensor& self, MemoryFormat format) {
  std::vector<int64_t> order(static_cast<size_t>(self.dim()));
  std::iota(order.begin(), order.end(), 0);
  switch (format) {
    case MemoryFormat::Contiguous:
      return contiguous_strides(self.shape());
    case MemoryFormat::ChannelsLast:
    case MemoryFormat::ChannelsLast3d: {
      const int64_t rank = format == MemoryFormat::ChannelsLast ? 4 : 5;
      EMBER_CHECK(self.dim() == rank, "[clone] required rank ", rank,
                  " tensor to use channels_last", rank == 5 ? "_3d" : "", " format; got ",
                  self.dim(), " dims");
      std::rotate(order.begin() + 1, order.begin() + 2, order.end());  // N, spatial..., C
      return strides_in_order(self.shape(), order);
    }
    case MemoryFormat::Preserve:
      break;
  }
  if (is_non_overlapping_and_dense(self)) return self.strides();
  // Dense strides in the order of the input's (larger strides outer), as PyTorch's empty_like.
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return self.strides()[static_cast<size_t>(a)] > self.strides()[static_cast<size_t>(b)];
  });
  return strides_in_order(self.shape(), order);
}

}  // namespace

Tensor clone(const Tensor& self, MemoryFormat memory_format) {
  if (memory_format == MemoryFormat::Contiguous) return clone(self);
  Strides strides = clone_strides(self, memory_format);
  auto storage = Storage::allocate(self.nbytes(), self.device());
  Tensor result(IntrusivePtr<TensorImpl>::make(std::move(storage), 0, self.shape(),
                                               std::move(strides), self.dtype()));
  run_unless_empty(Copy("clone"), {self}, {result});
  return result;
}

Tensor Tensor::clone(MemoryFormat memory_format) const {
  return ember::clone(*this, memory_format);
}

Tensor& Tensor::resize_(IntArrayRef size) {
  EMBER_CHECK(!requires_grad(), "[resize_] cannot resize variables that require grad");
  Shape shape = size.to_shape();
  const int64_t numel = checked_numel(shape, "resize_");
  const auto item = static_cast<int64_t>(element_size());
  int64_t needed = 0;
  EMBER_CHECK(!__builtin_add_overflow(numel, storage_offset(), &needed) &&
                  !__builtin_mul_overflow(needed, item, &needed),
              "[resize_] Storage size calculation overflowed with sizes=", shape);
  if (static_cast<size_t>(needed) > storage()->nbytes()) {
    // New memory keeps the old bytes, as libtorch's resize_; views of the old memory keep it.
    auto grown = Storage::allocate(static_cast<size_t>(needed), device());
    std::memcpy(grown->data(), storage()->data(), storage()->nbytes());
    impl()->set_storage(std::move(grown));
    impl()->set_view_base({});
  }
  Strides strides = contiguous_strides(shape);
  impl()->set_geometry(std::move(shape), std::move(strides), storage_offset());
  return *this;
}

}  // namespace ember
