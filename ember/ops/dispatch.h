// The one path every primitive call takes (DESIGN §4, steps 3-5): check the devices, run the
// device's kernel and, once autograd exists, record the node. Op functions do steps 1-2
// (validate, infer) and allocate the outputs before calling run().
#pragma once

#include <initializer_list>
#include <memory>

#include "ember/ops/primitive.h"

namespace ember {

void run(const Primitive& primitive, std::initializer_list<Tensor> inputs,
         std::initializer_list<Tensor> outputs);
// The same for a number of inputs known only at run time (cat's list of tensors).
void run(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs);
// Records a call whose outputs are already computed (views: metadata only, no kernel).
void record_only(const Primitive& primitive, std::initializer_list<Tensor> inputs,
                 std::initializer_list<Tensor> outputs);
void record_only(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs);
// run(), except that outputs with no elements need no kernel and are only recorded: an op on an
// empty tensor keeps its history, so backward gives its inputs (zero or empty) gradients.
void run_unless_empty(const Primitive& primitive, std::initializer_list<Tensor> inputs,
                      std::initializer_list<Tensor> outputs);

// Autograd's two calls into the op path (Note [the op call path]), installed by the autograd
// layer: begin() before the kernel returns the node to finish() after it, or null when the call
// is not recorded.
struct AutogradHooks {
  std::shared_ptr<autograd::Node> (*begin)(const Primitive&, TensorSpan inputs,
                                           TensorSpan outputs) = nullptr;
  void (*finish)(const std::shared_ptr<autograd::Node>& node, TensorSpan outputs) = nullptr;
};
void set_autograd_hooks(AutogradHooks hooks);

// Factories fill their result before it requires grad (the fill is not part of any graph), then
// apply options.requires_grad() with this (creation.cpp): a leaf, so no autograd call is needed.
Tensor with_requires_grad(Tensor result, const TensorOptions& options, std::string_view op);

// B5: every tensor of one op call lives on one device.
void check_same_device(std::string_view op, std::initializer_list<const Tensor*> tensors);

// The device an elementwise op runs on: its operands', where a CPU scalar (a 0-dim CPU tensor: a
// Python or C++ number, a CPU reduction's result) joins an op on any device, as in PyTorch.
// Operands on two devices otherwise are check_same_device's RuntimeError.
Device elementwise_device(std::string_view op, std::initializer_list<const Tensor*> tensors);
// `operand` on `device`: a CPU scalar's value is filled there (a kernel launch, no
// synchronisation), or copied with a recorded Copy when it requires grad; an operand already
// there is returned as it is.
Tensor on_device(const Tensor& operand, Device device);

}  // namespace ember
