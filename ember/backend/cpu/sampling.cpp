// eval_cpu of the sampler primitives: the per-element samplers of random_kernels.cpp.
#include "ember/backend/cpu/random_kernels.h"
#include "ember/ops/primitives_sampling.h"

namespace ember {

void StandardGamma::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  cpu::standard_gamma_f64(inputs[0].data_ptr<double>(), outputs[0].data_ptr<double>(),
                          outputs[0].numel(), state_);
}

void StandardGammaGrad::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  cpu::standard_gamma_grad_f64(inputs[0].data_ptr<double>(), inputs[1].data_ptr<double>(),
                               outputs[0].data_ptr<double>(), outputs[0].numel());
}

void Binomial::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  cpu::binomial_f64(inputs[0].data_ptr<double>(), inputs[1].data_ptr<double>(),
                    outputs[0].data_ptr<double>(), outputs[0].numel(), state_);
}

}  // namespace ember
