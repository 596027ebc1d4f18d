// The activation layers (libtorch's torch/nn/modules/activation.h): each keeps its options and
// forwards to one nn::functional call (ember/nn/functional/activation.h). Only PReLU holds a
// parameter.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/activation.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// An activation without options, printed as "ember::nn::Name()".
#define EMBER_PLAIN_ACTIVATION_MODULE(Name)                 \
  class Name##Impl : public Module {                        \
   public:                                                  \
    void reset() {}                                         \
    Tensor forward(const Tensor& input);                    \
    void pretty_print(std::ostream& stream) const override; \
  };                                                        \
  EMBER_MODULE(Name)

EMBER_PLAIN_ACTIVATION_MODULE(Sigmoid);
EMBER_PLAIN_ACTIVATION_MODULE(Tanh);
EMBER_PLAIN_ACTIVATION_MODULE(SiLU);
EMBER_PLAIN_ACTIVATION_MODULE(Mish);
EMBER_PLAIN_ACTIVATION_MODULE(Hardsigmoid);
EMBER_PLAIN_ACTIVATION_MODULE(Hardswish);
EMBER_PLAIN_ACTIVATION_MODULE(Softsign);
EMBER_PLAIN_ACTIVATION_MODULE(Tanhshrink);
EMBER_PLAIN_ACTIVATION_MODULE(LogSigmoid);
#undef EMBER_PLAIN_ACTIVATION_MODULE

// An activation configured by Options, which is given (`Softmax(1)`) or defaulted with
// `default_options` (`= {}`: `ReLU()`).
#define EMBER_OPTIONS_ACTIVATION_MODULE_WITH(Name, Options, default_options)            \
  class Name##Impl : public Module {                                                    \
   public:                                                                              \
    explicit Name##Impl(const Options& options_ default_options) : options(options_) {} \
    void reset() {}                                                                     \
    Tensor forward(Tensor input);                                                       \
    void pretty_print(std::ostream& stream) const override;                             \
    Options options;                                                                    \
  };                                                                                    \
  EMBER_MODULE(Name)
#define EMBER_OPTIONS_ACTIVATION_MODULE(Name) \
  EMBER_OPTIONS_ACTIVATION_MODULE_WITH(Name, Name##Options, = {})

EMBER_OPTIONS_ACTIVATION_MODULE(ReLU);
EMBER_OPTIONS_ACTIVATION_MODULE(ReLU6);
EMBER_OPTIONS_ACTIVATION_MODULE(LeakyReLU);
EMBER_OPTIONS_ACTIVATION_MODULE(ELU);
EMBER_OPTIONS_ACTIVATION_MODULE(SELU);
EMBER_OPTIONS_ACTIVATION_MODULE(CELU);
EMBER_OPTIONS_ACTIVATION_MODULE(GELU);
EMBER_OPTIONS_ACTIVATION_MODULE(GLU);
EMBER_OPTIONS_ACTIVATION_MODULE(Hardtanh);
EMBER_OPTIONS_ACTIVATION_MODULE(Hardshrink);
EMBER_OPTIONS_ACTIVATION_MODULE(Softshrink);
EMBER_OPTIONS_ACTIVATION_MODULE(Softplus);
EMBER_OPTIONS_ACTIVATION_MODULE_WITH(Softmax, SoftmaxOptions, );
EMBER_OPTIONS_ACTIVATION_MODULE_WITH(LogSoftmax, LogSoftmaxOptions, );
EMBER_OPTIONS_ACTIVATION_MODULE_WITH(Softmin, SoftminOptions, );
#undef EMBER_OPTIONS_ACTIVATION_MODULE
#undef EMBER_OPTIONS_ACTIVATION_MODULE_WITH

// x where x > threshold, else value: `Threshold(0.1, 20)`.
class ThresholdImpl : public Module {
 public:
  ThresholdImpl(double threshold, double value)
      : ThresholdImpl(ThresholdOptions(threshold, value)) {}
  explicit ThresholdImpl(const ThresholdOptions& options_) : options(options_) {}
  void reset() {}
  Tensor forward(Tensor input);
  void pretty_print(std::ostream& stream) const override;
  ThresholdOptions options;
};
EMBER_MODULE(Threshold);

// x where x > 0, else weight * x, with the parameter "weight" of num_parameters slopes (one, or
// one per channel) filled with `init`.
class PReLUImpl : public Module {
 public:
  explicit PReLUImpl(const PReLUOptions& options_ = {});
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;
  PReLUOptions options;
  Tensor weight;
};
EMBER_MODULE(PReLU);

}  // namespace ember::nn
