// Factories and random ops: values, dtypes, seeding, and independence from the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::values;

TEST(Creation, FillsAndDtypes) {
  EXPECT_EQ(values(zeros({2})), (std::vector<double>{0, 0}));
  EXPECT_EQ(values(ones({2}, kInt8)), (std::vector<double>{1, 1}));
  EXPECT_EQ(full({2}, 2.5, kFloat16).dtype(), kFloat16);
  EXPECT_EQ(values(full({1}, true, kBool)), (std::vector<double>{1}));
  EXPECT_EQ(zeros({2, 3}).dtype(), kFloat32);
  EXPECT_EQ(zeros({}).dim(), 0);
  EXPECT_EQ(zeros({}).numel(), 1);
}

TEST(Creation, Ranges) {
  EXPECT_EQ(arange(5).dtype(), kInt64);
  EXPECT_EQ(values(arange(5)), (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_EQ(arange(0, 1, 0.25).dtype(), kFloat32);
  EXPECT_EQ(values(arange(0, 1, 0.25)), (std::vector<double>{0, 0.25, 0.5, 0.75}));
  EXPECT_EQ(values(arange(5, 0, -2)), (std::vector<double>{5, 3, 1}));
  EXPECT_EQ(values(linspace(0, 1, 5)), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(linspace(0, 1, 0).numel(), 0);
  EXPECT_EQ(values(eye(2, 3)), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  EXPECT_THROW(arange(0, 1, 0), RuntimeError);
  EXPECT_THROW(arange(1, 0, 1), RuntimeError);
}

TEST(Creation, LikeFamilyAndFromBlob) {
  Tensor base = zeros({2, 3}, kFloat64);
  EXPECT_EQ(ones_like(base).dtype(), kFloat64);
  EXPECT_EQ(full_like(base, 3).shape(), base.shape());
  EXPECT_EQ(zeros_like(base, TensorOptions(kInt32)).dtype(), kInt32);
  float data[4] = {1, 2, 3, 4};
  Tensor view = from_blob(data, {2, 2}, kFloat32);
  view.fill_(7);
  EXPECT_EQ(data[3], 7.0f);  // shares the caller's memory
  EXPECT_EQ(values(from_blob_copy(data, {4}, kFloat32)), (std::vector<double>{7, 7, 7, 7}));
}

TEST(Random, SeedReproducesStreams) {
  manual_seed(123);
  Tensor a = randn({1000});
  Tensor b = rand({10}, kFloat64);
  manual_seed(123);
  EXPECT_EQ(values(randn({1000})), values(a));
  EXPECT_EQ(values(rand({10}, kFloat64)), values(b));
  EXPECT_NE(values(randn({1000})), values(a));  // the stream moves on
}

TEST(Random, IndependentOfThreadCount) {
  const int threads = get_num_threads();
  set_num_threads(1);
  manual_seed(7);
  const std::vector<double> single = values(randn({1 << 18}));
  set_num_threads(2);
  manual_seed(7);
  EXPECT_EQ(values(randn({1 << 18})), single);
  set_num_threads(threads);
}

TEST(Random, Distributions) {
  manual_seed(0);
  const std::vector<double> normal = values(randn({100000}, kFloat64));
  double mean = 0, square = 0;
  for (double v : normal) {
    mean += v;
    square += v * v;
  }
  mean /= normal.size();
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(square / normal.size() - mean * mean, 1.0, 0.03);
  for (double v : values(randint(-3, 3, {1000}))) {
    EXPECT_GE(v, -3);
    EXPECT_LT(v, 3);
  }
  const std::vector<double> uniform = values(rand({1000}, kFloat16));
  for (double v : uniform) {
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 1);  // float16 rounding may reach 1.0 exactly
  }
  Tensor coins = bernoulli(full({10000}, 0.25));
  EXPECT_NEAR(values(coins.sum())[0] / 10000.0, 0.25, 0.03);
  EXPECT_THROW(randint(3, 3, {2}), RuntimeError);
  EXPECT_THROW(zeros({2}, kInt64).normal_(), RuntimeError);
  EXPECT_THROW(zeros({2}).normal_(0, -1), RuntimeError);
}

}  // namespace
}  // namespace ember
