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
}

// Every primitive kind has a kernel but View, whose ops alias their base's storage and never run
// one (and Convolution without cuDNN, checked above). Binomial is the enum's last kind.
TEST(CudaKernels, EveryPrimitiveKindButViewHasAKernel) {
  for (int index = 0; index <= static_cast<int>(PrimitiveKind::Binomial); ++index) {
    const auto kind = static_cast<PrimitiveKind>(index);
    if (kind == PrimitiveKind::View) {
      EXPECT_EQ(cuda_kernel(kind), nullptr);
#ifndef EMBER_CUDNN
    } else if (kind == PrimitiveKind::Convolution) {
      continue;
#endif
    } else {
      EXPECT_NE(cuda_kernel(kind), nullptr) << index;
    }
  }
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

// sort.cu and nonzero.cu.
TEST(CudaKernels, SortingAndSelectionKernelsAreRegistered) {
  for (const PrimitiveKind kind : {PrimitiveKind::Sort, PrimitiveKind::Topk, PrimitiveKind::Mode,
                                   PrimitiveKind::SearchSorted, PrimitiveKind::Nonzero}) {
    EXPECT_NE(cuda_kernel(kind), nullptr) << static_cast<int>(kind);
  }
}

}  // namespace
}  // namespace ember
