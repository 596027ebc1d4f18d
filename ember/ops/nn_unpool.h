// nn.functional's max unpooling (the partial inverse of max pooling) with libtorch's signatures:
// at::max_unpool2d / at::max_unpool3d place each value at its pool's flat index within its
// (sample, channel) plane of a zero output; F.max_unpool{1,2,3}d first work out the output size
// from the pool's kernel_size, stride and padding (PyTorch's _unpool_output_size). A composite of
// scatter, so its gradient is the gather at the same indices and it differentiates to any order.
#pragma once

#include <optional>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// self (N, C, H, W) or (C, H, W), floating point; indices (int64, self's shape, each in
// [0, H_out * W_out)) -> (N, C, *output_size). A duplicate index keeps the last value.
Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size);
// The same over (N, C, D, H, W) or (C, D, H, W); stride and padding (3 entries each) are only
// checked, as at::max_unpool3d does.
Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size,
                    IntArrayRef stride, IntArrayRef padding);

// F.max_unpool1d / 2d / 3d: stride empty means kernel_size; each size argument one entry or one
// per spatial dim. output_size (spatial dims, or with the leading (N, C) too) must lie strictly
// within stride of the default size (in - 1) * stride - 2 * padding + kernel_size, else
// ValueError as PyTorch.
Tensor max_unpool1d_functional(const Tensor& self, const Tensor& indices, IntArrayRef kernel_size,
                               IntArrayRef stride = {}, IntArrayRef padding = 0,
                               const std::optional<std::vector<int64_t>>& output_size = {});
Tensor max_unpool2d_functional(const Tensor& self, const Tensor& indices, IntArrayRef kernel_size,
                               IntArrayRef stride = {}, IntArrayRef padding = 0,
                               const std::optional<std::vector<int64_t>>& output_size = {});
Tensor max_unpool3d_functional(const Tensor& self, const Tensor& indices, IntArrayRef kernel_size,
                               IntArrayRef stride = {}, IntArrayRef padding = 0,
                               const std::optional<std::vector<int64_t>>& output_size = {});

}  // namespace ember
