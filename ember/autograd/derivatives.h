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
inline constexpr size_t kMaskInputs = 31;  // the inputs a SaveMask can name

// What a node keeps of one forward input or output: its metadata and, if the rule reads it,
// its value. One record per tensor, so recording allocates one list per side.
struct TensorRecord {
  Shape shape;
  ScalarType dtype = kFloat32;
  SavedTensor saved;
  Device device = Device(kCPU);
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
struct RecordDevices {
  const TensorRecord* records;
  Device operator[](size_t i) const { return records[i].device; }
};

template <SaveMask kSaved>
class Saved;

// What a rule sees. Saved values are defined only where the SaveMask asked for them, so a rule
// reads them only through Saved (below), which checks its reads against that mask.
class BackwardContext {
 public:
  BackwardContext(const TensorList& saved_inputs, const TensorList& saved_outputs,
                  const TensorList& output_grads, const TensorRecord* input_records,
                  const std::vector<bool>& needs)
      : grads(output_grads),
        input_shapes{input_records},
        input_dtypes{input_records},
        input_devices{input_records},
        needs_input_grad(needs),
        inputs_(saved_inputs),
        outputs_(saved_outputs) {}

  const TensorList& grads;  // one per forward output; undefined where none arrived
  RecordShapes input_shapes;
  RecordDtypes input_dtypes;
  RecordDevices input_devices;  // where each input's gradient must arrive
  const std::vector<bool>& needs_input_grad;

 private:
  template <SaveMask>
  friend class Saved;
  const TensorList& inputs_;
  const TensorList& outputs_;
};

// The saved values a rule may read, kSaved being the rule's saved_for_backward entry: reading
// an input or output the node did not save fails to compile (Note [gradient rules]).
template <SaveMask kSaved>
class Saved {
 public:
  explicit Saved(const BackwardContext& context) : context_(context) {}
  template <int i>
  const Tensor& input() const {
    static_assert((kSaved & (SaveMask{1} << i)) != 0,
                  "the rule reads an input that saved_for_backward does not save");
    return context_.inputs_[i];
  }
  template <int i = 0>
  const Tensor& output() const {
    static_assert((kSaved & kSaveOutputs) != 0,
                  "the rule reads an output that saved_for_backward does not save");
    return context_.outputs_[i];
  }

 private:
  const BackwardContext& context_;
};

// False for primitives whose outputs carry no gradient (comparisons, argmax, nonzero, RNG).
bool is_differentiable(const Primitive& primitive);
// What the node saves when the inputs in `needs` (bit i: input i) need gradients: a subset of
// what the rule may read, saves(...), whose reads are checked at compile time.
SaveMask saved_for_backward(const Primitive& primitive, SaveMask needs);
// True when the kernel reads its output's old value (index_put_, addmm with beta != 0): that
// value's history becomes one more input of the node.
bool reads_output(const Primitive& primitive);
// Gradients w.r.t. each forward input (undefined where not needed).
TensorList vjp(const Primitive& primitive, const BackwardContext& context);
// Sums a broadcast gradient back to the shape of the input it came from.
Tensor sum_to(const Tensor& grad, const Shape& shape);

}  // namespace ember::autograd
