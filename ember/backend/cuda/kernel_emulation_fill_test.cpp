// The creation-family CUDA kernel bodies (fill_kernels.cuh: Fill, Range, Where, AddScaled, Cat)
// run in the CPU grid emulator on CPU tensors and compared bit for bit with the same primitive's
// eval_cpu: every dtype each covers, on contiguous, transposed, sliced, broadcast, empty and
// odd-sized operands and on the 64-bit offset path (Note [CUDA creation and random kernels]).
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/fill_kernels.cuh"
#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_shape.h"

namespace ember::cuda {
namespace {

const std::vector<ScalarType> kAllDtypes = {kBool,  kUInt8,   kInt8,     kInt16,   kInt32,
                                            kInt64, kFloat16, kBFloat16, kFloat32, kFloat64};
// Fresh values of any dtype: floats spread over a few units, integers small.
Tensor values(IntArrayRef shape, ScalarType dtype) {
  if (is_floating_point(dtype)) return (randn(shape) * 2.5).to(dtype);
  if (dtype == kBool) return randint(0, 2, shape, TensorOptions(kInt64)).to(kBool);
  if (dtype == kUInt8) return randint(0, 200, shape, TensorOptions(dtype));
  return randint(-50, 50, shape, TensorOptions(dtype));
}

// Same dtype, shape and bits (NaN payloads and signed zeros included).
void expect_same_bits(const Tensor& actual, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(actual.dtype(), expected.dtype()) << what;
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  const Tensor a = actual.contiguous(), e = expected.contiguous();
  EXPECT_EQ(std::memcmp(a.data_ptr(), e.data_ptr(), a.nbytes()), 0) << what;
}

enum class Layout { Contiguous, Transposed, Sliced, Broadcast, Index64 };
const char* name_of(Layout layout) {
  constexpr const char* kNames[] = {"contiguous", "transposed", "sliced", "broadcast", "index64"};
  return kNames[static_cast<int>(layout)];
}
const std::vector<Layout> kLayouts = {Layout::Contiguous, Layout::Transposed, Layout::Sliced,
                                      Layout::Broadcast, Layout::Index64};
const std::vector<std::pair<int64_t, int64_t>> kShapes = {
    {3, 37}, {0, 5}, {1, 1}, {2, 515}, {7, 1}};

// An input of shape {rows, cols} in `layout` (Broadcast: a row expanded, or a trailing row).
Tensor operand(Layout layout, int64_t rows, int64_t cols, ScalarType dtype, bool trailing) {
  switch (layout) {
    case Layout::Contiguous:
      return values({rows, cols}, dtype);
    case Layout::Transposed:
    case Layout::Index64:
      return transpose(values({cols, rows}, dtype), 0, 1);
    case Layout::Sliced:
      return slice(values({rows, 2 * cols + 3}, dtype), 1, 1, 1 + 2 * cols, 2);
    case Layout::Broadcast:
      return trailing ? values({cols}, dtype) : expand(values({1, cols}, dtype), {rows, cols});
  }
  return {};
}

// The output view of shape {rows, cols} in `layout` over a fresh buffer `base` (so the elements
// outside the view must stay as they were): contiguous, transposed, or every other column.
Tensor output_view(const Tensor& base, Layout layout, int64_t cols) {
  switch (layout) {
    case Layout::Transposed:
    case Layout::Index64:
      return transpose(base, 0, 1);
    case Layout::Sliced:
      return slice(base, 1, 1, 1 + 2 * cols, 2);
    default:
      return base;
  }
}
Tensor output_base(Layout layout, int64_t rows, int64_t cols, ScalarType dtype) {
  switch (layout) {
    case Layout::Transposed:
    case Layout::Index64:
      return values({cols, rows}, dtype);
    case Layout::Sliced:
      return values({rows, 2 * cols + 3}, dtype);
    default:
      return values({rows, cols}, dtype);
  }
}

std::string describe(std::string_view op, ScalarType dtype, Layout layout, int64_t rows,
                     int64_t cols) {
  return std::string(op) + " " + std::string(dtype_name(dtype)) + " " + name_of(layout) + " " +
         std::to_string(rows) + "x" + std::to_string(cols);
}

ElementwiseLayout layout_of(std::string_view op, const Tensor& out,
                            std::initializer_list<const Tensor*> inputs, bool force_64bit) {
  ElementwiseLayout layout = make_elementwise_layout(op, out, inputs);
  if (force_64bit) layout.fits_32bit = false;
  return layout;
}

TEST(KernelEmulationFill, EveryDtypeValueAndLayoutMatchesTheCpu) {
  manual_seed(14);
  const std::vector<Scalar> fills = {Scalar(2.75), Scalar(int64_t{-7}), Scalar(true), Scalar(1e300),
                                     Scalar(int64_t{1} << 40)};
  for (ScalarType dtype : kAllDtypes) {
    for (const Scalar& value : fills) {
      for (Layout layout : kLayouts) {
        for (auto [rows, cols] : kShapes) {
          const Tensor base = output_base(layout, rows, cols, dtype);
          const Tensor expected_base = base.clone();
          const Tensor out = output_view(base, layout, cols);
          const Tensor expected = output_view(expected_base, layout, cols);
          const Fill fill(value);
          run_fill(fill, dtype, layout_of("fill_", out, {}, layout == Layout::Index64),
                   EmulatedLauncher{"fill_"});
          fill.eval_cpu({}, TensorSpan(&expected, 1));
          expect_same_bits(base, expected_base, describe("fill_", dtype, layout, rows, cols));
        }
      }
    }
  }
}

TEST(KernelEmulationRange, EveryKernelDtypeMatchesTheCpu) {
  const std::vector<std::pair<double, double>> ranges = {
      {0.0, 1.0}, {-3.5, 0.25}, {1e10, -3.3}, {0.1, 0.1}, {-7.0, 3.0}};
  for (ScalarType dtype : kKernelDtypes) {
    for (auto [start, step] : ranges) {
      for (int64_t n : {0, 1, 5, 1001}) {
        for (bool strided : {false, true}) {
          const Tensor base = zeros({strided ? 2 * n : n}, TensorOptions(dtype));
          const Tensor expected_base = base.clone();
          const Tensor out = strided ? slice(base, 0, 0, 2 * n, 2) : base;
          const Tensor expected = strided ? slice(expected_base, 0, 0, 2 * n, 2) : expected_base;
          const Range range(start, step);
          run_range(range, dtype, layout_of("arange", out, {}, strided),
                    EmulatedLauncher{"arange"});
          range.eval_cpu({}, TensorSpan(&expected, 1));
          expect_same_bits(base, expected_base,
                           "arange " + std::string(dtype_name(dtype)) + " " +
                               std::to_string(start) + " " + std::to_string(step) +
                               " n=" + std::to_string(n) + (strided ? " strided" : ""));
        }
      }
    }
  }
}

TEST(KernelEmulationRange, OtherDtypesHaveNoKernel) {
  const Tensor out = zeros({4}, TensorOptions(kInt16));
  EXPECT_THROW(run_range(Range(0, 1), kInt16, make_elementwise_layout("arange", out, {}),
                         EmulatedLauncher{"arange"}),
               NotImplementedError);
}

TEST(KernelEmulationWhere, EveryDtypeAndLayoutMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kAllDtypes) {
    for (Layout layout : kLayouts) {
      for (auto [rows, cols] : kShapes) {
        const Tensor condition = operand(layout, rows, cols, kBool, false);
        const Tensor x = operand(layout, rows, cols, dtype, true);
        const Tensor y = operand(layout == Layout::Broadcast ? Layout::Sliced : layout, rows, cols,
                                 dtype, false);
        const Tensor out = empty({rows, cols}, TensorOptions(dtype));
        const Tensor expected = empty({rows, cols}, TensorOptions(dtype));
        run_where(out.element_size(),
                  layout_of("where", out, {&condition, &x, &y}, layout == Layout::Index64),
                  EmulatedLauncher{"where"});
        const Tensor inputs[] = {condition, x, y};
        Where().eval_cpu(TensorSpan(inputs), TensorSpan(&expected, 1));
        expect_same_bits(out, expected, describe("where", dtype, layout, rows, cols));
      }
    }
  }
}

TEST(KernelEmulationAddScaled, Float32AndFloat64MatchTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    for (double alpha : {1.0, -2.5, 1.0 / 3.0, 1e30}) {
      for (Layout layout : kLayouts) {
        for (auto [rows, cols] : kShapes) {
          const Tensor a = operand(layout, rows, cols, dtype, false);
          const Tensor b = operand(layout, rows, cols, dtype, true);
          const Tensor out = empty({rows, cols}, TensorOptions(dtype));
          const Tensor expected = empty({rows, cols}, TensorOptions(dtype));
          const AddScaled add("add", alpha);
          run_add_scaled(add, dtype, layout_of("add", out, {&a, &b}, layout == Layout::Index64),
                         EmulatedLauncher{"add"});
          const Tensor inputs[] = {a, b};
          add.eval_cpu(TensorSpan(inputs), TensorSpan(&expected, 1));
          expect_same_bits(
              out, expected,
              describe("add alpha=" + std::to_string(alpha), dtype, layout, rows, cols));
        }
      }
    }
  }
}

TEST(KernelEmulationAddScaled, OtherDtypesHaveNoKernel) {
  const Tensor out = zeros({4}, TensorOptions(kInt32));
  EXPECT_THROW(
      run_add_scaled(AddScaled("add", 2.0), kInt32,
                     make_elementwise_layout("add", out, {&out, &out}), EmulatedLauncher{"add"}),
      NotImplementedError);
}

// Inputs along `dim` of a {4, *, 3} result: contiguous, transposed, sliced and empty pieces.
TEST(KernelEmulationCat, EveryDtypeDimAndPieceLayoutMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kAllDtypes) {
    for (int64_t dim : {0, 1, 2}) {
      const auto shape_with = [&](int64_t length) {
        std::vector<int64_t> shape = {4, 5, 3};
        shape[static_cast<size_t>(dim)] = length;
        return shape;
      };
      const std::vector<int64_t> transposed_shape = [&] {
        std::vector<int64_t> shape = shape_with(2);
        std::swap(shape[0], shape[2]);
        return shape;
      }();
      std::vector<Tensor> inputs = {
          values(shape_with(3), dtype), transpose(values(transposed_shape, dtype), 0, 2),
          values(shape_with(0), dtype), slice(values(shape_with(7), dtype), dim, 1, 7, 3),
          values(shape_with(1), dtype),
      };
      int64_t total = 0;
      for (const Tensor& input : inputs) total += input.sizes()[static_cast<size_t>(dim)];
      const Tensor out = empty(shape_with(total), TensorOptions(dtype));
      const Tensor expected = empty(shape_with(total), TensorOptions(dtype));
      const Cat cat(dim);
      run_cat(cat, TensorSpan(inputs.data(), inputs.size()), out, EmulatedLauncher{"cat"});
      cat.eval_cpu(TensorSpan(inputs.data(), inputs.size()), TensorSpan(&expected, 1));
      expect_same_bits(out, expected,
                       "cat " + std::string(dtype_name(dtype)) + " dim " + std::to_string(dim));
    }
  }
  const Tensor empty_out = empty({0, 3}, TensorOptions(kFloat32));
  const Tensor pieces[] = {empty({0, 3}, TensorOptions(kFloat32))};
  run_cat(Cat(0), TensorSpan(pieces), empty_out, EmulatedLauncher{"cat"});
}

}  // namespace
}  // namespace ember::cuda
