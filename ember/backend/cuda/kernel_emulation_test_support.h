// What the kernel emulation tests (kernel_emulation_*_test.cpp) share: the dtypes the kernels
// are instantiated for and the comparison with the CPU backend under RELIABILITY.md's
// tolerances. Included by tests only.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/ops/ops.h"

namespace ember::cuda {

// visit_kernel_dtype's dtypes: every kernel family covers these.
inline const std::vector<ScalarType> kKernelDtypes = {kFloat32,  kFloat64, kFloat16,
                                                      kBFloat16, kInt32,   kInt64};

// Same dtype and shape, values within RELIABILITY.md's tolerances (the same functor usually gives
// the same bits); `reassociated`: float sums and products folded in another order than the CPU's,
// with looser float32/float16 tolerances. Integers and bools compare exactly.
inline void expect_matches(const Tensor& actual, const Tensor& expected, const std::string& what,
                           bool reassociated = false) {
  ASSERT_EQ(actual.dtype(), expected.dtype()) << what;
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  switch (expected.dtype()) {
    case kFloat32:
      EXPECT_TRUE(allclose(actual, expected, reassociated ? 1e-5 : 1.3e-6, 1e-5, true)) << what;
      return;
    case kFloat64:
      EXPECT_TRUE(allclose(actual, expected, 1e-7, 1e-7, true)) << what;
      return;
    case kFloat16:
      EXPECT_TRUE(allclose(actual.to(kFloat32), expected.to(kFloat32), reassociated ? 1e-2 : 1e-3,
                           1e-5, true))
          << what;
      return;
    case kBFloat16:
      EXPECT_TRUE(allclose(actual.to(kFloat32), expected.to(kFloat32), 1.6e-2, 1e-5, true)) << what;
      return;
    default:
      EXPECT_TRUE(equal(actual, expected)) << what;
  }
}

// The reductions' cases (Reduce, CountNonzero, ArgReduce, ...): a shape, the reduced dims, and
// whether the input is transposed.
struct ReduceCase {
  std::vector<int64_t> shape;
  std::vector<int64_t> dims;
  bool transposed;  // the input's last two dims swapped
};
// Few outputs take a block each (kFewOutputs), contiguous or not; the last ones have enough
// outputs for the thread-per-output walk.
inline const std::vector<ReduceCase> kReduceCases = {
    {{5, 1000}, {1}, false},  {{5, 37}, {1}, false},       {{1000, 3}, {0}, false},
    {{4, 6, 33}, {1}, false}, {{4, 6, 33}, {0, 2}, false}, {{4, 6, 33}, {0, 1, 2}, false},
    {{7, 9}, {1}, true},      {{7, 9}, {0}, true},         {{3, 0}, {1}, false},
    {{0, 4}, {1}, false},     {{1, 1}, {0}, false},        {{2, 3, 4, 5}, {1, 3}, false},
    {{3, 1100}, {0}, false},  {{1200, 5}, {1}, true},      {{2, 1030, 3}, {0, 2}, false},
    {{1100, 40}, {1}, false},
};

}  // namespace ember::cuda
