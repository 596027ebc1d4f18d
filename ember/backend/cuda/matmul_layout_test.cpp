// The CUDA Matmul kernel's column-major bookkeeping (matmul_layout.h) without a GPU: the layout's
// calls replayed by a reference column-major strided-batched GEMM (what cublasGemmStridedBatchedEx
// computes) on CPU tensors must give the CPU backend's Matmul, for contiguous, transposed,
// sliced, permuted, broadcast (stride-0 batch), unmergeable-batch, vector-shaped and size-1
// operands, with alpha and beta. The cuBLAS call itself runs in the runtime tests on a GPU.
#include "ember/backend/cuda/matmul_layout.h"

#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember::cuda {
namespace {

// cuBLAS's GEMM on column-major matrices: C = alpha * op(A) op(B) + beta * C for each of `batch`
// matrices, op(A) m x k, op(B) k x n, accumulated in double.
template <typename T>
void reference_gemm(const MatmulLayout& layout, double alpha, const T* a, const T* b, double beta,
                    T* c) {
  const GemmMatrix& first = layout.first;
  const GemmMatrix& second = layout.second;
  for (int64_t batch = 0; batch < layout.batch; ++batch) {
    const T* a_matrix = a + batch * first.batch_stride;
    const T* b_matrix = b + batch * second.batch_stride;
    T* c_matrix = c + batch * layout.result.batch_stride;
    for (int64_t i = 0; i < layout.m; ++i) {
      for (int64_t j = 0; j < layout.n; ++j) {
        double sum = 0;
        for (int64_t p = 0; p < layout.k; ++p) {
          const double x =
              first.transposed ? a_matrix[p + i * first.leading] : a_matrix[i + p * first.leading];
          const double y = second.transposed ? b_matrix[j + p * second.leading]
                                             : b_matrix[p + j * second.leading];
          sum += x * y;
        }
        T& out = c_matrix[i + j * layout.result.leading];
        // beta == 0 ignores C, NaN included, as cuBLAS does.
        out = static_cast<T>(alpha * sum + (beta == 0 ? 0.0 : beta * static_cast<double>(out)));
      }
    }
  }
}

// c = alpha * a @ b + beta * c through the layout, as the CUDA kernel issues it (cuBLAS's A is
// the primitive's b), against the CPU backend's Matmul on the same operands.
template <typename T>
void expect_layout_matches(const Tensor& a, const Tensor& b, double alpha, double beta,
                           const std::string& what) {
  Shape shape = a.shape();
  shape.back() = b.size(-1);
  const Tensor addend = randn(shape, TensorOptions(a.dtype()));
  Tensor expected = addend.clone();
  const Tensor inputs[] = {a, b};
  Matmul("matmul", alpha, beta).eval_cpu(inputs, TensorSpan(&expected, 1));

  Tensor actual = addend.clone();
  const MatmulLayout layout = make_matmul_layout("matmul", a, b, actual);
  const T* a_base = a.data_ptr<T>();
  const T* b_base = b.data_ptr<T>();
  T* c_base = actual.data_ptr<T>();
  for_each_gemm_call(layout, [&](int64_t offset_a, int64_t offset_b, int64_t offset_c) {
    reference_gemm<T>(layout, alpha, b_base + offset_b, a_base + offset_a, beta, c_base + offset_c);
  });
  const double tolerance = a.dtype() == kFloat64 ? 1e-12 : 1e-5;
  EXPECT_TRUE(allclose(actual, expected, tolerance, tolerance)) << what;
}

Tensor values(IntArrayRef shape) { return randn(shape, TensorOptions(kFloat64)); }

TEST(CudaMatmulLayout, MatrixLayouts) {
  const Tensor a = values({5, 7});
  const Tensor b = values({7, 3});
  const Tensor a_t = values({7, 5}).t();
  const Tensor b_t = values({3, 7}).t();
  const Tensor a_sliced = values({5, 10}).narrow(1, 2, 7);
  const Tensor b_sliced = values({7, 8}).narrow(1, 1, 3);
  const Tensor a_t_sliced = values({9, 5}).narrow(0, 1, 7).t();
  expect_layout_matches<double>(a, b, 1.0, 0.0, "contiguous");
  expect_layout_matches<double>(a_t, b, 1.0, 0.0, "a transposed");
  expect_layout_matches<double>(a, b_t, 1.0, 0.0, "b transposed");
  expect_layout_matches<double>(a_t, b_t, 1.0, 0.0, "both transposed");
  expect_layout_matches<double>(a_sliced, b_sliced, 1.0, 0.0, "sliced (leading dim > columns)");
  expect_layout_matches<double>(a_t_sliced, b_sliced, 1.0, 0.0, "transposed slice");
  expect_layout_matches<double>(a_t, b_sliced, 0.5, 2.0, "addmm alpha and beta");
  expect_layout_matches<double>(a, b_t, -1.5, 1.0, "addmm beta 1");
}

TEST(CudaMatmulLayout, VectorAndSizeOneShapes) {
  expect_layout_matches<double>(values({5, 7}), values({7, 1}), 1.0, 0.0, "mv");
  expect_layout_matches<double>(values({1, 7}), values({7, 1}), 1.0, 0.0, "dot");
  expect_layout_matches<double>(values({1, 7}), values({7, 4}), 1.0, 0.0, "row @ matrix");
  expect_layout_matches<double>(values({5, 1}), values({1, 3}), 1.0, 0.0, "k = 1 (outer)");
  expect_layout_matches<double>(values({7, 1}).t(), values({4, 7}).t(), 1.0, 0.0, "transposed row");
  expect_layout_matches<double>(values({3, 1, 7}), values({3, 7, 1}), 1.0, 0.0, "batched dot");
}

TEST(CudaMatmulLayout, BatchLayouts) {
  const Tensor a = values({4, 5, 7});
  const Tensor b = values({4, 7, 3});
  expect_layout_matches<double>(a, b, 1.0, 0.0, "bmm contiguous");
  expect_layout_matches<double>(values({4, 7, 5}).transpose(1, 2), b, 1.0, 0.0,
                                "bmm, a's matrices transposed");
  expect_layout_matches<double>(a, values({7, 4, 3}).permute({1, 0, 2}), 1.0, 0.0,
                                "bmm, b's batch between rows and columns");
  expect_layout_matches<double>(values({5, 4, 7}).permute({1, 0, 2}), b, 1.0, 0.0,
                                "bmm, a's batch between rows and columns");
  expect_layout_matches<double>(values({1, 5, 7}).expand({4, 5, 7}), b, 1.0, 0.0,
                                "a broadcast (batch stride 0)");
  expect_layout_matches<double>(a, values({1, 7, 3}).expand({4, 7, 3}), 0.25, -1.0,
                                "b broadcast, baddbmm-like alpha and beta");
  expect_layout_matches<double>(values({2, 6, 5, 7}).slice(1, 0, 6, 2), values({2, 3, 7, 4}), 1.0,
                                0.0, "a's batch sliced with a step (merges into one dim)");
}

TEST(CudaMatmulLayout, UnmergeableBatchDimsRepeatTheCall) {
  // b expanded along the outer batch dim, a not: the two batch dims cannot merge.
  const Tensor a = values({2, 3, 5, 7});
  const Tensor b = values({1, 3, 7, 4}).expand({2, 3, 7, 4});
  Tensor c = empty({2, 3, 5, 4}, TensorOptions(kFloat64));
  const MatmulLayout layout = make_matmul_layout("matmul", a, b, c);
  EXPECT_EQ(layout.batch, 3);
  ASSERT_EQ(layout.repeats.size(), 1u);
  EXPECT_EQ(layout.repeats[0].size, 2);
  expect_layout_matches<double>(a, b, 1.0, 0.0, "outer dim expanded");
  expect_layout_matches<double>(values({3, 1, 5, 7}).expand({3, 4, 5, 7}),
                                values({1, 4, 7, 2}).expand({3, 4, 7, 2}), 1.0, 0.0,
                                "each operand expanded along a different dim");
  expect_layout_matches<double>(values({2, 1, 3, 5, 7}), values({2, 1, 6, 7, 4}).slice(2, 1, 6, 2),
                                1.0, 0.0, "three batch dims, one of size 1");
}

TEST(CudaMatmulLayout, ContiguousBatchIsOneCall) {
  const Tensor a = values({2, 3, 5, 7});
  const Tensor b = values({2, 3, 7, 4});
  Tensor c = empty({2, 3, 5, 4}, TensorOptions(kFloat64));
  const MatmulLayout layout = make_matmul_layout("matmul", a, b, c);
  EXPECT_EQ(layout.batch, 6);
  EXPECT_TRUE(layout.repeats.empty());
  EXPECT_EQ(layout.m, 4);
  EXPECT_EQ(layout.n, 5);
  EXPECT_EQ(layout.k, 7);
  EXPECT_EQ(layout.first.batch_stride, 28);
  EXPECT_EQ(layout.second.batch_stride, 35);
  EXPECT_EQ(layout.result.batch_stride, 20);
}

TEST(CudaMatmulLayout, Float32Operands) {
  const TensorOptions f32(kFloat32);
  const Tensor a = randn({3, 7, 5}, f32).transpose(1, 2);
  const Tensor b = randn({1, 7, 4}, f32).expand({3, 7, 4});
  expect_layout_matches<float>(a, b, 1.0, 0.0, "float32, transposed a, broadcast b");
  expect_layout_matches<float>(randn({6, 9}, f32).narrow(1, 0, 5), randn({5, 2}, f32), 2.0, 0.5,
                               "float32 sliced with alpha and beta");
}

TEST(CudaMatmulLayout, BatchBeyondIntRangeRaises) {
  const int64_t huge = int64_t{1} << 31;
  const Tensor a = zeros({1, 2, 2}).expand({huge, 2, 2});
  const Tensor c = zeros({1, 2, 2}).expand({huge, 2, 2});
  EXPECT_THROW(make_matmul_layout("bmm", a, a, c), RuntimeError);
}

}  // namespace
}  // namespace ember::cuda
