// eval_cpu of RandomFill: the Philox kernels of random_kernels.cpp on the output buffer.
#include "ember/backend/cpu/random_kernels.h"
#include "ember/base/error.h"
#include "ember/ops/primitives.h"

namespace ember {

std::string_view RandomFill::name() const {
  switch (distribution_) {
    case Distribution::Uniform:
      return "uniform_";
    case Distribution::Normal:
      return "normal_";
    case Distribution::Bernoulli:
      return "bernoulli_";
    case Distribution::RandInt:
      return "random_";
    case Distribution::Exponential:
      return "exponential_";
    case Distribution::Geometric:
      return "geometric_";
    case Distribution::LogNormal:
      return "log_normal_";
    case Distribution::Cauchy:
      return "cauchy_";
    case Distribution::Permutation:
      return "randperm";
    case Distribution::Poisson:
      return "poisson";
    case Distribution::Multinomial:
      return "multinomial";
  }
  return "random";
}

void RandomFill::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& out = outputs[0];
  EMBER_CHECK(out.is_contiguous(), "[", name(), "] expects a contiguous output");
  const int64_t n = out.numel();
  const bool f64 = out.dtype() == kFloat64;
  switch (distribution_) {
    case Distribution::Uniform:
      if (f64)
        cpu::fill_uniform_f64(out.data_ptr<double>(), n, a_, b_, state_);
      else
        cpu::fill_uniform_f32(out.data_ptr<float>(), n, float(a_), float(b_), state_);
      return;
    case Distribution::Normal:
      if (f64)
        cpu::fill_normal_f64(out.data_ptr<double>(), n, a_, b_, state_);
      else
        cpu::fill_normal_f32(out.data_ptr<float>(), n, float(a_), float(b_), state_);
      return;
    case Distribution::Bernoulli:
      cpu::fill_bernoulli_f32(out.data_ptr<float>(), n, a_, state_);
      return;
    case Distribution::RandInt:
      cpu::fill_randint_i64(out.data_ptr<int64_t>(), n, low_, high_, state_);
      return;
    case Distribution::Exponential:
      if (f64)
        cpu::fill_exponential_f64(out.data_ptr<double>(), n, a_, state_);
      else
        cpu::fill_exponential_f32(out.data_ptr<float>(), n, float(a_), state_);
      return;
    case Distribution::Geometric:
      cpu::fill_geometric_f64(out.data_ptr<double>(), n, a_, state_);
      return;
    case Distribution::LogNormal:
      if (f64)
        cpu::fill_log_normal_f64(out.data_ptr<double>(), n, a_, b_, state_);
      else
        cpu::fill_log_normal_f32(out.data_ptr<float>(), n, float(a_), float(b_), state_);
      return;
    case Distribution::Cauchy:
      if (f64)
        cpu::fill_cauchy_f64(out.data_ptr<double>(), n, a_, b_, state_);
      else
        cpu::fill_cauchy_f32(out.data_ptr<float>(), n, float(a_), float(b_), state_);
      return;
    case Distribution::Permutation:
      cpu::fill_randperm_i64(out.data_ptr<int64_t>(), n, state_);
      return;
    case Distribution::Poisson:
      cpu::poisson_f64(inputs[0].data_ptr<double>(), out.data_ptr<double>(), n, state_);
      return;
    case Distribution::Multinomial:
      cpu::multinomial_f64(inputs[0].data_ptr<double>(), out.size(0), inputs[0].size(1),
                           out.size(1), a_ != 0, out.data_ptr<int64_t>(), state_);
      return;
  }
}

}  // namespace ember
