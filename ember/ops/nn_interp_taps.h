// The tap tables of Upsample (primitives_nn_interp.h), shared by the CPU kernel
// (backend/cpu/nn_interp.cpp) and the CUDA one's host layout (backend/cuda/upsample_layout.cpp):
// for every output index of one dim, the source indices and weights that PyTorch's upsample
// kernels read (aten/src/ATen/native/UpSample.h: area_pixel_compute_scale,
// area_pixel_compute_source_index, nearest_idx, guard_index_and_lambda, the cubic convolution
// coefficients), computed in the kernel's scalar type as PyTorch computes them in its opmath type
// (nearest indices in float).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ember/ops/primitives_nn_interp.h"

namespace ember::interp {

inline constexpr double kCubicA = -0.75;

// Taps of one dim: output index o reads index[k] with weight[k] for k in [begin[o], begin[o + 1]).
// `width` is the number of taps of every output index, or 0 where it varies (area).
template <typename T>
struct Taps {
  std::vector<int64_t> begin;
  std::vector<int64_t> index;
  std::vector<T> weight;
  int64_t width = 0;

  void add(int64_t source, T w) {
    index.push_back(source);
    weight.push_back(w);
  }
  void close() { begin.push_back(static_cast<int64_t>(index.size())); }
};

// PyTorch's compute_scales_value / area_pixel_compute_scale.
template <typename T>
T area_scale(int64_t in, int64_t out, bool align_corners, double scale) {
  if (align_corners) return out > 1 ? static_cast<T>(in - 1) / static_cast<T>(out - 1) : T(0);
  return scale > 0 ? static_cast<T>(1.0 / scale) : static_cast<T>(in) / static_cast<T>(out);
}

template <typename T>
T source_index(T scale, int64_t o, bool align_corners, bool cubic) {
  if (align_corners) return scale * static_cast<T>(o);
  const T source = scale * (static_cast<T>(o) + T(0.5)) - T(0.5);
  return (!cubic && source < 0) ? T(0) : source;
}

// PyTorch's guard_index_and_lambda: the floor, kept inside the input, and the fraction past it.
template <typename T>
void guard(T real, int64_t in, int64_t& index, T& lambda) {
  index = std::min(static_cast<int64_t>(std::floor(real)), in - 1);
  lambda = std::min(std::max(real - static_cast<T>(index), T(0)), T(1));
}

template <typename T>
T cubic_inner(T x) {  // |x| <= 1
  const T a = static_cast<T>(kCubicA);
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}

template <typename T>
T cubic_outer(T x) {  // 1 < |x| < 2
  const T a = static_cast<T>(kCubicA);
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

// The antialiasing filters of PyTorch's _upsample_*_aa at a distance x from the centre.
template <typename T>
T antialias_filter(UpsampleMode mode, T x) {
  x = std::abs(x);
  if (mode == UpsampleMode::LinearAntialias) return x < 1 ? 1 - x : T(0);
  const T a = T(-0.5);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return T(0);
}

// The taps of output index o of an antialiased dim: the input indices [first, last) around the
// centre, each weighted by the filter (stretched by the scale when it is above 1), normalised.
template <typename T>
void add_antialias_taps(Taps<T>& taps, UpsampleMode mode, int64_t o, int64_t in, T scale) {
  const T half_width = mode == UpsampleMode::LinearAntialias ? T(1) : T(2);
  const T support = scale >= 1 ? half_width * scale : half_width;
  const T inverse = scale >= 1 ? 1 / scale : T(1);
  const T center = scale * (static_cast<T>(o) + T(0.5));
  // Truncation toward zero, as PyTorch's static_cast.
  const int64_t first = std::max<int64_t>(static_cast<int64_t>(center - support + T(0.5)), 0);
  const int64_t last = std::min<int64_t>(static_cast<int64_t>(center + support + T(0.5)), in);
  const size_t start = taps.weight.size();
  T total = 0;
  for (int64_t i = first; i < last; ++i) {
    const T w = antialias_filter(mode, (static_cast<T>(i) - center + T(0.5)) * inverse);
    taps.add(i, w);
    total += w;
  }
  if (total == 0) return;
  for (size_t k = start; k < taps.weight.size(); ++k) taps.weight[k] /= total;
}

template <typename T>
Taps<T> make_taps(const Upsample& op, size_t dim, bool all_dims_equal) {
  const int64_t in = op.input_size()[dim];
  const int64_t out = op.output_size()[dim];
  const double scale = op.scales()[dim];
  const bool align = op.align_corners();
  Taps<T> taps;
  taps.begin.push_back(0);
  for (int64_t o = 0; o < out; ++o) {
    switch (op.mode()) {
      case UpsampleMode::Nearest:
      case UpsampleMode::NearestExact: {
        int64_t source = o;
        if (op.mode() == UpsampleMode::Nearest && out == 2 * in) {
          source = o >> 1;
        } else if (out != in || op.mode() == UpsampleMode::NearestExact) {
          const float s = scale > 0 ? static_cast<float>(1.0 / scale)
                                    : static_cast<float>(in) / static_cast<float>(out);
          const float offset = op.mode() == UpsampleMode::NearestExact ? 0.5f : 0.0f;
          source = std::min(static_cast<int64_t>(std::floor((static_cast<float>(o) + offset) * s)),
                            in - 1);
        }
        taps.add(source, T(1));
        break;
      }
      case UpsampleMode::Linear: {
        if (out == in) {
          taps.add(o, T(1));
          taps.add(o, T(0));
          break;
        }
        const T real = source_index(area_scale<T>(in, out, align, scale), o, align, false);
        int64_t index;
        T lambda;
        guard(real, in, index, lambda);
        taps.add(index, T(1) - lambda);
        taps.add(index + (index < in - 1 ? 1 : 0), lambda);
        break;
      }
      case UpsampleMode::Cubic: {
        if (all_dims_equal) {
          for (int k = 0; k < 4; ++k) taps.add(o, k == 1 ? T(1) : T(0));
          break;
        }
        const T real = source_index(area_scale<T>(in, out, align, scale), o, align, true);
        int64_t index;
        T t;
        guard(real, in, index, t);
        const T weights[4] = {cubic_outer(t + 1), cubic_inner(t), cubic_inner(1 - t),
                              cubic_outer(2 - t)};
        for (int64_t k = 0; k < 4; ++k) {
          taps.add(std::clamp<int64_t>(index - 1 + k, 0, in - 1), weights[k]);
        }
        break;
      }
      case UpsampleMode::Area: {
        const int64_t start = (o * in) / out;
        const int64_t end = ((o + 1) * in + out - 1) / out;
        const T w = T(1) / static_cast<T>(end - start);
        for (int64_t i = start; i < end; ++i) taps.add(i, w);
        break;
      }
      case UpsampleMode::LinearAntialias:
      case UpsampleMode::CubicAntialias:
        add_antialias_taps(taps, op.mode(), o, in, area_scale<T>(in, out, align, scale));
        break;
    }
    taps.close();
  }
  const bool fixed = op.mode() != UpsampleMode::Area &&
                     op.mode() != UpsampleMode::LinearAntialias &&
                     op.mode() != UpsampleMode::CubicAntialias;
  taps.width = fixed && out > 0 ? taps.begin[1] : 0;
  return taps;
}

// The identity taps of a dim the input does not have.
template <typename T>
Taps<T> unit_taps() {
  Taps<T> taps;
  taps.begin = {0, 1};
  taps.index = {0};
  taps.weight = {T(1)};
  taps.width = 1;
  return taps;
}

}  // namespace ember::interp
