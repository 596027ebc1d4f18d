// The contract between the recorder/engine and the gradient rules of derivatives.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/autograd/node.h"
#include "ember/ops/primitive.h"

namespace ember::autograd {

// Which forward values a primitive's rule reads: bit i for input i, kSaveOutputs for outputs.
using SaveMask = uint32_t;
inline constexpr SaveMask kSaveOutputs = 1u << 31;

// What a node keeps of one forward input or output: its metadata and, if the rule reads it,
// its value. One record per tensor, so recording allocates one list per side.
struct TensorRecord {
  Shape shape;
  ScalarType dtype = kFloat32;
  SavedTensor saved;
};

// The shapes (or dtypes) of a node's input records, indexed like its edges.
struct RecordShapes {
  const TensorRecord* records;
  const Shape& operator[](size_t i) const { return records[i].shape; }
};
struct RecordDtypes {
  const TensorRecord* records;
  ScalarType operator[](size_t i) const { return records[i].dtype; }
};

// What a rule sees. Saved values are defined only where the SaveMask asked for them.
struct BackwardContext {
  const TensorList& inputs;
  const TensorList& outputs;
  const TensorList& grads;  // one per forward output; undefined where none arrived
  RecordShapes input_shapes;
  RecordDtypes input_dtypes;
  const std::vector<bool>& needs_input_grad;
};

// False for primitives whose outputs carry no gradient (comparisons, argmax, nonzero, RNG).
bool is_differentiable(const Primitive& primitive);
SaveMask saved_for_backward(const Primitive& primitive);
// True when the kernel reads its output's old value (index_put_, addmm with beta != 0): that
// value's history becomes one more input of the node.
bool reads_output(const Primitive& primitive);
// Gradients w.r.t. each forward input (undefined where not needed).
TensorList vjp(const Primitive& primitive, const BackwardContext& context);

}  // namespace ember::autograd
