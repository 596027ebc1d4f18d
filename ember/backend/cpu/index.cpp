// eval_cpu of the index primitives. Index and IndexPut first turn the (k, n) position matrix into
// one element offset into self per index tuple, checking every position before anything is
// written, then walk (outer dims, tuple, inner dims) with self and the other operand side by
// side. Nonzero counts, then writes multi-indices in row-major order.
#include <algorithm>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/base/strided_walk.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// Dims walked jointly by self and the other operand (element strides {self, other}), innermost
// first and coalesced (base/strided_walk.h), so a contiguous slab becomes one tight loop.
using JointDims = SmallVector<StridedDim<2>, 6>;
constexpr int kSelf = 0;
constexpr int kOther = 1;

int64_t joint_numel(const JointDims& dims) {
  int64_t count = 1;
  for (const StridedDim<2>& dim : dims) count *= dim.size;
  return count;
}

// Dims arrive outermost first; the walk wants them innermost first.
void finish(JointDims& dims) {
  std::reverse(dims.begin(), dims.end());
  coalesce_dims(dims);
}

// A row is one (outer position, index tuple) pair; it covers the inner dims.
struct IndexWalk {
  JointDims outer, inner;
  int64_t count = 0;               // n, the number of index tuples
  int64_t other_tuple_stride = 0;  // the other operand's stride along its n-sized dim
  std::vector<int64_t> offsets;    // self's element offset of each tuple
};

IndexWalk make_walk(std::string_view op, const IndexLayout& layout, const Tensor& self,
                    const Tensor& other, const Tensor& indices) {
  IndexWalk walk;
  const SmallVector<int64_t, 6>& dims = layout.dims;
  const int64_t k = indices.shape()[0];
  walk.count = indices.shape()[1];
  walk.other_tuple_stride = other.strides()[layout.position];
  int64_t remaining = 0;
  size_t next_indexed = 0;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (next_indexed < dims.size() && dims[next_indexed] == d) {
      ++next_indexed;
      continue;
    }
    const bool before = remaining < layout.position;
    const int64_t other_dim = before ? remaining : remaining + 1;
    (before ? walk.outer : walk.inner)
        .push_back({self.shape()[d], {self.strides()[d], other.strides()[other_dim]}});
    ++remaining;
  }
  finish(walk.outer);
  finish(walk.inner);
  // All positions are checked before any element moves, so a bad index leaves self untouched.
  walk.offsets.assign(static_cast<size_t>(walk.count), 0);
  const int64_t* positions = indices.data_ptr<int64_t>();
  for (int64_t j = 0; j < k; ++j) {
    const int64_t d = dims[j], size = self.shape()[d], stride = self.strides()[d];
    const int64_t* row = positions + j * walk.count;
    for (int64_t t = 0; t < walk.count; ++t) {
      int64_t position = row[t];
      if (position < 0 && layout.allow_negative) position += size;
      EMBER_CHECK_INDEX(position >= 0 && position < size, "[", op, "] index ", row[t],
                        " is out of bounds for dimension ", d, " with size ", size);
      walk.offsets[t] += position * stride;
    }
  }
  return walk;
}

// Calls visit(self_offset, other_offset) for every element of the inner dims.
template <typename Visit>
void walk_inner(const JointDims& inner, int64_t self_offset, int64_t other_offset, Visit& visit) {
  if (inner.empty()) {
    visit(self_offset, other_offset);
    return;
  }
  const int64_t count = joint_numel(inner);
  if (count == 0) return;
  const int64_t last = inner[0].size;
  const int64_t self_step = inner[0].strides[kSelf], other_step = inner[0].strides[kOther];
  StridedWalker<2> row(inner.data() + 1, static_cast<int>(inner.size()) - 1, 0);
  for (int64_t r = 0; r < count / last; ++r, row.next()) {
    const int64_t self_row = self_offset + row.offset(kSelf);
    const int64_t other_row = other_offset + row.offset(kOther);
    for (int64_t i = 0; i < last; ++i) visit(self_row + i * self_step, other_row + i * other_step);
  }
}

// Calls visit(self_offset, other_offset) for every element of rows [begin, end).
template <typename Visit>
void walk_rows(const IndexWalk& walk, int64_t begin, int64_t end, Visit& visit) {
  StridedWalker<2> outer(walk.outer, begin / walk.count);
  int64_t tuple = begin % walk.count;
  for (int64_t row = begin; row < end; ++row) {
    walk_inner(walk.inner, outer.offset(kSelf) + walk.offsets[tuple],
               outer.offset(kOther) + tuple * walk.other_tuple_stride, visit);
    if (++tuple == walk.count) {
      tuple = 0;
      outer.next();
    }
  }
}

// Rows to walk: none when a dim of self other than the indexed ones is empty (x[:, 1:1:2][i]).
int64_t row_count(const IndexWalk& walk) {
  return joint_numel(walk.inner) == 0 ? 0 : joint_numel(walk.outer) * walk.count;
}

// Calls visit(value, walker) for each element of x in row-major order; walker.index(d) is the
// coordinate along x's dim ndim - 1 - d.
template <typename T, typename Visit>
void for_each_element(const Tensor& x, Visit&& visit) {
  const int64_t ndim = x.dim();
  SmallVector<StridedDim<1>, 6> dims;
  for (int64_t d = ndim - 1; d >= 0; --d) dims.push_back({x.shape()[d], {x.strides()[d]}});
  const T* data = x.data_ptr<T>();
  StridedWalker<1> position(dims, 0);
  for (int64_t i = 0, n = x.numel(); i < n; ++i, position.next())
    visit(data[position.offset(0)], position);
}

}  // namespace

void Index::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& self = inputs[0];
  const Tensor& out = outputs[0];
  const IndexWalk walk = make_walk(op_, layout_, self, out, inputs[1]);
  const int64_t rows = row_count(walk);
  if (rows == 0) return;
  // Rows write disjoint parts of the fresh result, so they may run in parallel.
  const int64_t grain =
      std::max<int64_t>(1, kGrain / std::max<int64_t>(1, joint_numel(walk.inner)));
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* source = self.data_ptr<T>();
    T* target = out.data_ptr<T>();
    parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
      auto gather = [&](int64_t self_offset, int64_t out_offset) {
        target[out_offset] = source[self_offset];
      };
      walk_rows(walk, begin, end, gather);
    });
  });
}

void IndexPut::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& values = inputs[0];
  const Tensor& self = outputs[0];
  const IndexWalk walk = make_walk(name(), layout_, self, values, inputs[1]);
  const int64_t rows = row_count(walk);
  if (rows == 0) return;
  // Serial: repeated positions must accumulate, or overwrite, in index order (deterministic).
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Acc = opmath_t<T>;
    T* target = self.data_ptr<T>();
    const T* source = values.data_ptr<T>();
    if (accumulate_) {
      auto add = [&](int64_t self_offset, int64_t value_offset) {
        target[self_offset] =
            convert<T>(static_cast<Acc>(Acc(target[self_offset]) + Acc(source[value_offset])));
      };
      walk_rows(walk, 0, rows, add);
    } else {
      auto assign = [&](int64_t self_offset, int64_t value_offset) {
        target[self_offset] = source[value_offset];
      };
      walk_rows(walk, 0, rows, assign);
    }
  });
}

void CountNonzero::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  int64_t count = 0;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (x.is_contiguous()) {
      const T* data = x.data_ptr<T>();
      for (int64_t i = 0, n = x.numel(); i < n; ++i) count += convert<bool>(data[i]);
      return;
    }
    for_each_element<T>(x,
                        [&](T value, const StridedWalker<1>&) { count += convert<bool>(value); });
  });
  *outputs[0].data_ptr<int64_t>() = count;
}

void Nonzero::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  int64_t* out = outputs[0].data_ptr<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int ndim = static_cast<int>(x.dim());
    for_each_element<T>(x, [&](T value, const StridedWalker<1>& position) {
      if (!convert<bool>(value)) return;
      for (int d = ndim - 1; d >= 0; --d) *out++ = position.index(d);
    });
  });
}

}  // namespace ember
