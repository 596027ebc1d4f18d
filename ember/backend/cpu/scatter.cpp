// eval_cpu of the scatter primitives. One walk serves them all: the positions of the index
// outside `dim` (innermost first, coalesced) are split among threads, and each thread runs the
// whole of `dim` for its positions. Two positions that differ outside `dim` address different
// elements of self, so concurrent scatters never collide, and each element sees its updates in
// index order (deterministic, the last index wins for Assign). The loop over `dim` runs inside
// the loop over the innermost other dim or outside it, whichever keeps the index's steps short.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/base/strided_walk.h"
#include "ember/ops/primitives_scatter.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// Operands of a walk: the indexed tensor (self), the index, and the dense one (gather's result,
// scatter's src), with element strides.
constexpr int kTarget = 0;
constexpr int kIndex = 1;
constexpr int kDense = 2;
using Dims = SmallVector<StridedDim<3>, 6>;

struct Plan {
  Dims others;             // the dims other than `dim`, innermost first, coalesced
  int64_t length = 0;      // index.size(dim)
  int64_t bound = 0;       // target.size(dim): every index must lie in [0, bound)
  int64_t steps[3] = {};   // the strides along dim (the target's is scaled by each index)
  int64_t positions = 0;   // product of the other dims' sizes
  bool dim_inner = false;  // the loop over `dim` is the innermost one
};

Plan make_plan(int64_t dim, const Tensor& target, const Tensor& index, const Tensor& dense) {
  Plan plan;
  for (int64_t d = index.dim() - 1; d >= 0; --d) {
    if (d == dim) continue;
    plan.others.push_back(
        {index.shape()[d], {target.strides()[d], index.strides()[d], dense.strides()[d]}});
  }
  coalesce_dims(plan.others);
  plan.length = index.shape()[dim];
  plan.bound = target.shape()[dim];
  plan.steps[kTarget] = target.strides()[dim];
  plan.steps[kIndex] = index.strides()[dim];
  plan.steps[kDense] = dense.strides()[dim];
  plan.positions = 1;
  for (const StridedDim<3>& other : plan.others) plan.positions *= other.size;
  // The dense operand is never expanded, so its strides tell which loop walks memory in order.
  plan.dim_inner = plan.others.empty() ||
                   std::abs(plan.steps[kDense]) <= std::abs(plan.others[0].strides[kDense]);
  return plan;
}

// One stretch of positions [first, first + count) of a row: the loops over the row and over
// `dim`, with the common unit-stride and index-constant-along-the-row cases spelled out so that
// the compiler sees unit steps. Returns false if an index was out of range (kCheck only).
template <bool kCheck, typename Op>
[[gnu::always_inline]] inline bool run_stretch(const Plan& plan, const int64_t* index,
                                               const int64_t (&row_step)[3], int64_t target,
                                               int64_t index_base, int64_t dense, int64_t count,
                                               int64_t j_begin, int64_t j_end, Op& op) {
  const int64_t target_step = plan.steps[kTarget], index_step = plan.steps[kIndex],
                dense_step = plan.steps[kDense], bound = plan.bound;
  bool ok = true;
  auto in_range = [&](int64_t value) {
    if constexpr (kCheck) {
      if (value < 0 || value >= bound) [[unlikely]] {
        ok = false;
        return false;
      }
    }
    return true;
  };
  if (plan.dim_inner) {
    for (int64_t i = 0; i < count; ++i) {
      const int64_t t = target + i * row_step[kTarget];
      const int64_t* at = index + index_base + i * row_step[kIndex];
      const int64_t d = dense + i * row_step[kDense];
      if (index_step == 1 && dense_step == 1) {
        for (int64_t j = j_begin; j < j_end; ++j) {
          if (in_range(at[j])) op(t + at[j] * target_step, d + j);
        }
      } else {
        for (int64_t j = j_begin; j < j_end; ++j) {
          const int64_t value = at[j * index_step];
          if (in_range(value)) op(t + value * target_step, d + j * dense_step);
        }
      }
    }
    return ok;
  }
  for (int64_t j = j_begin; j < j_end; ++j) {
    const int64_t* at = index + index_base + j * index_step;
    const int64_t d = dense + j * dense_step;
    if (row_step[kIndex] == 0) {
      // index_add / index_copy / index_fill: one index per row, whole rows move.
      const int64_t value = at[0];
      if (!in_range(value)) continue;
      const int64_t t = target + value * target_step;
      if (row_step[kTarget] == 1 && row_step[kDense] == 1) {
        for (int64_t i = 0; i < count; ++i) op(t + i, d + i);
      } else {
        for (int64_t i = 0; i < count; ++i) op(t + i * row_step[kTarget], d + i * row_step[kDense]);
      }
      continue;
    }
    for (int64_t i = 0; i < count; ++i) {
      const int64_t value = at[i * row_step[kIndex]];
      if (in_range(value))
        op(target + i * row_step[kTarget] + value * target_step, d + i * row_step[kDense]);
    }
  }
  return ok;
}

// Calls op(target_offset, dense_offset) for every index element, target_offset including the
// index's value times the target's stride along dim. With kCheck, an index outside [0, bound)
// is skipped and reported by the return value instead. Threads split the positions outside
// `dim`; with `split_dim` (gathers, whose writes never collide) and a single such position,
// they split `dim` itself (a 1-D gather).
template <bool kCheck, typename Op>
bool walk(const Plan& plan, const int64_t* index, Op op, bool split_dim = false) {
  if (plan.positions == 0 || plan.length == 0) return true;
  std::atomic<bool> valid = true;
  const bool has_rows = !plan.others.empty();
  const int64_t row_size = has_rows ? plan.others[0].size : 1;
  const int64_t row_step[3] = {has_rows ? plan.others[0].strides[kTarget] : 0,
                               has_rows ? plan.others[0].strides[kIndex] : 0,
                               has_rows ? plan.others[0].strides[kDense] : 0};
  if (split_dim && plan.positions == 1) {
    parallel_for(0, plan.length, kGrain, [&](int64_t begin, int64_t end) {
      if (!run_stretch<kCheck>(plan, index, row_step, 0, 0, 0, 1, begin, end, op)) {
        valid.store(false, std::memory_order_relaxed);
      }
    });
    return valid.load();
  }
  const int64_t grain = std::max<int64_t>(1, kGrain / plan.length);
  parallel_for(0, plan.positions, grain, [&](int64_t begin, int64_t end) {
    bool ok = true;
    const int outer_dims = has_rows ? static_cast<int>(plan.others.size()) - 1 : 0;
    StridedWalker<3> rows(plan.others.data() + (has_rows ? 1 : 0), outer_dims, begin / row_size);
    for (int64_t p = begin; p < end; rows.next()) {
      const int64_t first = p % row_size;
      const int64_t count = std::min(row_size, first + (end - p)) - first;
      ok &= run_stretch<kCheck>(
          plan, index, row_step, rows.offset(kTarget) + first * row_step[kTarget],
          rows.offset(kIndex) + first * row_step[kIndex],
          rows.offset(kDense) + first * row_step[kDense], count, 0, plan.length, op);
      p += count;
    }
    if (!ok) valid.store(false, std::memory_order_relaxed);
  });
  return valid.load();
}

// The error for the first out-of-range index in row-major order (after a walk found one).
[[noreturn]] void raise_out_of_bounds(std::string_view op, int64_t dim, int64_t bound,
                                      const Tensor& index) {
  SmallVector<StridedDim<1>, 6> dims;
  for (int64_t d = index.dim() - 1; d >= 0; --d) {
    dims.push_back({index.shape()[d], {index.strides()[d]}});
  }
  const int64_t* values = index.data_ptr<int64_t>();
  StridedWalker<1> position(dims, 0);
  int64_t bad = 0;
  for (int64_t i = 0, n = index.numel(); i < n; ++i, position.next()) {
    const int64_t value = values[position.offset(0)];
    if (value < 0 || value >= bound) {
      bad = value;
      break;
    }
  }
  detail::raise<IndexError>("[", op, "] index ", bad, " is out of bounds for dimension ", dim,
                            " with size ", bound);
}

// Checks every index before anything is written. A contiguous index is scanned flat (a loop
// the compiler vectorizes); otherwise the walk visits it, once per distinct element: dims along
// which it does not move (index_add's 1-D index expanded over self) are dropped.
void check_indices(std::string_view op, int64_t dim, const Plan& plan, const Tensor& index) {
  if (plan.positions == 0 || plan.length == 0) return;
  const int64_t* values = index.data_ptr<int64_t>();
  const int64_t bound = plan.bound;
  bool valid = true;
  if (index.is_contiguous()) {
    std::atomic<bool> all = true;
    parallel_for(0, index.numel(), kGrain, [&](int64_t begin, int64_t end) {
      bool ok = true;
      // One unsigned comparison per index (negatives wrap above bound): the loop vectorizes.
      for (int64_t i = begin; i < end; ++i) {
        ok &= static_cast<uint64_t>(values[i]) < static_cast<uint64_t>(bound);
      }
      if (!ok) all.store(false, std::memory_order_relaxed);
    });
    valid = all.load();
  } else {
    Plan distinct = plan;
    distinct.others.clear();
    distinct.positions = 1;
    for (const StridedDim<3>& other : plan.others) {
      if (other.strides[kIndex] == 0) continue;
      distinct.others.push_back(other);
      distinct.positions *= other.size;
    }
    valid = walk<true>(distinct, values, [](int64_t, int64_t) {});
  }
  if (!valid) raise_out_of_bounds(op, dim, bound, index);
}

template <typename T>
void scatter_with(ScatterMode mode, const Plan& plan, const int64_t* index, T* self, const T* src) {
  using Acc = opmath_t<T>;
  switch (mode) {
    case ScatterMode::Assign:
      walk<false>(plan, index, [=](int64_t to, int64_t from) { self[to] = src[from]; });
      return;
    case ScatterMode::Add:
      walk<false>(plan, index, [=](int64_t to, int64_t from) {
        self[to] = convert<T>(static_cast<Acc>(Acc(self[to]) + Acc(src[from])));
      });
      return;
    case ScatterMode::Multiply:
      walk<false>(plan, index, [=](int64_t to, int64_t from) {
        self[to] = convert<T>(static_cast<Acc>(Acc(self[to]) * Acc(src[from])));
      });
      return;
    case ScatterMode::Amax:
      walk<false>(plan, index, [=](int64_t to, int64_t from) {
        const Acc current = Acc(self[to]), value = Acc(src[from]);
        // NaN propagates: a NaN value replaces, a NaN held stays (value > NaN is false).
        if (value > current || value != value) self[to] = src[from];
      });
      return;
    case ScatterMode::Amin:
      walk<false>(plan, index, [=](int64_t to, int64_t from) {
        const Acc current = Acc(self[to]), value = Acc(src[from]);
        if (value < current || value != value) self[to] = src[from];
      });
      return;
  }
}

void run_scatter(std::string_view op, int64_t dim, ScatterMode mode, const Tensor& self,
                 const Tensor& index, const Tensor& src) {
  const Plan plan = make_plan(dim, self, index, src);
  check_indices(op, dim, plan, index);
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    scatter_with<T>(mode, plan, index.data_ptr<int64_t>(), self.data_ptr<T>(), src.data_ptr<T>());
  });
}

}  // namespace

void Gather::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& self = inputs[0];
  const Tensor& index = inputs[1];
  const Tensor& out = outputs[0];
  const Plan plan = make_plan(dim_, self, index, out);
  // The result is fresh, so the bounds are checked as it is filled: one pass over the index.
  const bool valid = visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* source = self.data_ptr<T>();
    T* target = out.data_ptr<T>();
    return walk<true>(
        plan, index.data_ptr<int64_t>(),
        [=](int64_t from, int64_t to) { target[to] = source[from]; }, /*split_dim=*/true);
  });
  if (!valid) raise_out_of_bounds(op_, dim_, plan.bound, index);
}

void Scatter::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  run_scatter(op_, dim_, mode_, outputs[0], inputs[1], inputs[0]);
}

void ScatterReduce::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  // The op function filled the result with self; the kernel combines src into it.
  run_scatter(name(), dim_, mode_, outputs[0], inputs[1], inputs[2]);
}

}  // namespace ember
