// The convolution layers of conv.h. The checks and messages of the constructors are PyTorch's
// _ConvNd's; the math is the ops' (ember/ops/nn_conv.h, ember/ops/nn_pad.h).
#include "ember/nn/modules/conv.h"

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "ember/base/error.h"
#include "ember/nn/init.h"
#include "ember/ops/nn_conv.h"
#include "ember/ops/nn_pad.h"
#include "ember/ops/ops.h"

namespace ember::nn {
namespace {

template <size_t D>
std::ostream& operator<<(std::ostream& stream, const ExpandingArray<D>& values) {
  stream << "[";
  for (size_t i = 0; i < D; ++i) stream << (i == 0 ? "" : ", ") << values[i];
  return stream << "]";
}

template <size_t D>
bool all_equal(const ExpandingArray<D>& values, int64_t value) {
  for (int64_t v : values) {
    if (v != value) return false;
  }
  return true;
}

std::string_view padding_mode_name(const ConvPaddingMode& mode) {
  constexpr std::string_view kNames[] = {"zeros", "reflect", "replicate", "circular"};
  return kNames[mode.index()];
}

template <typename Options>
void check_channels(const Options& options) {
  EMBER_CHECK_VALUE(options.groups() > 0, "groups must be a positive integer");
  EMBER_CHECK_VALUE(options.in_channels() % options.groups() == 0,
                    "in_channels must be divisible by groups");
  EMBER_CHECK_VALUE(options.out_channels() % options.groups() == 0,
                    "out_channels must be divisible by groups");
}

// weight (first, second, *kernel_size) and bias (out_channels) where options.bias().
template <typename Impl, size_t D>
void register_conv_parameters(Impl& impl, int64_t first, int64_t second,
                              const ExpandingArray<D>& kernel_size) {
  Shape shape{first, second};
  for (int64_t k : kernel_size) shape.push_back(k);
  impl.weight = impl.register_parameter("weight", empty(shape));
  if (impl.options.bias()) {
    impl.bias = impl.register_parameter("bias", empty({impl.options.out_channels()}));
  } else {
    impl.bias = impl.register_parameter("bias", Tensor(), /*requires_grad=*/false);
  }
  impl.reset_parameters();
}

void reset_conv_parameters(const Tensor& weight, const Tensor& bias) {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (!bias.defined()) return;
  const auto [fan_in, fan_out] = init::_calculate_fan_in_and_fan_out(weight);
  if (fan_in == 0) return;
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  init::uniform_(bias, -bound, bound);
}

// PyTorch's repr of a convolution layer after its class name.
template <typename Options, size_t D>
void print_conv(std::ostream& stream, std::string_view name, const Options& options,
                const ExpandingArray<D>* padding, std::string_view padding_string,
                const ExpandingArray<D>* output_padding) {
  stream << std::boolalpha << "ember::nn::" << name << "(" << options.in_channels() << ", "
         << options.out_channels() << ", kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride();
  if (padding == nullptr) {
    stream << ", padding=" << padding_string;
  } else if (!all_equal(*padding, 0)) {
    stream << ", padding=" << *padding;
  }
  if (!all_equal(options.dilation(), 1)) stream << ", dilation=" << options.dilation();
  if (output_padding != nullptr && !all_equal(*output_padding, 0)) {
    stream << ", output_padding=" << *output_padding;
  }
  if (options.groups() != 1) stream << ", groups=" << options.groups();
  if (!options.bias()) stream << ", bias=false";
  if (options.padding_mode().index() != 0) {
    stream << ", padding_mode=" << padding_mode_name(options.padding_mode());
  }
  stream << ")";
}

// ember::pad's (left, right) pairs from the last dim for a layer's padding; 'same' puts the odd
// element after, as PyTorch.
template <size_t D>
std::vector<int64_t> pad_pairs(const ConvPadding<D>& padding, const ExpandingArray<D>& kernel,
                               const ExpandingArray<D>& dilation) {
  std::vector<int64_t> pairs;
  for (size_t i = D; i-- > 0;) {
    int64_t before = 0, after = 0;
    if (const auto* sizes = std::get_if<ExpandingArray<D>>(&padding)) {
      before = after = (*sizes)[i];
    } else if (std::holds_alternative<enumtype::kSame>(padding)) {
      const int64_t total = dilation[i] * (kernel[i] - 1);
      before = total / 2;
      after = total - before;
    }
    pairs.push_back(before);
    pairs.push_back(after);
  }
  return pairs;
}

using ConvFunction = Tensor (*)(const Tensor&, const Tensor&, const std::optional<Tensor>&,
                                IntArrayRef, IntArrayRef, IntArrayRef, int64_t);
using ConvStringFunction = Tensor (*)(const Tensor&, const Tensor&, const std::optional<Tensor>&,
                                      IntArrayRef, ConvPaddingString, IntArrayRef, int64_t);

template <typename Impl, size_t D>
Tensor conv_forward(const Impl& impl, const Tensor& input, ConvFunction conv,
                    ConvStringFunction conv_string) {
  const auto& o = impl.options;
  if (o.padding_mode().index() != 0) {
    const Tensor padded = pad(input, pad_pairs<D>(o.padding(), o.kernel_size(), o.dilation()),
                              padding_mode_name(o.padding_mode()));
    return conv(padded, impl.weight, impl.bias, o.stride(), 0, o.dilation(), o.groups());
  }
  if (const auto* sizes = std::get_if<ExpandingArray<D>>(&o.padding())) {
    return conv(input, impl.weight, impl.bias, o.stride(), *sizes, o.dilation(), o.groups());
  }
  const bool same = std::holds_alternative<enumtype::kSame>(o.padding());
  return conv_string(input, impl.weight, impl.bias, o.stride(),
                     same ? ConvPaddingString("same") : ConvPaddingString("valid"), o.dilation(),
                     o.groups());
}

template <typename Impl>
void check_transpose_options(std::string_view name, const Impl& impl) {
  check_channels(impl.options);
  EMBER_CHECK_VALUE(impl.options.padding_mode().index() == 0,
                    "Only \"zeros\" padding mode is supported for ", name);
}

}  // namespace

#define EMBER_CONV_LAYER(D)                                                                       \
  Conv##D##dImpl::Conv##D##dImpl(const Conv##D##dOptions& options_) : options(options_) {         \
    reset();                                                                                      \
  }                                                                                               \
  void Conv##D##dImpl::reset() {                                                                  \
    check_channels(options);                                                                      \
    const bool same = std::holds_alternative<enumtype::kSame>(options.padding());                 \
    EMBER_CHECK_VALUE(!same || all_equal(options.stride(), 1),                                    \
                      "padding='same' is not supported for strided convolutions");                \
    register_conv_parameters(*this, options.out_channels(),                                       \
                             options.in_channels() / options.groups(), options.kernel_size());    \
  }                                                                                               \
  void Conv##D##dImpl::reset_parameters() { reset_conv_parameters(weight, bias); }                \
  Tensor Conv##D##dImpl::forward(const Tensor& input) {                                           \
    return conv_forward<Conv##D##dImpl, D>(*this, input, &ember::conv##D##d, &ember::conv##D##d); \
  }                                                                                               \
  void Conv##D##dImpl::pretty_print(std::ostream& stream) const {                                 \
    const auto* sizes = std::get_if<ExpandingArray<D>>(&options.padding());                       \
    const bool same = std::holds_alternative<enumtype::kSame>(options.padding());                 \
    print_conv<Conv##D##dOptions, D>(stream, "Conv" #D "d", options, sizes,                       \
                                     same ? "same" : "valid", nullptr);                           \
  }                                                                                               \
  ConvTranspose##D##dImpl::ConvTranspose##D##dImpl(const ConvTranspose##D##dOptions& options_)    \
      : options(options_) {                                                                       \
    reset();                                                                                      \
  }                                                                                               \
  void ConvTranspose##D##dImpl::reset() {                                                         \
    check_transpose_options("ConvTranspose" #D "d", *this);                                       \
    register_conv_parameters(*this, options.in_channels(),                                        \
                             options.out_channels() / options.groups(), options.kernel_size());   \
  }                                                                                               \
  void ConvTranspose##D##dImpl::reset_parameters() { reset_conv_parameters(weight, bias); }       \
  Tensor ConvTranspose##D##dImpl::forward(const Tensor& input,                                    \
                                          const std::optional<IntArrayRef>& output_size) {        \
    Shape output_padding(options.output_padding().begin(), options.output_padding().end());       \
    if (output_size) {                                                                            \
      output_padding =                                                                            \
          conv_transpose_output_padding(input, *output_size, options.stride(), options.padding(), \
                                        options.kernel_size(), options.dilation());               \
    }                                                                                             \
    return conv_transpose##D##d(input, weight, bias, options.stride(), options.padding(),         \
                                output_padding, options.groups(), options.dilation());            \
  }                                                                                               \
  void ConvTranspose##D##dImpl::pretty_print(std::ostream& stream) const {                        \
    print_conv<ConvTranspose##D##dOptions, D>(stream, "ConvTranspose" #D "d", options,            \
                                              &options.padding(), "", &options.output_padding()); \
  }

EMBER_CONV_LAYER(1)
EMBER_CONV_LAYER(2)
EMBER_CONV_LAYER(3)

#undef EMBER_CONV_LAYER

}  // namespace ember::nn
