#include "ember/backend/cuda/matmul_layout.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "ember/base/error.h"
#include "ember/ops/primitives_linalg.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int>::max();

GemmMatrix operand_matrix(std::string_view op, const Tensor& t) {
  const std::optional<GemmLayout> layout = gemm_layout(t);
  EMBER_CHECK(layout.has_value(), "[", op, "] internal: operand layout is not GEMM-compatible");
  // Row-major storage read column-major is the transpose the swapped product wants (CUBLAS_OP_N);
  // column-major storage is the matrix itself, so cuBLAS transposes it (CUBLAS_OP_T).
  return GemmMatrix{layout->transposed, layout->leading, 0};
}

}  // namespace

MatmulLayout make_matmul_layout(std::string_view op, const Tensor& a, const Tensor& b,
                                const Tensor& c) {
  // The primitive's c is contiguous; its matrices at least must be, since ldc is c's columns.
  EMBER_CHECK(
      (c.size(-1) <= 1 || c.stride(-1) == 1) && (c.size(-2) <= 1 || c.stride(-2) == c.size(-1)),
      "[", op, "] internal: the output's matrices are not contiguous");
  MatmulLayout layout;
  layout.m = c.size(-1);
  layout.n = c.size(-2);
  layout.k = a.size(-1);
  layout.first = operand_matrix(op, b);
  layout.second = operand_matrix(op, a);
  layout.result = GemmMatrix{false, std::max<int64_t>(layout.m, 1), 0};

  SmallVector<StridedDim<3>, 6> batch_dims;
  for (int64_t d = c.dim() - 3; d >= 0; --d) {
    batch_dims.push_back({c.size(d), {a.stride(d), b.stride(d), c.stride(d)}});
  }
  coalesce_dims(batch_dims);
  if (!batch_dims.empty()) {
    // The longest dim goes to cuBLAS's batch, so the fewest calls repeat.
    const auto longest = std::max_element(
        batch_dims.begin(), batch_dims.end(),
        [](const StridedDim<3>& x, const StridedDim<3>& y) { return x.size < y.size; });
    layout.batch = longest->size;
    layout.second.batch_stride = longest->strides[0];
    layout.first.batch_stride = longest->strides[1];
    layout.result.batch_stride = longest->strides[2];
    for (auto it = batch_dims.begin(); it != batch_dims.end(); ++it) {
      if (it != longest) layout.repeats.push_back(*it);
    }
  }

  const int64_t largest = std::max({layout.m, layout.n, layout.k, layout.first.leading,
                                    layout.second.leading, layout.result.leading, layout.batch});
  EMBER_CHECK(largest <= kIntMax, "[", op,
              "] a CUDA matmul takes sizes, leading dims and batches up to 2^31-1; got ", largest);
  return layout;
}

}  // namespace ember::cuda
