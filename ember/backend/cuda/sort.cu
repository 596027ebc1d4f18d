// The CUDA kernels of the sorting family: Sort, Topk and Mode sort each row in one block's shared
// memory (sort_kernels.cuh), or, for rows longer than kMaxBlockSortLength, through
// cub::DeviceSegmentedRadixSort on keys the kernels prepare; SearchSorted is a binary search per
// value (Note [CUDA sorting and selection]).
#include <cub/device/device_segmented_radix_sort.cuh>

#include <cstddef>
#include <limits>
#include <type_traits>

#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/sort_kernels.cuh"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_scan.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

// Sorts every row of layout as one segment of a CUB radix sort (stable, so equal keys keep their
// positions' order), then writes the outputs. The buffers are ember tensors on the device, from
// the caching allocator, ordered on the current stream as the kernels are.
template <typename T, RowTask kTask>
void run_long_rows(std::string_view op, const SortRowsLayout& layout, bool invert,
                   const Device& device) {
  using K = key_t<T>;
  const int64_t count = layout.rows * layout.length;
  if (count == 0 || layout.kept == 0) return;
  EMBER_CHECK_TYPED(count <= std::numeric_limits<int>::max(), NotImplementedError, "[", op,
                    "] the CUDA kernel sorts at most 2^31 - 1 elements at once; got ", count);
  const TensorOptions bytes = TensorOptions(kUInt8).device(device);
  const TensorOptions longs = TensorOptions(kInt64).device(device);
  const Tensor keys = empty({2 * count * static_cast<int64_t>(sizeof(K))}, bytes);
  const Tensor positions = empty({2 * count}, longs);
  auto* keys_in = static_cast<K*>(keys.data_ptr());
  auto* positions_in = static_cast<int64_t*>(positions.data_ptr());
  run_row_keys<T>(layout, invert, keys_in, positions_in, DeviceLaunch{});
  const Tensor offsets = arange(0, (layout.rows + 1) * layout.length, layout.length, longs);
  const auto* begin = static_cast<const int64_t*>(offsets.data_ptr());
  int current = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&current));
  const auto stream = static_cast<cudaStream_t>(runtime::current_stream(current));
  const auto sort_pairs = [&](void* temp, size_t& temp_bytes) {
    EMBER_CUDA_CHECK(cub::DeviceSegmentedRadixSort::SortPairs(
        temp, temp_bytes, keys_in, keys_in + count, positions_in, positions_in + count,
        static_cast<int>(count), static_cast<int>(layout.rows), begin, begin + 1, 0,
        static_cast<int>(sizeof(K) * 8), stream));
  };
  size_t temp_bytes = 0;
  sort_pairs(nullptr, temp_bytes);
  const Tensor temp = empty({static_cast<int64_t>(temp_bytes)}, bytes);
  sort_pairs(temp.data_ptr(), temp_bytes);
  run_sorted_rows<T, kTask>(layout, keys_in + count, positions_in + count, DeviceLaunch{});
}

template <RowTask kTask>
void run_rows(const Primitive& primitive, const Tensor& x, const Tensor& values,
              const Tensor& indices, int64_t dim, bool invert) {
  const SortRowsLayout layout = make_sort_rows_layout(primitive.name(), x, values, indices, dim);
  const bool covered = visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    if (fits_block_sort(layout)) {
      run_row_sort<T, kTask>(layout, invert, DeviceLaunch{});
    } else {
      run_long_rows<T, kTask>(primitive.name(), layout, invert, x.device());
    }
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
