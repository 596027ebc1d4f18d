// The pooling ops of nn_pool.h. Each validates its arguments as PyTorch does, describes its
// windows per spatial dim (PoolWindows), views its input as (planes, D, H, W) and runs the Pool
// primitive; the batch dims come back by reshaping. float16/bfloat16 pool in float32.
#include "ember/ops/nn_pool.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_pool.h"

namespace ember {
namespace {

// What a fixed-window pool was asked for, each size argument expanded to one entry per dim.
struct WindowArgs {
  Shape kernel, stride, padding, dilation;
  bool ceil_mode = false;
  bool count_include_pad = true;
  int64_t divisor_override = 0;
};

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A size argument of one entry (or, where allowed, none: `fallback`) for every spatial dim.
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

// The input as (planes, *spatial): batched (N, C, *spatial) or unbatched (C, *spatial), with
// every dim but the batch non-empty.
void check_input(std::string_view op, const Tensor& self, int64_t dims) {
  EMBER_CHECK(self.defined(), "[", op, "] expects a defined input");
  EMBER_CHECK_TYPE(self.is_floating_point(), "[", op,
                   "] expected a floating point input; got input of dtype ", self.dtype());
  EMBER_CHECK(self.dim() == dims + 1 || self.dim() == dims + 2, "[", op, "] expected a ", dims + 1,
              "-d (unbatched) or ", dims + 2, "-d (batched) input; got input of shape ",
              self.shape());
  for (int64_t d = self.dim() - dims - 1; d < self.dim(); ++d) {
    if (d == 0 && self.dim() == dims + 2) continue;
    EMBER_CHECK(self.size(d) > 0, "[", op,
                "] expected an input with non-empty channel and spatial dims (only the batch may "
                "be empty); got input of shape ",
                self.shape());
  }
}

Shape spatial_shape(const Tensor& self, int64_t dims) {
  Shape shape;
  for (int64_t d = self.dim() - dims; d < self.dim(); ++d) shape.push_back(self.size(d));
  return shape;
}

// PyTorch's pooling_output_shape: in ceil mode the last window must start inside the input or
// its left padding.
int64_t pooled_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation,
                    bool ceil_mode) {
  const int64_t span = in + 2 * pad - dilation * (kernel - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  int64_t out = floor_div(span, stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

void check_window_args(std::string_view op, const Tensor& self, const WindowArgs& args,
                       const Shape& out) {
  const auto dims = static_cast<int64_t>(args.kernel.size());
  for (int64_t d = 0; d < dims; ++d) {
    EMBER_CHECK(args.kernel[d] > 0, "[", op,
                "] expected kernel_size greater than zero; got "
                "kernel_size=",
                args.kernel);
    EMBER_CHECK(args.stride[d] > 0, "[", op,
                "] expected stride greater than zero; got stride=", args.stride);
    EMBER_CHECK(args.dilation[d] > 0, "[", op,
                "] expected dilation greater than zero; got dilation=", args.dilation);
    EMBER_CHECK(args.padding[d] >= 0 && args.padding[d] <= args.kernel[d] / 2, "[", op,
                "] expected padding non-negative and at most half of kernel_size; got padding=",
                args.padding, " and kernel_size=", args.kernel);
  }
  bool positive = true;
  for (int64_t size : out) positive = positive && size > 0;
  EMBER_CHECK(positive, "[", op, "] given input of shape ", self.shape(),
              ", the calculated output size ", out, " is too small (kernel_size=", args.kernel,
              ", stride=", args.stride, ", padding=", args.padding, ", dilation=", args.dilation,
              ")");
}

// The windows of one axis of a fixed-window pool (PyTorch's clipping: a dilated window skips
// leading positions in the padding; the divisor counts the padding when count_include_pad).
PoolAxis fixed_axis(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad,
                    int64_t dilation, bool count_include_pad) {
  PoolAxis axis;
  axis.input_size = in;
  axis.dilation = dilation;
  axis.first.resize(out);
  axis.count.resize(out);
  axis.extent.resize(out);
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = o * stride - pad;
    const int64_t end = std::min(start + (kernel - 1) * dilation + 1, in);
    const int64_t first = start < 0 ? start + ceil_div(-start, dilation) * dilation : start;
    const int64_t count = end > first ? ceil_div(end - first, dilation) : 0;
    axis.first[o] = count > 0 ? first : std::max<int64_t>(std::min(first, in - 1), 0);
    axis.count[o] = count;
    const int64_t padded_end = std::min(start + kernel, in + pad);
    axis.extent[o] = count_include_pad ? padded_end - start : count;
  }
  return axis;
}

PoolAxis adaptive_axis(int64_t in, int64_t out) {
  PoolAxis axis;
  axis.input_size = in;
  axis.first.resize(out);
  axis.count.resize(out);
  axis.extent.resize(out);
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = (o * in) / out;
    const int64_t end = ceil_div((o + 1) * in, out);
    axis.first[o] = start;
    axis.count[o] = end - start;
    axis.extent[o] = end - start;
  }
  return axis;
}

// Runs Pool over self's planes: (values, indices for Max) with self's batch dims and
// `out_spatial`.
std::tuple<Tensor, Tensor> run_pool(const Tensor& self, PoolMode mode, int64_t dims,
                                    std::shared_ptr<const PoolWindows> windows,
                                    const Shape& out_spatial) {
  const ScalarType dtype = self.dtype();
  if (dtype == kFloat16 || dtype == kBFloat16) {
    auto [values, indices] =
        run_pool(self.to(kFloat32), mode, dims, std::move(windows), out_spatial);
    return {values.to(dtype), indices};
  }
  Shape batch;
  for (int64_t d = 0; d < self.dim() - dims; ++d) batch.push_back(self.size(d));
  int64_t planes = 1;
  for (int64_t size : batch) planes *= size;
  Shape in_planes{planes}, out_planes{planes};
  for (const PoolAxis& axis : windows->axes) {
    in_planes.push_back(axis.input_size);
    out_planes.push_back(axis.output_size());
  }
  const Tensor x = self.reshape(in_planes).contiguous();
  const TensorOptions options = TensorOptions(dtype).device(self.device());
  Tensor values = empty(out_planes, options);
  Tensor indices = mode == PoolMode::Max
                       ? empty(out_planes, TensorOptions(kInt64).device(self.device()))
                       : Tensor();
  const Pool pool(mode, std::move(windows));
  if (mode == PoolMode::Max) {
    run_unless_empty(pool, {x}, {values, indices});
  } else {
    run_unless_empty(pool, {x}, {values});
  }
  Shape out_shape = batch;
  for (int64_t size : out_spatial) out_shape.push_back(size);
  return {values.reshape(out_shape), indices.defined() ? indices.reshape(out_shape) : indices};
}

// Pads a table of `dims` axes to three with leading size-1 axes.
std::shared_ptr<PoolWindows> windows_of(std::vector<PoolAxis> axes, int64_t divisor_override) {
  auto windows = std::make_shared<PoolWindows>();
  const auto lead = static_cast<int64_t>(3 - axes.size());
  for (size_t d = 0; d < axes.size(); ++d) windows->axes[lead + d] = std::move(axes[d]);
  windows->divisor_override = divisor_override;
  return windows;
}

std::tuple<Tensor, Tensor> fixed_pool(std::string_view op, const Tensor& self, PoolMode mode,
                                      int64_t dims, IntArrayRef kernel_size, IntArrayRef stride,
                                      IntArrayRef padding, IntArrayRef dilation, bool ceil_mode,
                                      bool count_include_pad,
                                      std::optional<int64_t> divisor_override) {
  check_input(op, self, dims);
  WindowArgs args;
  args.kernel = expand(op, "kernel_size", kernel_size, dims);
  args.stride = expand(op, "stride", stride, dims, args.kernel);
  args.padding = expand(op, "padding", padding, dims);
  args.dilation = expand(op, "dilation", dilation, dims);
  EMBER_CHECK(!divisor_override || *divisor_override != 0, "[", op,
              "] expected a non-zero divisor_override; got 0");
  const Shape in = spatial_shape(self, dims);
  Shape out;
  for (int64_t d = 0; d < dims; ++d) {
    const bool valid = args.kernel[d] > 0 && args.stride[d] > 0 && args.dilation[d] > 0;
    out.push_back(valid ? pooled_size(in[d], args.kernel[d], args.stride[d], args.padding[d],
                                      args.dilation[d], ceil_mode)
                        : 0);
  }
  check_window_args(op, self, args, out);
  std::vector<PoolAxis> axes;
  for (int64_t d = 0; d < dims; ++d) {
    axes.push_back(fixed_axis(in[d], out[d], args.kernel[d], args.stride[d], args.padding[d],
                              args.dilation[d], count_include_pad));
  }
  return run_pool(self, mode, dims, windows_of(std::move(axes), divisor_override.value_or(0)), out);
}

std::tuple<Tensor, Tensor> adaptive_pool(std::string_view op, const Tensor& self, PoolMode mode,
                                         int64_t dims, IntArrayRef output_size) {
  check_input(op, self, dims);
  const Shape out = expand(op, "output_size", output_size, dims);
  for (int64_t size : out) {
    EMBER_CHECK(size >= 0, "[", op,
                "] expected a non-negative output_size; got output_size=", output_size);
  }
  const Shape in = spatial_shape(self, dims);
  std::vector<PoolAxis> axes;
  for (int64_t d = 0; d < dims; ++d) axes.push_back(adaptive_axis(in[d], out[d]));
  return run_pool(self, mode, dims, windows_of(std::move(axes), 0), out);
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride, IntArrayRef padding,
                                                   IntArrayRef dilation, bool ceil_mode) {
  return fixed_pool("max_pool1d", self, PoolMode::Max, 1, kernel_size, stride, padding, dilation,
                    ceil_mode, true, std::nullopt);
}

std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride, IntArrayRef padding,
                                                   IntArrayRef dilation, bool ceil_mode) {
  return fixed_pool("max_pool2d", self, PoolMode::Max, 2, kernel_size, stride, padding, dilation,
                    ceil_mode, true, std::nullopt);
}

std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride, IntArrayRef padding,
                                                   IntArrayRef dilation, bool ceil_mode) {
  return fixed_pool("max_pool3d", self, PoolMode::Max, 3, kernel_size, stride, padding, dilation,
                    ceil_mode, true, std::nullopt);
}

Tensor max_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(
      max_pool1d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor max_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(
      max_pool2d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor max_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(
      max_pool3d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor avg_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad) {
  return std::get<0>(fixed_pool("avg_pool1d", self, PoolMode::Avg, 1, kernel_size, stride, padding,
                                1, ceil_mode, count_include_pad, std::nullopt));
}

Tensor avg_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
  return std::get<0>(fixed_pool("avg_pool2d", self, PoolMode::Avg, 2, kernel_size, stride, padding,
                                1, ceil_mode, count_include_pad, divisor_override));
}

Tensor avg_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
  return std::get<0>(fixed_pool("avg_pool3d", self, PoolMode::Avg, 3, kernel_size, stride, padding,
                                1, ceil_mode, count_include_pad, divisor_override));
}

Tensor adaptive_avg_pool1d(const Tensor& self, IntArrayRef output_size) {
  return std::get<0>(adaptive_pool("adaptive_avg_pool1d", self, PoolMode::Avg, 1, output_size));
}

Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size) {
  return std::get<0>(adaptive_pool("adaptive_avg_pool2d", self, PoolMode::Avg, 2, output_size));
}

Tensor adaptive_avg_pool3d(const Tensor& self, IntArrayRef output_size) {
  return std::get<0>(adaptive_pool("adaptive_avg_pool3d", self, PoolMode::Avg, 3, output_size));
}

std::tuple<Tensor, Tensor> adaptive_max_pool1d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_pool("adaptive_max_pool1d", self, PoolMode::Max, 1, output_size);
}

std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_pool("adaptive_max_pool2d", self, PoolMode::Max, 2, output_size);
}

std::tuple<Tensor, Tensor> adaptive_max_pool3d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_pool("adaptive_max_pool3d", self, PoolMode::Max, 3, output_size);
}

Shape adaptive_output_size(std::string_view op, const Tensor& self, int64_t spatial_dims,
                           const std::vector<std::optional<int64_t>>& output_size) {
  const auto size = static_cast<int64_t>(output_size.size());
  EMBER_CHECK(size == 1 || size == spatial_dims, "[", op,
              "] expected output_size to be a single int or ", spatial_dims, " ints; got ", size,
              " entries");
  EMBER_CHECK(self.dim() >= spatial_dims, "[", op, "] expected an input with at least ",
              spatial_dims, " dims; got input of shape ", self.shape());
  Shape result;
  for (int64_t d = 0; d < spatial_dims; ++d) {
    const std::optional<int64_t>& entry = output_size[size == 1 ? 0 : d];
    result.push_back(entry ? *entry : self.size(self.dim() - spatial_dims + d));
  }
  return result;
}

}  // namespace ember
