// Indexing: advanced indexing (index, index_put_), index_select, masked_select and nonzero.
// Here the index tensors become one (k, n) matrix of positions (masks through nonzero, the rest
// broadcast together) and the result shape is decided, so that the Index and IndexPut kernels
// see a single layout (primitives_index.h).
#include <algorithm>
#include <string>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_scatter.h"

namespace ember {
namespace {

bool is_mask(ScalarType dtype) { return dtype == kBool || dtype == kUInt8; }

// Whether `from` broadcasts to exactly `to` (values of index_put_, which must not grow the result).
bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  const size_t offset = to.size() - from.size();
  for (size_t d = 0; d < from.size(); ++d) {
    if (from[d] != 1 && from[d] != to[offset + d]) return false;
  }
  return true;
}

// NumPy broadcasting of every index tensor's shape, with PyTorch's IndexError on a mismatch.
Shape broadcast_index_shapes(std::string_view op, const std::vector<Tensor>& tensors) {
  size_t rank = 0;
  for (const Tensor& t : tensors) rank = std::max(rank, t.shape().size());
  Shape shape(rank, 1);
  bool compatible = true;
  for (const Tensor& t : tensors) {
    const Shape& sizes = t.shape();
    const size_t offset = shape.size() - sizes.size();
    for (size_t d = 0; d < sizes.size(); ++d) {
      int64_t& merged = shape[offset + d];
      if (merged == 1) {
        merged = sizes[d];
      } else if (sizes[d] != 1 && sizes[d] != merged) {
        compatible = false;
      }
    }
  }
  if (!compatible) {
    std::string shapes;
    for (const Tensor& t : tensors) shapes += (shapes.empty() ? "" : ", ") + shape_str(t.shape());
    detail::raise<IndexError>("[", op,
                              "] shape mismatch: indexing tensors could not be broadcast together "
                              "with shapes ",
                              shapes);
  }
  return shape;
}

// An index expression ready for the kernels.
struct AdvancedIndex {
  Tensor self;         // self, with a new size-1 dim for each 0-d mask (PyTorch's x[True])
  IndexLayout layout;  // the indexed dims of `self` and where the index dims go
  Tensor positions;    // int64 (k, n): the broadcast index tensors, one per row
  Shape result_shape;  // self's other dims with the index shape inserted at layout.position
  Shape kernel_shape;  // the same with the index shape flattened to n
  int64_t count = 0;   // n, the number of index tuples
};

AdvancedIndex prepare(std::string_view op, const Tensor& self,
                      const std::vector<std::optional<Tensor>>& indices) {
  int64_t consumed = 0;
  for (const std::optional<Tensor>& entry : indices) {
    if (!entry) {
      ++consumed;
      continue;
    }
    const ScalarType type = entry->dtype();
    EMBER_CHECK_INDEX(type == kInt64 || type == kInt32 || is_mask(type), "[", op,
                      "] tensors used as indices must be long, int, byte or bool tensors; got a "
                      "tensor of dtype ",
                      type);
    consumed += is_mask(type) ? entry->dim() : 1;
  }
  EMBER_CHECK_INDEX(consumed <= self.dim(), "[", op, "] too many indices for tensor of dimension ",
                    self.dim(), " (got ", consumed, ")");

  AdvancedIndex info{self, {}, {}, {}, {}, 0};
  SmallVector<int64_t, 6>& dims = info.layout.dims;
  std::vector<Tensor> tensors;
  const TensorOptions long_options = TensorOptions(kInt64).device(self.device());
  int64_t dim = 0;
  for (const std::optional<Tensor>& entry : indices) {
    if (!entry) {
      ++dim;
      continue;
    }
    const Tensor& index = *entry;
    if (!is_mask(index.dtype())) {
      dims.push_back(dim++);
      tensors.push_back(index);
    } else if (index.dim() == 0) {
      // x[True] adds a dim of size 1 and takes it once; x[False] takes it zero times.
      info.self = info.self.unsqueeze(dim);
      dims.push_back(dim++);
      tensors.push_back(zeros({index.item<bool>() ? 1 : 0}, long_options));
    } else {
      for (int64_t j = 0; j < index.dim(); ++j) {
        EMBER_CHECK_INDEX(index.shape()[j] == info.self.shape()[dim + j], "[", op,
                          "] The shape of the mask ", index.shape(), " at index ", j,
                          " does not match the shape of the indexed tensor ", info.self.shape(),
                          " at index ", dim + j);
      }
      const Tensor where_true = nonzero(index);
      for (int64_t j = 0; j < index.dim(); ++j) {
        dims.push_back(dim++);
        tensors.push_back(where_true.select(1, j));
      }
    }
  }

  const Shape index_shape = broadcast_index_shapes(op, tensors);
  const int64_t count = info.count = numel_of(index_shape);
  // Adjacent index dims keep their place; otherwise the index dims lead (NumPy's rule).
  const bool adjacent =
      dims.empty() || dims.back() - dims[0] + 1 == static_cast<int64_t>(dims.size());
  info.layout.position = adjacent && !dims.empty() ? dims[0] : 0;
  Shape remaining;
  size_t next_indexed = 0;
  for (int64_t d = 0; d < info.self.dim(); ++d) {
    if (next_indexed < dims.size() && dims[next_indexed] == d) {
      ++next_indexed;
    } else {
      remaining.push_back(info.self.shape()[d]);
    }
  }
  const size_t position = static_cast<size_t>(info.layout.position);
  info.result_shape.assign(remaining.begin(), remaining.begin() + position);
  for (int64_t size : index_shape) info.result_shape.push_back(size);
  info.kernel_shape.assign(remaining.begin(), remaining.begin() + position);
  info.kernel_shape.push_back(count);
  for (size_t d = position; d < remaining.size(); ++d) {
    info.result_shape.push_back(remaining[d]);
    info.kernel_shape.push_back(remaining[d]);
  }

  info.positions = empty({static_cast<int64_t>(tensors.size()), count}, long_options);
  if (count > 0) {
    for (size_t j = 0; j < tensors.size(); ++j) {
      info.positions.select(0, static_cast<int64_t>(j))
          .view(index_shape)
          .copy_(tensors[j].to(self.device()));
    }
  }
  return info;
}

}  // namespace

Tensor index(const Tensor& self, const std::vector<std::optional<Tensor>>& indices) {
  AdvancedIndex info = prepare("index", self, indices);
  Tensor result = empty(info.result_shape, TensorOptions(self.dtype()).device(self.device()));
  // An empty selection has no kernel to run (the kernel checks the bounds of any positions) but
  // keeps its history.
  if (info.count > 0) {
    run(Index("index", info.layout), {info.self, info.positions}, {result.view(info.kernel_shape)});
  } else {
    record_only(Index("index", info.layout), {info.self, info.positions},
                {result.view(info.kernel_shape)});
  }
  return result;
}

Tensor& index_put_(Tensor& self, const std::vector<std::optional<Tensor>>& indices,
                   const Tensor& values, bool accumulate) {
  check_same_device("index_put_", {&self, &values});
  check_inplace_cast("index_put_", values.dtype(), self.dtype());
  AdvancedIndex info = prepare("index_put_", self, indices);
  EMBER_CHECK(broadcasts_to(values.shape(), info.result_shape),
              "[index_put_] shape mismatch: value tensor of shape ", values.shape(),
              " cannot be broadcast to indexing result of shape ", info.result_shape);
  check_no_internal_overlap("index_put_", info.self);
  // Values sharing memory with self would be read after parts of self were written (x[i] = x).
  const Tensor source = values.storage().get() == self.storage().get() ? values.clone() : values;
  if (info.count > 0) {
    const Tensor expanded =
        source.to(self.dtype()).expand(info.result_shape).reshape(info.kernel_shape);
    run(IndexPut(info.layout, accumulate), {expanded, info.positions}, {info.self});
  }
  return self;
}

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  check_same_device("index_select", {&self, &index});
  EMBER_CHECK_INDEX(index.dim() <= 1,
                    "[index_select] index_select(): Index is supposed to be a vector; got a ",
                    index.dim(), "-D tensor of shape ", index.shape());
  EMBER_CHECK(index.dtype() == kInt64 || index.dtype() == kInt32,
              "[index_select] index_select(): Expected dtype int32 or int64 for index; got ",
              index.dtype());
  if (self.dim() == 0) {
    wrap_dim(dim, 1, "index_select");
    EMBER_CHECK_INDEX(index.numel() == 1,
                      "[index_select] index_select(): Index to scalar can have only 1 value, got ",
                      index.numel(), " value(s)");
    return index_select(self.reshape({1}), 0, index).reshape({});
  }
  const int64_t d = wrap_dim(dim, self.dim(), "index_select");
  const int64_t count = index.numel();
  Shape shape = self.shape();
  shape[d] = count;
  Tensor result = empty(shape, TensorOptions(self.dtype()).device(self.device()));
  if (count > 0 && result.numel() > 0) {
    // A gather whose index is the 1-D one expanded over the other dims (stride 0, no copy):
    // the gather kernel's parallel walk and unit-stride rows (primitives_scatter.h).
    Shape view(shape.size(), 1);
    view[static_cast<size_t>(d)] = count;
    const Tensor positions = index.to(kInt64).reshape(view).expand(shape);
    run(Gather("index_select", d), {self, positions}, {result});
  }
  return result;
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  check_same_device("masked_select", {&self, &mask});
  EMBER_CHECK(mask.dtype() == kBool,
              "[masked_select] expected BoolTensor for mask; got a tensor of dtype ", mask.dtype());
  const Shape shape = broadcast_shapes(self.shape(), mask.shape(), "masked_select");
  return index(self.expand(shape), {mask.expand(shape)});
}

Tensor nonzero(const Tensor& self) {
  const TensorOptions options = TensorOptions(kInt64).device(self.device());
  Tensor count = empty({}, options);
  run(CountNonzero(), {self}, {count});
  Tensor result = empty({count.item<int64_t>(), self.dim()}, options);
  if (result.numel() > 0) run(Nonzero(), {self}, {result});
  return result;
}

Tensor Tensor::index_select(int64_t dim, const Tensor& index) const {
  return ember::index_select(*this, dim, index);
}
Tensor Tensor::masked_select(const Tensor& mask) const { return ember::masked_select(*this, mask); }
Tensor Tensor::nonzero() const { return ember::nonzero(*this); }
Tensor Tensor::index(const std::vector<std::optional<Tensor>>& indices) const {
  return ember::index(*this, indices);
}
Tensor& Tensor::index_put_(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                           bool accumulate) {
  return ember::index_put_(*this, indices, values, accumulate);
}

}  // namespace ember
