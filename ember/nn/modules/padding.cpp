// The padding layers of padding.h.
#include "ember/nn/modules/padding.h"

#include <string_view>

#include "ember/ops/nn_pad.h"

namespace ember::nn {
namespace {

void print_padding(std::ostream& stream, std::string_view name, const int64_t* begin,
                   const int64_t* end) {
  stream << "ember::nn::" << name << "(padding=[";
  for (const int64_t* p = begin; p != end; ++p) stream << (p == begin ? "" : ", ") << *p;
  stream << "]";
}

}  // namespace

#define EMBER_GATHERED_PADDING(Name, mode)                                            \
  Tensor Name##Impl::forward(const Tensor& input) {                                   \
    return ember::pad(input, options.padding().vec(), mode);                          \
  }                                                                                   \
  void Name##Impl::pretty_print(std::ostream& stream) const {                         \
    print_padding(stream, #Name, options.padding().begin(), options.padding().end()); \
    stream << ")";                                                                    \
  }

EMBER_GATHERED_PADDING(ReflectionPad1d, "reflect")
EMBER_GATHERED_PADDING(ReflectionPad2d, "reflect")
EMBER_GATHERED_PADDING(ReflectionPad3d, "reflect")
EMBER_GATHERED_PADDING(ReplicationPad1d, "replicate")
EMBER_GATHERED_PADDING(ReplicationPad2d, "replicate")
EMBER_GATHERED_PADDING(ReplicationPad3d, "replicate")
#undef EMBER_GATHERED_PADDING

Tensor ZeroPad2dImpl::forward(const Tensor& input) {
  return ember::pad(input, options.padding().vec(), "constant", 0.0);
}

void ZeroPad2dImpl::pretty_print(std::ostream& stream) const {
  print_padding(stream, "ZeroPad2d", options.padding().begin(), options.padding().end());
  stream << ")";
}

#define EMBER_CONSTANT_PADDING(Name)                                                  \
  Tensor Name##Impl::forward(const Tensor& input) {                                   \
    return ember::pad(input, options.padding().vec(), "constant", options.value());   \
  }                                                                                   \
  void Name##Impl::pretty_print(std::ostream& stream) const {                         \
    print_padding(stream, #Name, options.padding().begin(), options.padding().end()); \
    stream << ", value=" << options.value() << ")";                                   \
  }

EMBER_CONSTANT_PADDING(ConstantPad1d)
EMBER_CONSTANT_PADDING(ConstantPad2d)
EMBER_CONSTANT_PADDING(ConstantPad3d)
#undef EMBER_CONSTANT_PADDING

}  // namespace ember::nn
