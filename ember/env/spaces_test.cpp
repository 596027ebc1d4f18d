// Gymnasium's spaces in C++: samples in bounds, contains, seeding, repr, bad input. The seeded
// samples below were printed by Gymnasium 1.4 (numpy 2.4): gymnasium.spaces.Box(-1, 1, (3,),
// seed=3).sample(), Discrete(5, seed=1), MultiBinary(9, seed=1), MultiDiscrete([3, 4, 5],
// seed=1).
#include "ember/env/spaces.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

std::vector<double> values(const Tensor& x) {
  Tensor v = x.to(kFloat64).contiguous();
  return {v.data_ptr<double>(), v.data_ptr<double>() + v.numel()};
}

TEST(Spaces, SeededSamplesAreGymnasiums) {
  Box box(-1.0, 1.0, {3});
  box.seed(3);
  Tensor sample = box.sample();
  EXPECT_EQ(sample.dtype(), kFloat32);
  std::vector<float> expected{-0.8287016749382019f, -0.5263789892196655f, 0.6025489568710327f};
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(sample.data_ptr<float>()[i], expected[i]);

  Discrete discrete(5);
  discrete.seed(1);
  EXPECT_EQ(discrete.sample_value(), 2);

  MultiBinary binary({9});
  binary.seed(1);
  EXPECT_EQ(values(binary.sample()), (std::vector<double>{1, 1, 0, 0, 1, 1, 0, 1, 0}));

  MultiDiscrete multi({3, 4, 5});
  multi.seed(1);
  EXPECT_EQ(values(multi.sample()), (std::vector<double>{1, 3, 0}));
}

TEST(Spaces, SamplesLieInTheSpace) {
  Box box(tensor({-1.0, 0.0}), tensor({1.0, INFINITY}), std::nullopt, kFloat64);
  Discrete discrete(3, -1);
  MultiDiscrete multi({2, 7}, std::vector<int64_t>{1, -3});
  MultiBinary binary({2, 3});
  Box integers(0.0, 255.0, {4}, kUInt8);
  for (int i = 0; i < 200; ++i) {
    EXPECT_TRUE(box.contains(box.sample()));
    EXPECT_TRUE(discrete.contains(discrete.sample()));
    EXPECT_TRUE(multi.contains(multi.sample()));
    EXPECT_TRUE(binary.contains(binary.sample()));
    EXPECT_TRUE(integers.contains(integers.sample()));
  }
}

TEST(Spaces, ContainsChecksShapeDtypeAndBounds) {
  Box box(-1.0, 1.0, {2});
  EXPECT_TRUE(box.contains(tensor({0.5f, -1.0f})));
  EXPECT_FALSE(box.contains(tensor({0.5f, 1.5f})));           // out of bounds
  EXPECT_FALSE(box.contains(tensor({0.5f, 0.5f, 0.5f})));     // shape
  EXPECT_FALSE(box.contains(tensor({0.5, 0.5}, kFloat64)));   // float64 does not cast to float32
  EXPECT_TRUE(box.contains(tensor({int8_t{1}, int8_t{0}})));  // int8 does
  Discrete discrete(2);
  EXPECT_TRUE(discrete.contains(scalar_tensor(1, kInt64)));
  EXPECT_FALSE(discrete.contains(scalar_tensor(2, kInt64)));
  EXPECT_FALSE(discrete.contains(scalar_tensor(1.0, kFloat32)));
  EXPECT_FALSE(discrete.contains(tensor({int64_t{1}})));
}

TEST(Spaces, SeedReproducesAndCompositesSeedTheirChildren) {
  auto make = [] {
    return TupleSpace(
        {std::make_shared<Discrete>(4), std::make_shared<Box>(0.0, 1.0, std::vector<int64_t>{2})});
  };
  TupleSpace a = make(), b = make();
  EXPECT_EQ(a.seed(7), b.seed(7));
  auto sa = a.sample_each(), sb = b.sample_each();
  EXPECT_TRUE(sa[0].equal(sb[0]));
  EXPECT_TRUE(sa[1].equal(sb[1]));
  EXPECT_TRUE(a.contains(sa));
}

TEST(Spaces, ReprsAreGymnasiums) {
  EXPECT_EQ(Box(-1.0, 1.0, {3}).repr(), "Box(-1.0, 1.0, (3,), float32)");
  EXPECT_EQ(Discrete(3, 1).repr(), "Discrete(3, start=1)");
  EXPECT_EQ(MultiDiscrete({2, 3}).repr(), "MultiDiscrete([2 3])");
  EXPECT_EQ(MultiBinary({4}).repr(), "MultiBinary(4)");
  EXPECT_TRUE(Box(-1.0, 1.0, {3}).equals(Box(-1.0, 1.0, {3})));
  EXPECT_FALSE(Box(-1.0, 1.0, {3}).equals(Discrete(3)));
}

TEST(Spaces, BadArgumentsAreValueErrors) {
  EXPECT_THROW(Discrete(0), ValueError);
  EXPECT_THROW(Box(1.0, -1.0, {2}), ValueError);
  EXPECT_THROW(Box(tensor({1.0, 2.0}), tensor({3.0, 4.0, 5.0})), ValueError);
  EXPECT_THROW(MultiDiscrete({2, 0}), ValueError);
  EXPECT_THROW(MultiBinary({0}), ValueError);
  try {
    Box(1.0, -1.0, {2});
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what()).find("[Box]"), std::string::npos);
  }
}

}  // namespace
}  // namespace ember::env
