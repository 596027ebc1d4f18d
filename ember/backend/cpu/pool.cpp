// eval_cpu of Pool and AvgPoolBackward. Planes (sample, channel) are independent, so they run in
// parallel above the grain. Within a plane the kernels walk the window's input rows (d, h) in
// order and, for each, sweep a whole output row along the contiguous W axis: the output row stays
// in cache while each input row is read once per window row, and the visiting order (d, h, w
// ascending) matches PyTorch's, so ties and NaNs pick the same index.
#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

#include "ember/backend/cpu/kernel_table.h"
#include "ember/backend/cpu/nn_pool_kernels.h"
#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/primitives_nn_pool.h"

namespace ember {
namespace {

// The accumulator of average pooling (PyTorch's acc type on CPU).
template <typename T>
using Acc = std::conditional_t<std::is_same_v<T, float>, float, double>;

int64_t plane_size(const PoolWindows& windows, bool output) {
  int64_t size = 1;
  for (const PoolAxis& axis : windows.axes) size *= output ? axis.output_size() : axis.input_size;
  return size;
}

int64_t window_size(const PoolWindows& windows) {
  int64_t size = 1;
  for (const PoolAxis& axis : windows.axes) {
    size *= std::max<int64_t>(1, *std::max_element(axis.count.begin(), axis.count.end()));
  }
  return size;
}

// Planes per parallel chunk: about kGrain reads each.
int64_t plane_grain(const PoolWindows& windows) {
  const int64_t work = plane_size(windows, /*output=*/true) * window_size(windows);
  return std::max<int64_t>(1, kGrain / std::max<int64_t>(work, 1));
}

// Calls row(d, h, out_row) for each input row (d, h) of the window of output row (od, oh).
template <typename Row>
void for_window_rows(const PoolWindows& windows, int64_t od, int64_t oh, Row row) {
  const PoolAxis& depth = windows.axes[0];
  const PoolAxis& height = windows.axes[1];
  for (int64_t kd = 0; kd < depth.count[od]; ++kd) {
    const int64_t d = depth.first[od] + kd * depth.dilation;
    for (int64_t kh = 0; kh < height.count[oh]; ++kh) {
      row(d, height.first[oh] + kh * height.dilation);
    }
  }
}

// The run of outputs along W that the ISA's row kernel takes: the longest stretch from the first
// output with the widest window whose windows all have that width and start a constant stride
// apart (all outputs of an unpadded fixed window; the inner ones of a padded or ceil-mode one).
cpu::MaxPoolRun alike_run(const PoolAxis& width, int64_t& begin) {
  const int64_t outputs = width.output_size();
  const int64_t widest = *std::max_element(width.count.begin(), width.count.end());
  begin = 0;
  while (begin < outputs && width.count[begin] != widest) ++begin;
  const int64_t stride = begin + 1 < outputs ? width.first[begin + 1] - width.first[begin] : 1;
  int64_t end = begin;
  while (end < outputs && width.count[end] == widest &&
         width.first[end] == width.first[begin] + (end - begin) * stride) {
    ++end;
  }
  return {begin < outputs ? width.first[begin] : 0, stride, widest, width.dilation, end - begin};
}

template <typename T>
cpu::MaxPoolRowKernel<T> max_pool_row_kernel() {
  switch (cpu::kernels().capability) {
    case cpu::CpuCapability::Avx512:
      return &cpu::avx512::max_pool_row;
    case cpu::CpuCapability::Avx2:
      return &cpu::avx2::max_pool_row;
    case cpu::CpuCapability::Default:
      break;
  }
  return &cpu::generic::max_pool_row;
}

template <typename T>
void max_pool(const Pool& op, TensorSpan inputs, TensorSpan outputs) {
  static const cpu::MaxPoolRowKernel<T> row_kernel = max_pool_row_kernel<T>();
  const PoolWindows& windows = op.windows();
  const PoolAxis& height = windows.axes[1];
  const PoolAxis& width = windows.axes[2];
  const int64_t in_plane = plane_size(windows, false);
  const int64_t out_plane = plane_size(windows, true);
  const int64_t planes = out_plane == 0 ? 0 : outputs[0].numel() / out_plane;
  const int64_t out_d = windows.axes[0].output_size();
  const int64_t out_h = height.output_size();
  const int64_t out_w = width.output_size();
  const int64_t in_h = height.input_size;
  const int64_t in_w = width.input_size;
  const int64_t dilation_w = width.dilation;
  int64_t run_begin = 0;
  const cpu::MaxPoolRun run = out_w == 0 ? cpu::MaxPoolRun{} : alike_run(width, run_begin);
  const int64_t run_end = run_begin + run.n;
  const T* x = inputs[0].data_ptr<T>();
  T* y = outputs[0].data_ptr<T>();
  int64_t* indices = outputs[1].data_ptr<int64_t>();
  parallel_for(0, planes, plane_grain(windows), [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const T* plane = x + p * in_plane;
      for (int64_t od = 0; od < out_d; ++od) {
        for (int64_t oh = 0; oh < out_h; ++oh) {
          const int64_t offset = p * out_plane + (od * out_h + oh) * out_w;
          T* best = y + offset;
          int64_t* where = indices + offset;
          const int64_t first_row = (windows.axes[0].first[od] * in_h + height.first[oh]) * in_w;
          for (int64_t ow = 0; ow < out_w; ++ow) {
            best[ow] = -std::numeric_limits<T>::infinity();
            where[ow] = first_row + width.first[ow];
          }
          for_window_rows(windows, od, oh, [&](int64_t d, int64_t h) {
            const int64_t row_start = (d * in_h + h) * in_w;
            const T* row = plane + row_start;
            const auto edge = [&](int64_t ow) {
              const int64_t first = width.first[ow];
              const int64_t count = width.count[ow];
              T value = best[ow];
              int64_t index = where[ow];
              for (int64_t kw = 0; kw < count; ++kw) {
                // Branch-free (selects, not jumps): which element wins is data-dependent.
                const int64_t w = first + kw * dilation_w;
                const T candidate = row[w];
                const bool wins = candidate > value || candidate != candidate;
                value = wins ? candidate : value;
                index = wins ? row_start + w : index;
              }
              best[ow] = value;
              where[ow] = index;
            };
            for (int64_t ow = 0; ow < run_begin; ++ow) edge(ow);
            if (run.n > 0) row_kernel(row, row_start, run, best + run_begin, where + run_begin);
            for (int64_t ow = run_end; ow < out_w; ++ow) edge(ow);
          });
        }
      }
    }
  });
}

// 1 / divisor of each output position of a plane's row (od, oh).
template <typename A>
void row_scales(const PoolWindows& windows, int64_t od, int64_t oh, std::vector<A>& scales) {
  const PoolAxis& width = windows.axes[2];
  for (int64_t ow = 0; ow < width.output_size(); ++ow) {
    const int64_t divisor =
        windows.divisor_override != 0
            ? windows.divisor_override
            : windows.axes[0].extent[od] * windows.axes[1].extent[oh] * width.extent[ow];
    scales[ow] = divisor == 0 ? A(0) : A(1) / static_cast<A>(divisor);
  }
}

template <typename T>
void avg_pool(const Pool& op, TensorSpan inputs, TensorSpan outputs) {
  using A = Acc<T>;
  const PoolWindows& windows = op.windows();
  const PoolAxis& width = windows.axes[2];
  const int64_t in_plane = plane_size(windows, false);
  const int64_t out_plane = plane_size(windows, true);
  const int64_t planes = out_plane == 0 ? 0 : outputs[0].numel() / out_plane;
  const int64_t out_d = windows.axes[0].output_size();
  const int64_t out_h = windows.axes[1].output_size();
  const int64_t out_w = width.output_size();
  const int64_t in_h = windows.axes[1].input_size;
  const int64_t in_w = width.input_size;
  const T* x = inputs[0].data_ptr<T>();
  T* y = outputs[0].data_ptr<T>();
  parallel_for(0, planes, plane_grain(windows), [&](int64_t begin, int64_t end) {
    std::vector<A> sums(static_cast<size_t>(out_w));
    std::vector<A> scales(static_cast<size_t>(out_w));
    for (int64_t p = begin; p < end; ++p) {
      const T* plane = x + p * in_plane;
      for (int64_t od = 0; od < out_d; ++od) {
        for (int64_t oh = 0; oh < out_h; ++oh) {
          std::fill(sums.begin(), sums.end(), A(0));
          for_window_rows(windows, od, oh, [&](int64_t d, int64_t h) {
            const T* row = plane + (d * in_h + h) * in_w;
            for (int64_t ow = 0; ow < out_w; ++ow) {
              const T* window = row + width.first[ow];
              A sum = 0;
              for (int64_t kw = 0; kw < width.count[ow]; ++kw) sum += window[kw];
              sums[ow] += sum;
            }
          });
          row_scales(windows, od, oh, scales);
          T* out = y + p * out_plane + (od * out_h + oh) * out_w;
          for (int64_t ow = 0; ow < out_w; ++ow) out[ow] = static_cast<T>(sums[ow] * scales[ow]);
        }
      }
    }
  });
}

template <typename T>
void avg_pool_backward(const AvgPoolBackward& op, TensorSpan inputs, TensorSpan outputs) {
  using A = Acc<T>;
  const PoolWindows& windows = op.windows();
  const PoolAxis& width = windows.axes[2];
  const int64_t in_plane = plane_size(windows, false);
  const int64_t out_plane = plane_size(windows, true);
  const int64_t planes = in_plane == 0 ? 0 : outputs[0].numel() / in_plane;
  const int64_t out_d = windows.axes[0].output_size();
  const int64_t out_h = windows.axes[1].output_size();
  const int64_t out_w = width.output_size();
  const int64_t in_h = windows.axes[1].input_size;
  const int64_t in_w = width.input_size;
  const T* grad_y = inputs[0].data_ptr<T>();
  T* grad_x = outputs[0].data_ptr<T>();
  std::fill_n(grad_x, outputs[0].numel(), T(0));
  if (out_plane == 0) return;
  parallel_for(0, planes, plane_grain(windows), [&](int64_t begin, int64_t end) {
    std::vector<A> scales(static_cast<size_t>(out_w));
    std::vector<T> shares(static_cast<size_t>(out_w));
    for (int64_t p = begin; p < end; ++p) {
      T* plane = grad_x + p * in_plane;
      for (int64_t od = 0; od < out_d; ++od) {
        for (int64_t oh = 0; oh < out_h; ++oh) {
          row_scales(windows, od, oh, scales);
          const T* grad_row = grad_y + p * out_plane + (od * out_h + oh) * out_w;
          for (int64_t ow = 0; ow < out_w; ++ow) {
            shares[ow] = static_cast<T>(grad_row[ow] * scales[ow]);
          }
          for_window_rows(windows, od, oh, [&](int64_t d, int64_t h) {
            T* row = plane + (d * in_h + h) * in_w;
            for (int64_t ow = 0; ow < out_w; ++ow) {
              T* window = row + width.first[ow];
              for (int64_t kw = 0; kw < width.count[ow]; ++kw) window[kw] += shares[ow];
            }
          });
        }
      }
    }
  });
}

}  // namespace

void Pool::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const bool max = mode_ == PoolMode::Max;
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return max ? max_pool<float>(*this, inputs, outputs)
                 : avg_pool<float>(*this, inputs, outputs);
    case ScalarType::Float64:
      return max ? max_pool<double>(*this, inputs, outputs)
                 : avg_pool<double>(*this, inputs, outputs);
    default:
      detail::raise<TypeError>("[", name(), "] expected float32 or float64; got ",
                               inputs[0].dtype());
  }
}

void AvgPoolBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return avg_pool_backward<float>(*this, inputs, outputs);
    case ScalarType::Float64:
      return avg_pool_backward<double>(*this, inputs, outputs);
    default:
      detail::raise<TypeError>("[avg_pool_backward] expected float32 or float64; got ",
                               inputs[0].dtype());
  }
}

}  // namespace ember
