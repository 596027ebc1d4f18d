// The tensor ops behind nn.utils' weight reparametrisations, with PyTorch's names:
// norm_except_dim and _weight_norm (weight_norm's w = g * v / ||v||), and one call of
// spectral_norm's power iteration. Composites of reductions and elementwise ops, so autograd
// differentiates them (twice) for free. Also the math of gradient clipping (on the gradients
// themselves: each shell collects the parameters' .grad).
#pragma once

#include <cstdint>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// The `pow`-norm of v over every dim except `dim`, kept as size-1 dims (the result has v.size(dim)
// at `dim` and 1 elsewhere); dim -1 means over every dim (a 0-d result), as PyTorch's.
Tensor norm_except_dim(const Tensor& v, int64_t pow = 2, int64_t dim = 0);

// v * (g / norm_except_dim(v, 2, dim)): weight_norm's weight from its direction v and magnitude g
// (g has norm_except_dim's shape).
Tensor _weight_norm(const Tensor& v, const Tensor& g, int64_t dim = 0);

// spectral_norm's weight / sigma with weight seen as a matrix (dim moved first, the rest
// flattened: height x width). With do_power_iteration, n_power_iterations steps
// v = normalize(W^T u), u = normalize(W v) run without gradient and write u (height) and
// v (width) in place; sigma = u . (W v) with the result differentiable in weight only.
Tensor _spectral_norm(const Tensor& weight, Tensor& u, Tensor& v, int64_t dim,
                      int64_t n_power_iterations, double eps, bool do_power_iteration);

// clip_grad_norm_'s math on the gradients: scales each in place by
// min(1, max_norm / (total_norm + 1e-6)), where total_norm is the norm_type-norm (inf: the largest
// magnitude) of all of them taken as one vector, and returns total_norm (0-d, the gradients'
// promoted dtype; 0. in float32 for no gradients). error_if_nonfinite: a NaN or infinite total
// norm raises instead.
Tensor _clip_grad_norm_(const std::vector<Tensor>& grads, double max_norm, double norm_type,
                        bool error_if_nonfinite);
// clip_grad_value_'s math: clamps each gradient in place into [-clip_value, clip_value].
void _clip_grad_value_(const std::vector<Tensor>& grads, double clip_value);

}  // namespace ember
