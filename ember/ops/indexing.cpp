// The rules for index keys (indexing.h): the basic indices become views, from the left, and
// what they leave for the advanced ones is the list of optional tensors ember::index and
// ember::index_put_ (index.cpp) take. Python's __getitem__/__setitem__ call get_item/set_item.
#include "ember/ops/indexing.h"

#include <cstring>
#include <string_view>
#include <vector>

#include "ember/ops/ops.h"

namespace ember::indexing {

TensorIndex::TensorIndex(const char* str) : TensorIndex(Ellipsis) {
  EMBER_CHECK_VALUE(std::strcmp(str, "...") == 0,
                    "Expected \"...\" to represent an ellipsis index, but got \"", str, "\"");
}

namespace {

bool is_mask(const Tensor& t) { return t.dtype() == kBool || t.dtype() == kUInt8; }

// A 0-d integer tensor indexes like an int (a view), as in PyTorch; a 0-d mask stays advanced.
bool is_integer_scalar(const Tensor& t) {
  return t.dim() == 0 && is_integral(t.dtype(), /*include_bool=*/false) && !is_mask(t);
}

bool is_advanced(const TensorIndex& index) {
  return index.is_tensor() && !is_integer_scalar(index.tensor());
}

// How many dims of the indexed tensor an index consumes. A 0-d mask consumes none:
// ember::index inserts its size-1 dim itself.
int64_t dims_consumed(const TensorIndex& index) {
  switch (index.type()) {
    case TensorIndexType::Integer:
    case TensorIndexType::Slice:
      return 1;
    case TensorIndexType::Tensor:
      return is_mask(index.tensor()) ? index.tensor().dim() : 1;
    case TensorIndexType::None:
    case TensorIndexType::Ellipsis:
    case TensorIndexType::Boolean:
      return 0;
  }
  return 0;
}

// view sliced along dim. ":" leaves view as it is, sparing a view per full slice.
Tensor apply_slice(std::string_view op, const Tensor& view, int64_t dim, const Slice& slice) {
  if (slice.start() == 0 && slice.stop() == INDEX_MAX && slice.step() == 1) return view;
  EMBER_CHECK_VALUE(slice.step() > 0, "[", op, "] step must be greater than zero");
  return view.slice(dim, slice.start(), slice.stop(), slice.step());
}

struct Indexed {
  Tensor view;                                 // self after the basic indices
  std::vector<std::optional<Tensor>> indices;  // advanced indices over view's dims; often none
};

Indexed apply_indices(std::string_view op, const Tensor& self, ArrayRef<TensorIndex> indices) {
  int64_t consumed = 0;
  int ellipses = 0;
  bool advanced = false;
  for (const TensorIndex& index : indices) {
    EMBER_CHECK_VALUE(!index.is_tensor() || index.tensor().defined(), "[", op,
                      "] an undefined tensor is not a valid index");
    consumed += dims_consumed(index);
    ellipses += index.is_ellipsis();
    advanced = advanced || is_advanced(index);
  }
  EMBER_CHECK_INDEX(ellipses <= 1, "[", op, "] an index can only have a single ellipsis ('...')");
  EMBER_CHECK_INDEX(consumed <= self.dim(), "[", op, "] too many indices for tensor of dimension ",
                    self.dim());

  Indexed result{self, {}};
  Tensor& view = result.view;
  int64_t dim = 0;      // the view's dim the next index applies to
  int64_t covered = 0;  // how many of the view's dims the entries of result.indices stand for
  auto record = [&](const Tensor& index, int64_t dims_used) {
    for (; covered < dim; ++covered) result.indices.emplace_back(std::nullopt);
    result.indices.emplace_back(index);
    covered += dims_used;
    dim += dims_used;
  };
  for (const TensorIndex& index : indices) {
    switch (index.type()) {
      case TensorIndexType::Ellipsis:
        dim += self.dim() - consumed;
        break;
      case TensorIndexType::None:
        view = view.unsqueeze(dim++);
        break;
      case TensorIndexType::Boolean:
        // x[True] adds a dim (a view); x[False] adds it and then takes nothing from it. Beside
        // another advanced index, True is an advanced index too (position 0 of the new dim), so
        // it broadcasts with the others as in PyTorch: zeros(2, 3, 4)[True, i, 1] is (2, 4).
        view = view.unsqueeze(dim);
        if (index.boolean() && !advanced) {
          ++dim;
        } else {
          record(zeros({index.boolean() ? 1 : 0}, TensorOptions(kInt64).device(self.device())), 1);
        }
        break;
      case TensorIndexType::Integer:
        view = view.select(dim, index.integer());
        break;
      case TensorIndexType::Slice:
        view = apply_slice(op, view, dim++, index.slice());
        break;
      case TensorIndexType::Tensor:
        if (is_integer_scalar(index.tensor())) {
          view = view.select(dim, index.tensor().item<int64_t>());
        } else {
          record(index.tensor(), dims_consumed(index));
        }
        break;
    }
  }
  return result;
}

}  // namespace

Tensor get_item(const Tensor& self, ArrayRef<TensorIndex> indices) {
  // x[i] skips the general walk (per-op overhead budget, DESIGN §7); select's errors are the
  // ones PyTorch gives for it, a 0-d self included.
  if (indices.size() == 1 && indices[0].is_integer()) return self.select(0, indices[0].integer());
  Indexed indexed = apply_indices("index", self, indices);
  if (!indexed.indices.empty()) return index(indexed.view, indexed.indices);
  // x[:] and x[...] are new tensors sharing x's memory, never x itself (PyTorch's alias).
  if (indexed.view.is_same(self)) return self.as_strided(self.shape(), self.strides());
  return indexed.view;
}

void set_item(const Tensor& self, ArrayRef<TensorIndex> indices, const Tensor& value) {
  Indexed indexed = apply_indices("index_put_", self, indices);
  // Leading size-1 dims of the value never matter (x[0] = ones(1, 3) works), as in PyTorch.
  Tensor values = value;
  while (values.dim() > 0 && values.size(0) == 1) values = values.squeeze(0);
  if (indexed.indices.empty()) {
    indexed.view.copy_(values);
  } else {
    index_put_(indexed.view, indexed.indices, values);
  }
}

void set_item(const Tensor& self, ArrayRef<TensorIndex> indices, const Scalar& value) {
  // x[mask] = number with a mask shaped like x (the seed's grad_h[h < 0] = 0) is masked_fill_:
  // one elementwise pass instead of gathering positions.
  if (indices.size() == 1 && indices[0].is_tensor()) {
    const Tensor& mask = indices[0].tensor();
    if (mask.defined() && mask.dtype() == kBool && mask.shape() == self.shape()) {
      Tensor(self).masked_fill_(mask, value);
      return;
    }
  }
  Indexed indexed = apply_indices("index_put_", self, indices);
  if (indexed.indices.empty()) {
    indexed.view.fill_(value);
  } else {
    index_put_(indexed.view, indexed.indices, scalar_tensor(value, self.dtype()));
  }
}

}  // namespace ember::indexing

namespace ember {

Tensor Tensor::index(ArrayRef<indexing::TensorIndex> indices) const {
  return indexing::get_item(*this, indices);
}
Tensor Tensor::index(std::initializer_list<indexing::TensorIndex> indices) const {
  return indexing::get_item(*this, indices);
}
Tensor& Tensor::index_put_(ArrayRef<indexing::TensorIndex> indices, const Tensor& rhs) {
  indexing::set_item(*this, indices, rhs);
  return *this;
}
Tensor& Tensor::index_put_(ArrayRef<indexing::TensorIndex> indices, const Scalar& v) {
  indexing::set_item(*this, indices, v);
  return *this;
}
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices,
                           const Tensor& rhs) {
  indexing::set_item(*this, indices, rhs);
  return *this;
}
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& v) {
  indexing::set_item(*this, indices, v);
  return *this;
}

}  // namespace ember
