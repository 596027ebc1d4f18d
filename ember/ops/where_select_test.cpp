// where's loop on each operand form it specialises (both dense, either a broadcast scalar, both
// scalars, strided), for every width of element it selects bits through: the chosen values come
// out exactly, NaN payloads and -0.0 included.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::tensor_of;
using testing::values;

Tensor mask_of(int64_t n) {
  std::vector<double> bits;
  for (int64_t i = 0; i < n; ++i) bits.push_back(static_cast<double>((i * 7 + i / 3) % 2));
  return tensor_of(bits, {n}).to(kBool);
}

TEST(WhereSelect, EveryOperandFormAndDtype) {
  const int64_t n = 37;  // not a multiple of any vector width
  const Tensor mask = mask_of(n);
  std::vector<double> a_data, b_data;
  for (int64_t i = 0; i < n; ++i) {
    a_data.push_back(static_cast<double>(i + 1));
    b_data.push_back(-static_cast<double>(2 * i + 1));
  }
  const std::vector<double> m = values(mask);
  for (ScalarType dtype : {kFloat32, kFloat64, kInt8, kInt16, kInt32, kInt64, kFloat16}) {
    const Tensor a = tensor_of(a_data, {n}, dtype);
    const Tensor b = tensor_of(b_data, {n}, dtype);
    const Tensor a_scalar = tensor_of({5}, Shape{}, dtype);
    const Tensor b_scalar = tensor_of({-3}, Shape{}, dtype);
    std::vector<double> dense, left_scalar, right_scalar, both_scalar;
    for (int64_t i = 0; i < n; ++i) {
      const bool take = m[i] != 0;
      dense.push_back(take ? a_data[i] : b_data[i]);
      left_scalar.push_back(take ? 5 : b_data[i]);
      right_scalar.push_back(take ? a_data[i] : -3);
      both_scalar.push_back(take ? 5 : -3);
    }
    EXPECT_EQ(values(where(mask, a, b)), dense) << dtype;
    EXPECT_EQ(values(where(mask, a_scalar, b)), left_scalar) << dtype;
    EXPECT_EQ(values(where(mask, a, b_scalar)), right_scalar) << dtype;
    EXPECT_EQ(values(where(mask, a_scalar, b_scalar)), both_scalar) << dtype;
    // Strided operands take the general loop.
    const Tensor wide_a = tensor_of(a_data, {n}, dtype).repeat({2}).reshape({2, n}).t();
    EXPECT_EQ(values(where(mask.unsqueeze(1), wide_a, b.unsqueeze(1)).select(1, 0)), dense)
        << dtype;
  }
  const Tensor flags = tensor_of({1, 0, 1}, {3}).to(kBool);
  EXPECT_EQ(values(where(flags, flags, logical_not(flags))), (std::vector<double>{1, 1, 1}));
}

TEST(WhereSelect, KeepsNaNPayloadsAndNegativeZero) {
  const uint32_t payload = 0x7fc01234u;
  std::vector<float> x(19, std::bit_cast<float>(payload));
  x[4] = -0.0f;
  const Tensor a = from_blob_copy(x.data(), {19}, kFloat32);
  const Tensor chosen = where(ones({19}, kBool), a, zeros({19}));
  const float* out = chosen.data_ptr<float>();
  for (int64_t i = 0; i < 19; ++i) {
    EXPECT_EQ(std::bit_cast<uint32_t>(out[i]), std::bit_cast<uint32_t>(x[i])) << i;
  }
}

}  // namespace
}  // namespace ember
