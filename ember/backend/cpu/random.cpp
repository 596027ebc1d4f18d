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
      return "randint";
  }
  return "random";
}

void RandomFill::eval_cpu(TensorSpan, TensorSpan outputs) const {
  const Tensor& out = outputs[0];
  EMBER_CHECK(out.is_contiguous(), "[", name(), "] expects a contiguous output");
  const PhiloxState state{seed_, offset_};
  const int64_t n = out.numel();
  const ScalarType dtype = out.dtype();
  switch (distribution_) {
    case Distribution::Uniform:
      if (dtype == kFloat64)
        cpu::fill_uniform_f64(out.data_ptr<double>(), n, a_, b_, state);
      else
        cpu::fill_uniform_f32(out.data_ptr<float>(), n, float(a_), float(b_), state);
      return;
    case Distribution::Normal:
      if (dtype == kFloat64)
        cpu::fill_normal_f64(out.data_ptr<double>(), n, a_, b_, state);
      else
        cpu::fill_normal_f32(out.data_ptr<float>(), n, float(a_), float(b_), state);
      return;
    case Distribution::Bernoulli:
      cpu::fill_bernoulli_f32(out.data_ptr<float>(), n, a_, state);
      return;
    case Distribution::RandInt:
      cpu::fill_randint_i64(out.data_ptr<int64_t>(), n, static_cast<int64_t>(a_),
                            static_cast<int64_t>(b_), state);
      return;
  }
}

}  // namespace ember
