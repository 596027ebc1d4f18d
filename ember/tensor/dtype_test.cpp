// Type promotion (torch.promote_types / torch.result_type), casting rules and dtype metadata.
#include "ember/tensor/dtype.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"

namespace ember {
namespace {

TEST(DType, ItemsizeAndNames) {
  EXPECT_EQ(itemsize(kBool), 1u);
  EXPECT_EQ(itemsize(kBFloat16), 2u);
  EXPECT_EQ(itemsize(kInt32), 4u);
  EXPECT_EQ(itemsize(kFloat64), 8u);
  EXPECT_EQ(dtype_name(kFloat16), "float16");
  EXPECT_EQ(dtype_name(kUInt8), "uint8");
}

TEST(DType, PromoteTypesFollowsPyTorch) {
  EXPECT_EQ(promote_types(kUInt8, kInt8), kInt16);
  EXPECT_EQ(promote_types(kUInt8, kInt32), kInt32);
  EXPECT_EQ(promote_types(kBool, kUInt8), kUInt8);
  EXPECT_EQ(promote_types(kInt64, kFloat16), kFloat16);
  EXPECT_EQ(promote_types(kFloat16, kBFloat16), kFloat32);
  EXPECT_EQ(promote_types(kBFloat16, kFloat64), kFloat64);
  EXPECT_EQ(promote_types(kInt32, kInt64), kInt64);
  for (int a = 0; a < kNumScalarTypes; ++a) {
    for (int b = 0; b < kNumScalarTypes; ++b) {
      const auto x = static_cast<ScalarType>(a), y = static_cast<ScalarType>(b);
      EXPECT_EQ(promote_types(x, y), promote_types(y, x)) << x << " " << y;
    }
  }
}

TEST(DType, WeakScalarsOnlyRaiseTheCategory) {
  ResultType half_times_float;
  half_times_float.add(kFloat16, false, false);
  half_times_float.add(kFloat64, true, true);
  EXPECT_EQ(half_times_float.result(), kFloat16);

  ResultType int_times_float;
  int_times_float.add(kInt32, false, false);
  int_times_float.add(kFloat64, true, true);
  EXPECT_EQ(int_times_float.result(), kFloat32);  // the default dtype, not float64

  ResultType int_plus_int;
  int_plus_int.add(kUInt8, false, false);
  int_plus_int.add(kInt64, true, true);
  EXPECT_EQ(int_plus_int.result(), kUInt8);

  ResultType zero_dim_float64;
  zero_dim_float64.add(kInt32, false, false);
  zero_dim_float64.add(kFloat64, true, false);
  EXPECT_EQ(zero_dim_float64.result(), kFloat64);
}

TEST(DType, CanCastNeverLowersTheCategory) {
  EXPECT_TRUE(can_cast(kInt64, kFloat16));
  EXPECT_TRUE(can_cast(kFloat64, kFloat16));
  EXPECT_FALSE(can_cast(kFloat32, kInt64));
  EXPECT_FALSE(can_cast(kInt32, kBool));
  EXPECT_TRUE(can_cast(kBool, kUInt8));
}

TEST(DType, DefaultDtypeMustBeFloating) {
  EXPECT_THROW(set_default_dtype(kInt64), TypeError);
  set_default_dtype(kFloat64);
  EXPECT_EQ(default_dtype(), kFloat64);
  set_default_dtype(kFloat32);
}

}  // namespace
}  // namespace ember
