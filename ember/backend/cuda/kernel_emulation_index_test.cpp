// The indexing CUDA kernel bodies (index_kernels.cuh) run in the CPU grid emulator on CPU tensors
// and compared with the primitives' eval_cpu: Index, IndexPut (assign and accumulate), Gather,
// Scatter (assign and add), ScatterReduce (prod, amax, amin), Embedding and EmbeddingBackward, on
// contiguous, transposed, sliced and broadcast operands, negative, repeated and out-of-range
// indices, empty operands and the 64-bit offset path, for every dtype each kernel covers; and the
// emulator's atomic_add (Note [CUDA indexing]).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/index_kernels.cuh"
#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_index.h"
#include "ember/ops/primitives_nn_embedding.h"
#include "ember/ops/primitives_scatter.h"

namespace ember::cuda {
namespace {

// The moves serve every dtype through its element size: one of each size beyond the above.
const std::vector<ScalarType> kMoveDtypes = {kFloat32, kFloat64, kFloat16, kBFloat16,
                                             kInt32,   kInt64,   kBool,    kInt8};

Tensor values(IntArrayRef shape, ScalarType dtype) {
  if (dtype == kBool) return randint(0, 2, shape, kInt64).to(kBool);
  if (is_floating_point(dtype)) return (randn(shape) * 2.5).to(dtype);
  return randint(-20, 21, shape, dtype);
}

// Calls f(tag) with tag a null U* for the unsigned integer of dtype's size.
template <typename F>
void with_bits(ScalarType dtype, F&& f) {
  ASSERT_TRUE(visit_element_bits(itemsize(dtype), [&](auto* tag) {
    f(tag);
    return true;
  }));
}
template <typename F>
void with_kernel_dtype(ScalarType dtype, F&& f) {
  ASSERT_TRUE(visit_kernel_dtype(dtype, [&](auto* tag) {
    f(tag);
    return true;
  }));
}

// Runs the primitive's CPU kernel: the reference every emulated body is compared with.
void eval_cpu(const Primitive& primitive, const std::vector<Tensor>& inputs,
              const std::vector<Tensor>& outputs) {
  primitive.eval_cpu(inputs, outputs);
}

std::string describe(std::string_view op, ScalarType dtype, const std::string& layout) {
  return std::string(op) + " " + std::string(dtype_name(dtype)) + " " + layout;
}

// ---------------------------------------------------------------- atomics

template <typename T>
void check_atomic_add(ScalarType dtype) {
  // Every thread of 3 blocks adds its own value to one shared total and 1 to its block's slot.
  constexpr int kThreads = 64, kBlocks = 3;
  LaunchShape shape;
  shape.grid.x = kBlocks;
  shape.block.x = kThreads;
  T total = T(0);
  std::vector<T> per_block(kBlocks, T(0));
  emulate("atomic_add", shape, [&](EmulatedThread& t) {
    t.atomic_add(&total, T(static_cast<int>(t.thread_idx().x % 5)));
    t.atomic_add(&per_block[t.block_idx().x], T(1));
  });
  // The sequence of sums the CPU's loop forms, rounded the same way after each add.
  T expected = T(0);
  for (int b = 0; b < kBlocks; ++b) {
    for (int i = 0; i < kThreads; ++i) expected = accumulate_sum(expected, T(i % 5));
  }
  EXPECT_EQ(static_cast<double>(opmath_t<T>(total)), static_cast<double>(opmath_t<T>(expected)))
      << dtype_name(dtype);
  for (T slot : per_block) EXPECT_EQ(static_cast<double>(opmath_t<T>(slot)), kThreads);
}

TEST(KernelEmulatorAtomic, AddSumsEveryThreadsValueForEachKernelDtype) {
  for (ScalarType dtype : kKernelDtypes) {
    with_kernel_dtype(
        dtype, [&](auto* tag) { check_atomic_add<std::remove_pointer_t<decltype(tag)>>(dtype); });
  }
}

TEST(KernelEmulatorAtomic, IntegerAddsWrapAndHalfAddsRoundOnce) {
  EXPECT_EQ(accumulate_sum<int64_t>(std::numeric_limits<int64_t>::max(), 1),
            std::numeric_limits<int64_t>::lowest());
  EXPECT_EQ(accumulate_sum<int32_t>(std::numeric_limits<int32_t>::lowest(), -1),
            std::numeric_limits<int32_t>::max());
  // 2048 + 1 is not a float16: the sum rounds to even, as the CPU's store does.
  EXPECT_EQ(static_cast<float>(accumulate_sum(Half(2048.0F), Half(1.0F))), 2048.0F);
  EXPECT_EQ(static_cast<float>(accumulate_sum(BFloat16(1.0F), BFloat16(2.0F))), 3.0F);
}

// ---------------------------------------------------------------- Index and IndexPut

// The shape of the operand Index produces and IndexPut reads: self's remaining dims with one dim
// of size n inserted before remaining dim number `position`.
std::vector<int64_t> other_shape(const Tensor& self, const IndexLayout& layout, int64_t n) {
  std::vector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (next < layout.dims.size() && layout.dims[next] == d) {
      ++next;
      continue;
    }
    shape.push_back(self.sizes()[d]);
  }
  shape.insert(shape.begin() + layout.position, n);
  return shape;
}

struct IndexCase {
  std::string name;
  std::vector<int64_t> self_shape;
  bool transposed;  // self's first two dims swapped
  std::vector<int64_t> dims;
  int64_t position;
  std::vector<std::vector<int64_t>> positions;  // k rows of n, in range (negative ones too)
};

const std::vector<IndexCase> kIndexCases = {
    {"rows", {5, 7}, false, {0}, 0, {{0, 4, -1, 2, 2}}},
    {"columns of a transposed self", {6, 5}, true, {1}, 1, {{3, -5, 0}}},
    {"two dims", {4, 5, 6}, false, {0, 2}, 0, {{1, -1, 3, 0}, {5, 0, -2, 2}}},
    {"middle dim", {4, 5, 6}, false, {1}, 1, {{4, 0, 1, 1, -5, 2, 3}}},
    {"middle dim of a transposed self", {5, 4, 6}, true, {1}, 1, {{3, 0, -4}}},
    {"last dim", {3, 2, 33}, false, {2}, 2, {{32, 0, -33}}},
    {"no tuples", {5, 7}, false, {0}, 0, {{}}},
    {"empty remaining dim", {5, 0}, false, {0}, 0, {{1, 2}}},
    {"every dim", {3, 4}, false, {0, 1}, 0, {{2, 0, -3}, {3, -4, 1}}},
};

Tensor positions_of(const IndexCase& c) {
  const auto k = static_cast<int64_t>(c.positions.size());
  const auto n = static_cast<int64_t>(c.positions[0].size());
  Tensor positions = empty({k, n}, kInt64);
  for (int64_t j = 0; j < k; ++j) {
    for (int64_t t = 0; t < n; ++t) positions.data_ptr<int64_t>()[j * n + t] = c.positions[j][t];
  }
  return positions;
}

Tensor self_of(const IndexCase& c, ScalarType dtype) {
  if (!c.transposed) return values(c.self_shape, dtype);
  std::vector<int64_t> swapped = c.self_shape;
  std::swap(swapped[0], swapped[1]);
  return transpose(values(swapped, dtype), 0, 1);
}

IndexLayout layout_of(const IndexCase& c) {
  IndexLayout layout;
  for (int64_t d : c.dims) layout.dims.push_back(d);
  layout.position = c.position;
  return layout;
}

TEST(KernelEmulationIndex, IndexMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kMoveDtypes) {
    for (const IndexCase& c : kIndexCases) {
      for (bool force_64bit : {false, true}) {
        const Tensor self = self_of(c, dtype);
        const Tensor positions = positions_of(c);
        const IndexLayout layout = layout_of(c);
        const ember::Index primitive("index", layout);
        const auto shape = other_shape(self, layout, positions.sizes()[1]);
        const Tensor expected = empty(shape, dtype);
        eval_cpu(primitive, {self, positions}, {expected});
        const Tensor actual = empty(shape, dtype);
        AdvancedIndexLayout kernel =
            make_advanced_index_layout("index", layout, self, actual, positions);
        if (force_64bit) kernel.fits_32bit = false;
        with_bits(dtype, [&](auto* tag) {
          using U = std::remove_pointer_t<decltype(tag)>;
          run_advanced_index<U, IndexMove::Gather>(kernel, EmulatedLauncher{"index"});
        });
        expect_matches(actual, expected,
                       describe("index", dtype, c.name + (force_64bit ? " index64" : "")));
      }
    }
  }
}

// IndexPut's values in three layouts: contiguous, transposed (other's first two dims swapped)
// and broadcast (a row expanded over the tuples).
Tensor values_for_put(const std::vector<int64_t>& shape, ScalarType dtype, int layout) {
  if (layout == 1 && shape.size() >= 2) {
    std::vector<int64_t> swapped = shape;
    std::swap(swapped[0], swapped[1]);
    return transpose(values(swapped, dtype), 0, 1);
  }
  if (layout == 2) {
    std::vector<int64_t> one = shape;
    one[0] = 1;
    return expand(values(one, dtype), shape);
  }
  return values(shape, dtype);
}

void check_index_put(bool accumulate, const std::vector<ScalarType>& dtypes) {
  for (ScalarType dtype : dtypes) {
    for (const IndexCase& c : kIndexCases) {
      for (int values_layout = 0; values_layout < 3; ++values_layout) {
        const Tensor self = self_of(c, dtype);
        const Tensor positions = positions_of(c);
        const IndexLayout layout = layout_of(c);
        const auto shape = other_shape(self, layout, positions.sizes()[1]);
        const Tensor source = values_for_put(shape, dtype, values_layout);
        const IndexPut primitive(layout, accumulate);
        const Tensor expected = clone(self);
        eval_cpu(primitive, {source, positions}, {expected});
        const Tensor actual = clone(self);
        const AdvancedIndexLayout kernel =
            make_advanced_index_layout("index_put_", layout, actual, source, positions);
        if (accumulate) {
          with_kernel_dtype(dtype, [&](auto* tag) {
            using T = std::remove_pointer_t<decltype(tag)>;
            run_advanced_index<T, IndexMove::Accumulate>(kernel, EmulatedLauncher{"index_put_"});
          });
        } else {
          with_bits(dtype, [&](auto* tag) {
            using U = std::remove_pointer_t<decltype(tag)>;
            run_advanced_index<U, IndexMove::Assign>(kernel, EmulatedLauncher{"index_put_"});
          });
        }
        expect_matches(actual, expected,
                       describe(accumulate ? "index_put_ accumulate" : "index_put_", dtype,
                                c.name + " values layout " + std::to_string(values_layout)));
      }
    }
  }
}

// Repeated positions (the "rows" case's 2, 2): the emulator runs threads in index order, so the
// last value wins as on the CPU; on a GPU the winner is unspecified, as in PyTorch.
TEST(KernelEmulationIndex, IndexPutAssignMatchesTheCpu) {
  manual_seed(14);
  check_index_put(false, kMoveDtypes);
}

TEST(KernelEmulationIndex, IndexPutAccumulateMatchesTheCpu) {
  manual_seed(14);
  check_index_put(true, kKernelDtypes);
}

TEST(KernelEmulationIndex, OutOfRangeIndexIsAnIndexErrorNamingTheOp) {
  const Tensor self = randn({5, 7});
  IndexLayout layout;
  layout.dims.push_back(0);
  const Tensor positions = tensor({int64_t{1}, int64_t{-6}}, kInt64).reshape({1, 2});
  const Tensor out = empty({2, 7});
  const AdvancedIndexLayout kernel =
      make_advanced_index_layout("index", layout, self, out, positions);
  try {
    run_advanced_index<uint32_t, IndexMove::Gather>(kernel, EmulatedLauncher{"index"});
    FAIL() << "expected an IndexError";
  } catch (const IndexError& error) {
    EXPECT_NE(std::string(error.what()).find("[index] index -6 is out of bounds for size 5"),
              std::string::npos)
        << error.what();
  }
  // index_select allows no negative positions: -1 is out of range there.
  layout.allow_negative = false;
  const Tensor negative = tensor({int64_t{-1}}, kInt64).reshape({1, 1});
  const Tensor row = empty({1, 7});
  EXPECT_THROW((run_advanced_index<uint32_t, IndexMove::Gather>(
                   make_advanced_index_layout("index_select", layout, self, row, negative),
                   EmulatedLauncher{"index_select"})),
               IndexError);
}

// ---------------------------------------------------------------- Gather and Scatter

struct ScatterCase {
  std::string name;
  std::vector<int64_t> self_shape;
  std::vector<int64_t> index_shape;
  int64_t dim;
  int index_layout;  // 0 contiguous, 1 transposed (first two dims), 2 a row expanded (index_add)
  bool self_transposed;
};

const std::vector<ScatterCase> kScatterCases = {
    {"dim 0", {6, 5}, {4, 5}, 0, 0, false},
    {"dim 1", {6, 5}, {6, 3}, 1, 0, false},
    {"dim 1 of a transposed self", {6, 5}, {4, 5}, 1, 0, true},
    {"transposed index", {6, 7}, {5, 4}, 0, 1, false},
    {"expanded index", {6, 5}, {4, 5}, 0, 2, false},
    {"3-d middle dim", {3, 7, 4}, {2, 9, 3}, 1, 0, false},
    {"1-d", {40}, {100}, 0, 0, false},
    {"empty index", {6, 5}, {0, 5}, 0, 0, false},
    {"empty other dim", {6, 5}, {3, 0}, 0, 0, false},
};

Tensor index_for(const ScatterCase& c, int64_t bound) {
  switch (c.index_layout) {
    case 1: {
      std::vector<int64_t> swapped = c.index_shape;
      std::swap(swapped[0], swapped[1]);
      return transpose(randint(0, bound, swapped, kInt64), 0, 1);
    }
    case 2: {
      std::vector<int64_t> one = c.index_shape;
      one[1] = 1;
      return expand(randint(0, bound, one, kInt64), c.index_shape);
    }
    default:
      return randint(0, bound, c.index_shape, kInt64);
  }
}

Tensor self_for(const ScatterCase& c, ScalarType dtype) {
  if (!c.self_transposed) return values(c.self_shape, dtype);
  std::vector<int64_t> swapped = c.self_shape;
  std::swap(swapped[0], swapped[1]);
  return transpose(values(swapped, dtype), 0, 1);
}

// Src for a scatter: at least the index's sizes, sliced so that it is not contiguous.
Tensor src_for(const ScatterCase& c, ScalarType dtype) {
  std::vector<int64_t> wide = c.index_shape;
  wide.back() = 2 * wide.back() + 1;
  return slice(values(wide, dtype), static_cast<int64_t>(wide.size()) - 1, 0, wide.back() - 1, 2);
}

TEST(KernelEmulationScatter, GatherMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kMoveDtypes) {
    for (const ScatterCase& c : kScatterCases) {
      for (bool force_64bit : {false, true}) {
        const Tensor self = self_for(c, dtype);
        const Tensor index = index_for(c, c.self_shape[c.dim]);
        const Gather primitive("gather", c.dim);
        const Tensor expected = empty(c.index_shape, dtype);
        eval_cpu(primitive, {self, index}, {expected});
        const Tensor actual = empty(c.index_shape, dtype);
        ScatterLayout layout = make_scatter_layout("gather", c.dim, self, index, actual);
        if (force_64bit) layout.fits_32bit = false;
        with_bits(dtype, [&](auto* tag) {
          using U = std::remove_pointer_t<decltype(tag)>;
          run_scatter_move<U, ScatterMove::Gather>(layout, EmulatedLauncher{"gather"});
        });
        expect_matches(actual, expected,
                       describe("gather", dtype, c.name + (force_64bit ? " index64" : "")));
      }
    }
  }
}

// Repeated indices at one position: the emulator's order is the CPU's (the last one wins, sums
// in index order).
void check_scatter(ScatterMode mode, const std::vector<ScalarType>& dtypes) {
  for (ScalarType dtype : dtypes) {
    for (const ScatterCase& c : kScatterCases) {
      for (bool force_64bit : {false, true}) {
        const Tensor self = self_for(c, dtype);
        const Tensor index = index_for(c, c.self_shape[c.dim]);
        const Tensor src = src_for(c, dtype);
        const Scatter primitive("scatter_", c.dim, mode);
        const Tensor expected = clone(self);
        eval_cpu(primitive, {src, index}, {expected});
        const Tensor actual = clone(self);
        ScatterLayout layout = make_scatter_layout("scatter_", c.dim, actual, index, src);
        if (force_64bit) layout.fits_32bit = false;
        if (mode == ScatterMode::Assign) {
          with_bits(dtype, [&](auto* tag) {
            using U = std::remove_pointer_t<decltype(tag)>;
            run_scatter_move<U, ScatterMove::Assign>(layout, EmulatedLauncher{"scatter_"});
          });
        } else {
          with_kernel_dtype(dtype, [&](auto* tag) {
            using T = std::remove_pointer_t<decltype(tag)>;
            run_scatter_move<T, ScatterMove::Add>(layout, EmulatedLauncher{"scatter_add_"});
          });
        }
        expect_matches(actual, expected,
                       describe(mode == ScatterMode::Assign ? "scatter_" : "scatter_add_", dtype,
                                c.name + (force_64bit ? " index64" : "")));
      }
    }
  }
}

TEST(KernelEmulationScatter, ScatterAssignMatchesTheCpu) {
  manual_seed(14);
  check_scatter(ScatterMode::Assign, kMoveDtypes);
}

TEST(KernelEmulationScatter, ScatterAddMatchesTheCpu) {
  manual_seed(14);
  check_scatter(ScatterMode::Add, kKernelDtypes);
}

template <ScatterMode kMode>
void check_scatter_reduce(const char* name) {
  for (ScalarType dtype : kKernelDtypes) {
    for (const ScatterCase& c : kScatterCases) {
      for (bool force_64bit : {false, true}) {
        Tensor self = self_for(c, dtype);
        Tensor src = src_for(c, dtype);
        if (kMode == ScatterMode::Multiply && !is_floating_point(dtype)) {
          // Small factors keep integer products in range (the CPU's overflow is UB too).
          self = randint(-2, 3, self.sizes(), dtype);
          src = randint(-2, 3, src.sizes(), dtype);
        }
        if (is_floating_point(dtype) && src.numel() > 0) {
          src = src.contiguous();
          src.view({-1}).narrow(0, 0, 1).fill_(std::numeric_limits<double>::quiet_NaN());
        }
        const Tensor index = index_for(c, c.self_shape[c.dim]);
        const ScatterReduce primitive(c.dim, kMode);
        const Tensor expected = clone(self);
        eval_cpu(primitive, {self, index, src}, {expected});
        const Tensor actual = clone(self);
        ScatterLayout layout = make_scatter_layout(name, c.dim, actual, index, src);
        if (force_64bit) layout.fits_32bit = false;
        with_kernel_dtype(dtype, [&](auto* tag) {
          using T = std::remove_pointer_t<decltype(tag)>;
          run_scatter_reduce<T, kMode>(layout, EmulatedLauncher{name});
        });
        expect_matches(actual, expected,
                       describe(name, dtype, c.name + (force_64bit ? " index64" : "")));
      }
    }
  }
}

TEST(KernelEmulationScatter, ScatterReduceMatchesTheCpu) {
  manual_seed(14);
  check_scatter_reduce<ScatterMode::Multiply>("scatter_reduce prod");
  check_scatter_reduce<ScatterMode::Amax>("scatter_reduce amax");
  check_scatter_reduce<ScatterMode::Amin>("scatter_reduce amin");
}

TEST(KernelEmulationScatter, OutOfRangeIndexIsAnIndexError) {
  const Tensor self = randn({4, 3});
  const Tensor index = tensor({int64_t{0}, int64_t{4}, int64_t{1}}, kInt64).reshape({3, 1});
  const Tensor out = empty({3, 1});
  EXPECT_THROW((run_scatter_move<uint32_t, ScatterMove::Gather>(
                   make_scatter_layout("gather", 0, self, index, out), EmulatedLauncher{"gather"})),
               IndexError);
  const Tensor negative = tensor({int64_t{-1}}, kInt64).reshape({1, 1});
  const Tensor src = randn({1, 1});
  const Tensor target = clone(self);
  EXPECT_THROW((run_scatter_reduce<float, ScatterMode::Amax>(
                   make_scatter_layout("scatter_reduce", 0, target, negative, src),
                   EmulatedLauncher{"scatter_reduce"})),
               IndexError);
  EXPECT_TRUE(equal(target, self));
}

// ---------------------------------------------------------------- Embedding

TEST(KernelEmulationEmbedding, LookupMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kMoveDtypes) {
    for (auto [rows, width, n] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
             {10, 7, 12}, {3, 1, 5}, {4, 130, 3}, {5, 0, 4}, {6, 3, 0}}) {
      const Tensor weight = values({rows, width}, dtype);
      const Tensor indices = randint(0, rows, {n}, kInt64);
      const Embedding primitive(-1, false);
      const Tensor expected = empty({n, width}, dtype);
      eval_cpu(primitive, {weight, indices}, {expected});
      const Tensor actual = empty({n, width}, dtype);
      with_bits(dtype, [&](auto* tag) {
        using U = std::remove_pointer_t<decltype(tag)>;
        run_embedding<U>(make_embedding_layout(weight, actual, indices),
                         EmulatedLauncher{"embedding"});
      });
      expect_matches(
          actual, expected,
          describe("embedding", dtype,
                   std::to_string(rows) + "x" + std::to_string(width) + " n " + std::to_string(n)));
    }
  }
  const Tensor weight = randn({4, 3});
  const Tensor bad = tensor({int64_t{1}, int64_t{4}}, kInt64);
  const Tensor out = empty({2, 3});
  EXPECT_THROW(run_embedding<uint32_t>(make_embedding_layout(weight, out, bad),
                                       EmulatedLauncher{"embedding"}),
               IndexError);
}

template <typename T>
void check_embedding_backward(ScalarType dtype) {
  for (int64_t padding_idx : {int64_t{-1}, int64_t{2}}) {
    for (bool scale : {false, true}) {
      for (auto [rows, width, n] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
               {10, 7, 40}, {3, 1, 5}, {4, 130, 9}, {5, 3, 0}}) {
        const Tensor grad = values({n, width}, dtype);
        const Tensor indices = randint(0, rows, {n}, kInt64);
        const EmbeddingBackward primitive(padding_idx, scale);
        const Tensor expected = empty({rows, width}, dtype);
        eval_cpu(primitive, {grad, indices}, {expected});
        // Garbage to start from: the kernels zero the result and the counts themselves.
        const Tensor actual = full({rows, width}, 7.0, dtype);
        const Tensor counts = full({rows}, 3, kInt64);
        run_embedding_backward<T>(make_embedding_layout(actual, grad, indices), padding_idx,
                                  scale ? counts.data_ptr<int64_t>() : nullptr,
                                  EmulatedLauncher{"embedding_dense_backward"});
        expect_matches(actual, expected,
                       describe("embedding_dense_backward", dtype,
                                "padding " + std::to_string(padding_idx) +
                                    (scale ? " scaled " : " ") + std::to_string(rows) + "x" +
                                    std::to_string(width) + " n " + std::to_string(n)));
      }
    }
  }
}

TEST(KernelEmulationEmbedding, BackwardMatchesTheCpu) {
  manual_seed(14);
  check_embedding_backward<float>(kFloat32);
  check_embedding_backward<double>(kFloat64);
}

}  // namespace
}  // namespace ember::cuda
