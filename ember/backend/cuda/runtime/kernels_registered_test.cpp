// The CUDA kernels register themselves when the backend loads (elementwise.cu, reduce.cu, copy.cu,
// runtime/cublas_matmul.cpp, and runtime/cudnn_convolution.cpp where cuDNN is found): a program
// linking the backend whole finds them by primitive kind, with or without a device.
#include <gtest/gtest.h>

#include "ember/ops/cuda_kernels.h"

namespace ember {
namespace {

TEST(CudaKernels, ElementwiseReduceCopyAndMatmulKernelsAreRegistered) {
  EXPECT_NE(cuda_kernel(PrimitiveKind::Unary), nullptr);
  EXPECT_NE(cuda_kernel(PrimitiveKind::Binary), nullptr);
  EXPECT_NE(cuda_kernel(PrimitiveKind::Reduce), nullptr);
  EXPECT_NE(cuda_kernel(PrimitiveKind::Copy), nullptr);
  EXPECT_NE(cuda_kernel(PrimitiveKind::Matmul), nullptr);
#ifdef EMBER_CUDNN
  EXPECT_NE(cuda_kernel(PrimitiveKind::Convolution), nullptr);
#else
  EXPECT_EQ(cuda_kernel(PrimitiveKind::Convolution), nullptr);
#endif
  // Kinds without a CUDA body yet stay empty, so their ops raise "has no CUDA kernel".
  EXPECT_EQ(cuda_kernel(PrimitiveKind::Lapack), nullptr);
}

// index.cu, scatter.cu and embedding.cu.
TEST(CudaKernels, IndexingKernelsAreRegistered) {
  for (PrimitiveKind kind : {PrimitiveKind::Index, PrimitiveKind::IndexPut, PrimitiveKind::Gather,
                             PrimitiveKind::Scatter, PrimitiveKind::ScatterReduce,
                             PrimitiveKind::Embedding, PrimitiveKind::EmbeddingBackward}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
}

TEST(CudaKernels, CreationAndRandomKernelsAreRegistered) {
  for (const PrimitiveKind kind :
       {PrimitiveKind::Fill, PrimitiveKind::Range, PrimitiveKind::Where, PrimitiveKind::AddScaled,
        PrimitiveKind::Cat, PrimitiveKind::RandomFill}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
}

// sort.cu and nonzero.cu.
TEST(CudaKernels, SortingAndSelectionKernelsAreRegistered) {
  for (const PrimitiveKind kind : {PrimitiveKind::Sort, PrimitiveKind::Topk, PrimitiveKind::Mode,
                                   PrimitiveKind::SearchSorted, PrimitiveKind::Nonzero}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
}

}  // namespace
}  // namespace ember
