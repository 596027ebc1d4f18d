// The pooling layers (modules/pooling.h): forward is the functional form with the options;
// pretty_print is libtorch's.
#include "ember/nn/modules/pooling.h"

#include "ember/nn/functional/pooling.h"

namespace ember::nn {
namespace {

// "[2, 2]", as libtorch prints an ExpandingArray; "None" for an absent adaptive size.
template <typename Sizes>
void print_sizes(std::ostream& stream, const Sizes& sizes) {
  stream << "[";
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i > 0) stream << ", ";
    if constexpr (std::is_same_v<std::decay_t<decltype(sizes[i])>, std::optional<int64_t>>) {
      if (sizes[i]) {
        stream << *sizes[i];
      } else {
        stream << "None";
      }
    } else {
      stream << sizes[i];
    }
  }
  stream << "]";
}

template <typename Options>
void print_max_pool(std::ostream& stream, std::string_view name, const Options& options) {
  stream << std::boolalpha << "ember::nn::" << name << "(kernel_size=";
  print_sizes(stream, options.kernel_size());
  stream << ", stride=";
  print_sizes(stream, options.stride());
  stream << ", padding=";
  print_sizes(stream, options.padding());
  stream << ", dilation=";
  print_sizes(stream, options.dilation());
  stream << ", ceil_mode=" << options.ceil_mode() << ")";
}

template <typename Options>
void print_avg_pool(std::ostream& stream, std::string_view name, const Options& options) {
  stream << "ember::nn::" << name << "(kernel_size=";
  print_sizes(stream, options.kernel_size());
  stream << ", stride=";
  print_sizes(stream, options.stride());
  stream << ", padding=";
  print_sizes(stream, options.padding());
  stream << ")";
}

template <typename Options>
void print_adaptive(std::ostream& stream, std::string_view name, const Options& options) {
  stream << "ember::nn::" << name << "(output_size=";
  print_sizes(stream, options.output_size());
  stream << ")";
}

template <typename Options>
void print_max_unpool(std::ostream& stream, std::string_view name, const Options& options) {
  stream << "ember::nn::" << name << "(kernel_size=";
  print_sizes(stream, options.kernel_size());
  stream << ", stride=";
  print_sizes(stream, options.stride());
  stream << ", padding=";
  print_sizes(stream, options.padding());
  stream << ")";
}

}  // namespace

#define EMBER_MAX_POOL(D)                                                                   \
  Tensor MaxPool##D##dImpl::forward(const Tensor& input) {                                  \
    return functional::max_pool##D##d(input, options);                                      \
  }                                                                                         \
  std::tuple<Tensor, Tensor> MaxPool##D##dImpl::forward_with_indices(const Tensor& input) { \
    return functional::max_pool##D##d_with_indices(input, options);                         \
  }                                                                                         \
  void MaxPool##D##dImpl::pretty_print(std::ostream& stream) const {                        \
    print_max_pool(stream, "MaxPool" #D "d", options);                                      \
  }

#define EMBER_AVG_POOL(D)                                                    \
  Tensor AvgPool##D##dImpl::forward(const Tensor& input) {                   \
    return functional::avg_pool##D##d(input, options);                       \
  }                                                                          \
  void AvgPool##D##dImpl::pretty_print(std::ostream& stream) const {         \
    print_avg_pool(stream, "AvgPool" #D "d", options);                       \
  }                                                                          \
  Tensor AdaptiveAvgPool##D##dImpl::forward(const Tensor& input) {           \
    return functional::adaptive_avg_pool##D##d(input, options);              \
  }                                                                          \
  void AdaptiveAvgPool##D##dImpl::pretty_print(std::ostream& stream) const { \
    print_adaptive(stream, "AdaptiveAvgPool" #D "d", options);               \
  }

#define EMBER_ADAPTIVE_MAX_POOL(D)                                            \
  Tensor AdaptiveMaxPool##D##dImpl::forward(const Tensor& input) {            \
    return functional::adaptive_max_pool##D##d(input, options);               \
  }                                                                           \
  std::tuple<Tensor, Tensor> AdaptiveMaxPool##D##dImpl::forward_with_indices( \
      const Tensor& input) {                                                  \
    return functional::adaptive_max_pool##D##d_with_indices(input, options);  \
  }                                                                           \
  void AdaptiveMaxPool##D##dImpl::pretty_print(std::ostream& stream) const {  \
    print_adaptive(stream, "AdaptiveMaxPool" #D "d", options);                \
  }

EMBER_MAX_POOL(1)
EMBER_MAX_POOL(2)
EMBER_MAX_POOL(3)
EMBER_AVG_POOL(1)
EMBER_AVG_POOL(2)
EMBER_AVG_POOL(3)
EMBER_ADAPTIVE_MAX_POOL(1)
EMBER_ADAPTIVE_MAX_POOL(2)
EMBER_ADAPTIVE_MAX_POOL(3)
#undef EMBER_ADAPTIVE_MAX_POOL

#define EMBER_MAX_UNPOOL(D)                                                                     \
  Tensor MaxUnpool##D##dImpl::forward(const Tensor& input, const Tensor& indices,               \
                                      const std::optional<std::vector<int64_t>>& output_size) { \
    return functional::max_unpool##D##d(                                                        \
        input, indices,                                                                         \
        functional::MaxUnpool##D##dFuncOptions(options.kernel_size())                           \
            .stride(options.stride())                                                           \
            .padding(options.padding())                                                         \
            .output_size(output_size));                                                         \
  }                                                                                             \
  void MaxUnpool##D##dImpl::pretty_print(std::ostream& stream) const {                          \
    print_max_unpool(stream, "MaxUnpool" #D "d", options);                                      \
  }

EMBER_MAX_UNPOOL(1)
EMBER_MAX_UNPOOL(2)
EMBER_MAX_UNPOOL(3)
#undef EMBER_MAX_UNPOOL
#undef EMBER_AVG_POOL
#undef EMBER_MAX_POOL

}  // namespace ember::nn
