// The RandomFill CUDA kernel body (random_kernels.cuh) runs in the CPU grid emulator and must give
// the numbers RandomFill::eval_cpu gives for the same Philox state, bit for bit: every
// distribution it covers, on each dtype eval_cpu fills, for sizes that end inside a Philox block
// and seeds and offsets with their high words set, on the launch's grid and on a single warp
// (Note [CUDA creation and random kernels]).
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/random_kernels.cuh"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

using Distribution = RandomFill::Distribution;

const std::vector<PhiloxState> kStates = {
    {0, 0}, {42, 7}, {0x123456789abcdef0ULL, 0xfedcba9876543210ULL}, {67280421310721ULL, 1}};
// Sizes that fill whole blocks of 2 and 4 elements, end inside one, or are empty.
const std::vector<int64_t> kSizes = {0, 1, 2, 3, 4, 5, 7, 1001, 4099};

void expect_emulated_matches_cpu(const RandomFill& fill, ScalarType dtype,
                                 const std::string& what) {
  for (int64_t n : kSizes) {
    // Both start as NaN-free garbage of the dtype, so a missed element shows.
    const Tensor out = full({n}, 3, TensorOptions(dtype));
    const Tensor one_warp_out = full({n}, 3, TensorOptions(dtype));
    const Tensor expected = full({n}, 3, TensorOptions(dtype));
    run_random_fill(fill, out, EmulatedLauncher{"random"});
    run_random_fill(fill, one_warp_out, OneWarpEmulatedLauncher{"random"});
    fill.eval_cpu({}, TensorSpan(&expected, 1));
    EXPECT_EQ(std::memcmp(out.data_ptr(), expected.data_ptr(), out.nbytes()), 0)
        << what << " n=" << n << " seed=" << fill.state().seed << " offset=" << fill.state().offset;
    EXPECT_EQ(std::memcmp(one_warp_out.data_ptr(), expected.data_ptr(), out.nbytes()), 0)
        << what << " on one warp, n=" << n;
  }
}

struct Case {
  Distribution distribution;
  double a, b;
  std::vector<ScalarType> dtypes;
  const char* name;
};

TEST(KernelEmulationRandom, EveryDistributionMatchesTheCpuBitForBit) {
  const std::vector<Case> cases = {
      {Distribution::Uniform, 0.0, 1.0, {kFloat32, kFloat64}, "uniform [0, 1)"},
      {Distribution::Uniform, -3.0, 1e-3, {kFloat32, kFloat64}, "uniform [-3, 1e-3)"},
      {Distribution::Uniform,
       -std::numeric_limits<float>::max(),
       std::numeric_limits<float>::max(),
       {kFloat32},
       "uniform float range"},
      {Distribution::Normal, 0.0, 1.0, {kFloat32, kFloat64}, "normal(0, 1)"},
      {Distribution::Normal, -2.5, 0.3, {kFloat32, kFloat64}, "normal(-2.5, 0.3)"},
      {Distribution::Bernoulli, 0.5, 0.0, {kFloat32}, "bernoulli(0.5)"},
      {Distribution::Bernoulli, 0.03, 0.0, {kFloat32}, "bernoulli(0.03)"},
      {Distribution::Bernoulli, 1.0, 0.0, {kFloat32}, "bernoulli(1)"},
      {Distribution::Exponential, 1.0, 0.0, {kFloat32, kFloat64}, "exponential(1)"},
      {Distribution::Exponential, 7.5, 0.0, {kFloat32, kFloat64}, "exponential(7.5)"},
      {Distribution::Geometric, 0.2, 0.0, {kFloat64}, "geometric(0.2)"},
      {Distribution::Geometric, 0.999, 0.0, {kFloat64}, "geometric(0.999)"},
      {Distribution::LogNormal, 0.0, 1.0, {kFloat32, kFloat64}, "log_normal(0, 1)"},
      {Distribution::LogNormal, 1.5, 0.25, {kFloat32, kFloat64}, "log_normal(1.5, 0.25)"},
      {Distribution::Cauchy, 0.0, 1.0, {kFloat32, kFloat64}, "cauchy(0, 1)"},
      {Distribution::Cauchy, -4.0, 2.5, {kFloat32, kFloat64}, "cauchy(-4, 2.5)"},
  };
  for (const Case& c : cases) {
    for (ScalarType dtype : c.dtypes) {
      for (const PhiloxState& state : kStates) {
        expect_emulated_matches_cpu(RandomFill(c.distribution, c.a, c.b, state), dtype,
                                    std::string(c.name) + " " + std::string(dtype_name(dtype)));
      }
    }
  }
}

TEST(KernelEmulationRandom, RandIntMatchesTheCpuOverSmallAndFullRanges) {
  const std::vector<std::pair<int64_t, int64_t>> ranges = {
      {0, 10},
      {-5, 6},
      {0, int64_t{1} << 53},
      {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}};
  for (auto [low, high] : ranges) {
    for (const PhiloxState& state : kStates) {
      expect_emulated_matches_cpu(
          RandomFill::integers(low, high, state), kInt64,
          "randint [" + std::to_string(low) + ", " + std::to_string(high) + ")");
    }
  }
}

// The sequential shuffle and the samplers with a variable number of draws have no CUDA body.
// random.cu routes Poisson and Multinomial elsewhere (kernel_emulation_sampling_test.cpp tests
// them); the fixed-word bodies take none of the three.
TEST(KernelEmulationRandom, FixedWordBodiesTakeNoPermutationPoissonOrMultinomial) {
  for (Distribution distribution :
       {Distribution::Permutation, Distribution::Poisson, Distribution::Multinomial}) {
    const Tensor out = zeros({4}, TensorOptions(kInt64));
    EXPECT_THROW(
        run_random_fill(RandomFill(distribution, 0, 0, {1, 2}), out, EmulatedLauncher{"random"}),
        NotImplementedError);
  }
}

}  // namespace
}  // namespace ember::cuda
