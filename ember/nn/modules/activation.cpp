// The activation layers of activation.h: each forward is one nn::functional call; the printing
// is libtorch's.
#include "ember/nn/modules/activation.h"

#include "ember/nn/functional/activation.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_init.h"
#include "ember/ops/ops.h"

namespace ember::nn {

#define EMBER_PLAIN_ACTIVATION_DEFINITIONS(Name, function)                    \
  Tensor Name##Impl::forward(const Tensor& input) { return function(input); } \
  void Name##Impl::pretty_print(std::ostream& stream) const { stream << "ember::nn::" #Name "()"; }
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Sigmoid, ember::sigmoid)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Tanh, ember::tanh)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(SiLU, functional::silu)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Mish, functional::mish)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Hardsigmoid, functional::hardsigmoid)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Hardswish, functional::hardswish)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Softsign, functional::softsign)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(Tanhshrink, functional::tanhshrink)
EMBER_PLAIN_ACTIVATION_DEFINITIONS(LogSigmoid, functional::logsigmoid)
#undef EMBER_PLAIN_ACTIVATION_DEFINITIONS

#define EMBER_OPTIONS_ACTIVATION_FORWARD(Name, function)    \
  Tensor Name##Impl::forward(Tensor input) {                \
    return functional::function(std::move(input), options); \
  }
EMBER_OPTIONS_ACTIVATION_FORWARD(ReLU, relu)
EMBER_OPTIONS_ACTIVATION_FORWARD(ReLU6, relu6)
EMBER_OPTIONS_ACTIVATION_FORWARD(LeakyReLU, leaky_relu)
EMBER_OPTIONS_ACTIVATION_FORWARD(ELU, elu)
EMBER_OPTIONS_ACTIVATION_FORWARD(SELU, selu)
EMBER_OPTIONS_ACTIVATION_FORWARD(CELU, celu)
EMBER_OPTIONS_ACTIVATION_FORWARD(GELU, gelu)
EMBER_OPTIONS_ACTIVATION_FORWARD(GLU, glu)
EMBER_OPTIONS_ACTIVATION_FORWARD(Hardtanh, hardtanh)
EMBER_OPTIONS_ACTIVATION_FORWARD(Hardshrink, hardshrink)
EMBER_OPTIONS_ACTIVATION_FORWARD(Softshrink, softshrink)
EMBER_OPTIONS_ACTIVATION_FORWARD(Softplus, softplus)
EMBER_OPTIONS_ACTIVATION_FORWARD(Threshold, threshold)
#undef EMBER_OPTIONS_ACTIVATION_FORWARD

#define EMBER_SOFTMAX_FORWARD(Name, function) \
  Tensor Name##Impl::forward(Tensor input) { return functional::function(input, options.dim()); }
EMBER_SOFTMAX_FORWARD(Softmax, softmax)
EMBER_SOFTMAX_FORWARD(LogSoftmax, log_softmax)
EMBER_SOFTMAX_FORWARD(Softmin, softmin)
#undef EMBER_SOFTMAX_FORWARD

namespace {

// ", inplace=true" where set (libtorch prints inplace only then); `first`: without the comma.
void print_inplace(std::ostream& stream, bool inplace, bool first = false) {
  if (inplace) stream << (first ? "" : ", ") << "inplace=true";
}

// A layer whose only option is inplace: "ember::nn::ReLU()" or "ember::nn::ReLU(inplace=true)".
void print_inplace_only(std::ostream& stream, const char* layer, bool inplace) {
  stream << "ember::nn::" << layer << "(";
  print_inplace(stream, inplace, true);
  stream << ")";
}

}  // namespace

void ReLUImpl::pretty_print(std::ostream& stream) const {
  print_inplace_only(stream, "ReLU", options.inplace());
}

void ReLU6Impl::pretty_print(std::ostream& stream) const {
  print_inplace_only(stream, "ReLU6", options.inplace());
}

void SELUImpl::pretty_print(std::ostream& stream) const {
  print_inplace_only(stream, "SELU", options.inplace());
}

void LeakyReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::LeakyReLU(negative_slope=" << options.negative_slope();
  print_inplace(stream, options.inplace());
  stream << ")";
}

void ELUImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::ELU(alpha=" << options.alpha();
  print_inplace(stream, options.inplace());
  stream << ")";
}

void CELUImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::CELU(alpha=" << options.alpha();
  print_inplace(stream, options.inplace());
  stream << ")";
}

void GELUImpl::pretty_print(std::ostream& stream) const { stream << "ember::nn::GELU()"; }

void GLUImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::GLU(dim=" << options.dim() << ")";
}

void HardtanhImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Hardtanh(min_val=" << options.min_val()
         << ", max_val=" << options.max_val();
  print_inplace(stream, options.inplace());
  stream << ")";
}

void HardshrinkImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Hardshrink(" << options.lambda() << ")";
}

void SoftshrinkImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Softshrink(" << options.lambda() << ")";
}

void SoftplusImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Softplus(beta=" << options.beta() << ", threshold=" << options.threshold()
         << ")";
}

void SoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Softmax(dim=" << options.dim() << ")";
}

void LogSoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::LogSoftmax(dim=" << options.dim() << ")";
}

void SoftminImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Softmin(dim=" << options.dim() << ")";
}

void ThresholdImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Threshold(threshold=" << options.threshold()
         << ", value=" << options.value();
  print_inplace(stream, options.inplace());
  stream << ")";
}

PReLUImpl::PReLUImpl(const PReLUOptions& options_) : options(options_) { reset(); }

void PReLUImpl::reset() {
  weight = register_parameter("weight", empty({options.num_parameters()}));
  reset_parameters();
}

void PReLUImpl::reset_parameters() { init::constant_(weight, options.init()); }

Tensor PReLUImpl::forward(const Tensor& input) { return functional::prelu(input, weight); }

void PReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::PReLU(num_parameters=" << options.num_parameters() << ")";
}

}  // namespace ember::nn
