// A primitive is an op with kernels: it knows its name and how to compute its outputs from its
// inputs on each device. Everything else (shape checks, promotion, allocation) happens in the op
// function before run() (ops/dispatch.h); composites build on primitives and need no kernel.
#pragma once

#include <span>
#include <string_view>

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember {

using TensorSpan = std::span<const Tensor>;

class Primitive {
 public:
  virtual ~Primitive() = default;
  // The PyTorch name of the op, used in every error message ("[exp] ...").
  virtual std::string_view name() const = 0;
  // Fills `outputs` (allocated, right shape and dtype) from `inputs` (already promoted).
  virtual void eval_cpu(TensorSpan inputs, TensorSpan outputs) const = 0;
  // Until CUDA kernels exist every primitive reports that it has none.
  virtual void eval_cuda(TensorSpan, TensorSpan) const { raise_no_kernel(name(), "CUDA"); }
};

}  // namespace ember
