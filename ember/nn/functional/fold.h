// ember::nn::functional's fold / unfold (libtorch's torch/nn/functional/fold.h): forwards to
// col2im / im2col (ember/ops/nn_fold.h).
#pragma once

#include "ember/nn/options/fold.h"
#include "ember/ops/nn_fold.h"

namespace ember::nn::functional {

inline Tensor fold(const Tensor& input, const FoldFuncOptions& options) {
  return ember::col2im(input, options.output_size().vec(), options.kernel_size().vec(),
                       options.dilation().vec(), options.padding().vec(), options.stride().vec());
}

inline Tensor unfold(const Tensor& input, const UnfoldFuncOptions& options) {
  return ember::im2col(input, options.kernel_size().vec(), options.dilation().vec(),
                       options.padding().vec(), options.stride().vec());
}

}  // namespace ember::nn::functional
