// nn.functional's distance and encoding ops with libtorch's names and arguments, as composites:
// normalize, cosine_similarity, pairwise_distance, pdist, one_hot and gumbel_softmax.
#pragma once

#include "ember/tensor/tensor.h"

namespace ember {

// x / max(||x||_p along dim, eps).
Tensor normalize(const Tensor& x, double p = 2.0, int64_t dim = 1, double eps = 1e-12);
// The cosine of the angle between x1 and x2 (broadcast) along dim, each divided by
// max(its norm, eps) first.
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim = 1, double eps = 1e-8);
// ||x1 - x2 + eps||_p along the last dim.
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p = 2.0, double eps = 1e-6,
                         bool keepdim = false);
// The p-norm distances between the rows i < j of a 2-D x, row-major: N (N - 1) / 2 values.
Tensor pdist(const Tensor& x, double p = 2.0);
// int64 x -> int64 x.shape + (num_classes,); num_classes -1: max(x) + 1.
Tensor one_hot(const Tensor& x, int64_t num_classes = -1);
// softmax((logits + Gumbel noise) / tau) along dim; `hard`: the one-hot of its argmax in the
// forward pass, with the soft sample's gradient (straight-through).
Tensor gumbel_softmax(const Tensor& logits, double tau = 1.0, bool hard = false, int64_t dim = -1);

}  // namespace ember
