// libtorch's torch/nn/utils/clip_grad.h: clipping the gradients of parameters in place, by their
// total norm or elementwise (the ops _clip_grad_norm_ / _clip_grad_value_ of
// ember/ops/nn_utils.h on the gradients). Parameters without a gradient are skipped.
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::nn::utils {

// Scales every gradient by min(1, max_norm / (total_norm + 1e-6)), where total_norm is the
// norm_type-norm (inf: the largest magnitude) of all gradients taken as one vector, and returns
// total_norm. error_if_nonfinite: a NaN or infinite total norm raises instead of scaling.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm,
                       double norm_type = 2.0, bool error_if_nonfinite = false);
double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// Clamps every gradient elementwise into [-clip_value, clip_value].
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);
void clip_grad_value_(const Tensor& parameter, double clip_value);

}  // namespace ember::nn::utils
