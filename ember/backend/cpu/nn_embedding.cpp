// eval_cpu of Embedding and EmbeddingBackward. The lookup copies whole rows in parallel over the
// indices. The gradient is deterministic: every row accumulates its contributions in index
// order, and threads split the columns, so no two threads ever write one element.
#include <cstring>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/primitives_nn_embedding.h"

namespace ember {
namespace {

template <typename T>
void embedding_backward(const EmbeddingBackward& op, const Tensor& grad, const Tensor& indices,
                        const Tensor& out) {
  const int64_t n = indices.numel();
  const int64_t num_weights = out.size(0);
  const int64_t dim = out.size(1);
  const int64_t* index = indices.data_ptr<int64_t>();
  const T* g = grad.data_ptr<T>();
  T* result = out.data_ptr<T>();
  std::memset(static_cast<void*>(result), 0, out.nbytes());
  std::vector<T> scale;
  if (op.scale_grad_by_freq()) {
    std::vector<int64_t> counts(static_cast<size_t>(num_weights), 0);
    for (int64_t i = 0; i < n; ++i) ++counts[static_cast<size_t>(index[i])];
    scale.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      scale[static_cast<size_t>(i)] = T(1) / static_cast<T>(counts[static_cast<size_t>(index[i])]);
    }
  }
  const int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(n, 1));
  parallel_for(0, dim, grain, [&](int64_t col_begin, int64_t col_end) {
    for (int64_t i = 0; i < n; ++i) {
      if (index[i] == op.padding_idx()) continue;
      const T factor = scale.empty() ? T(1) : scale[static_cast<size_t>(i)];
      T* row = result + index[i] * dim;
      const T* source = g + i * dim;
      for (int64_t c = col_begin; c < col_end; ++c) row[c] += factor * source[c];
    }
  });
}

}  // namespace

void Embedding::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& weight = inputs[0];
  const Tensor& indices = inputs[1];
  const int64_t n = indices.numel();
  const size_t row_bytes = static_cast<size_t>(weight.size(1)) * weight.element_size();
  const auto* source = static_cast<const char*>(weight.data_ptr());
  auto* target = static_cast<char*>(outputs[0].data_ptr());
  const int64_t* index = indices.data_ptr<int64_t>();
  const int64_t grain =
      std::max<int64_t>(1, kGrain / std::max<int64_t>(static_cast<int64_t>(row_bytes), 1));
  parallel_for(0, n, grain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      std::memcpy(target + static_cast<size_t>(i) * row_bytes,
                  source + static_cast<size_t>(index[i]) * row_bytes, row_bytes);
    }
  });
}

void EmbeddingBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  switch (inputs[0].dtype()) {
    case ScalarType::Float32:
      return embedding_backward<float>(*this, inputs[0], inputs[1], outputs[0]);
    case ScalarType::Float64:
      return embedding_backward<double>(*this, inputs[0], inputs[1], outputs[0]);
    default:
      detail::raise<TypeError>("[embedding_dense_backward] expected float32 or float64; got ",
                               inputs[0].dtype());
  }
}

}  // namespace ember
