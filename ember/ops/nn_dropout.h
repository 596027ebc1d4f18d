// Dropout ops with libtorch's names: each element (or, for the feature forms, each channel of
// each sample) is kept with probability 1 - p; the masks come from the global Philox generator,
// so manual_seed reproduces them whatever the thread count. Gradients flow through the mask.
// Without `train` (or with p = 0) the input comes back unchanged.
#pragma once

#include "ember/tensor/tensor.h"

namespace ember {

// Kept elements are scaled by 1 / (1 - p).
Tensor dropout(const Tensor& x, double p, bool train);
Tensor& dropout_(Tensor& x, double p, bool train);
// Whole channels (dim 1; a sample's features) dropped together.
Tensor feature_dropout(const Tensor& x, double p, bool train);
Tensor& feature_dropout_(Tensor& x, double p, bool train);
// Dropped elements take SELU's negative saturation value, and the result is shifted and scaled
// so that zero mean and unit variance are kept (Klambauer et al., 2017).
Tensor alpha_dropout(const Tensor& x, double p, bool train);
Tensor& alpha_dropout_(Tensor& x, double p, bool train);
Tensor feature_alpha_dropout(const Tensor& x, double p, bool train);
Tensor& feature_alpha_dropout_(Tensor& x, double p, bool train);
// nn.functional's channel dropouts: (N, C, L) or (C, L) for 1d, (N, C, H, W) or (C, H, W) for 2d,
// (N, C, D, H, W) or (C, D, H, W) for 3d; an input without a batch dim drops its channels.
Tensor dropout1d(const Tensor& x, double p = 0.5, bool training = true, bool inplace = false);
Tensor dropout2d(const Tensor& x, double p = 0.5, bool training = true, bool inplace = false);
Tensor dropout3d(const Tensor& x, double p = 0.5, bool training = true, bool inplace = false);

}  // namespace ember
