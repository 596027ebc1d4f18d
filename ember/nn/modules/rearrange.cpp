// The rearranging layers of rearrange.h.
#include "ember/nn/modules/rearrange.h"

#include "ember/nn/functional/fold.h"
#include "ember/nn/functional/pixelshuffle.h"

namespace ember::nn {
namespace {

void print_pair(std::ostream& stream, const char* name, const ExpandingArray<2>& values) {
  stream << name << "=[" << values[0] << ", " << values[1] << "]";
}

// The sliding-window fields Fold and Unfold share, in PyTorch's order.
template <typename Options>
void print_window(std::ostream& stream, const Options& options) {
  print_pair(stream, "kernel_size", options.kernel_size());
  stream << ", ";
  print_pair(stream, "dilation", options.dilation());
  stream << ", ";
  print_pair(stream, "padding", options.padding());
  stream << ", ";
  print_pair(stream, "stride", options.stride());
}

}  // namespace

Tensor PixelShuffleImpl::forward(const Tensor& input) {
  return functional::pixel_shuffle(input, options);
}

void PixelShuffleImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::PixelShuffle(upscale_factor=" << options.upscale_factor() << ")";
}

Tensor PixelUnshuffleImpl::forward(const Tensor& input) {
  return functional::pixel_unshuffle(input, options);
}

void PixelUnshuffleImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::PixelUnshuffle(downscale_factor=" << options.downscale_factor() << ")";
}

Tensor FoldImpl::forward(const Tensor& input) { return functional::fold(input, options); }

void FoldImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Fold(";
  print_pair(stream, "output_size", options.output_size());
  stream << ", ";
  print_window(stream, options);
  stream << ")";
}

Tensor UnfoldImpl::forward(const Tensor& input) { return functional::unfold(input, options); }

void UnfoldImpl::pretty_print(std::ostream& stream) const {
  stream << "ember::nn::Unfold(";
  print_window(stream, options);
  stream << ")";
}

}  // namespace ember::nn
