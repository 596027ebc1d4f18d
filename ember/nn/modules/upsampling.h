// Upsample (libtorch's torch/nn/modules/upsampling.h): interpolate as a layer, no parameters.
#pragma once

#include <ostream>

#include "ember/nn/module.h"
#include "ember/nn/options/upsampling.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// Resamples (N, C, *spatial) inputs to options.size() or by options.scale_factor().
class UpsampleImpl : public Module {
 public:
  explicit UpsampleImpl(const UpsampleOptions& options_ = {});
  void reset() {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  UpsampleOptions options;
};
EMBER_MODULE(Upsample);

}  // namespace ember::nn
