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

}  // namespace ember::cuda
