// A primitive is an op with kernels: it knows its name and how to compute its outputs from its
// inputs on each device. Everything else (shape checks, promotion, allocation) happens in the op
// function before run() (ops/dispatch.h); composites build on primitives and need no kernel.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember {

using TensorSpan = std::span<const Tensor>;

// Which rule autograd applies (autograd/derivatives.cpp switches over it, without a default,
// so a new kind without a rule does not compile).
enum class PrimitiveKind : uint8_t {
  Unary,
  Binary,
  AddScaled,
  Where,
  Copy,
  Fill,
  Range,
  RandomFill,
  Matmul,
  Reduce,
  ArgReduce,
  Index,
  IndexPut,
  CountNonzero,
  Nonzero,
  View,
  // shape
  Cat,
  // scan
  Scan,
  Sort,
  Topk,
  Mode,
  SearchSorted,
  // scatter
  Gather,
  Scatter,
  ScatterReduce,
  // linalg
  Lapack,
  // nn activation
  Softmax,
  // nn_norm
  LayerNorm,
  LayerNormBackward,
  // nn_conv
  Convolution,
  // nn_pool
  Pool,
  AvgPoolBackward,
  // nn_interp
  Upsample,
  // nn_embedding
  Embedding,
  EmbeddingBackward,
  // nn_loss
  NllLoss,
  NllLossBackward,
  CrossEntropy,
  CrossEntropyBackward,
  BinaryCrossEntropy,
  // nn_norm (batch_norm, group_norm)
  BatchNorm,
  BatchNormBackward,
  GroupNorm,
  GroupNormBackward,
  // attention
  ScaledDotProductAttention,
  ScaledDotProductAttentionBackward,
  // rnn
  RnnLayer,
  RnnLayerBackward,
  // sampling (standard gamma with its implicit gradient, binomial)
  StandardGamma,
  StandardGammaGrad,
  Binomial,
};

class Primitive {
 public:
  virtual ~Primitive() = default;
  // The PyTorch name of the op, used in every error message ("[exp] ...").
  virtual std::string_view name() const = 0;
  virtual PrimitiveKind kind() const = 0;
  // A heap copy with the same parameters, kept by the autograd node that records the call.
  virtual std::unique_ptr<Primitive> clone() const = 0;
  // Fills `outputs` (allocated, right shape and dtype) from `inputs` (already promoted).
  virtual void eval_cpu(TensorSpan inputs, TensorSpan outputs) const = 0;
  // Until CUDA kernels exist every primitive reports that it has none.
  virtual void eval_cuda(TensorSpan, TensorSpan) const { raise_no_kernel(name(), "CUDA"); }
};

}  // namespace ember

// Declares kind() and clone() for a primitive class.
#define EMBER_PRIMITIVE(Class, Kind)                                                    \
  ::ember::PrimitiveKind kind() const override { return ::ember::PrimitiveKind::Kind; } \
  std::unique_ptr<::ember::Primitive> clone() const override {                          \
    return std::make_unique<Class>(*this);                                              \
  }
