// The CUDA kernels of the sorting family: Sort, Topk and Mode sort each row in one block's shared
// memory (sort_kernels.cuh), SearchSorted is a binary search per value. Rows longer than
// kMaxBlockSortLength raise for now (Note [CUDA sorting and selection]).
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/sort_kernels.cuh"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_scan.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

template <RowTask kTask>
void run_rows(const Primitive& primitive, const Tensor& x, const Tensor& values,
              const Tensor& indices, int64_t dim, bool invert) {
  const SortRowsLayout layout = make_sort_rows_layout(primitive.name(), x, values, indices, dim);
  EMBER_CHECK_TYPED(fits_block_sort(layout), NotImplementedError, "[", primitive.name(),
                    "] the CUDA kernel sorts rows of at most ", kMaxBlockSortLength,
                    " elements; got ", layout.length);
  const bool covered = visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    run_row_sort<T, kTask>(layout, invert, DeviceLaunch{});
    return true;
  });
  if (!covered) raise_no_kernel(primitive.name(), "CUDA");
}

void sort_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Sort& sort = dynamic_cast<const Sort&>(primitive);
  run_rows<RowTask::Sort>(sort, inputs[0], outputs[0], outputs[1], sort.dim(), sort.descending());
}

void topk_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Topk& topk = dynamic_cast<const Topk&>(primitive);
  run_rows<RowTask::Topk>(topk, inputs[0], outputs[0], outputs[1], topk.dim(), topk.largest());
}

void mode_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const Mode& mode = dynamic_cast<const Mode&>(primitive);
  run_rows<RowTask::Mode>(mode, inputs[0], outputs[0], outputs[1], mode.dim(), false);
}

void search_sorted_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const SearchSorted& search = dynamic_cast<const SearchSorted&>(primitive);
  const Tensor& sorted = inputs[0];
  const Tensor& values = inputs[1];
  const Tensor& result = outputs[0];
  EMBER_CHECK(sorted.is_contiguous() && values.is_contiguous() &&
                  sorted.dtype() == values.dtype() && result.numel() == values.numel() &&
                  (result.dtype() == kInt64 || result.dtype() == kInt32),
              "[", search.name(), "] expected contiguous boundaries and values of one dtype");
  const int64_t length = sorted.dim() == 0 ? 1 : sorted.shape().back();
  const int64_t per_row = sorted.dim() <= 1   ? values.numel()
                          : values.dim() == 0 ? 1
                                              : values.shape().back();
  const bool covered = visit_kernel_dtype(sorted.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const auto* boundaries = static_cast<const T*>(sorted.data_ptr());
    const auto* needles = static_cast<const T*>(values.data_ptr());
    if (result.dtype() == kInt64) {
      run_search_sorted(boundaries, needles, static_cast<int64_t*>(result.data_ptr()),
                        values.numel(), length, per_row, search.right(), DeviceLaunch{});
    } else {
      run_search_sorted(boundaries, needles, static_cast<int32_t*>(result.data_ptr()),
                        values.numel(), length, per_row, search.right(), DeviceLaunch{});
    }
    return true;
  });
  if (!covered) raise_no_kernel(search.name(), "CUDA");
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Sort, &sort_kernel);
  register_cuda_kernel(PrimitiveKind::Topk, &topk_kernel);
  register_cuda_kernel(PrimitiveKind::Mode, &mode_kernel);
  register_cuda_kernel(PrimitiveKind::SearchSorted, &search_sorted_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
