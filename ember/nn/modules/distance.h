// The distance layers (libtorch's torch/nn/modules/distance.h): CosineSimilarity and
// PairwiseDistance of two inputs.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/activation.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

#define EMBER_DISTANCE_MODULE(Name)                                                \
  class Name##Impl : public Module {                                               \
   public:                                                                         \
    explicit Name##Impl(const Name##Options& options_ = {}) : options(options_) {} \
    void reset() {}                                                                \
    Tensor forward(const Tensor& input1, const Tensor& input2);                    \
    void pretty_print(std::ostream& stream) const override;                        \
    Name##Options options;                                                         \
  };                                                                               \
  EMBER_MODULE(Name)

EMBER_DISTANCE_MODULE(CosineSimilarity);
EMBER_DISTANCE_MODULE(PairwiseDistance);
#undef EMBER_DISTANCE_MODULE

}  // namespace ember::nn
