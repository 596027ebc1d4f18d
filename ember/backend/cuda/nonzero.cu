// The CUDA kernel of Nonzero: a count pass and a write pass over chunks of x (sort_kernels.cuh).
// The output arrives sized by CountNonzero's count (ops/index.cpp reads it back, the one
// synchronisation, as in PyTorch), so nothing here waits on the device.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/sort_kernels.cuh"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_index.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void nonzero_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Tensor& x = inputs[0];
  const NonzeroLayout layout = make_nonzero_layout(primitive.name(), x, outputs[0]);
  if (layout.numel == 0) return;
  const Tensor block_counts =
      empty({nonzero_blocks(layout.numel)}, TensorOptions(kInt64).device(x.device()));
  auto* counts = static_cast<int64_t*>(block_counts.data_ptr());
  const bool covered = visit_kernel_or_byte_dtype(x.dtype(), [&](auto* tag) {
    run_nonzero<std::remove_pointer_t<decltype(tag)>>(layout, counts, DeviceLaunch{});
    return true;
  });
  if (!covered) raise_no_kernel(primitive.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Nonzero, &nonzero_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
