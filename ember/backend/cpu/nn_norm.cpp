// eval_cpu of LayerNorm and LayerNormBackward: each row is independent, so rows run in parallel
// above the grain; sums accumulate in double in four interleaved partial sums (independent add
// chains the compiler can keep in vector registers). The weight and bias gradients are column
// sums over rows, run in parallel over column blocks so that no two threads write one column.
#include <algorithm>
#include <cmath>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/primitives_nn_norm.h"

namespace ember {
namespace {

constexpr int kLanes = 4;

// sum_j f(j) over [0, n) in kLanes interleaved partial sums.
template <typename Term>
double lane_sum(int64_t n, Term term) {
  double partial[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) partial[lane] += term(j + lane);
  }
  for (; j < n; ++j) partial[0] += term(j);
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

// Rows per parallel chunk: about kGrain elements of work each.
int64_t row_grain(int64_t row_size) {
  return std::max<int64_t>(1, kGrain / std::max<int64_t>(row_size, 1));
}

template <typename T>
void layer_norm_forward(const LayerNorm& op, TensorSpan inputs, TensorSpan outputs) {
  const int64_t n = op.row_size();
  if (n == 0) return;
  const int64_t rows = inputs[0].numel() / n;
  const T* x = inputs[0].data_ptr<T>();
  const T* weight = op.has_weight() ? inputs[1].data_ptr<T>() : nullptr;
  const T* bias = op.has_bias() ? inputs[op.has_weight() ? 2 : 1].data_ptr<T>() : nullptr;
  T* y = outputs[0].data_ptr<T>();
  T* mean_out = outputs[1].data_ptr<T>();
  T* rstd_out = outputs[2].data_ptr<T>();
  const double eps = op.eps();
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* row = x + r * n;
      T* out = y + r * n;
      const double mean = lane_sum(n, [&](int64_t j) { return static_cast<double>(row[j]); }) / n;
      const double var = lane_sum(n,
                                  [&](int64_t j) {
                                    const double centered = static_cast<double>(row[j]) - mean;
                                    return centered * centered;
                                  }) /
                         n;
      const double rstd = 1.0 / std::sqrt(var + eps);
      mean_out[r] = static_cast<T>(mean);
      rstd_out[r] = static_cast<T>(rstd);
      // (x - mean) * rstd, not the folded x * rstd - mean * rstd: the fold cancels two large
      // terms when the spread is small next to the mean (a constant row would not give 0).
      const T scale = static_cast<T>(rstd);
      const T center = static_cast<T>(mean);
      if (weight == nullptr && bias == nullptr) {
        for (int64_t j = 0; j < n; ++j) out[j] = (row[j] - center) * scale;
      } else {
        for (int64_t j = 0; j < n; ++j) {
          const T normalized = (row[j] - center) * scale;
          out[j] = (weight ? normalized * weight[j] : normalized) + (bias ? bias[j] : T(0));
        }
      }
    }
  });
}

template <typename T>
void layer_norm_backward(const LayerNormBackward& op, TensorSpan inputs, TensorSpan outputs) {
  const int64_t n = op.row_size();
  if (n == 0) return;
  const int64_t rows = inputs[1].numel() / n;
  const T* dy = inputs[0].data_ptr<T>();
  const T* x = inputs[1].data_ptr<T>();
  const T* mean = inputs[2].data_ptr<T>();
  const T* rstd = inputs[3].data_ptr<T>();
  const T* weight = op.has_weight() ? inputs[4].data_ptr<T>() : nullptr;
  T* dx = outputs[0].data_ptr<T>();
  parallel_for(0, rows, row_grain(n), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* dy_row = dy + r * n;
      const T* x_row = x + r * n;
      T* dx_row = dx + r * n;
      const double row_mean = mean[r];
      const double row_rstd = rstd[r];
      auto g = [&](int64_t j) {
        return static_cast<double>(dy_row[j]) * (weight ? static_cast<double>(weight[j]) : 1.0);
      };
      auto normalized = [&](int64_t j) {
        return (static_cast<double>(x_row[j]) - row_mean) * row_rstd;
      };
      const double g_mean = lane_sum(n, g) / n;
      const double g_normalized_mean =
          lane_sum(n, [&](int64_t j) { return g(j) * normalized(j); }) / n;
      for (int64_t j = 0; j < n; ++j) {
        dx_row[j] = static_cast<T>(row_rstd * (g(j) - g_mean - normalized(j) * g_normalized_mean));
      }
    }
  });
  if (!op.weight_grad() && !op.bias_grad()) return;
  T* dweight = outputs[1].data_ptr<T>();
  T* dbias = outputs[2].data_ptr<T>();
  constexpr int64_t kColumnBlock = 64;
  const int64_t blocks = (n + kColumnBlock - 1) / kColumnBlock;
  const int64_t block_grain =
      std::max<int64_t>(1, kGrain / std::max<int64_t>(rows * kColumnBlock, 1));
  parallel_for(0, blocks, block_grain, [&](int64_t begin, int64_t end) {
    double dweight_acc[kColumnBlock];
    double dbias_acc[kColumnBlock];
    for (int64_t block = begin; block < end; ++block) {
      const int64_t first = block * kColumnBlock;
      const int64_t width = std::min(kColumnBlock, n - first);
      std::fill_n(dweight_acc, width, 0.0);
      std::fill_n(dbias_acc, width, 0.0);
      for (int64_t r = 0; r < rows; ++r) {
        const T* dy_row = dy + r * n + first;
        const T* x_row = x + r * n + first;
        const double row_mean = mean[r];
        const double row_rstd = rstd[r];
        for (int64_t j = 0; j < width; ++j) {
          const double d = dy_row[j];
          dweight_acc[j] += d * (static_cast<double>(x_row[j]) - row_mean) * row_rstd;
          dbias_acc[j] += d;
        }
      }
      for (int64_t j = 0; j < width; ++j) {
        if (op.weight_grad()) dweight[first + j] = static_cast<T>(dweight_acc[j]);
        if (op.bias_grad()) dbias[first + j] = static_cast<T>(dbias_acc[j]);
      }
    }
  });
}

}  // namespace

void LayerNorm::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return layer_norm_forward<float>(*this, inputs, outputs);
    case ScalarType::Float64:
      return layer_norm_forward<double>(*this, inputs, outputs);
    default:
      detail::raise<TypeError>("[layer_norm] expected float32 or float64; got ", inputs[0].dtype());
  }
}

void LayerNormBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return layer_norm_backward<float>(*this, inputs, outputs);
    case ScalarType::Float64:
      return layer_norm_backward<double>(*this, inputs, outputs);
    default:
      detail::raise<TypeError>("[layer_norm_backward] expected float32 or float64; got ",
                               inputs[0].dtype());
  }
}

}  // namespace ember
