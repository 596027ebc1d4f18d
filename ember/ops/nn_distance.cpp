// normalize, cosine_similarity, pairwise_distance, pdist, one_hot and gumbel_softmax: composites
// of reductions, elementwise ops and indexing, differentiated by autograd.
#include "ember/ops/nn_distance.h"

#include <vector>

#include "ember/base/error.h"
#include "ember/ops/math.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"
#include "ember/ops/shape.h"

namespace ember {

Tensor normalize(const Tensor& x, double p, int64_t dim, double eps) {
  const int64_t d = wrap_dim(dim, x.dim(), "normalize");
  return div(x, clamp_min(norm(x, p, {d}, /*keepdim=*/true), eps));
}

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
  const Shape shape = broadcast_shapes(x1.shape(), x2.shape(), "cosine_similarity");
  const int64_t d = wrap_dim(dim, static_cast<int64_t>(shape.size()), "cosine_similarity");
  const Tensor a = normalize(x1.expand(shape), 2.0, d, eps);
  return sum(mul(a, normalize(x2.expand(shape), 2.0, d, eps)), {d});
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  const int64_t dims = std::max(x1.dim(), x2.dim());
  return norm(add(sub(x1, x2), eps), p, {dims == 0 ? 0 : dims - 1}, keepdim);
}

Tensor pdist(const Tensor& x, double p) {
  EMBER_CHECK(x.dim() == 2, "[pdist] pdist only supports 2D tensors, got: ", x.dim(), "D (shape ",
              x.shape(), ")");
  EMBER_CHECK(p >= 0, "[pdist] pdist only supports non-negative p values; got ", p);
  const int64_t n = x.shape()[0];
  std::vector<int64_t> first, second;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) {
      first.push_back(i);
      second.push_back(j);
    }
  }
  const auto index = [](const std::vector<int64_t>& rows) {
    return from_blob_copy(rows.data(), {static_cast<int64_t>(rows.size())}, kInt64);
  };
  const Tensor a = index_select(x, 0, index(first));
  const Tensor b = index_select(x, 0, index(second));
  return norm(sub(a, b), p, {1});
}

Tensor one_hot(const Tensor& x, int64_t num_classes) {
  EMBER_CHECK(x.dtype() == kInt64,
              "[one_hot] one_hot is only applicable to index tensor of type LongTensor; got ",
              x.dtype());
  if (num_classes == -1) {
    EMBER_CHECK(x.numel() > 0,
                "[one_hot] Can not infer total number of classes from empty tensor.");
    num_classes = max(x).item<int64_t>() + 1;
  }
  EMBER_CHECK(num_classes >= 0, "[one_hot] num_classes should be positive or -1; got ",
              num_classes);
  if (x.numel() > 0) {
    EMBER_CHECK(min(x).item<int64_t>() >= 0, "[one_hot] Class values must be non-negative.");
    EMBER_CHECK(max(x).item<int64_t>() < num_classes,
                "[one_hot] Class values must be smaller than num_classes (", num_classes, ").");
  }
  return eq(x.unsqueeze(-1), arange(num_classes, TensorOptions(kInt64).device(x.device())))
      .to(kInt64);
}

Tensor gumbel_softmax(const Tensor& logits, double tau, bool hard, int64_t dim) {
  Tensor noise = empty(logits.shape(), TensorOptions(logits.dtype()).device(logits.device()));
  noise.exponential_();
  const Tensor soft = softmax(div(sub(logits, log(noise)), tau), dim);
  if (!hard) return soft;
  const int64_t d = wrap_dim(dim, logits.dim(), "gumbel_softmax");
  const Tensor index = argmax(soft, d, /*keepdim=*/true);
  const Tensor one = scatter(zeros_like(logits), d, index, 1.0);
  return add(sub(one, soft.detach()), soft);
}

}  // namespace ember
