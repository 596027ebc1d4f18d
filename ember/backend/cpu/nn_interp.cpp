// eval_cpu of Upsample (primitives_nn_interp.h). Each spatial dim gets a tap table
// (ops/nn_interp_taps.h): for every output index the source indices and weights that PyTorch's
// upsample kernels read. The input is viewed as (planes, d0, d1, d2), missing leading dims of size
// 1; every output row along d2 sums the taps of d0 and d1 over rows of the input, so the innermost
// loop runs over contiguous output. The adjoint walks the same taps and scatters; planes run in
// parallel, so no two threads write one element.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/nn_interp_taps.h"
#include "ember/ops/primitives_nn_interp.h"

namespace ember {
namespace {

using interp::make_taps;
using interp::Taps;
using interp::unit_taps;

// acc[o] += scale * sum_k w[k] row[index[k]] over the taps of o (contiguous output).
template <typename T>
void gather_row(const Taps<T>& taps, int64_t out, T scale, const T* row, T* acc) {
  const int64_t* index = taps.index.data();
  const T* w = taps.weight.data();
  if (taps.width == 1) {
    for (int64_t o = 0; o < out; ++o) acc[o] += scale * (w[o] * row[index[o]]);
  } else if (taps.width == 2) {
    for (int64_t o = 0; o < out; ++o) {
      acc[o] += scale * (w[2 * o] * row[index[2 * o]] + w[2 * o + 1] * row[index[2 * o + 1]]);
    }
  } else {
    for (int64_t o = 0; o < out; ++o) {
      T sum = 0;
      for (int64_t k = taps.begin[o]; k < taps.begin[o + 1]; ++k) sum += w[k] * row[index[k]];
      acc[o] += scale * sum;
    }
  }
}

// row[index[k]] += scale * w[k] * grad[o] over the taps of every o: gather_row's transpose.
template <typename T>
void scatter_row(const Taps<T>& taps, int64_t out, T scale, const T* grad, T* row) {
  const int64_t* index = taps.index.data();
  const T* w = taps.weight.data();
  if (taps.width == 2) {
    for (int64_t o = 0; o < out; ++o) {
      const T g = scale * grad[o];
      row[index[2 * o]] += w[2 * o] * g;
      row[index[2 * o + 1]] += w[2 * o + 1] * g;
    }
    return;
  }
  for (int64_t o = 0; o < out; ++o) {
    const T g = scale * grad[o];
    for (int64_t k = taps.begin[o]; k < taps.begin[o + 1]; ++k) row[index[k]] += w[k] * g;
  }
}

template <typename T>
void upsample(const Upsample& op, TensorSpan inputs, TensorSpan outputs) {
  const auto spatial = op.input_size().size();
  const bool all_equal = op.input_size() == op.output_size();
  Taps<T> taps[3] = {unit_taps<T>(), unit_taps<T>(), unit_taps<T>()};
  int64_t in[3] = {1, 1, 1};
  int64_t out[3] = {1, 1, 1};
  for (size_t d = 0; d < spatial; ++d) {
    const size_t slot = 3 - spatial + d;
    taps[slot] = make_taps<T>(op, d, all_equal);
    in[slot] = op.input_size()[d];
    out[slot] = op.output_size()[d];
  }
  const int64_t in_plane = in[0] * in[1] * in[2];
  const int64_t out_plane = out[0] * out[1] * out[2];
  const T* source = inputs[0].data_ptr<T>();
  T* target = outputs[0].data_ptr<T>();
  const int64_t planes = op.adjoint() ? (out_plane == 0 ? 0 : inputs[0].numel() / out_plane)
                                      : (in_plane == 0 ? 0 : inputs[0].numel() / in_plane);
  const int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(out_plane, 1));
  parallel_for(0, planes, grain, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const T* x = source + p * (op.adjoint() ? out_plane : in_plane);
      T* y = target + p * (op.adjoint() ? in_plane : out_plane);
      if (op.adjoint()) std::fill(y, y + in_plane, T(0));
      for (int64_t o0 = 0; o0 < out[0]; ++o0) {
        for (int64_t o1 = 0; o1 < out[1]; ++o1) {
          const int64_t out_row = (o0 * out[1] + o1) * out[2];
          if (!op.adjoint()) std::fill(y + out_row, y + out_row + out[2], T(0));
          for (int64_t k0 = taps[0].begin[o0]; k0 < taps[0].begin[o0 + 1]; ++k0) {
            for (int64_t k1 = taps[1].begin[o1]; k1 < taps[1].begin[o1 + 1]; ++k1) {
              const T w = taps[0].weight[k0] * taps[1].weight[k1];
              const int64_t in_row = (taps[0].index[k0] * in[1] + taps[1].index[k1]) * in[2];
              if (op.adjoint()) {
                scatter_row(taps[2], out[2], w, x + out_row, y + in_row);
              } else {
                gather_row(taps[2], out[2], w, x + in_row, y + out_row);
              }
            }
          }
        }
      }
    }
  });
}

}  // namespace

void Upsample::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return upsample<float>(*this, inputs, outputs);
    case ScalarType::Float64:
      return upsample<double>(*this, inputs, outputs);
    default:
      detail::raise<TypeError>("[", name(), "] expected float32 or float64; got ",
                               inputs[0].dtype());
  }
}

}  // namespace ember
