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
  // Rows and reductions (arg_reduce.cu, reduce.cu, softmax.cu, scan.cu, layer_norm.cu, loss.cu).
  for (PrimitiveKind kind :
       {PrimitiveKind::ArgReduce, PrimitiveKind::CountNonzero, PrimitiveKind::Softmax,
        PrimitiveKind::Scan, PrimitiveKind::LayerNorm, PrimitiveKind::LayerNormBackward,
        PrimitiveKind::NllLoss, PrimitiveKind::NllLossBackward, PrimitiveKind::CrossEntropy,
        PrimitiveKind::CrossEntropyBackward, PrimitiveKind::BinaryCrossEntropy}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
  // Kinds without a CUDA body yet stay empty, so their ops raise "has no CUDA kernel".
  EXPECT_EQ(cuda_kernel(PrimitiveKind::Mode), nullptr);
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

// norm.cu, pool.cu and upsample.cu.
TEST(CudaKernels, NormalisationPoolingAndResamplingKernelsAreRegistered) {
  for (const PrimitiveKind kind :
       {PrimitiveKind::BatchNorm, PrimitiveKind::BatchNormBackward, PrimitiveKind::GroupNorm,
        PrimitiveKind::GroupNormBackward, PrimitiveKind::Pool, PrimitiveKind::AvgPoolBackward,
        PrimitiveKind::Upsample}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
}

// runtime/cuda_attention.cpp, rnn.cu, sampling.cu and runtime/cusolver_lapack.cpp.
TEST(CudaKernels, AttentionRecurrentAndSamplerKernelsAreRegistered) {
  for (const PrimitiveKind kind :
       {PrimitiveKind::ScaledDotProductAttention, PrimitiveKind::ScaledDotProductAttentionBackward,
        PrimitiveKind::RnnLayer, PrimitiveKind::RnnLayerBackward, PrimitiveKind::StandardGamma,
        PrimitiveKind::StandardGammaGrad, PrimitiveKind::Binomial, PrimitiveKind::Lapack}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
}

}  // namespace
}  // namespace ember
