// eval_cpu of the index primitives. Index and IndexPut first turn the (k, n) position matrix into
// one element offset into self per index tuple, checking every position before anything is
// written, then walk (outer dims, tuple, inner dims) with self and the other operand side by
// side. Nonzero counts, then writes multi-indices in row-major order.
#include <algorithm>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// Dims walked jointly by self and the other operand (element strides), innermost last. Size-1
// dims are dropped and neighbours that both operands step through as one are merged, so a
// contiguous slab becomes one tight loop.
struct JointDims {
  Shape sizes;
  Strides self_strides, other_strides;

  void add(int64_t size, int64_t self_stride, int64_t other_stride) {
    if (size == 1) return;
    if (!sizes.empty() && self_strides.back() == self_stride * size &&
        other_strides.back() == other_stride * size) {
      sizes.back() *= size;
      self_strides.back() = self_stride;
      other_strides.back() = other_stride;
      return;
    }
    sizes.push_back(size);
    self_strides.push_back(self_stride);
    other_strides.push_back(other_stride);
  }
  int64_t numel() const { return numel_of(sizes); }
};

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
        .add(self.shape()[d], self.strides()[d], other.strides()[other_dim]);
    ++remaining;
  }
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
  const int ndim = static_cast<int>(inner.sizes.size());
  if (ndim == 0) {
    visit(self_offset, other_offset);
    return;
  }
  const int64_t last = inner.sizes[ndim - 1];
  const int64_t self_step = inner.self_strides[ndim - 1];
  const int64_t other_step = inner.other_strides[ndim - 1];
  Shape position(static_cast<size_t>(ndim - 1), 0);
  while (true) {
    for (int64_t i = 0; i < last; ++i)
      visit(self_offset + i * self_step, other_offset + i * other_step);
    int d = ndim - 2;
    for (; d >= 0; --d) {
      self_offset += inner.self_strides[d];
      other_offset += inner.other_strides[d];
      if (++position[d] < inner.sizes[d]) break;
      self_offset -= inner.self_strides[d] * inner.sizes[d];
      other_offset -= inner.other_strides[d] * inner.sizes[d];
      position[d] = 0;
    }
    if (d < 0) return;
  }
}

// Calls visit(self_offset, other_offset) for every element of rows [begin, end).
template <typename Visit>
void walk_rows(const IndexWalk& walk, int64_t begin, int64_t end, Visit& visit) {
  const JointDims& outer = walk.outer;
  int64_t outer_index = begin / walk.count, tuple = begin % walk.count;
  int64_t self_base = 0, other_base = 0;
  for (int64_t row = begin; row < end; ++row) {
    if (row == begin || tuple == 0) {
      self_base = other_base = 0;
      int64_t remainder = outer_index;
      for (int d = static_cast<int>(outer.sizes.size()) - 1; d >= 0; --d) {
        const int64_t position = remainder % outer.sizes[d];
        remainder /= outer.sizes[d];
        self_base += position * outer.self_strides[d];
        other_base += position * outer.other_strides[d];
      }
    }
    walk_inner(walk.inner, self_base + walk.offsets[tuple],
               other_base + tuple * walk.other_tuple_stride, visit);
    if (++tuple == walk.count) {
      tuple = 0;
      ++outer_index;
    }
  }
}

// Rows to walk: none when a dim of self other than the indexed ones is empty (x[:, 1:1:2][i]),
// as walk_inner visits one element per row before it looks at the inner sizes.
int64_t row_count(const IndexWalk& walk) {
  return walk.inner.numel() == 0 ? 0 : walk.outer.numel() * walk.count;
}

// Calls visit(value, multi_index) for each element of x in row-major order.
template <typename T, typename Visit>
void for_each_element(const Tensor& x, Visit&& visit) {
  const int64_t ndim = x.dim();
  const Shape& sizes = x.shape();
  const Strides& strides = x.strides();
  const T* data = x.data_ptr<T>();
  Shape position(static_cast<size_t>(ndim), 0);
  int64_t offset = 0;
  for (int64_t i = 0, n = x.numel(); i < n; ++i) {
    visit(data[offset], position);
    for (int64_t d = ndim - 1; d >= 0; --d) {
      offset += strides[d];
      if (++position[d] < sizes[d]) break;
      offset -= strides[d] * sizes[d];
      position[d] = 0;
    }
  }
}

}  // namespace

void Index::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& self = inputs[0];
  const Tensor& out = outputs[0];
  const IndexWalk walk = make_walk(op_, layout_, self, out, inputs[1]);
  const int64_t rows = row_count(walk);
  if (rows == 0) return;
  // Rows write disjoint parts of the fresh result, so they may run in parallel.
  const int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, walk.inner.numel()));
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
    for_each_element<T>(x, [&](T value, const Shape&) { count += convert<bool>(value); });
  });
  *outputs[0].data_ptr<int64_t>() = count;
}

void Nonzero::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  int64_t* out = outputs[0].data_ptr<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_element<T>(x, [&](T value, const Shape& position) {
      if (!convert<bool>(value)) return;
      for (int64_t coordinate : position) *out++ = coordinate;
    });
  });
}

}  // namespace ember
