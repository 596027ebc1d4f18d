// The bodies of the LayerNorm and LayerNormBackward kernels (float32 and float64, contiguous
// rows of row_size elements), in the vocabulary of kernel_grid.h: layer_norm.cu launches them on
// the GPU, the kernel-emulation tests run them in the CPU emulator. A block per row: the row's
// sums in double (as the CPU's, backend/cpu/nn_norm_kernels.inc: the mean, then the centered
// squares; for the backward the sums of g and g * (x - mean)) through block_fold_shared, which
// hands every thread the total, then the row is written. The weight and bias gradients are
// column sums over the rows: a thread per column, adding the rows in order as the CPU does.
#pragma once

#include <cstdint>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/elementwise/math.h"

namespace ember::cuda {

template <typename T>
struct LayerNormRows {
  const T* x;
  const T* weight;  // null when absent
  const T* bias;    // null when absent
  T* y;
  T* mean_out;
  T* rstd_out;
  int64_t rows;
  int64_t n;
  double eps;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using Sum = SumReduce<double>;
    const int thread = linear_thread_in_block(ctx);
    const int64_t threads = ctx.block_dim().x;
    for (int64_t r = ctx.block_idx().x; r < rows; r += ctx.grid_dim().x) {
      const T* row = x + r * n;
      T* out = y + r * n;
      double partial = 0;
      for (int64_t j = thread; j < n; j += threads) partial += static_cast<double>(row[j]);
      const double mean = block_fold_shared<Sum>(ctx, partial) / static_cast<double>(n);
      partial = 0;
      for (int64_t j = thread; j < n; j += threads) {
        const double centered = static_cast<double>(row[j]) - mean;
        partial += centered * centered;
      }
      const double var = block_fold_shared<Sum>(ctx, partial) / static_cast<double>(n);
      const double rstd = math::Rsqrt{}(var + eps);
      if (thread == 0) {
        mean_out[r] = static_cast<T>(mean);
        rstd_out[r] = static_cast<T>(rstd);
      }
      const T scale = static_cast<T>(rstd);
      const T center = static_cast<T>(mean);
      for (int64_t j = thread; j < n; j += threads) {
        const T normalized = (row[j] - center) * scale;
        out[j] = (weight != nullptr ? normalized * weight[j] : normalized) +
                 (bias != nullptr ? bias[j] : T(0));
      }
    }
  }
};

// dx = rstd * (g - mean(g) - (x - mean) * rstd^2 * mean(g * (x - mean))), g = dy * weight.
template <typename T>
struct LayerNormBackwardRows {
  const T* dy;
  const T* x;
  const T* mean;
  const T* rstd;
  const T* weight;  // null when absent
  T* dx;
  int64_t rows;
  int64_t n;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    using Sum = SumReduce<double>;
    const int thread = linear_thread_in_block(ctx);
    const int64_t threads = ctx.block_dim().x;
    for (int64_t r = ctx.block_idx().x; r < rows; r += ctx.grid_dim().x) {
      const T* dy_row = dy + r * n;
      const T* x_row = x + r * n;
      const double row_mean = static_cast<double>(mean[r]);
      const double row_rstd = static_cast<double>(rstd[r]);
      double partial_g = 0;
      double partial_g_centered = 0;
      for (int64_t j = thread; j < n; j += threads) {
        const double d = static_cast<double>(dy_row[j]) *
                         (weight != nullptr ? static_cast<double>(weight[j]) : 1.0);
        partial_g += d;
        partial_g_centered += d * (static_cast<double>(x_row[j]) - row_mean);
      }
      const double g_sum = block_fold_shared<Sum>(ctx, partial_g);
      const double g_centered_sum = block_fold_shared<Sum>(ctx, partial_g_centered);
      const T rstd_t = static_cast<T>(row_rstd);
      const T g_mean = static_cast<T>(g_sum / static_cast<double>(n));
      const T projection =
          static_cast<T>(g_centered_sum * row_rstd * row_rstd / static_cast<double>(n));
      const T center = static_cast<T>(row_mean);
      for (int64_t j = thread; j < n; j += threads) {
        const T g = weight != nullptr ? dy_row[j] * weight[j] : dy_row[j];
        dx[r * n + j] = rstd_t * (g - g_mean - (x_row[j] - center) * projection);
      }
    }
  }
};

template <typename T>
struct LayerNormParamGrads {
  const T* dy;
  const T* x;
  const T* mean;
  const T* rstd;
  T* dweight;  // null unless asked for
  T* dbias;    // null unless asked for
  int64_t rows;
  int64_t n;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t j = global_thread_x(ctx); j < n; j += grid_threads_x(ctx)) {
      double dweight_acc = 0;
      double dbias_acc = 0;
      for (int64_t r = 0; r < rows; ++r) {
        const double d = static_cast<double>(dy[r * n + j]);
        dweight_acc += d * (static_cast<double>(x[r * n + j]) - static_cast<double>(mean[r])) *
                       static_cast<double>(rstd[r]);
        dbias_acc += d;
      }
      if (dweight != nullptr) dweight[j] = static_cast<T>(dweight_acc);
      if (dbias != nullptr) dbias[j] = static_cast<T>(dbias_acc);
    }
  }
};

inline LaunchShape layer_norm_row_shape(int64_t rows, int64_t n) {
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(rows < kMaxReduceBlocks ? rows : kMaxReduceBlocks);
  shape.block.x = reduce_block_threads(n);
  shape.shared_bytes = block_fold_shared_bytes<double>(shape.block.x);
  return shape;
}

template <typename T, typename Launch>
void run_layer_norm(const LayerNormRows<T>& body, Launch&& launch) {
  if (body.rows == 0 || body.n == 0) return;
  launch(layer_norm_row_shape(body.rows, body.n), body);
}

// dx, then the parameter gradients when either is asked for.
template <typename T, typename Launch>
void run_layer_norm_backward(const LayerNormBackwardRows<T>& rows_body,
                             const LayerNormParamGrads<T>& param_body, Launch&& launch) {
  if (rows_body.n == 0) return;
  if (rows_body.rows > 0) launch(layer_norm_row_shape(rows_body.rows, rows_body.n), rows_body);
  if (param_body.dweight == nullptr && param_body.dbias == nullptr) return;
  const int64_t blocks = (param_body.n + kReduceBlockThreads - 1) / kReduceBlockThreads;
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? blocks : kMaxReduceBlocks);
  shape.block.x = kReduceBlockThreads;
  launch(shape, param_body);
}

}  // namespace ember::cuda
