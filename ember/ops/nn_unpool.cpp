// Max unpooling (nn_unpool.h): validation as PyTorch's, every index checked against its plane
// before anything is written, then one scatter of each plane's values into zeros.
#include "ember/ops/nn_unpool.h"

#include <string>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"

namespace ember {
namespace {

// "4x4": a plane's size as PyTorch's invalid-index message prints it.
std::string plane_str(IntArrayRef sizes) {
  std::string text;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (d > 0) text += "x";
    text += std::to_string(sizes[d]);
  }
  return text;
}

// self (N, C, *spatial) or (C, *spatial) with `dims` spatial dims scattered into planes of
// output_size at indices.
Tensor max_unpool(std::string_view op, const Tensor& self, const Tensor& indices, int64_t dims,
                  IntArrayRef output_size) {
  EMBER_CHECK(self.defined() && indices.defined(), "[", op, "] expects defined input and indices");
  EMBER_CHECK_TYPE(self.is_floating_point(), "[", op,
                   "] expected a floating point input; got input of dtype ", self.dtype());
  EMBER_CHECK_TYPE(indices.dtype() == kInt64, "[", op,
                   "] elements in indices should be type int64; got indices of dtype ",
                   indices.dtype());
  check_same_device(op, {&self, &indices});
  EMBER_CHECK(static_cast<int64_t>(output_size.size()) == dims, "[", op, "] expected exactly ",
              dims, " elements in output_size; got output_size=", output_size);
  EMBER_CHECK(self.dim() == dims + 1 || self.dim() == dims + 2, "[", op, "] expected a ", dims + 1,
              "-d (unbatched) or ", dims + 2, "-d (batched) input; got input of shape ",
              self.shape());
  EMBER_CHECK(self.shape() == indices.shape(), "[", op, "] expected indices of the input's shape ",
              self.shape(), "; got indices of shape ", indices.shape());
  for (int64_t d = self.dim() == dims + 2 ? 1 : 0; d < self.dim(); ++d) {
    EMBER_CHECK(self.size(d) > 0, "[", op,
                "] expected an input with non-empty channel and spatial dims (only the batch may "
                "be empty); got input of shape ",
                self.shape());
  }
  int64_t plane = 1;
  for (int64_t size : output_size) {
    EMBER_CHECK(size >= 0, "[", op,
                "] expected a non-negative output_size; got output_size=", output_size);
    plane *= size;
  }
  // Checked on the host: the indices of a CUDA tensor come over in one copy (a sync).
  const Tensor flat_indices = indices.cpu().contiguous();
  const int64_t* index = flat_indices.data_ptr<int64_t>();
  for (int64_t i = 0; i < flat_indices.numel(); ++i) {
    EMBER_CHECK(index[i] >= 0 && index[i] < plane, "[", op,
                "] found an invalid max index: ", index[i], " (output volumes are of size ",
                plane_str(output_size), "; input and indices of shape ", self.shape(), ")");
  }
  Shape out_shape;
  for (int64_t d = 0; d < self.dim() - dims; ++d) out_shape.push_back(self.size(d));
  int64_t planes = 1;
  for (int64_t size : out_shape) planes *= size;
  for (int64_t size : output_size) out_shape.push_back(size);
  const int64_t per_plane = planes == 0 ? 0 : self.numel() / planes;
  const Tensor target = zeros({planes, plane}, TensorOptions(self.dtype()).device(self.device()));
  return scatter(target, 1, flat_indices.reshape({planes, per_plane}),
                 self.reshape({planes, per_plane}))
      .reshape(out_shape);
}

// A size argument of one entry for every spatial dim (or, when empty, `fallback`).
Shape expand(std::string_view op, std::string_view name, IntArrayRef values, int64_t dims,
             const Shape& fallback = {}) {
  if (values.empty() && !fallback.empty()) return fallback;
  const auto size = static_cast<int64_t>(values.size());
  EMBER_CHECK(size == 1 || size == dims, "[", op, "] expected ", name, " to be a single int or ",
              dims, " ints; got ", name, "=", values);
  Shape result;
  for (int64_t d = 0; d < dims; ++d) result.push_back(values[size == 1 ? 0 : d]);
  return result;
}

// PyTorch's _unpool_output_size, plus a check that the stride is positive.
Shape unpool_output_size(std::string_view op, const Tensor& self, int64_t dims, const Shape& kernel,
                         const Shape& stride, const Shape& padding,
                         const std::optional<std::vector<int64_t>>& output_size) {
  EMBER_CHECK(self.defined() && self.dim() >= dims, "[", op, "] expected an input with at least ",
              dims, " dims; got input of shape ", self.defined() ? self.shape() : Shape{});
  Shape defaults;
  for (int64_t d = 0; d < dims; ++d) {
    EMBER_CHECK(stride[d] > 0, "[", op, "] expected stride greater than zero; got stride=", stride);
    defaults.push_back((self.size(self.dim() - dims + d) - 1) * stride[d] + kernel[d] -
                       2 * padding[d]);
  }
  if (!output_size) return defaults;
  std::vector<int64_t> requested = *output_size;
  if (static_cast<int64_t>(requested.size()) == dims + 2) {
    requested.erase(requested.begin(), requested.begin() + 2);
  }
  EMBER_CHECK_VALUE(static_cast<int64_t>(requested.size()) == dims, "[", op,
                    "] output_size should be a sequence containing ", dims, " or ", dims + 2,
                    " elements, but it has a length of '", output_size->size(), "'");
  for (int64_t d = 0; d < dims; ++d) {
    const int64_t low = defaults[d] - stride[d];
    const int64_t high = defaults[d] + stride[d];
    EMBER_CHECK_VALUE(low < requested[d] && requested[d] < high, "[", op,
                      "] invalid output_size \"", IntArrayRef(requested), "\" (dim ", d,
                      " must be between ", low, " and ", high, ") for input of shape ",
                      self.shape());
  }
  return Shape(requested.begin(), requested.end());
}

struct UnpoolArgs {
  Shape kernel, stride, padding, output;
};

UnpoolArgs unpool_args(std::string_view op, const Tensor& self, int64_t dims,
                       IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                       const std::optional<std::vector<int64_t>>& output_size) {
  UnpoolArgs args;
  args.kernel = expand(op, "kernel_size", kernel_size, dims);
  args.stride = expand(op, "stride", stride, dims, args.kernel);
  args.padding = expand(op, "padding", padding, dims);
  args.output =
      unpool_output_size(op, self, dims, args.kernel, args.stride, args.padding, output_size);
  return args;
}

}  // namespace

Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size) {
  return max_unpool("max_unpool2d", self, indices, 2, output_size);
}

Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size,
                    IntArrayRef stride, IntArrayRef padding) {
  constexpr std::string_view op = "max_unpool3d";
  EMBER_CHECK(stride.size() == 3 && padding.size() == 3, "[", op,
              "] expected 3 entries in stride and padding; got stride=", stride,
              " and padding=", padding);
  for (size_t d = 0; d < 3; ++d) {
    EMBER_CHECK(stride[d] > 0, "[", op, "] expected stride greater than zero; got stride=", stride);
  }
  return max_unpool(op, self, indices, 3, output_size);
}

Tensor max_unpool1d_functional(const Tensor& self, const Tensor& indices, IntArrayRef kernel_size,
                               IntArrayRef stride, IntArrayRef padding,
                               const std::optional<std::vector<int64_t>>& output_size) {
  constexpr std::string_view op = "max_unpool1d";
  const UnpoolArgs args = unpool_args(op, self, 1, kernel_size, stride, padding, output_size);
  return max_unpool(op, self, indices, 1, args.output);
}

Tensor max_unpool2d_functional(const Tensor& self, const Tensor& indices, IntArrayRef kernel_size,
                               IntArrayRef stride, IntArrayRef padding,
                               const std::optional<std::vector<int64_t>>& output_size) {
  constexpr std::string_view op = "max_unpool2d";
  const UnpoolArgs args = unpool_args(op, self, 2, kernel_size, stride, padding, output_size);
  return max_unpool(op, self, indices, 2, args.output);
}

Tensor max_unpool3d_functional(const Tensor& self, const Tensor& indices, IntArrayRef kernel_size,
                               IntArrayRef stride, IntArrayRef padding,
                               const std::optional<std::vector<int64_t>>& output_size) {
  constexpr std::string_view op = "max_unpool3d";
  const UnpoolArgs args = unpool_args(op, self, 3, kernel_size, stride, padding, output_size);
  return max_unpool(op, self, indices, 3, args.output);
}

}  // namespace ember
