// The body of the RandomFill CUDA kernel, in the vocabulary of kernel_grid.h: random.cu launches it
// on the GPU, kernel_emulation_random_test.cpp runs it in the CPU emulator. Element i of a fill
// is a pure function of (seed, offset, i) (base/philox.h), so the kernel gives each thread one
// Philox block and the k elements it feeds, with the CPU's counter layout (random_kernels.h in
// backend/cpu) and the CPU's maps from words to samples: the same PhiloxState yields the same
// numbers on both backends. random.cu is built with --fmad=false so that no multiply-add of a map
// (uniform_f64's low + u * (high - low), normal's mean + stddev * z) is contracted.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/base/error.h"
#include "ember/base/philox.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

// Each sampler writes the `count` (<= kPerBlock) elements that one Philox block feeds.
struct UniformF32 {
  using T = float;
  static constexpr int kPerBlock = 4;
  float low, high;
  EMBER_INLINE void operator()(const PhiloxWords& words, float* out, int count) const {
    for (int k = 0; k < count; ++k) out[k] = uniform_f32(words.w[k], low, high);
  }
};

struct UniformF64 {
  using T = double;
  static constexpr int kPerBlock = 2;
  double low, high;
  EMBER_INLINE void operator()(const PhiloxWords& words, double* out, int count) const {
    for (int k = 0; k < count; ++k)
      out[k] = uniform_f64(words.w[2 * k], words.w[2 * k + 1], low, high);
  }
};

// Normals (and log-normals, `exponentiate`): Box-Muller pairs from words (0, 1) and (2, 3).
struct NormalF32 {
  using T = float;
  static constexpr int kPerBlock = 4;
  float mean, stddev;
  bool exponentiate;
  EMBER_INLINE void operator()(const PhiloxWords& words, float* out, int count) const {
    const FloatPair a = normal_pair_f32(words.w[0], words.w[1]);
    const FloatPair b = normal_pair_f32(words.w[2], words.w[3]);
    const float z[4] = {a.first, a.second, b.first, b.second};
    for (int k = 0; k < count; ++k) {
      const float value = mean + stddev * z[k];
      out[k] = exponentiate ? ::expf(value) : value;
    }
  }
};

// The whole block is one Box-Muller pair.
struct NormalF64 {
  using T = double;
  static constexpr int kPerBlock = 2;
  double mean, stddev;
  bool exponentiate;
  EMBER_INLINE void operator()(const PhiloxWords& words, double* out, int count) const {
    const DoublePair pair = normal_pair_f64(words);
    const double z[2] = {pair.first, pair.second};
    for (int k = 0; k < count; ++k) {
      const double value = mean + stddev * z[k];
      out[k] = exponentiate ? ::exp(value) : value;
    }
  }
};

struct BernoulliF32 {
  using T = float;
  static constexpr int kPerBlock = 4;
  double p;
  EMBER_INLINE void operator()(const PhiloxWords& words, float* out, int count) const {
    for (int k = 0; k < count; ++k) out[k] = bernoulli_f32(words.w[k], p);
  }
};

struct RandIntI64 {
  using T = int64_t;
  static constexpr int kPerBlock = 2;
  int64_t low, high;
  EMBER_INLINE void operator()(const PhiloxWords& words, int64_t* out, int count) const {
    for (int k = 0; k < count; ++k)
      out[k] = randint_i64(words.w[2 * k], words.w[2 * k + 1], low, high);
  }
};

struct ExponentialF32 {
  using T = float;
  static constexpr int kPerBlock = 4;
  float lambd;
  EMBER_INLINE void operator()(const PhiloxWords& words, float* out, int count) const {
    for (int k = 0; k < count; ++k) out[k] = exponential_f32(words.w[k], lambd);
  }
};

struct ExponentialF64 {
  using T = double;
  static constexpr int kPerBlock = 2;
  double lambd;
  EMBER_INLINE void operator()(const PhiloxWords& words, double* out, int count) const {
    for (int k = 0; k < count; ++k)
      out[k] = exponential_f64(words.w[2 * k], words.w[2 * k + 1], lambd);
  }
};

struct CauchyF32 {
  using T = float;
  static constexpr int kPerBlock = 4;
  float median, sigma;
  EMBER_INLINE void operator()(const PhiloxWords& words, float* out, int count) const {
    for (int k = 0; k < count; ++k) out[k] = cauchy_f32(words.w[k], median, sigma);
  }
};

struct CauchyF64 {
  using T = double;
  static constexpr int kPerBlock = 2;
  double median, sigma;
  EMBER_INLINE void operator()(const PhiloxWords& words, double* out, int count) const {
    for (int k = 0; k < count; ++k)
      out[k] = cauchy_f64(words.w[2 * k], words.w[2 * k + 1], median, sigma);
  }
};

struct GeometricF64 {
  using T = double;
  static constexpr int kPerBlock = 2;
  double p;
  EMBER_INLINE void operator()(const PhiloxWords& words, double* out, int count) const {
    for (int k = 0; k < count; ++k) out[k] = geometric_f64(words.w[2 * k], words.w[2 * k + 1], p);
  }
};

// One thread per Philox block, grid-stride: block b feeds elements [b * kPerBlock, ...).
template <typename Sampler>
struct RandomFillBody {
  Sampler sampler;
  typename Sampler::T* out;
  int64_t numel;
  PhiloxState state;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    constexpr int64_t per_block = Sampler::kPerBlock;
    const int64_t blocks = (numel + per_block - 1) / per_block;
    for (int64_t b = global_thread_x(ctx); b < blocks; b += grid_threads_x(ctx)) {
      const int64_t first = b * per_block;
      const int64_t left = numel - first;
      sampler(philox_block(state.seed, state.offset, static_cast<uint64_t>(b)), out + first,
              static_cast<int>(left < per_block ? left : per_block));
    }
  }
};

template <typename Sampler, typename Launch>
void launch_random_fill(const Sampler& sampler, const Tensor& out, PhiloxState state,
                        Launch&& launch) {
  using T = typename Sampler::T;
  const int64_t blocks = (out.numel() + Sampler::kPerBlock - 1) / Sampler::kPerBlock;
  launch(elementwise_launch_shape(blocks, 1),
         RandomFillBody<Sampler>{sampler, out.data_ptr<T>(), out.numel(), state});
}

// RandomFill's distributions with a fixed number of words per element, on the dtypes eval_cpu
// fills (float32/float64; bernoulli float32; randint int64; geometric float64). random.cu routes
// Poisson to its own body (sampling_kernels.cuh) and Multinomial to a composite of device ops
// (multinomial_composite.h). Permutation (a sequential shuffle) raises "has no CUDA kernel".
template <typename Launch>
void run_random_fill(const RandomFill& fill, const Tensor& out, Launch&& launch) {
  using Distribution = RandomFill::Distribution;
  EMBER_CHECK(out.is_contiguous(), "[", fill.name(), "] expects a contiguous output");
  if (out.numel() == 0) return;
  const bool f64 = out.dtype() == kFloat64;
  const double a = fill.a(), b = fill.b();
  const auto fa = static_cast<float>(a), fb = static_cast<float>(b);
  const PhiloxState state = fill.state();
  switch (fill.distribution()) {
    case Distribution::Uniform:
      if (f64) return launch_random_fill(UniformF64{a, b}, out, state, launch);
      return launch_random_fill(UniformF32{fa, fb}, out, state, launch);
    case Distribution::Normal:
    case Distribution::LogNormal: {
      const bool log_normal = fill.distribution() == Distribution::LogNormal;
      if (f64) return launch_random_fill(NormalF64{a, b, log_normal}, out, state, launch);
      return launch_random_fill(NormalF32{fa, fb, log_normal}, out, state, launch);
    }
    case Distribution::Bernoulli:
      return launch_random_fill(BernoulliF32{a}, out, state, launch);
    case Distribution::RandInt:
      return launch_random_fill(RandIntI64{fill.low(), fill.high()}, out, state, launch);
    case Distribution::Exponential:
      if (f64) return launch_random_fill(ExponentialF64{a}, out, state, launch);
      return launch_random_fill(ExponentialF32{fa}, out, state, launch);
    case Distribution::Cauchy:
      if (f64) return launch_random_fill(CauchyF64{a, b}, out, state, launch);
      return launch_random_fill(CauchyF32{fa, fb}, out, state, launch);
    case Distribution::Geometric:
      return launch_random_fill(GeometricF64{a}, out, state, launch);
    case Distribution::Permutation:
    case Distribution::Poisson:
    case Distribution::Multinomial:
      break;
  }
  raise_no_kernel(fill.name(), "CUDA");
}

}  // namespace ember::cuda
