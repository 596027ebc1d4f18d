// The one path every primitive call takes (DESIGN §4, steps 3-5): check the devices, run the
// device's kernel and, once autograd exists, record the node. Op functions do steps 1-2
// (validate, infer) and allocate the outputs before calling run().
#pragma once

#include <initializer_list>

#include "ember/ops/primitive.h"

namespace ember {

void run(const Primitive& primitive, std::initializer_list<Tensor> inputs,
         std::initializer_list<Tensor> outputs);

// B5: every tensor of one op call lives on one device.
void check_same_device(std::string_view op, std::initializer_list<const Tensor*> tensors);

}  // namespace ember
