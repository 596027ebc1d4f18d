#include "ember/nn/modules/upsampling.h"

#include "ember/ops/nn_interp.h"

namespace ember::nn {

UpsampleImpl::UpsampleImpl(const UpsampleOptions& options_) : options(options_) {}

Tensor UpsampleImpl::forward(const Tensor& input) {
  return ember::interpolate(input, options.size(), options.scale_factor(),
                            upsample_mode_name(options.mode()), options.align_corners());
}

// libtorch's layout: ember::nn::Upsample(scale_factor=[2, 2], mode=kBilinear).
void UpsampleImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Upsample(";
  auto list = [&stream](const auto& values) {
    stream << "[";
    for (size_t i = 0; i < values.size(); ++i) stream << (i == 0 ? "" : ", ") << values[i];
    stream << "]";
  };
  if (options.scale_factor()) {
    stream << "scale_factor=";
    list(*options.scale_factor());
  } else {
    stream << "size=";
    if (options.size()) list(*options.size());
  }
  static constexpr const char* kModes[] = {"kNearest", "kLinear", "kBilinear", "kBicubic",
                                           "kTrilinear"};
  stream << ", mode=" << kModes[options.mode().index()] << ")";
}

}  // namespace ember::nn
