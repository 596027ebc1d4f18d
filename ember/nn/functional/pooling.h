// ember::nn::functional's pooling, as libtorch's torch/nn/functional/pooling.h: each forwards its
// options to the ember:: op (ember/ops/nn_pool.h), which holds the math.
#pragma once

#include <tuple>
#include <vector>

#include "ember/nn/options/pooling.h"
#include "ember/ops/nn_pool.h"
#include "ember/ops/nn_unpool.h"

namespace ember::nn::functional {

template <size_t D>
IntArrayRef sizes_of(const ExpandingArray<D>& values) {
  return IntArrayRef(values.data(), D);
}

// An adaptive output size with its nullopt entries taken from input.
template <size_t D>
Shape adaptive_size_of(std::string_view op, const Tensor& input,
                       const ExpandingArrayWithOptional<D>& output_size) {
  const std::vector<std::optional<int64_t>> entries(output_size.begin(), output_size.end());
  return ember::adaptive_output_size(op, input, D, entries);
}

#define EMBER_POOL_FUNCTIONS(D)                                                                \
  inline std::tuple<Tensor, Tensor> max_pool##D##d_with_indices(                               \
      const Tensor& input, const MaxPool##D##dFuncOptions& options) {                          \
    return ember::max_pool##D##d_with_indices(                                                 \
        input, sizes_of(options.kernel_size()), sizes_of(options.stride()),                    \
        sizes_of(options.padding()), sizes_of(options.dilation()), options.ceil_mode());       \
  }                                                                                            \
  inline Tensor max_pool##D##d(const Tensor& input, const MaxPool##D##dFuncOptions& options) { \
    return std::get<0>(max_pool##D##d_with_indices(input, options));                           \
  }

EMBER_POOL_FUNCTIONS(1)
EMBER_POOL_FUNCTIONS(2)
EMBER_POOL_FUNCTIONS(3)
#undef EMBER_POOL_FUNCTIONS

inline Tensor avg_pool1d(const Tensor& input, const AvgPool1dFuncOptions& options) {
  return ember::avg_pool1d(input, sizes_of(options.kernel_size()), sizes_of(options.stride()),
                           sizes_of(options.padding()), options.ceil_mode(),
                           options.count_include_pad());
}

inline Tensor avg_pool2d(const Tensor& input, const AvgPool2dFuncOptions& options) {
  return ember::avg_pool2d(input, sizes_of(options.kernel_size()), sizes_of(options.stride()),
                           sizes_of(options.padding()), options.ceil_mode(),
                           options.count_include_pad(), options.divisor_override());
}

inline Tensor avg_pool3d(const Tensor& input, const AvgPool3dFuncOptions& options) {
  return ember::avg_pool3d(input, sizes_of(options.kernel_size()), sizes_of(options.stride()),
                           sizes_of(options.padding()), options.ceil_mode(),
                           options.count_include_pad(), options.divisor_override());
}

inline Tensor adaptive_avg_pool1d(const Tensor& input,
                                  const AdaptiveAvgPool1dFuncOptions& options) {
  return ember::adaptive_avg_pool1d(input, sizes_of(options.output_size()));
}

inline Tensor adaptive_avg_pool2d(const Tensor& input,
                                  const AdaptiveAvgPool2dFuncOptions& options) {
  return ember::adaptive_avg_pool2d(
      input, adaptive_size_of("adaptive_avg_pool2d", input, options.output_size()));
}

inline Tensor adaptive_avg_pool3d(const Tensor& input,
                                  const AdaptiveAvgPool3dFuncOptions& options) {
  return ember::adaptive_avg_pool3d(
      input, adaptive_size_of("adaptive_avg_pool3d", input, options.output_size()));
}

inline std::tuple<Tensor, Tensor> adaptive_max_pool1d_with_indices(
    const Tensor& input, const AdaptiveMaxPool1dFuncOptions& options) {
  return ember::adaptive_max_pool1d(input, sizes_of(options.output_size()));
}

inline std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(
    const Tensor& input, const AdaptiveMaxPool2dFuncOptions& options) {
  return ember::adaptive_max_pool2d(
      input, adaptive_size_of("adaptive_max_pool2d", input, options.output_size()));
}

inline std::tuple<Tensor, Tensor> adaptive_max_pool3d_with_indices(
    const Tensor& input, const AdaptiveMaxPool3dFuncOptions& options) {
  return ember::adaptive_max_pool3d(
      input, adaptive_size_of("adaptive_max_pool3d", input, options.output_size()));
}

inline Tensor adaptive_max_pool1d(const Tensor& input,
                                  const AdaptiveMaxPool1dFuncOptions& options) {
  return std::get<0>(adaptive_max_pool1d_with_indices(input, options));
}

inline Tensor adaptive_max_pool2d(const Tensor& input,
                                  const AdaptiveMaxPool2dFuncOptions& options) {
  return std::get<0>(adaptive_max_pool2d_with_indices(input, options));
}

inline Tensor adaptive_max_pool3d(const Tensor& input,
                                  const AdaptiveMaxPool3dFuncOptions& options) {
  return std::get<0>(adaptive_max_pool3d_with_indices(input, options));
}

#define EMBER_UNPOOL_FUNCTION(D)                                                                   \
  inline Tensor max_unpool##D##d(const Tensor& input, const Tensor& indices,                       \
                                 const MaxUnpool##D##dFuncOptions& options) {                      \
    return ember::max_unpool##D##d_functional(input, indices, sizes_of(options.kernel_size()),     \
                                              sizes_of(options.stride()),                          \
                                              sizes_of(options.padding()), options.output_size()); \
  }

EMBER_UNPOOL_FUNCTION(1)
EMBER_UNPOOL_FUNCTION(2)
EMBER_UNPOOL_FUNCTION(3)
#undef EMBER_UNPOOL_FUNCTION

}  // namespace ember::nn::functional
