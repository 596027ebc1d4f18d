// RandomFill's Poisson and Multinomial draws on CUDA (Note [CUDA attention, recurrent layers and
// sampling]): the Poisson body (sampling_kernels.cuh) runs in the CPU grid emulator and must give
// eval_cpu's numbers bit for bit (the shared sampling::poisson_sample over the per-element Philox
// streams), on the launch's grid and on a single warp, for empty and odd sizes, rates on both sides
// of the PTRS threshold and high-word states. The Multinomial composite of ops
// (multinomial_composite.h) runs on CPU tensors, where its cumulative sums add in the CPU kernel's
// order, and must then draw eval_cpu's categories exactly, with and without replacement.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/multinomial_composite.h"
#include "ember/backend/cuda/sampling_kernels.cuh"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"

namespace ember::cuda {
namespace {

using Distribution = RandomFill::Distribution;

const std::vector<PhiloxState> kStates = {
    {0, 0}, {42, 7}, {0x123456789abcdef0ULL, 0xfedcba9876543210ULL}};

// A float64 CPU tensor of n elements cycling through `values`.
Tensor cycled(const std::vector<double>& values, int64_t n) {
  const Tensor out = empty({n}, TensorOptions(kFloat64));
  double* data = out.data_ptr<double>();
  for (int64_t i = 0; i < n; ++i) data[i] = values[static_cast<size_t>(i) % values.size()];
  return out;
}

bool same_bytes(const Tensor& a, const Tensor& b) {
  return a.nbytes() == b.nbytes() && std::memcmp(a.data_ptr(), b.data_ptr(), a.nbytes()) == 0;
}

TEST(KernelEmulationSampling, PoissonMatchesTheCpuBitForBit) {
  // Zero, tiny and small rates (Knuth's product), the threshold and large ones (PTRS).
  const std::vector<double> rates = {0.0, 0.5, 3.0, 9.99, 10.0, 42.5, 1e6, 1e-300, 1.0};
  for (int64_t n : {0, 1, 7, 1001}) {
    for (const PhiloxState& state : kStates) {
      const RandomFill fill(Distribution::Poisson, 0.0, 0.0, state);
      const Tensor in = cycled(rates, n);
      const Tensor out = full({n}, 3.0, TensorOptions(kFloat64));
      const Tensor one_warp_out = full({n}, 3.0, TensorOptions(kFloat64));
      const Tensor expected = full({n}, 3.0, TensorOptions(kFloat64));
      run_poisson(fill, TensorSpan(&in, 1), out, EmulatedLauncher{"sampling"});
      run_poisson(fill, TensorSpan(&in, 1), one_warp_out, OneWarpEmulatedLauncher{"sampling"});
      fill.eval_cpu(TensorSpan(&in, 1), TensorSpan(&expected, 1));
      const std::string what =
          "poisson n=" + std::to_string(n) + " seed=" + std::to_string(state.seed);
      EXPECT_TRUE(same_bytes(out, expected)) << what;
      EXPECT_TRUE(same_bytes(one_warp_out, expected)) << what << " on one warp";
    }
  }
}

TEST(KernelEmulationSampling, PoissonRejectsOperandsOutsideTheContract) {
  const RandomFill fill(Distribution::Poisson, 0.0, 0.0, {1, 2});
  const Tensor out = empty({2, 3}, TensorOptions(kFloat64));
  const Tensor float32_rates = full({2, 3}, 2.0, TensorOptions(kFloat32));
  EXPECT_THROW(run_poisson(fill, TensorSpan(&float32_rates, 1), out, EmulatedLauncher{"sampling"}),
               NotImplementedError);
  const Tensor transposed = full({3, 2}, 2.0, TensorOptions(kFloat64)).t();
  EXPECT_THROW(run_poisson(fill, TensorSpan(&transposed, 1), out, EmulatedLauncher{"sampling"}),
               NotImplementedError);
}

// (rows, categories) weights with zeros at the first, inner and last categories of some rows, a
// one-hot row and a row spanning 300 orders of magnitude.
Tensor test_weights(int64_t rows, int64_t categories) {
  const Tensor w = empty({rows, categories}, TensorOptions(kFloat64));
  double* data = w.data_ptr<double>();
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < categories; ++c) {
      // Every row has a positive weight (the op's contract); rows 1, 5, ... are mostly zeros.
      double value = static_cast<double>((r * 7 + c * 13 + 1) % 11) / 3.0;
      if (r % 4 == 1) value = c == categories / 2 ? 1.0 : 0.0;
      if (r % 4 == 2 && c % 2 == 0) value = 1e-300;
      data[r * categories + c] = value;
    }
  }
  return w;
}

int64_t fewest_positive(const Tensor& w) {
  return w.size(0) == 0 ? 0 : gt(w, 0.0).sum({1}).min().item().toLong();
}

TEST(KernelEmulationSampling, MultinomialCompositeMatchesTheCpu) {
  struct Case {
    int64_t rows, categories, samples;
  };
  // samples 0 stands for as many as every row has positive weights.
  const std::vector<Case> cases = {{1, 1, 1},   {3, 5, 2}, {5, 11, 0}, {6, 1000, 37},
                                   {2, 4, 300}, {0, 6, 3}, {9, 2, 1},  {4, 65, 0}};
  for (const Case& c : cases) {
    const Tensor w = test_weights(c.rows, c.categories);
    const int64_t positive = fewest_positive(w);
    for (bool replacement : {true, false}) {
      const int64_t samples = c.samples == 0 ? std::max<int64_t>(positive, 1) : c.samples;
      if (!replacement && c.rows > 0 && samples > positive) continue;
      for (const PhiloxState& state : kStates) {
        const RandomFill fill(Distribution::Multinomial, replacement ? 1.0 : 0.0, 0.0, state);
        const Tensor out = full({c.rows, samples}, -5, TensorOptions(kInt64));
        const Tensor expected = full({c.rows, samples}, -5, TensorOptions(kInt64));
        multinomial_composite(fill, w, out);
        fill.eval_cpu(TensorSpan(&w, 1), TensorSpan(&expected, 1));
        EXPECT_TRUE(same_bytes(out, expected))
            << "multinomial rows=" << c.rows << " categories=" << c.categories
            << " samples=" << samples << " replacement=" << replacement << " seed=" << state.seed;
      }
    }
  }
}

// The op layer makes any layout and floating dtype the kernels' contiguous float64 operand, so a
// transposed or sliced parameter tensor draws what its contiguous copy draws.
TEST(KernelEmulationSampling, OpsDrawTheSameFromAnyLayout) {
  const Tensor rates = mul(arange(24, TensorOptions(kFloat32)), 1.5).reshape({4, 6});
  const Tensor transposed = rates.t();
  const Tensor a = poisson(transposed, ember::detail::createCPUGenerator(11));
  const Tensor b = poisson(transposed.contiguous(), ember::detail::createCPUGenerator(11));
  EXPECT_TRUE(same_bytes(a.contiguous(), b)) << "poisson of a transposed tensor";
  const Tensor weights = add(test_weights(6, 9).t(), 0.25);
  const Tensor sliced = weights.narrow(1, 1, 4);
  for (bool replacement : {true, false}) {
    const Tensor x = multinomial(sliced.t(), 3, replacement, ember::detail::createCPUGenerator(5));
    const Tensor y =
        multinomial(sliced.t().contiguous(), 3, replacement, ember::detail::createCPUGenerator(5));
    EXPECT_TRUE(same_bytes(x, y)) << "multinomial of a strided tensor, replacement=" << replacement;
  }
}

}  // namespace
}  // namespace ember::cuda
