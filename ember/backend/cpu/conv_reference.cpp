// The im2col convolution (conv.h). Every spatial layout is seen as 3-D, missing leading dims of
// size 1. For one sample and group, the columns hold, for each (input channel, kernel offset) row
// and each output position, the input value that offset reads there (0 in the padding); the
// forward pass is then one GEMM weight @ columns, the data gradient weight^T @ grad_y scattered
// back by col2im, and the weight gradient grad_y @ columns^T summed over the batch.
#include <algorithm>
#include <vector>

#include "ember/backend/cpu/conv.h"
#include "ember/backend/cpu/gemm.h"
#include "ember/base/parallel.h"

namespace ember::cpu {
namespace {

constexpr int kDims = 3;

struct Layout {
  int64_t batch, in_channels, out_channels, groups;
  int64_t in[kDims], kernel[kDims], out[kDims];
  int64_t stride[kDims], dilation[kDims], pad[kDims];
  int64_t in_volume() const { return in[0] * in[1] * in[2]; }
  int64_t kernel_volume() const { return kernel[0] * kernel[1] * kernel[2]; }
  int64_t out_volume() const { return out[0] * out[1] * out[2]; }
  int64_t group_in() const { return in_channels / groups; }
  int64_t group_out() const { return out_channels / groups; }
  int64_t column_rows() const { return group_in() * kernel_volume(); }
};

Layout layout_of(const ConvGeometry& geometry, const Tensor& x, const Tensor& w, const Tensor& y) {
  Layout layout{};
  layout.batch = x.size(0);
  layout.in_channels = x.size(1);
  layout.out_channels = y.size(1);
  layout.groups = geometry.groups;
  const auto spatial = static_cast<int>(geometry.stride.size());
  for (int d = 0; d < kDims; ++d) {
    const int source = d - (kDims - spatial);
    const bool present = source >= 0;
    layout.in[d] = present ? x.size(2 + source) : 1;
    layout.kernel[d] = present ? w.size(2 + source) : 1;
    layout.out[d] = present ? y.size(2 + source) : 1;
    layout.stride[d] = present ? geometry.stride[source] : 1;
    layout.dilation[d] = present ? geometry.dilation[source] : 1;
    layout.pad[d] = present ? geometry.pad_before[source] : 0;
  }
  return layout;
}

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  gemm_f32(trans_a, trans_b, m, n, k, 1.0F, a, lda, b, ldb, beta, c, ldc);
}

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  gemm_f64(trans_a, trans_b, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
}

// Visits every (column row, output position, input offset or -1 in the padding) of one group's
// columns; image holds the group's input channels.
template <typename Visit>
void for_each_column(const Layout& l, Visit visit) {
  const int64_t out_volume = l.out_volume();
  int64_t row = 0;
  for (int64_t c = 0; c < l.group_in(); ++c) {
    for (int64_t k0 = 0; k0 < l.kernel[0]; ++k0) {
      for (int64_t k1 = 0; k1 < l.kernel[1]; ++k1) {
        for (int64_t k2 = 0; k2 < l.kernel[2]; ++k2, ++row) {
          int64_t position = row * out_volume;
          for (int64_t o0 = 0; o0 < l.out[0]; ++o0) {
            const int64_t i0 = o0 * l.stride[0] - l.pad[0] + k0 * l.dilation[0];
            for (int64_t o1 = 0; o1 < l.out[1]; ++o1) {
              const int64_t i1 = o1 * l.stride[1] - l.pad[1] + k1 * l.dilation[1];
              const bool row_inside = i0 >= 0 && i0 < l.in[0] && i1 >= 0 && i1 < l.in[1];
              const int64_t base = (c * l.in[0] + i0) * l.in[1] + i1;
              for (int64_t o2 = 0; o2 < l.out[2]; ++o2, ++position) {
                const int64_t i2 = o2 * l.stride[2] - l.pad[2] + k2 * l.dilation[2];
                const bool inside = row_inside && i2 >= 0 && i2 < l.in[2];
                visit(position, inside ? base * l.in[2] + i2 : -1);
              }
            }
          }
        }
      }
    }
  }
}

template <typename T>
void im2col(const Layout& l, const T* image, T* columns) {
  for_each_column(l, [&](int64_t position, int64_t offset) {
    columns[position] = offset >= 0 ? image[offset] : T(0);
  });
}

template <typename T>
void col2im_add(const Layout& l, const T* columns, T* image) {
  for_each_column(l, [&](int64_t position, int64_t offset) {
    if (offset >= 0) image[offset] += columns[position];
  });
}

template <typename T>
std::vector<T>& column_buffer(const Layout& l) {
  thread_local std::vector<T> buffer;
  buffer.resize(static_cast<size_t>(l.column_rows() * l.out_volume()));
  return buffer;
}

template <typename T>
void forward(const Layout& l, const T* x, const T* w, T* y) {
  const int64_t rows = l.column_rows(), out_volume = l.out_volume();
  parallel_for(0, l.batch, 1, [&](int64_t begin, int64_t end) {
    std::vector<T>& columns = column_buffer<T>(l);
    for (int64_t n = begin; n < end; ++n) {
      for (int64_t g = 0; g < l.groups; ++g) {
        im2col(l, x + (n * l.in_channels + g * l.group_in()) * l.in_volume(), columns.data());
        gemm(false, false, l.group_out(), out_volume, rows, w + g * l.group_out() * rows, rows,
             columns.data(), out_volume, T(0),
             y + (n * l.out_channels + g * l.group_out()) * out_volume, out_volume);
      }
    }
  });
}

template <typename T>
void backward_data(const Layout& l, T* x, const T* w, const T* y) {
  const int64_t rows = l.column_rows(), out_volume = l.out_volume();
  parallel_for(0, l.batch, 1, [&](int64_t begin, int64_t end) {
    std::vector<T>& columns = column_buffer<T>(l);
    for (int64_t n = begin; n < end; ++n) {
      T* sample = x + n * l.in_channels * l.in_volume();
      std::fill(sample, sample + l.in_channels * l.in_volume(), T(0));
      for (int64_t g = 0; g < l.groups; ++g) {
        gemm(true, false, rows, out_volume, l.group_out(), w + g * l.group_out() * rows, rows,
             y + (n * l.out_channels + g * l.group_out()) * out_volume, out_volume, T(0),
             columns.data(), out_volume);
        col2im_add(l, columns.data(), sample + g * l.group_in() * l.in_volume());
      }
    }
  });
}

// Groups run in parallel (each writes its own rows of w); the batch is summed through the GEMM's
// accumulator.
template <typename T>
void backward_weight(const Layout& l, const T* x, T* w, const T* y) {
  const int64_t rows = l.column_rows(), out_volume = l.out_volume();
  std::fill(w, w + l.out_channels * rows, T(0));
  parallel_for(0, l.groups, 1, [&](int64_t begin, int64_t end) {
    std::vector<T>& columns = column_buffer<T>(l);
    for (int64_t g = begin; g < end; ++g) {
      for (int64_t n = 0; n < l.batch; ++n) {
        im2col(l, x + (n * l.in_channels + g * l.group_in()) * l.in_volume(), columns.data());
        gemm(false, true, l.group_out(), rows, out_volume,
             y + (n * l.out_channels + g * l.group_out()) * out_volume, out_volume, columns.data(),
             out_volume, T(1), w + g * l.group_out() * rows, rows);
      }
    }
  });
}

template <typename T>
void run_pass(ConvPass pass, const Layout& l, const Tensor& x, const Tensor& w, const Tensor& y) {
  switch (pass) {
    case ConvPass::Forward:
      return forward(l, x.data_ptr<T>(), w.data_ptr<T>(), y.data_ptr<T>());
    case ConvPass::BackwardData:
      return backward_data(l, x.data_ptr<T>(), w.data_ptr<T>(), y.data_ptr<T>());
    case ConvPass::BackwardWeight:
      return backward_weight(l, x.data_ptr<T>(), w.data_ptr<T>(), y.data_ptr<T>());
  }
}

}  // namespace

void conv_reference(ConvPass pass, const ConvGeometry& geometry, const Tensor& x, const Tensor& w,
                    const Tensor& y) {
  const Layout layout = layout_of(geometry, x, w, y);
  if (x.dtype() == kFloat64) return run_pass<double>(pass, layout, x, w, y);
  run_pass<float>(pass, layout, x, w, y);
}

}  // namespace ember::cpu
