// The sorting and selection kernels (sort.cu, nonzero.cu) through the public ops on a CUDA
// device, against the same ops on the CPU. Skipped without a device:
// kernel_emulation_sort_test.cpp checks the bodies on any machine (CUB's segmented sort of long
// rows excepted: only here is it run). nonzero and boolean masks also
// need CountNonzero's CUDA kernel (reduce.cu).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ember/ops/ops.h"
#include "ember/ops/scan.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

// Exactly equal, NaNs in the same places.
void expect_device_equals(const Tensor& device_result, const Tensor& cpu_result,
                          const std::string& what) {
  ASSERT_TRUE(device_result.device().is_cuda()) << what;
  const Tensor back = device_result.cpu();
  ASSERT_EQ(back.dtype(), cpu_result.dtype()) << what;
  ASSERT_EQ(back.sizes(), cpu_result.sizes()) << what;
  if (is_floating_point(back.dtype())) {
    EXPECT_TRUE(allclose(back.to(kFloat64), cpu_result.to(kFloat64), 0.0, 0.0, true)) << what;
  } else {
    EXPECT_TRUE(equal(back, cpu_result)) << what;
  }
}

Tensor with_nans_and_repeats(IntArrayRef shape) {
  Tensor x = randint(-5, 5, shape, TensorOptions(kInt64)).to(kFloat32);
  return where(randint(0, 9, shape, TensorOptions(kInt64)).eq(0), full({}, std::nanf("")), x);
}

TEST(CudaSortOps, SortTopkAndModeMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(14);
  const Tensor x = with_nans_and_repeats({37, 515});
  const Tensor xd = x.cuda();
  for (int64_t dim : {1, 0}) {
    for (bool descending : {false, true}) {
      const auto [values, indices] = sort(xd, dim, descending);
      const auto [cpu_values, cpu_indices] = sort(x, dim, descending);
      const std::string what = "sort dim=" + std::to_string(dim) + (descending ? " desc" : "");
      expect_device_equals(values, cpu_values, what);
      expect_device_equals(indices, cpu_indices, what);
    }
    const auto [top, top_indices] = topk(xd, 5, dim, true);
    const auto [cpu_top, cpu_top_indices] = topk(x, 5, dim, true);
    expect_device_equals(top, cpu_top, "topk");
    expect_device_equals(top_indices, cpu_top_indices, "topk indices");
    const auto [most, most_indices] = mode(xd, dim);
    const auto [cpu_most, cpu_most_indices] = mode(x, dim);
    expect_device_equals(most, cpu_most, "mode");
    expect_device_equals(most_indices, cpu_most_indices, "mode indices");
  }
  const Tensor ints = randint(-1000, 1000, {4, 4096}, TensorOptions(kInt64));
  expect_device_equals(argsort(ints.cuda(), 1), argsort(ints, 1), "argsort int64 4096");
}

// Rows past the block sort go through cub::DeviceSegmentedRadixSort.
TEST(CudaSortOps, LongRowsMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(17);
  const Tensor x = with_nans_and_repeats({3, 10007});
  for (int64_t dim : {1, 0}) {
    const Tensor input = dim == 1 ? x : x.t().contiguous().t();
    for (bool descending : {false, true}) {
      const auto [values, indices] = sort(input.cuda(), 1, descending);
      const auto [cpu_values, cpu_indices] = sort(input, 1, descending);
      expect_device_equals(values, cpu_values, "long sort");
      expect_device_equals(indices, cpu_indices, "long sort indices");
    }
  }
  const auto [top, top_indices] = topk(x.cuda(), 7, 1, false);
  const auto [cpu_top, cpu_top_indices] = topk(x, 7, 1, false);
  expect_device_equals(top, cpu_top, "long topk");
  expect_device_equals(top_indices, cpu_top_indices, "long topk indices");
  const auto [most, most_indices] = mode(x.cuda(), 1);
  const auto [cpu_most, cpu_most_indices] = mode(x, 1);
  expect_device_equals(most, cpu_most, "long mode");
  expect_device_equals(most_indices, cpu_most_indices, "long mode indices");
  const Tensor halves = randn({2, 70000}).to(kFloat16);
  expect_device_equals(argsort(halves.cuda(), 1, true), argsort(halves, 1, true),
                       "long argsort float16");
}

TEST(CudaSortOps, SearchSortedMatchesTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(15);
  const Tensor boundaries = std::get<0>(sort(randn({3, 40}), 1));
  const Tensor values = randn({3, 17});
  for (bool right : {false, true}) {
    for (bool out_int32 : {false, true}) {
      expect_device_equals(searchsorted(boundaries.cuda(), values.cuda(), out_int32, right),
                           searchsorted(boundaries, values, out_int32, right), "searchsorted");
    }
  }
  const Tensor unsorted = randn({50});
  const Tensor sorter = argsort(unsorted);
  expect_device_equals(
      searchsorted(unsorted.cuda(), values.cuda(), false, false, std::nullopt, sorter.cuda()),
      searchsorted(unsorted, values, false, false, std::nullopt, sorter), "searchsorted sorter");
}

TEST(CudaSortOps, NonzeroAndBooleanMasksMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(16);
  const Tensor x = randn({300, 1001});
  const Tensor mask = x.gt(0.5);
  expect_device_equals(nonzero(mask.cuda()), nonzero(mask), "nonzero bool");
  expect_device_equals(nonzero(x.t().cuda()), nonzero(x.t()), "nonzero float transposed");
  expect_device_equals(x.cuda().masked_select(mask.cuda()), x.masked_select(mask), "masked_select");
  expect_device_equals(x.cuda().index({mask.cuda()}), x.index({mask}), "x[mask]");
  expect_device_equals(nonzero(zeros({0, 3}).cuda()), nonzero(zeros({0, 3})), "nonzero empty");
}

}  // namespace
}  // namespace ember
