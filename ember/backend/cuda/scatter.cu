// The CUDA kernels of the Gather, Scatter and ScatterReduce primitives (gather, scatter_,
// scatter_add_, index_add_, index_copy_, scatter_reduce): the bodies of index_kernels.cuh.
// Gather and Scatter's Assign move elements by their size (every dtype); Add accumulates with
// atomics, and ScatterReduce (Multiply, Amax, Amin) with a thread per position outside `dim`, for
// the dtypes visit_kernel_dtype covers.
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/index_kernels.cuh"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_scatter.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

void gather_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& gather = dynamic_cast<const Gather&>(primitive);
  const Tensor& self = inputs[0];
  const ScatterLayout layout =
      make_scatter_layout(gather.name(), gather.dim(), self, inputs[1], outputs[0]);
  const bool ran = visit_element_bits(self.element_size(), [&](auto* tag) {
    using U = std::remove_pointer_t<decltype(tag)>;
    run_scatter_move<U, ScatterMove::Gather>(layout, DeviceLaunch{gather.name()});
    return true;
  });
  if (!ran) raise_no_kernel(gather.name(), "CUDA");
}

void scatter_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& scatter = dynamic_cast<const Scatter&>(primitive);
  const Tensor& self = outputs[0];
  const ScatterLayout layout =
      make_scatter_layout(scatter.name(), scatter.dim(), self, inputs[1], inputs[0]);
  bool ran = false;
  if (scatter.mode() == ScatterMode::Assign) {
    ran = visit_element_bits(self.element_size(), [&](auto* tag) {
      using U = std::remove_pointer_t<decltype(tag)>;
      run_scatter_move<U, ScatterMove::Assign>(layout, DeviceLaunch{scatter.name()});
      return true;
    });
  } else if (scatter.mode() == ScatterMode::Add) {
    ran = visit_kernel_dtype(self.dtype(), [&](auto* tag) {
      using T = std::remove_pointer_t<decltype(tag)>;
      run_scatter_move<T, ScatterMove::Add>(layout, DeviceLaunch{scatter.name()});
      return true;
    });
  }
  if (!ran) raise_no_kernel(scatter.name(), "CUDA");
}

template <ScatterMode kMode>
bool run_reduce_mode(std::string_view op, const ScatterLayout& layout, ScalarType dtype) {
  return visit_kernel_dtype(dtype, [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_scatter_reduce<T, kMode>(layout, DeviceLaunch{op});
    return true;
  });
}

// The op function filled the result with self; the kernel combines src into it.
void scatter_reduce_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& reduce = dynamic_cast<const ScatterReduce&>(primitive);
  const Tensor& result = outputs[0];
  const ScatterLayout layout =
      make_scatter_layout(reduce.name(), reduce.dim(), result, inputs[1], inputs[2]);
  bool ran = false;
  switch (reduce.mode()) {
    case ScatterMode::Multiply:
      ran = run_reduce_mode<ScatterMode::Multiply>(reduce.name(), layout, result.dtype());
      break;
    case ScatterMode::Amax:
      ran = run_reduce_mode<ScatterMode::Amax>(reduce.name(), layout, result.dtype());
      break;
    case ScatterMode::Amin:
      ran = run_reduce_mode<ScatterMode::Amin>(reduce.name(), layout, result.dtype());
      break;
    default:
      break;
  }
  if (!ran) raise_no_kernel(reduce.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Gather, &gather_kernel);
  register_cuda_kernel(PrimitiveKind::Scatter, &scatter_kernel);
  register_cuda_kernel(PrimitiveKind::ScatterReduce, &scatter_reduce_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
