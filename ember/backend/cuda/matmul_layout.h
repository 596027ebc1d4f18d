// How the CUDA Matmul kernel (runtime/cublas_matmul.cpp) maps c = alpha * a @ b + beta * c onto
// cuBLAS's column-major strided-batched GEMM, without copying an operand. Built on the host from
// the tensors and shared with the CPU test that replays it (matmul_layout_test.cpp), so the
// column-major bookkeeping is checked without a GPU.
//
// cuBLAS reads matrices column-major. A row-major matrix read column-major is its transpose, so
// the row-major product c (M x N) is, read column-major, c^T = b^T a^T: cuBLAS's first operand is
// b, its second a, and its sizes are (m, n, k) = (N, M, K). An operand stored row-major (unit
// column stride) is then read as is; one stored column-major (a transposed view) is read with
// cuBLAS's transpose flag. Batch dims that the strides merge into one dim of constant stride go
// into one strided-batched call; the others (an expanded dim beside a sliced one, say) repeat
// the call.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/base/small_vector.h"
#include "ember/base/strided_walk.h"

namespace ember {
class Tensor;
}

namespace ember::cuda {

// One operand of the column-major GEMM, in elements.
struct GemmMatrix {
  bool transposed = false;  // cuBLAS's CUBLAS_OP_T
  int64_t leading = 1;      // cuBLAS's ld
  int64_t batch_stride = 0;
};

struct MatmulLayout {
  int64_t m = 0, n = 0, k = 0;  // cuBLAS's sizes: m = c's columns, n = c's rows, k = a's columns
  GemmMatrix first;             // cuBLAS's A: the primitive's b
  GemmMatrix second;            // cuBLAS's B: the primitive's a
  GemmMatrix result;            // cuBLAS's C: the primitive's c (never transposed)
  int64_t batch = 1;            // matrices per call
  // The dims the call repeats over, innermost first, with the element strides of (a, b, c).
  SmallVector<StridedDim<3>, 6> repeats;
};

// The layout of the Matmul primitive's operands (see primitives_linalg.h: every matrix of a and
// b has a gemm_layout, c is contiguous). Raises naming op when a size, a leading dim or the batch
// exceeds cuBLAS's int range.
MatmulLayout make_matmul_layout(std::string_view op, const Tensor& a, const Tensor& b,
                                const Tensor& c);

// Calls gemm(offset_a, offset_b, offset_c) once per strided-batched call, with the element
// offsets of that call's first matrices.
template <typename Gemm>
void for_each_gemm_call(const MatmulLayout& layout, Gemm&& gemm) {
  int64_t calls = 1;
  for (const StridedDim<3>& dim : layout.repeats) calls *= dim.size;
  StridedWalker<3> position(layout.repeats, 0);
  for (int64_t call = 0; call < calls; ++call, position.next()) {
    gemm(position.offset(0), position.offset(1), position.offset(2));
  }
}

}  // namespace ember::cuda
