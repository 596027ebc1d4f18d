// The CUDA kernels of the Index and IndexPut primitives (advanced indexing, index_select,
// masked_select, index_put_): the bodies of index_kernels.cuh. Gathers and assignments move
// elements by their size (every dtype); index_put_ with accumulate=True adds with atomics for the
// dtypes visit_kernel_dtype covers.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/index_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_index.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void index_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& index = dynamic_cast<const ember::Index&>(primitive);
  const Tensor& self = inputs[0];
  const AdvancedIndexLayout layout =
      make_advanced_index_layout(index.name(), index.layout(), self, outputs[0], inputs[1]);
  const bool ran = visit_element_bits(self.element_size(), [&](auto* tag) {
    using U = std::remove_pointer_t<decltype(tag)>;
    run_advanced_index<U, IndexMove::Gather>(layout, DeviceLaunch{index.name()});
    return true;
  });
  if (!ran) raise_no_kernel(index.name(), "CUDA");
}

void index_put_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& put = dynamic_cast<const IndexPut&>(primitive);
  const Tensor& self = outputs[0];
  const AdvancedIndexLayout layout =
      make_advanced_index_layout(put.name(), put.layout(), self, inputs[0], inputs[1]);
  bool ran = false;
  if (put.accumulate()) {
    ran = visit_kernel_dtype(self.dtype(), [&](auto* tag) {
      using T = std::remove_pointer_t<decltype(tag)>;
      run_advanced_index<T, IndexMove::Accumulate>(layout, DeviceLaunch{put.name()});
      return true;
    });
  } else {
    ran = visit_element_bits(self.element_size(), [&](auto* tag) {
      using U = std::remove_pointer_t<decltype(tag)>;
      run_advanced_index<U, IndexMove::Assign>(layout, DeviceLaunch{put.name()});
      return true;
    });
  }
  if (!ran) raise_no_kernel(put.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Index, &index_kernel);
  register_cuda_kernel(PrimitiveKind::IndexPut, &index_put_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
