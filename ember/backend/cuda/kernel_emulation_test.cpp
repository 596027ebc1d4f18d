// The CUDA kernel bodies (elementwise_kernels.cuh, reduce_kernels.cuh) run in the CPU grid
// emulator on CPU tensors and compared with the CPU backend (ember ops on CPU): every unary and
// binary op of the .def files for each dtype its type rule admits, on contiguous, transposed,
// sliced, broadcast, empty, size-1 and odd-sized operands and on the 64-bit indexing path; and
// sum/amax/amin over inner, outer and mixed dims (Note [CUDA kernels and their emulation]).
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember::cuda {
namespace {

const std::vector<ScalarType> kTestDtypes = {kFloat32,  kFloat64, kFloat16,
                                             kBFloat16, kInt32,   kInt64};
// With the dtypes only copies, comparisons, logical and bitwise ops have kernels for.
const std::vector<ScalarType> kTestDtypesWithBytes = {kFloat32, kFloat64, kFloat16, kBFloat16,
                                                      kInt32,   kInt64,   kBool,    kUInt8};

// Floats spread over a few units (negative ones too: NaN results must match); integers small,
// and positive for a right operand (no division by zero, shift or power out of range).
Tensor values(IntArrayRef shape, ScalarType dtype, bool right_operand) {
  if (is_floating_point(dtype)) return (randn(shape) * 2.5).to(dtype);
  if (dtype == kBool) return randint(0, 2, shape, kInt64).to(kBool);
  if (dtype == kUInt8)
    return randint(right_operand ? 1 : 0, right_operand ? 6 : 256, shape, kUInt8);
  return right_operand ? randint(1, 6, shape, dtype) : randint(-20, 21, shape, dtype);
}

// Operand layouts, each giving tensors of `shape` from a maker of fresh tensors.
enum class Layout { Contiguous, Transposed, Sliced, Broadcast, Index64 };
const char* name_of(Layout layout) {
  constexpr const char* kNames[] = {"contiguous", "transposed", "sliced", "broadcast", "index64"};
  return kNames[static_cast<int>(layout)];
}
const std::vector<Layout> kLayouts = {Layout::Contiguous, Layout::Transposed, Layout::Sliced,
                                      Layout::Broadcast, Layout::Index64};

// An operand of shape {rows, cols} in `layout`.
Tensor operand(Layout layout, int64_t rows, int64_t cols, ScalarType dtype, bool right) {
  switch (layout) {
    case Layout::Contiguous:
      return values({rows, cols}, dtype, right);
    case Layout::Transposed:
    case Layout::Index64:
      return transpose(values({cols, rows}, dtype, right), 0, 1);
    case Layout::Sliced:
      return slice(values({rows, 2 * cols + 3}, dtype, right), 1, 1, 1 + 2 * cols, 2);
    case Layout::Broadcast:
      return right ? values({cols}, dtype, right)
                   : expand(values({1, cols}, dtype, right), {rows, cols});
  }
  return {};
}

const std::vector<std::pair<int64_t, int64_t>> kShapes = {
    {3, 37}, {0, 5}, {1, 1}, {2, 515}, {7, 1}};

template <typename Op, typename T, typename Out, int NIn>
void run_on_emulator(std::string_view op, const Tensor& out,
                     std::initializer_list<const Tensor*> in, bool force_64bit) {
  ElementwiseLayout layout = make_elementwise_layout(op, out, in);
  if (force_64bit) layout.fits_32bit = false;
  run_elementwise<Op, Out, T, NIn>(layout, EmulatedLauncher{op});
}

template <typename Op, UnaryTypeRule rule>
void check_unary(std::string_view op, Tensor (*cpu_op)(const Tensor&)) {
  for (ScalarType dtype : kTestDtypesWithBytes) {
    visit_operand_dtype<rule>(dtype, [&](auto* tag) {
      using T = std::remove_pointer_t<decltype(tag)>;
      if constexpr (has_unary_kernel<rule, T>()) {
        for (Layout layout : kLayouts) {
          for (auto [rows, cols] : kShapes) {
            const Tensor x = operand(layout, rows, cols, dtype, false);
            const Tensor out = empty({rows, cols}, dtype);
            run_on_emulator<Op, T, T, 1>(op, out, {&x}, layout == Layout::Index64);
            expect_matches(out, cpu_op(x),
                           std::string(op) + " " + std::string(dtype_name(dtype)) + " " +
                               name_of(layout) + " " + std::to_string(rows) + "x" +
                               std::to_string(cols));
          }
        }
        return true;
      }
      return false;
    });
  }
}

template <typename Op, BinaryTypeRule rule>
void check_binary(std::string_view op, Tensor (*cpu_op)(const Tensor&, const Tensor&)) {
  for (ScalarType dtype : kTestDtypesWithBytes) {
    visit_operand_dtype<rule>(dtype, [&](auto* tag) {
      using T = std::remove_pointer_t<decltype(tag)>;
      if constexpr (has_binary_kernel<rule, T>()) {
        using Out = std::conditional_t<has_bool_result(rule), bool, T>;
        for (Layout layout : kLayouts) {
          for (auto [rows, cols] : kShapes) {
            const Tensor a = operand(layout, rows, cols, dtype, false);
            // The right operand transposed or sliced too, except when it is the broadcast one.
            const Tensor b = operand(layout, rows, cols, dtype, true);
            const Tensor out = empty({rows, cols}, scalar_type_of<Out>());
            run_on_emulator<Op, T, Out, 2>(op, out, {&a, &b}, layout == Layout::Index64);
            expect_matches(out, cpu_op(a, b),
                           std::string(op) + " " + std::string(dtype_name(dtype)) + " " +
                               name_of(layout) + " " + std::to_string(rows) + "x" +
                               std::to_string(cols));
          }
        }
        return true;
      }
      return false;
    });
  }
}

#define EMBER_UNARY_OP(name, Name, rule)                              \
  TEST(KernelEmulationUnary, Name) {                                  \
    manual_seed(14);                                                  \
    check_unary<math::Name, UnaryTypeRule::rule>(                     \
        #name, static_cast<Tensor (*)(const Tensor&)>(&ember::name)); \
  }
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP

#define EMBER_BINARY_OP(name, Name, rule)                                            \
  TEST(KernelEmulationBinary, Name) {                                                \
    manual_seed(14);                                                                 \
    check_binary<math::Name, BinaryTypeRule::rule>(                                  \
        #name, static_cast<Tensor (*)(const Tensor&, const Tensor&)>(&ember::name)); \
  }
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

// The Copy kernel: every pair of kernel dtypes (bool and uint8 included), every layout of the
// source, against the CPU's copy_ (the same convert), with NaN, infinities and out-of-range values
// cast to integers.
TEST(KernelEmulationCopy, EveryDtypePairAndLayoutMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType from : kTestDtypesWithBytes) {
    for (ScalarType to : kTestDtypesWithBytes) {
      visit_kernel_or_byte_dtype(to, [&](auto* to_tag) {
        using To = std::remove_pointer_t<decltype(to_tag)>;
        return visit_kernel_or_byte_dtype(from, [&](auto* from_tag) {
          using From = std::remove_pointer_t<decltype(from_tag)>;
          for (Layout layout : kLayouts) {
            for (auto [rows, cols] : kShapes) {
              const Tensor x = operand(layout, rows, cols, from, false);
              const Tensor out = empty({rows, cols}, to);
              run_on_emulator<CastTo<To>, From, To, 1>("copy_", out, {&x},
                                                       layout == Layout::Index64);
              expect_matches(out, empty({rows, cols}, to).copy_(x),
                             std::string("copy_ ") + std::string(dtype_name(from)) + " -> " +
                                 std::string(dtype_name(to)) + " " + name_of(layout) + " " +
                                 std::to_string(rows) + "x" + std::to_string(cols));
            }
          }
          return true;
        });
      });
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  const Tensor extremes =
      tensor({std::nan(""), inf, -inf, 3e12, -3e12, -2.7, 2.7, 0.0}, TensorOptions(kFloat64));
  for (ScalarType to : {kInt32, kInt64, kFloat16, kBFloat16, kBool, kUInt8}) {
    const Tensor out = empty({8}, to);
    visit_kernel_or_byte_dtype(to, [&](auto* to_tag) {
      using To = std::remove_pointer_t<decltype(to_tag)>;
      run_on_emulator<CastTo<To>, double, To, 1>("copy_", out, {&extremes}, false);
      return true;
    });
    // NaN stays NaN in the float targets: compared bit-for-bit otherwise.
    EXPECT_TRUE(allclose(out.to(kFloat64), extremes.to(to).to(kFloat64), 0.0, 0.0, true))
        << dtype_name(to);
  }
}

TEST(KernelEmulationElementwise, LayoutMergesDimsAndPicksThePath) {
  const Tensor x = randn({4, 5, 6});
  const Tensor out = empty({4, 5, 6});
  const ElementwiseLayout contiguous = make_elementwise_layout("exp", out, {&x});
  EXPECT_TRUE(contiguous.contiguous);
  EXPECT_EQ(contiguous.dims.ndim, 1);
  EXPECT_TRUE(contiguous.fits_32bit);
  const Tensor xt = transpose(x, 0, 2);
  const Tensor out_t = empty({6, 5, 4});
  const ElementwiseLayout transposed = make_elementwise_layout("exp", out_t, {&xt});
  EXPECT_FALSE(transposed.contiguous);
  EXPECT_EQ(transposed.dims.ndim, 3);
  const Tensor row = randn({6});
  const ElementwiseLayout broadcast = make_elementwise_layout("add", out, {&x, &row});
  EXPECT_FALSE(broadcast.contiguous);
  EXPECT_EQ(broadcast.dims.ndim, 2);  // the row's stride 0 over the outer dims keeps them apart
  EXPECT_EQ(broadcast.dims.strides[1][2], 0);
}

TEST(KernelEmulationElementwise, TooManyUnmergeableDimsIsAnError) {
  std::vector<int64_t> shape(13, 2);
  std::vector<int64_t> perm(13);
  for (int i = 0; i < 13; ++i) perm[i] = 12 - i;
  const Tensor x = permute(randn(shape), perm);
  const Tensor out = ember::empty(shape);
  EXPECT_THROW(make_elementwise_layout("exp", out, {&x}), RuntimeError);
}

// ---------------------------------------------------------------- reductions

template <template <typename> class Fold, typename T, typename Out>
Tensor emulate_reduce(std::string_view op, const Tensor& x, IntArrayRef dims, bool force_64bit) {
  Tensor out = empty(sum(x, dims, true).sizes(), scalar_type_of<Out>());
  ReduceLayout layout = make_reduce_layout(op, x, out);
  if (force_64bit) layout.fits_32bit = false;
  run_reduce<Fold<T>, T, Out>(layout, EmulatedLauncher{op});
  return out;
}

template <typename T>
void check_reductions(ScalarType dtype) {
  using SumOut = std::conditional_t<std::is_integral_v<T>, int64_t, T>;
  for (const ReduceCase& c : kReduceCases) {
    for (bool force_64bit : {false, true}) {
      Tensor x = values(c.shape, dtype, false);
      if (c.transposed) x = transpose(values({c.shape[1], c.shape[0]}, dtype, false), 0, 1);
      const std::string what = std::string(dtype_name(dtype)) + " shape " +
                               std::to_string(c.shape.size()) + "-d first " +
                               std::to_string(c.shape[0]) + (force_64bit ? " index64" : "");
      const Tensor summed = emulate_reduce<SumReduce, T, SumOut>("sum", x, c.dims, force_64bit);
      // Folds associate differently from the CPU's: float sums compare with T3's tolerance.
      const Tensor expected = sum(x, c.dims, true);
      if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
        EXPECT_TRUE(allclose(summed.to(kFloat32), expected.to(kFloat32), 1e-2, 1e-2)) << what;
      } else if constexpr (kIsKernelFloat<T>) {
        EXPECT_TRUE(allclose(summed, expected, 1e-5, 1e-5)) << what;
      } else {
        EXPECT_TRUE(equal(summed, expected)) << what;
      }
      if (x.numel() == 0) continue;  // amax/amin of nothing is an error on the CPU
      expect_matches(emulate_reduce<MaxReduce, T, T>("amax", x, c.dims, force_64bit),
                     amax(x, c.dims, true), "amax " + what);
      expect_matches(emulate_reduce<MinReduce, T, T>("amin", x, c.dims, force_64bit),
                     amin(x, c.dims, true), "amin " + what);
    }
  }
}

TEST(KernelEmulationReduce, MatchesTheCpuBackend) {
  manual_seed(14);
  for (ScalarType dtype : kTestDtypes) {
    EXPECT_TRUE(visit_kernel_dtype(dtype, [&](auto* tag) {
      check_reductions<std::remove_pointer_t<decltype(tag)>>(dtype);
      return true;
    }));
  }
}

TEST(KernelEmulationReduce, AmaxPropagatesNan) {
  Tensor x = randn({3, 300});
  x.data_ptr<float>()[300 + 17] = std::numeric_limits<float>::quiet_NaN();
  const Tensor out = emulate_reduce<MaxReduce, float, float>("amax", x, {1}, false);
  expect_matches(out, amax(x, {1}, true), "amax with NaN");
  EXPECT_TRUE(std::isnan(out.data_ptr<float>()[1]));
}

TEST(KernelEmulationReduce, InnerRunsTakeTheBlockReduce) {
  const Tensor x = randn({4, 6, 33});
  EXPECT_TRUE(make_reduce_layout("sum", x, empty({4, 6, 1})).inner);
  EXPECT_FALSE(make_reduce_layout("sum", x, empty({4, 1, 33})).inner);
  EXPECT_FALSE(make_reduce_layout("sum", x, empty({1, 6, 1})).inner);
  EXPECT_TRUE(make_reduce_layout("sum", x, empty({1, 1, 1})).inner);
}

}  // namespace
}  // namespace ember::cuda
