// The bodies of the StandardGamma, StandardGammaGrad and Binomial CUDA kernels and of RandomFill's
// Poisson draws, in the vocabulary of kernel_grid.h: sampling.cu and random.cu launch them on the
// GPU, kernel_emulation_seq_test.cpp and kernel_emulation_sampling_test.cpp run them in the CPU
// emulator. Element i of a sampler reads its own run of Philox blocks (the
// ElementStream of elementwise/sampling_math.h, which the CPU loops use too), so one thread per
// element with a grid-stride loop draws the CPU's numbers for the same PhiloxState. The rejection
// loops diverge within a warp; the samplers are rare enough in models that this is accepted.
#pragma once

#include <cstdint>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/base/error.h"
#include "ember/elementwise/sampling_math.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_sampling.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

// The samplers of one parameter per element: Sample{}(parameter[i], element i's stream).
template <typename Sample>
struct OneParameterSamplerBody {
  const double* parameter;
  double* out;
  int64_t numel;
  PhiloxState state;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      sampling::ElementStream stream(state, static_cast<uint64_t>(i));
      out[i] = Sample{}(parameter[i], stream);
    }
  }
};

struct GammaSample {
  EMBER_HOST_DEVICE double operator()(double alpha, sampling::ElementStream& stream) const {
    return sampling::gamma_sample(alpha, stream);
  }
};

struct PoissonSample {
  EMBER_HOST_DEVICE double operator()(double rate, sampling::ElementStream& stream) const {
    return sampling::poisson_sample(rate, stream);
  }
};

struct StandardGammaGradBody {
  const double* alpha;
  const double* x;
  double* out;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx))
      out[i] = sampling::standard_gamma_grad(alpha[i], x[i]);
  }
};

struct BinomialBody {
  const double* count;
  const double* prob;
  double* out;
  int64_t numel;
  PhiloxState state;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      sampling::ElementStream stream(state, static_cast<uint64_t>(i));
      out[i] = sampling::binomial_sample(count[i], prob[i], stream);
    }
  }
};

// The primitives' contract: contiguous float64 operands of the output's numel.
inline void check_sampler_operands(const Primitive& primitive, TensorSpan inputs,
                                   const Tensor& out) {
  for (const Tensor& tensor : inputs) {
    if (tensor.dtype() != kFloat64 || !tensor.is_contiguous() || tensor.numel() != out.numel())
      raise_no_kernel(primitive.name(), "CUDA");
  }
  EMBER_CHECK(out.dtype() == kFloat64 && out.is_contiguous(), "[", primitive.name(),
              "] expects a contiguous float64 output");
}

template <typename Launch>
void run_standard_gamma(const StandardGamma& op, TensorSpan inputs, const Tensor& out,
                        Launch&& launch) {
  check_sampler_operands(op, inputs, out);
  if (out.numel() == 0) return;
  launch(elementwise_launch_shape(out.numel(), 1),
         OneParameterSamplerBody<GammaSample>{inputs[0].data_ptr<double>(), out.data_ptr<double>(),
                                              out.numel(), op.state()});
}

template <typename Launch>
void run_standard_gamma_grad(const StandardGammaGrad& op, TensorSpan inputs, const Tensor& out,
                             Launch&& launch) {
  check_sampler_operands(op, inputs, out);
  if (out.numel() == 0) return;
  launch(elementwise_launch_shape(out.numel(), 1),
         StandardGammaGradBody{inputs[0].data_ptr<double>(), inputs[1].data_ptr<double>(),
                               out.data_ptr<double>(), out.numel()});
}

template <typename Launch>
void run_binomial(const Binomial& op, TensorSpan inputs, const Tensor& out, Launch&& launch) {
  check_sampler_operands(op, inputs, out);
  if (out.numel() == 0) return;
  launch(elementwise_launch_shape(out.numel(), 1),
         BinomialBody{inputs[0].data_ptr<double>(), inputs[1].data_ptr<double>(),
                      out.data_ptr<double>(), out.numel(), op.state()});
}

// RandomFill's Poisson distribution: rates (inputs[0]) as the other samplers' operands.
template <typename Launch>
void run_poisson(const RandomFill& fill, TensorSpan inputs, const Tensor& out, Launch&& launch) {
  check_sampler_operands(fill, inputs, out);
  if (out.numel() == 0) return;
  launch(elementwise_launch_shape(out.numel(), 1),
         OneParameterSamplerBody<PoissonSample>{inputs[0].data_ptr<double>(),
                                                out.data_ptr<double>(), out.numel(), fill.state()});
}

}  // namespace ember::cuda
