// The bodies of the normalisation CUDA kernels (BatchNorm, BatchNormBackward, GroupNorm,
// GroupNormBackward), in the vocabulary of kernel_grid.h: norm.cu launches them on the GPU,
// kernel_emulation_norm_test.cpp runs them in the CPU emulator against eval_cpu.
//
// A block per channel (batch_norm) or per (sample, group) (group_norm): its threads stride over the
// item's elements, sum in double as the CPU does (backend/cpu/nn_norm_kernels.inc), fold the
// partial sums with block_reduce, and then write the item's outputs with the same formulas as the
// CPU in the input's dtype. The statistics take two passes (the mean, then the squares of the
// centered values), as the CPU's, so the results differ from it only by the order of the sums.
// x is contiguous (N, C, *) (the primitives' contract), so the only layout is NormLayout.
#pragma once

#include <cmath>
#include <cstdint>

#include "ember/backend/cuda/float_kernel_dispatch.h"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/norm_layout.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_norm.h"

namespace ember::cuda {

using NormSum = SumReduce<double>;

// block_reduce's sum handed to every thread of the block, through the first shared slot (free
// once block_reduce has returned). Every thread of the block must call it.
template <typename Ctx>
EMBER_INLINE double block_sum(Ctx& ctx, double value) {
  double* slot = ctx.template shared<double>();
  value = block_reduce<NormSum>(ctx, value);
  if (linear_thread_in_block(ctx) == 0) slot[0] = value;
  ctx.barrier();
  value = slot[0];
  ctx.barrier();  // every thread has read the slot before the next block_reduce writes it
  return value;
}

// A block per item (grid-stride over items), whole warps, no more than the item's elements need.
inline LaunchShape norm_launch_shape(int64_t items, int64_t per_item) {
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(items < kMaxReduceBlocks ? items : kMaxReduceBlocks);
  const int64_t max_warps = kReduceBlockThreads / kWarpSize;
  int64_t warps = (per_item + kWarpSize - 1) / kWarpSize;
  warps = warps < 1 ? 1 : (warps > max_warps ? max_warps : warps);
  shape.block.x = static_cast<uint32_t>(warps * kWarpSize);
  shape.shared_bytes = sizeof(double) * static_cast<size_t>(warps);
  return shape;
}

// Element i of channel c of x (N, C, S): sample i / S, position i % S.
template <typename Index>
EMBER_INLINE Index channel_offset(Index channels, Index spatial, Index c, Index i) {
  const Index n = i / spatial;
  return (n * channels + c) * spatial + (i - n * spatial);
}

template <typename T, typename Index>
struct BatchNormForward {
  const T* x;
  const T* weight;  // null where absent
  const T* bias;
  const T* running_mean;  // eval only
  const T* running_var;
  T* y;
  T* mean_out;
  T* invstd_out;
  T* var_out;  // training only: the unbiased batch variance
  Index channels, spatial, count;
  double eps;
  bool training;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Index thread = static_cast<Index>(linear_thread_in_block(ctx));
    const Index threads = static_cast<Index>(ctx.block_dim().x);
    for (int64_t channel = ctx.block_idx().x; channel < channels; channel += ctx.grid_dim().x) {
      const Index c = static_cast<Index>(channel);
      double mean = 0, invstd = 0;
      if (training) {
        double sum = 0;
        for (Index i = thread; i < count; i += threads) {
          sum += static_cast<double>(x[channel_offset(channels, spatial, c, i)]);
        }
        mean = block_sum(ctx, sum) / static_cast<double>(count);
        double squares = 0;
        for (Index i = thread; i < count; i += threads) {
          const double centered =
              static_cast<double>(x[channel_offset(channels, spatial, c, i)]) - mean;
          squares += centered * centered;
        }
        squares = block_sum(ctx, squares);
        invstd = 1.0 / ::sqrt(squares / static_cast<double>(count) + eps);
        if (thread == 0) var_out[c] = static_cast<T>(squares / (static_cast<double>(count) - 1));
      } else {
        mean = static_cast<double>(running_mean[c]);
        invstd = 1.0 / ::sqrt(static_cast<double>(running_var[c]) + eps);
      }
      if (thread == 0) {
        mean_out[c] = static_cast<T>(mean);
        invstd_out[c] = static_cast<T>(invstd);
      }
      const T scale =
          static_cast<T>(invstd * (weight != nullptr ? static_cast<double>(weight[c]) : 1.0));
      const T shift = bias != nullptr ? bias[c] : T(0);
      const T center = static_cast<T>(mean);
      for (Index i = thread; i < count; i += threads) {
        const Index at = channel_offset(channels, spatial, c, i);
        y[at] = (x[at] - center) * scale + shift;
      }
    }
  }
};

template <typename T, typename Index>
struct BatchNormBackwardBody {
  const T* dy;
  const T* x;
  const T* mean;
  const T* invstd;
  const T* weight;  // null where absent
  T* dx;
  T* dweight;
  T* dbias;
  Index channels, spatial, count;
  bool training, input_grad, weight_grad, bias_grad;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Index thread = static_cast<Index>(linear_thread_in_block(ctx));
    const Index threads = static_cast<Index>(ctx.block_dim().x);
    const bool needs_sums = (training && input_grad) || weight_grad || bias_grad;
    for (int64_t channel = ctx.block_idx().x; channel < channels; channel += ctx.grid_dim().x) {
      const Index c = static_cast<Index>(channel);
      const double channel_mean = static_cast<double>(mean[c]);
      const double channel_invstd = static_cast<double>(invstd[c]);
      double sum_dy = 0, sum_dy_centered = 0;
      if (needs_sums) {
        for (Index i = thread; i < count; i += threads) {
          const Index at = channel_offset(channels, spatial, c, i);
          const double d = static_cast<double>(dy[at]);
          sum_dy += d;
          sum_dy_centered += d * (static_cast<double>(x[at]) - channel_mean);
        }
        sum_dy = block_sum(ctx, sum_dy);
        sum_dy_centered = block_sum(ctx, sum_dy_centered);
      }
      if (thread == 0 && weight_grad) dweight[c] = static_cast<T>(sum_dy_centered * channel_invstd);
      if (thread == 0 && bias_grad) dbias[c] = static_cast<T>(sum_dy);
      if (!input_grad) continue;
      const T scale = static_cast<T>(channel_invstd *
                                     (weight != nullptr ? static_cast<double>(weight[c]) : 1.0));
      // Training: the batch statistics depend on x, so with x̂ = (x - mean) * invstd,
      // dx = invstd * w * (dy - mean(dy) - x̂ * mean(dy * x̂)).
      const T dy_mean = training ? static_cast<T>(sum_dy / static_cast<double>(count)) : T(0);
      const T projection = training ? static_cast<T>(sum_dy_centered * channel_invstd *
                                                     channel_invstd / static_cast<double>(count))
                                    : T(0);
      const T center = static_cast<T>(channel_mean);
      for (Index i = thread; i < count; i += threads) {
        const Index at = channel_offset(channels, spatial, c, i);
        dx[at] =
            training ? (dy[at] - dy_mean - (x[at] - center) * projection) * scale : dy[at] * scale;
      }
    }
  }
};

template <typename T, typename Index>
struct GroupNormForward {
  const T* x;
  const T* weight;  // null where absent
  const T* bias;
  T* y;
  T* mean_out;
  T* rstd_out;
  Index rows, groups, group_channels, spatial;
  double eps;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Index thread = static_cast<Index>(linear_thread_in_block(ctx));
    const Index threads = static_cast<Index>(ctx.block_dim().x);
    const Index group_size = group_channels * spatial;
    for (int64_t item = ctx.block_idx().x; item < rows; item += ctx.grid_dim().x) {
      const Index r = static_cast<Index>(item);
      const T* row = x + r * group_size;
      double sum = 0;
      for (Index j = thread; j < group_size; j += threads) sum += static_cast<double>(row[j]);
      const double mean = block_sum(ctx, sum) / static_cast<double>(group_size);
      double squares = 0;
      for (Index j = thread; j < group_size; j += threads) {
        const double centered = static_cast<double>(row[j]) - mean;
        squares += centered * centered;
      }
      const double var = block_sum(ctx, squares) / static_cast<double>(group_size);
      const double rstd = 1.0 / ::sqrt(var + eps);
      if (thread == 0) {
        mean_out[r] = static_cast<T>(mean);
        rstd_out[r] = static_cast<T>(rstd);
      }
      const T center = static_cast<T>(mean);
      const Index first_channel = (r % groups) * group_channels;
      T* out = y + r * group_size;
      for (Index j = thread; j < group_size; j += threads) {
        const Index c = first_channel + j / spatial;
        const T scale =
            static_cast<T>(rstd * (weight != nullptr ? static_cast<double>(weight[c]) : 1.0));
        out[j] = (row[j] - center) * scale + (bias != nullptr ? bias[c] : T(0));
      }
    }
  }
};

// GroupNormBackward's first pass: per (sample, channel) the sums of dy and of dy * (x - mean),
// into double scratch, which give grad_x (GroupNormInputGrad) and, summed over the batch,
// grad_weight and grad_bias (GroupNormParamGrads).
template <typename T, typename Index>
struct GroupNormChannelSums {
  const T* dy;
  const T* x;
  const T* mean;
  double* sum_dy;
  double* sum_dy_centered;
  Index planes, channels, groups, group_channels, spatial;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Index thread = static_cast<Index>(linear_thread_in_block(ctx));
    const Index threads = static_cast<Index>(ctx.block_dim().x);
    for (int64_t item = ctx.block_idx().x; item < planes; item += ctx.grid_dim().x) {
      const Index p = static_cast<Index>(item);
      const Index r = (p / channels) * groups + (p % channels) / group_channels;
      const double center = static_cast<double>(mean[r]);
      const T* dy_run = dy + p * spatial;
      const T* x_run = x + p * spatial;
      double g = 0, g_centered = 0;
      for (Index j = thread; j < spatial; j += threads) {
        const double d = static_cast<double>(dy_run[j]);
        g += d;
        g_centered += d * (static_cast<double>(x_run[j]) - center);
      }
      g = block_sum(ctx, g);
      g_centered = block_sum(ctx, g_centered);
      if (thread == 0) {
        sum_dy[p] = g;
        sum_dy_centered[p] = g_centered;
      }
    }
  }
};

template <typename T, typename Index>
struct GroupNormInputGrad {
  const T* dy;
  const T* x;
  const T* mean;
  const T* rstd;
  const T* weight;  // null where absent
  const double* sum_dy;
  const double* sum_dy_centered;
  T* dx;
  Index rows, groups, group_channels, spatial;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const Index thread = static_cast<Index>(linear_thread_in_block(ctx));
    const Index threads = static_cast<Index>(ctx.block_dim().x);
    const Index group_size = group_channels * spatial;
    for (int64_t item = ctx.block_idx().x; item < rows; item += ctx.grid_dim().x) {
      const Index r = static_cast<Index>(item);
      const double row_mean = static_cast<double>(mean[r]);
      const double row_rstd = static_cast<double>(rstd[r]);
      const Index first_channel = (r % groups) * group_channels;
      // The sample's (sample, channel) sums start at r * group_channels: with g = dy * weight[c],
      // dx = rstd * (g - mean(g) - x̂ * mean(g * x̂)). Every thread folds the group's channels in
      // the CPU's order (a few per group).
      double g_sum = 0, g_centered_sum = 0;
      for (Index k = 0; k < group_channels; ++k) {
        const double w = weight != nullptr ? static_cast<double>(weight[first_channel + k]) : 1.0;
        g_sum += w * sum_dy[r * group_channels + k];
        g_centered_sum += w * sum_dy_centered[r * group_channels + k];
      }
      const T g_mean_scaled = static_cast<T>(row_rstd * g_sum / static_cast<double>(group_size));
      const T projection = static_cast<T>(row_rstd * row_rstd * row_rstd * g_centered_sum /
                                          static_cast<double>(group_size));
      const T center = static_cast<T>(row_mean);
      const Index offset = r * group_size;
      for (Index j = thread; j < group_size; j += threads) {
        const Index c = first_channel + j / spatial;
        const T scale =
            static_cast<T>(row_rstd * (weight != nullptr ? static_cast<double>(weight[c]) : 1.0));
        dx[offset + j] =
            dy[offset + j] * scale - g_mean_scaled - (x[offset + j] - center) * projection;
      }
    }
  }
};

// A thread per channel, summing its (sample, channel) sums over the batch in the CPU's order.
// `empty`: no element contributes (no sample, or groups of no element), so both are zero.
template <typename T>
struct GroupNormParamGrads {
  const T* rstd;
  const double* sum_dy;
  const double* sum_dy_centered;
  T* dweight;  // null where not asked for
  T* dbias;
  int64_t batch, channels, groups, group_channels;
  bool empty;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t c = global_thread_x(ctx); c < channels; c += grid_threads_x(ctx)) {
      double weight_acc = 0, bias_acc = 0;
      if (!empty) {
        for (int64_t n = 0; n < batch; ++n) {
          const int64_t at = n * channels + c;
          weight_acc +=
              sum_dy_centered[at] * static_cast<double>(rstd[n * groups + c / group_channels]);
          bias_acc += sum_dy[at];
        }
      }
      if (dweight != nullptr) dweight[c] = static_cast<T>(weight_acc);
      if (dbias != nullptr) dbias[c] = static_cast<T>(bias_acc);
    }
  }
};

// The launches of each primitive through launch(shape, body): DeviceLaunch in norm.cu, the
// emulator in the tests. `layout` is make_norm_layout of x, which a test may switch to 64-bit
// offsets; the operands are the primitive's, in its order.

template <typename Launch>
void run_batch_norm(const BatchNorm& op, const NormLayout& layout, TensorSpan inputs,
                    TensorSpan outputs, Launch&& launch) {
  if (layout.channels == 0) return;
  visit_float_kernel(
      op.name(), inputs[0].dtype(), layout.fits_32bit, [&](auto* dtype_tag, auto* index_tag) {
        using T = std::remove_pointer_t<decltype(dtype_tag)>;
        using Index = std::remove_pointer_t<decltype(index_tag)>;
        size_t next = 1;
        const T* weight = op.has_weight() ? inputs[next++].data_ptr<T>() : nullptr;
        const T* bias = op.has_bias() ? inputs[next++].data_ptr<T>() : nullptr;
        const int64_t count = layout.batch * layout.spatial;
        launch(norm_launch_shape(layout.channels, count),
               BatchNormForward<T, Index>{
                   inputs[0].data_ptr<T>(), weight, bias,
                   op.training() ? nullptr : inputs[next].data_ptr<T>(),
                   op.training() ? nullptr : inputs[next + 1].data_ptr<T>(),
                   outputs[0].data_ptr<T>(), outputs[1].data_ptr<T>(), outputs[2].data_ptr<T>(),
                   op.training() ? outputs[3].data_ptr<T>() : nullptr,
                   static_cast<Index>(layout.channels), static_cast<Index>(layout.spatial),
                   static_cast<Index>(count), op.eps(), op.training()});
      });
}

template <typename Launch>
void run_batch_norm_backward(const BatchNormBackward& op, const NormLayout& layout,
                             TensorSpan inputs, TensorSpan outputs, Launch&& launch) {
  if (layout.channels == 0) return;
  visit_float_kernel(
      op.name(), inputs[1].dtype(), layout.fits_32bit, [&](auto* dtype_tag, auto* index_tag) {
        using T = std::remove_pointer_t<decltype(dtype_tag)>;
        using Index = std::remove_pointer_t<decltype(index_tag)>;
        const int64_t count = layout.batch * layout.spatial;
        launch(norm_launch_shape(layout.channels, count),
               BatchNormBackwardBody<T, Index>{
                   inputs[0].data_ptr<T>(), inputs[1].data_ptr<T>(), inputs[2].data_ptr<T>(),
                   inputs[3].data_ptr<T>(), op.has_weight() ? inputs[4].data_ptr<T>() : nullptr,
                   op.input_grad() ? outputs[0].data_ptr<T>() : nullptr,
                   op.weight_grad() ? outputs[1].data_ptr<T>() : nullptr,
                   op.bias_grad() ? outputs[2].data_ptr<T>() : nullptr,
                   static_cast<Index>(layout.channels), static_cast<Index>(layout.spatial),
                   static_cast<Index>(count), op.training(), op.input_grad(), op.weight_grad(),
                   op.bias_grad()});
      });
}

template <typename Launch>
void run_group_norm(const GroupNorm& op, const NormLayout& layout, TensorSpan inputs,
                    TensorSpan outputs, Launch&& launch) {
  const int64_t group_channels = layout.channels / op.num_groups();
  const int64_t group_size = group_channels * layout.spatial;
  const int64_t rows = layout.batch * op.num_groups();
  if (group_size == 0 || rows == 0) return;
  visit_float_kernel(
      op.name(), inputs[0].dtype(), layout.fits_32bit, [&](auto* dtype_tag, auto* index_tag) {
        using T = std::remove_pointer_t<decltype(dtype_tag)>;
        using Index = std::remove_pointer_t<decltype(index_tag)>;
        const T* weight = op.has_weight() ? inputs[1].data_ptr<T>() : nullptr;
        const T* bias = op.has_bias() ? inputs[op.has_weight() ? 2 : 1].data_ptr<T>() : nullptr;
        launch(norm_launch_shape(rows, group_size),
               GroupNormForward<T, Index>{
                   inputs[0].data_ptr<T>(), weight, bias, outputs[0].data_ptr<T>(),
                   outputs[1].data_ptr<T>(), outputs[2].data_ptr<T>(), static_cast<Index>(rows),
                   static_cast<Index>(op.num_groups()), static_cast<Index>(group_channels),
                   static_cast<Index>(layout.spatial), op.eps()});
      });
}

// Three launches: the (sample, channel) sums into double scratch on x's device, grad_x from
// them, and the parameter gradients where asked for.
template <typename Launch>
void run_group_norm_backward(const GroupNormBackward& op, const NormLayout& layout,
                             TensorSpan inputs, TensorSpan outputs, Launch&& launch) {
  const int64_t groups = op.num_groups();
  const int64_t group_channels = layout.channels / groups;
  const int64_t group_size = group_channels * layout.spatial;
  const int64_t planes = layout.batch * layout.channels;
  const bool empty_groups = group_size == 0 || layout.batch == 0;
  visit_float_kernel(
      op.name(), inputs[1].dtype(), layout.fits_32bit, [&](auto* dtype_tag, auto* index_tag) {
        using T = std::remove_pointer_t<decltype(dtype_tag)>;
        using Index = std::remove_pointer_t<decltype(index_tag)>;
        const Tensor sums =
            ember::empty({2, empty_groups ? 0 : planes},
                         TensorOptions(inputs[1].device()).dtype(ScalarType::Float64));
        double* sum_dy = sums.data_ptr<double>();
        double* sum_dy_centered = sum_dy + (empty_groups ? 0 : planes);
        if (!empty_groups) {
          const T* dy = inputs[0].data_ptr<T>();
          const T* x = inputs[1].data_ptr<T>();
          launch(norm_launch_shape(planes, layout.spatial),
                 GroupNormChannelSums<T, Index>{
                     dy, x, inputs[2].data_ptr<T>(), sum_dy, sum_dy_centered,
                     static_cast<Index>(planes), static_cast<Index>(layout.channels),
                     static_cast<Index>(groups), static_cast<Index>(group_channels),
                     static_cast<Index>(layout.spatial)});
          const int64_t rows = layout.batch * groups;
          launch(norm_launch_shape(rows, group_size),
                 GroupNormInputGrad<T, Index>{
                     dy, x, inputs[2].data_ptr<T>(), inputs[3].data_ptr<T>(),
                     op.has_weight() ? inputs[4].data_ptr<T>() : nullptr, sum_dy, sum_dy_centered,
                     outputs[0].data_ptr<T>(), static_cast<Index>(rows), static_cast<Index>(groups),
                     static_cast<Index>(group_channels), static_cast<Index>(layout.spatial)});
        }
        if ((!op.weight_grad() && !op.bias_grad()) || layout.channels == 0) return;
        const int64_t blocks = (layout.channels + kReduceBlockThreads - 1) / kReduceBlockThreads;
        LaunchShape shape;
        shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? blocks : kMaxReduceBlocks);
        shape.block.x = kReduceBlockThreads;
        launch(shape, GroupNormParamGrads<T>{
                          empty_groups ? nullptr : inputs[3].data_ptr<T>(), sum_dy, sum_dy_centered,
                          op.weight_grad() ? outputs[1].data_ptr<T>() : nullptr,
                          op.bias_grad() ? outputs[2].data_ptr<T>() : nullptr, layout.batch,
                          layout.channels, groups, group_channels == 0 ? 1 : group_channels,
                          empty_groups});
      });
}

}  // namespace ember::cuda
