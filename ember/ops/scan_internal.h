// Helpers the scan family's op files share (not public API).
#pragma once

#include "ember/tensor/tensor.h"

namespace ember {

// x's elements at `index` along `dim` (index: x's shape except along dim, broadcastable):
// torch.take_along_dim, through advanced indexing so that autograd covers it.
Tensor take_along(const Tensor& x, int64_t dim, const Tensor& index);

}  // namespace ember
