// The flat and mask forms of the family: take / put (self as 1-D), take_along_dim (gather with
// broadcasting), masked_scatter, and nonzero's other spellings (as_tuple, argwhere, where).
// Composites of gather and the index primitives, so their gradients come from those rules.
#include <string>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/scatter.h"

namespace ember {
namespace {

void check_long_index(std::string_view op, const Tensor& index) {
  EMBER_CHECK(index.dtype() == kInt64, "[", op, "] ", op,
              "(): Expected a long tensor for index; got a tensor of dtype ", index.dtype());
}

// self as one flat dim indexed by `index` (negative positions count from the end), the layout
// of take and put.
IndexLayout flat_layout() { return IndexLayout{{0}, 0, /*allow_negative=*/true}; }

}  // namespace

Tensor take(const Tensor& self, const Tensor& index) {
  check_same_device("take", {&self, &index});
  check_long_index("take", index);
  const int64_t count = index.numel();
  Tensor result = empty({count}, TensorOptions(self.dtype()).device(self.device()));
  const Tensor positions = index.reshape({1, count}).contiguous();
  const Tensor flat = self.reshape({-1});
  if (count > 0) {
    run(Index("take", flat_layout()), {flat, positions}, {result});
  } else {
    record_only(Index("take", flat_layout()), {flat, positions}, {result});
  }
  return result.view(index.shape());
}

Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  check_same_device("take_along_dim", {&self, &indices});
  check_long_index("take_along_dim", indices);
  if (!dim) return gather(self.reshape({-1}), 0, indices.reshape({-1}));
  EMBER_CHECK(self.dim() == indices.dim(),
              "[take_along_dim] torch.take_along_dim(): input and "
              "indices should have the same number of dimensions, but got ",
              self.dim(), " dimensions for input, and ", indices.dim(), " dimensions for indices");
  const int64_t d = wrap_dim(*dim, std::max<int64_t>(1, self.dim()), "take_along_dim");
  if (self.dim() == 0) return gather(self, d, indices);
  // Both broadcast over every dim but `dim`, where each keeps its own size.
  Shape self_shape = self.shape(), index_shape = indices.shape();
  self_shape[static_cast<size_t>(d)] = index_shape[static_cast<size_t>(d)] = 1;
  Shape shape = broadcast_shapes(self_shape, index_shape, "take_along_dim");
  Shape self_target = shape, index_target = shape;
  self_target[static_cast<size_t>(d)] = self.shape()[d];
  index_target[static_cast<size_t>(d)] = indices.shape()[d];
  return gather(self.expand(self_target), d, indices.expand(index_target));
}

Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  return self.put(index, source, accumulate);
}

Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source) {
  const Shape shape = broadcast_shapes(self.shape(), mask.shape(), "masked_scatter");
  return self.expand(shape).clone().masked_scatter_(mask, source);
}

std::vector<Tensor> nonzero_numpy(const Tensor& self) {
  const Tensor positions = nonzero(self.dim() == 0 ? self.reshape({1}) : self);
  std::vector<Tensor> result;
  for (int64_t d = 0; d < positions.shape()[1]; ++d) result.push_back(positions.select(1, d));
  return result;
}

Tensor argwhere(const Tensor& self) { return nonzero(self); }

std::vector<Tensor> where(const Tensor& condition) { return nonzero_numpy(condition); }

Tensor Tensor::take(const Tensor& index) const { return ember::take(*this, index); }
Tensor Tensor::take_along_dim(const Tensor& indices, std::optional<int64_t> dim) const {
  return ember::take_along_dim(*this, indices, dim);
}
Tensor Tensor::put(const Tensor& index, const Tensor& source, bool accumulate) const {
  return clone().put_(index, source, accumulate);
}

Tensor& Tensor::put_(const Tensor& index, const Tensor& source, bool accumulate) {
  check_same_device("put_", {this, &index, &source});
  check_long_index("put_", index);
  EMBER_CHECK(source.dtype() == dtype(), "[put_] put_(): self (", dtype(), ") and source (",
              source.dtype(), ") must have the same scalar type");
  EMBER_CHECK(source.numel() == index.numel(),
              "[put_] put_(): Expected source and index to have "
              "the same number of elements, but got source.numel() = ",
              source.numel(), ", index.numel() = ", index.numel());
  check_no_internal_overlap("put_", *this);
  const int64_t count = index.numel();
  if (count == 0) return *this;
  const Tensor positions = index.reshape({1, count}).contiguous();
  const Tensor values =
      (source.storage().get() == storage().get() ? source.clone() : source).reshape({count});
  // A non-contiguous self is written through a flat copy (its reshape is not a view).
  const bool flat_view = is_contiguous();
  Tensor flat = flat_view ? view({-1}) : reshape({-1});
  run(IndexPut(flat_layout(), accumulate), {values, positions}, {flat});
  if (!flat_view) copy_(flat.view(shape()));
  return *this;
}

Tensor Tensor::masked_scatter(const Tensor& mask, const Tensor& source) const {
  return ember::masked_scatter(*this, mask, source);
}

Tensor& Tensor::masked_scatter_(const Tensor& mask, const Tensor& source) {
  check_same_device("masked_scatter_", {this, &mask, &source});
  EMBER_CHECK(mask.dtype() == kBool,
              "[masked_scatter_] masked_scatter_(): expected BoolTensor "
              "for mask; got a tensor of dtype ",
              mask.dtype());
  EMBER_CHECK(source.dtype() == dtype(),
              "[masked_scatter_] masked_scatter_(): expected self and "
              "source to have same dtypes; got ",
              dtype(), " and ", source.dtype());
  EMBER_CHECK(broadcast_shapes(shape(), mask.shape(), "masked_scatter_") == shape(),
              "[masked_scatter_] mask of shape ", mask.shape(),
              " does not broadcast to self of shape ", shape());
  const Tensor full_mask = mask.expand(shape());
  const int64_t count = ember::sum(full_mask).item<int64_t>();
  EMBER_CHECK(source.numel() >= count,
              "[masked_scatter_] masked_scatter_(): Number of elements "
              "of source < number of ones in mask (",
              source.numel(), " < ", count, ")");
  check_no_internal_overlap("masked_scatter_", *this);  // also when nothing is written
  if (count == 0) return *this;
  return index_put_({full_mask}, source.reshape({-1}).narrow(0, 0, count));
}

std::vector<Tensor> Tensor::nonzero_numpy() const { return ember::nonzero_numpy(*this); }
Tensor Tensor::argwhere() const { return ember::argwhere(*this); }

}  // namespace ember
