// The sorting and selection CUDA kernel bodies (sort_kernels.cuh: Sort, Topk, Mode,
// SearchSorted, Nonzero) run in the CPU grid emulator on CPU tensors and compared bit for bit
// with the same primitive's eval_cpu: every dtype each covers, rows along the inner and the outer
// dim, contiguous, transposed and sliced operands, empty, size-1 and odd sizes, with NaNs, signed
// zeros and repeated values (Note [CUDA sorting and selection]).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/sort_kernels.cuh"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_index.h"
#include "ember/ops/primitives_scan.h"
#include "ember/ops/primitives_shape.h"

namespace ember::cuda {
namespace {

// Same dtype, shape and bits (NaN payloads and signed zeros included).
void expect_same_bits(const Tensor& actual, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(actual.dtype(), expected.dtype()) << what;
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  const Tensor a = actual.contiguous(), e = expected.contiguous();
  EXPECT_EQ(std::memcmp(a.data_ptr(), e.data_ptr(), a.nbytes()), 0) << what;
}

// Values with many repeats; floats also with NaNs, -0.0 and huge values (inf in float16),
// integers with values whose high bits differ.
Tensor sort_values(IntArrayRef shape, ScalarType dtype) {
  Tensor t = randint(-4, 4, shape, TensorOptions(kInt64)).to(kFloat64).contiguous();
  auto* p = t.data_ptr<double>();
  const double huge = dtype == kInt32 ? 1e9 : 1e12;
  for (int64_t i = 0; i < t.numel(); ++i) {
    if (i % 13 == 2) p[i] = (i % 2 == 0 ? huge : -huge) + static_cast<double>(i);
    if (!is_floating_point(dtype)) continue;
    if (i % 7 == 3) p[i] = std::nan("");
    if (i % 11 == 5) p[i] = -0.0;
  }
  return t.to(dtype);
}

enum class Layout { Contiguous, Transposed, Sliced };
const char* name_of(Layout layout) {
  constexpr const char* kNames[] = {"contiguous", "transposed", "sliced"};
  return kNames[static_cast<int>(layout)];
}

// An input of shape {rows, cols} in `layout`.
Tensor operand(Layout layout, int64_t rows, int64_t cols, ScalarType dtype) {
  switch (layout) {
    case Layout::Contiguous:
      return sort_values({rows, cols}, dtype);
    case Layout::Transposed:
      return transpose(sort_values({cols, rows}, dtype), 0, 1);
    case Layout::Sliced:
      return slice(sort_values({rows, 2 * cols + 3}, dtype), 1, 1, 1 + 2 * cols, 2);
  }
  return {};
}

// Outputs of `shape`, contiguous, or transposed views for a transposed input.
Tensor output(IntArrayRef shape, ScalarType dtype, Layout layout) {
  if (layout != Layout::Transposed) return zeros(shape, TensorOptions(dtype));
  return transpose(zeros({shape[1], shape[0]}, TensorOptions(dtype)), 0, 1);
}

const std::vector<std::pair<int64_t, int64_t>> kShapes = {{3, 37}, {0, 5}, {1, 1}, {2, 515},
                                                          {5, 1},  {4, 0}, {9, 64}};
// The longest rows the block sort takes; sorted only (each costs seconds in the emulator).
const std::pair<int64_t, int64_t> kLongestRows = {2, kMaxBlockSortLength};

std::string describe(std::string_view op, ScalarType dtype, Layout layout, int64_t rows,
                     int64_t cols, int64_t dim, const std::string& extra) {
  return std::string(op) + " " + std::string(dtype_name(dtype)) + " " + name_of(layout) + " " +
         std::to_string(rows) + "x" + std::to_string(cols) + " dim=" + std::to_string(dim) + " " +
         extra;
}

template <RowTask kTask>
void run_rows(std::string_view op, const Tensor& x, const Tensor& values, const Tensor& indices,
              int64_t dim, bool invert) {
  const SortRowsLayout layout = make_sort_rows_layout(op, x, values, indices, dim);
  ASSERT_TRUE(fits_block_sort(layout));
  const bool covered = visit_kernel_dtype(x.dtype(), [&](auto* tag) {
    run_row_sort<std::remove_pointer_t<decltype(tag)>, kTask>(layout, invert, EmulatedLauncher{op});
    return true;
  });
  ASSERT_TRUE(covered);
}

TEST(KernelEmulationSort, EveryDtypeLayoutAndDimMatchesTheCpu) {
  manual_seed(14);
  std::vector<std::pair<int64_t, int64_t>> shapes = kShapes;
  shapes.push_back(kLongestRows);
  for (ScalarType dtype : kKernelDtypes) {
    for (Layout layout : {Layout::Contiguous, Layout::Transposed, Layout::Sliced}) {
      for (auto [rows, cols] : shapes) {
        const Tensor x = operand(layout, rows, cols, dtype);
        for (int64_t dim : {1, 0}) {
          for (bool descending : {false, true}) {
            const Sort sort(dim, descending);
            const Tensor values = output({rows, cols}, dtype, layout);
            const Tensor indices = output({rows, cols}, kInt64, layout);
            Tensor expected[2] = {empty({rows, cols}, TensorOptions(dtype)),
                                  empty({rows, cols}, TensorOptions(kInt64))};
            sort.eval_cpu(TensorSpan(&x, 1), TensorSpan(expected, 2));
            run_rows<RowTask::Sort>("sort", x, values, indices, dim, descending);
            const std::string what = describe("sort", dtype, layout, rows, cols, dim,
                                              descending ? "descending" : "ascending");
            expect_same_bits(values, expected[0], what);
            expect_same_bits(indices, expected[1], what);
          }
        }
      }
    }
  }
}

TEST(KernelEmulationSort, ZeroDimInput) {
  for (ScalarType dtype : kKernelDtypes) {
    const Tensor x = full({}, 2.0, TensorOptions(dtype));
    const Tensor values = zeros({}, TensorOptions(dtype));
    const Tensor indices = full({}, 7, TensorOptions(kInt64));
    run_rows<RowTask::Sort>("sort", x, values, indices, 0, false);
    expect_same_bits(values, x, "sort 0-d");
    EXPECT_EQ(indices.item<int64_t>(), 0);
  }
}

TEST(KernelEmulationTopk, EveryDtypeLayoutDimAndKMatchesTheCpu) {
  manual_seed(15);
  for (ScalarType dtype : kKernelDtypes) {
    for (Layout layout : {Layout::Contiguous, Layout::Transposed, Layout::Sliced}) {
      for (auto [rows, cols] : kShapes) {
        const Tensor x = operand(layout, rows, cols, dtype);
        for (int64_t dim : {1, 0}) {
          const int64_t length = dim == 1 ? cols : rows;
          for (int64_t k : {int64_t{0}, int64_t{1}, int64_t{3}, length}) {
            if (k > length) continue;
            for (bool largest : {true, false}) {
              const Topk topk(k, dim, largest);
              const int64_t out_rows = dim == 0 ? k : rows, out_cols = dim == 1 ? k : cols;
              const Tensor values = output({out_rows, out_cols}, dtype, layout);
              const Tensor indices = output({out_rows, out_cols}, kInt64, layout);
              Tensor expected[2] = {empty({out_rows, out_cols}, TensorOptions(dtype)),
                                    empty({out_rows, out_cols}, TensorOptions(kInt64))};
              topk.eval_cpu(TensorSpan(&x, 1), TensorSpan(expected, 2));
              run_rows<RowTask::Topk>("topk", x, values, indices, dim, largest);
              const std::string what =
                  describe("topk", dtype, layout, rows, cols, dim,
                           "k=" + std::to_string(k) + (largest ? " largest" : " smallest"));
              expect_same_bits(values, expected[0], what);
              expect_same_bits(indices, expected[1], what);
            }
          }
        }
      }
    }
  }
}

TEST(KernelEmulationMode, EveryDtypeLayoutAndDimMatchesTheCpu) {
  manual_seed(16);
  for (ScalarType dtype : kKernelDtypes) {
    for (Layout layout : {Layout::Contiguous, Layout::Transposed, Layout::Sliced}) {
      for (auto [rows, cols] : kShapes) {
        const Tensor x = operand(layout, rows, cols, dtype);
        for (int64_t dim : {1, 0}) {
          if ((dim == 1 ? cols : rows) == 0) continue;  // Mode needs a non-empty dim
          const Mode mode(dim);
          const int64_t out_rows = dim == 0 ? 1 : rows, out_cols = dim == 1 ? 1 : cols;
          const Tensor values = output({out_rows, out_cols}, dtype, layout);
          const Tensor indices = output({out_rows, out_cols}, kInt64, layout);
          Tensor expected[2] = {empty({out_rows, out_cols}, TensorOptions(dtype)),
                                empty({out_rows, out_cols}, TensorOptions(kInt64))};
          mode.eval_cpu(TensorSpan(&x, 1), TensorSpan(expected, 2));
          run_rows<RowTask::Mode>("mode", x, values, indices, dim, false);
          const std::string what = describe("mode", dtype, layout, rows, cols, dim, "");
          expect_same_bits(values, expected[0], what);
          expect_same_bits(indices, expected[1], what);
        }
      }
    }
  }
}

// The long-row path around CUB's segmented sort: the key and write kernels in the emulator, each
// row's (key, position) pairs sorted on the host in CUB's place (stably, by key).
template <typename T, RowTask kTask>
void run_long_rows(const Tensor& x, const Tensor& values, const Tensor& indices, int64_t dim,
                   bool invert) {
  using K = key_t<T>;
  const SortRowsLayout layout = make_sort_rows_layout("sort", x, values, indices, dim);
  const int64_t count = layout.rows * layout.length;
  std::vector<K> keys(static_cast<size_t>(count));
  std::vector<int64_t> positions(static_cast<size_t>(count));
  run_row_keys<T>(layout, invert, keys.data(), positions.data(), EmulatedLauncher{"sort keys"});
  for (int64_t row = 0; row < layout.rows; ++row) {
    std::vector<std::pair<K, int64_t>> pairs;
    for (int64_t i = row * layout.length; i < (row + 1) * layout.length; ++i) {
      pairs.emplace_back(keys[i], positions[i]);
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (int64_t i = 0; i < layout.length; ++i) {
      keys[row * layout.length + i] = pairs[i].first;
      positions[row * layout.length + i] = pairs[i].second;
    }
  }
  run_sorted_rows<T, kTask>(layout, keys.data(), positions.data(), EmulatedLauncher{"sorted rows"});
}

TEST(KernelEmulationLongRows, SortTopkAndModeAroundTheSegmentedSortMatchTheCpu) {
  manual_seed(20);
  for (ScalarType dtype : kKernelDtypes) {
    for (Layout layout : {Layout::Contiguous, Layout::Transposed}) {
      const Tensor x = operand(layout, 3, 4099, dtype);
      visit_kernel_dtype(dtype, [&](auto* tag) {
        using T = std::remove_pointer_t<decltype(tag)>;
        const std::string what = std::string(dtype_name(dtype)) + " " + name_of(layout);
        for (bool descending : {false, true}) {
          const Tensor values = output({3, 4099}, dtype, layout);
          const Tensor indices = output({3, 4099}, kInt64, layout);
          Tensor expected[2] = {empty({3, 4099}, TensorOptions(dtype)),
                                empty({3, 4099}, TensorOptions(kInt64))};
          Sort(1, descending).eval_cpu(TensorSpan(&x, 1), TensorSpan(expected, 2));
          run_long_rows<T, RowTask::Sort>(x, values, indices, 1, descending);
          expect_same_bits(values, expected[0], "long sort " + what);
          expect_same_bits(indices, expected[1], "long sort indices " + what);
        }
        {
          const Tensor values = zeros({3, 5}, TensorOptions(dtype));
          const Tensor indices = zeros({3, 5}, TensorOptions(kInt64));
          Tensor expected[2] = {empty({3, 5}, TensorOptions(dtype)),
                                empty({3, 5}, TensorOptions(kInt64))};
          Topk(5, 1, true).eval_cpu(TensorSpan(&x, 1), TensorSpan(expected, 2));
          run_long_rows<T, RowTask::Topk>(x, values, indices, 1, true);
          expect_same_bits(values, expected[0], "long topk " + what);
          expect_same_bits(indices, expected[1], "long topk indices " + what);
        }
        {
          const Tensor values = zeros({3, 1}, TensorOptions(dtype));
          const Tensor indices = zeros({3, 1}, TensorOptions(kInt64));
          Tensor expected[2] = {empty({3, 1}, TensorOptions(dtype)),
                                empty({3, 1}, TensorOptions(kInt64))};
          Mode(1).eval_cpu(TensorSpan(&x, 1), TensorSpan(expected, 2));
          run_long_rows<T, RowTask::Mode>(x, values, indices, 1, false);
          expect_same_bits(values, expected[0], "long mode " + what);
          expect_same_bits(indices, expected[1], "long mode indices " + what);
        }
        return true;
      });
    }
  }
}

TEST(KernelEmulationSearchSorted, EveryDtypeSideAndOutputTypeMatchesTheCpu) {
  manual_seed(17);
  // {sorted's shape, values' shape}: 1-d boundaries with values of any shape, or one row of
  // boundaries per row of values.
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{37}, {5, 9}}, {{1}, {4}}, {{0}, {3}}, {{6}, {0}}, {{3, 20}, {3, 7}}, {{4, 1}, {4, 2}}};
  for (ScalarType dtype : kKernelDtypes) {
    for (const auto& [sorted_shape, values_shape] : cases) {
      const Tensor unsorted = sort_values(sorted_shape, dtype);
      Tensor sorted[2] = {empty(sorted_shape, TensorOptions(dtype)),
                          empty(sorted_shape, TensorOptions(kInt64))};
      Sort(static_cast<int64_t>(sorted_shape.size()) - 1, false)
          .eval_cpu(TensorSpan(&unsorted, 1), TensorSpan(sorted, 2));
      const Tensor needles = sort_values(values_shape, dtype);
      for (bool right : {false, true}) {
        for (ScalarType out_dtype : {kInt64, kInt32}) {
          const SearchSorted search(right);
          const Tensor inputs[2] = {sorted[0], needles};
          const Tensor out = zeros(values_shape, TensorOptions(out_dtype));
          Tensor expected = empty(values_shape, TensorOptions(out_dtype));
          search.eval_cpu(TensorSpan(inputs, 2), TensorSpan(&expected, 1));
          const int64_t length = sorted_shape.back();
          const int64_t per_row = sorted_shape.size() <= 1 ? needles.numel() : values_shape.back();
          visit_kernel_dtype(dtype, [&](auto* tag) {
            using T = std::remove_pointer_t<decltype(tag)>;
            const auto* boundaries = static_cast<const T*>(sorted[0].data_ptr());
            const auto* values = static_cast<const T*>(needles.data_ptr());
            if (out_dtype == kInt64) {
              run_search_sorted(boundaries, values, static_cast<int64_t*>(out.data_ptr()),
                                needles.numel(), length, per_row, right,
                                EmulatedLauncher{"searchsorted"});
            } else {
              run_search_sorted(boundaries, values, static_cast<int32_t*>(out.data_ptr()),
                                needles.numel(), length, per_row, right,
                                EmulatedLauncher{"searchsorted"});
            }
            return true;
          });
          expect_same_bits(out, expected,
                           "searchsorted " + std::string(dtype_name(dtype)) +
                               (right ? " right " : " left ") + std::string(dtype_name(out_dtype)) +
                               " sorted " + std::to_string(sorted_shape.size()) +
                               "-d n=" + std::to_string(length));
        }
      }
    }
  }
}

// Mostly zeros, so the coordinates are sparse and their placement is tested.
Tensor sparse_values(IntArrayRef shape, ScalarType dtype) {
  const Tensor keep = randint(0, 4, shape, TensorOptions(kInt64)).eq(0);
  Tensor t = where(keep, sort_values(shape, kFloat64), zeros({}, TensorOptions(kFloat64)));
  if (dtype == kBool || dtype == kUInt8 || !is_floating_point(dtype)) {
    t = where(t.isnan(), ones({}, TensorOptions(kFloat64)), t);
    t = dtype == kBool ? t.ne(0) : (dtype == kUInt8 ? t.abs() : t).to(dtype);
  } else {
    t = t.to(dtype);
  }
  return t;
}

void expect_nonzero_matches(const Tensor& x, const std::string& what) {
  const Tensor expected = nonzero(x);
  const Tensor out = full(expected.sizes(), -1, TensorOptions(kInt64));
  const NonzeroLayout layout = make_nonzero_layout("nonzero", x, out);
  const Tensor counts = empty({nonzero_blocks(x.numel())}, TensorOptions(kInt64));
  const bool covered = visit_kernel_or_byte_dtype(x.dtype(), [&](auto* tag) {
    run_nonzero<std::remove_pointer_t<decltype(tag)>>(
        layout, static_cast<int64_t*>(counts.data_ptr()), EmulatedLauncher{"nonzero"});
    return true;
  });
  ASSERT_TRUE(covered) << what;
  expect_same_bits(out, expected, what);
}

TEST(KernelEmulationNonzero, EveryDtypeAndLayoutMatchesTheCpu) {
  manual_seed(18);
  for (ScalarType dtype :
       {kBool, kUInt8, kFloat32, kFloat64, kFloat16, kBFloat16, kInt32, kInt64}) {
    const std::string name(dtype_name(dtype));
    expect_nonzero_matches(sparse_values({3, 37}, dtype), name + " contiguous");
    expect_nonzero_matches(transpose(sparse_values({37, 3}, dtype), 0, 1), name + " transposed");
    expect_nonzero_matches(slice(sparse_values({4, 41}, dtype), 1, 1, 40, 3), name + " sliced");
    expect_nonzero_matches(expand(sparse_values({1, 9}, dtype), {5, 9}), name + " broadcast");
    expect_nonzero_matches(sparse_values({2, 3, 1, 5}, dtype), name + " 4-d");
    expect_nonzero_matches(sparse_values({0, 4}, dtype), name + " empty");
    expect_nonzero_matches(sparse_values({1001}, dtype), name + " odd");
    expect_nonzero_matches(full({}, 3.0, TensorOptions(kFloat64)).to(dtype), name + " 0-d");
  }
  // Signed zeros are zero and NaN is not, as on the CPU.
  expect_nonzero_matches(tensor({-0.0, std::nan(""), 0.0, 1.0}), "float64 -0.0 and NaN");
}

TEST(KernelEmulationNonzero, ManyChunksOfSeveralTiles) {
  manual_seed(19);
  // Past 1024 * 256 elements each block's chunk spans several tiles of its threads.
  expect_nonzero_matches(sparse_values({300007}, kBool), "bool 300007");
  expect_nonzero_matches(transpose(sparse_values({613, 500}, kFloat32), 0, 1),
                         "float32 transposed 500x613");
}

}  // namespace
}  // namespace ember::cuda
