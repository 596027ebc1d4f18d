// Diagonals and triangles (diagonal, diag, diag_embed, tril, triu), windows (unfold), the
// broadcasting helpers (meshgrid, broadcast_tensors, atleast_*), and the Tensor methods that
// take their shape or dtype from another tensor (view_as, type_as, new_zeros, ...).
#include <algorithm>
#include <cstdlib>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember {
namespace {

// The (..., m, n) mask of the elements on or below (lower) / on or above diagonal `diagonal`.
Tensor triangle_mask(const Tensor& self, int64_t diagonal, bool lower, std::string_view op) {
  EMBER_CHECK(self.dim() >= 2, "[", op, "] input tensor must have at least 2 dimensions; got ",
              self.shape());
  const Tensor rows = arange(self.size(-2), TensorOptions(kInt64)).unsqueeze(1);
  const Tensor offset = arange(self.size(-1), TensorOptions(kInt64)) - rows;
  return lower ? offset <= diagonal : offset >= diagonal;
}

TensorOptions with_defaults(const Tensor& self, TensorOptions options) {
  if (!options.has_dtype()) options = options.dtype(self.dtype());
  if (!options.has_device()) options = options.device(self.device());
  return options;
}

}  // namespace

Tensor diagonal(const Tensor& self, int64_t offset, int64_t dim1, int64_t dim2) {
  const int64_t d1 = wrap_dim(dim1, self.dim(), "diagonal");
  const int64_t d2 = wrap_dim(dim2, self.dim(), "diagonal");
  EMBER_CHECK(self.dim() >= 2, "[diagonal] input tensor must have at least 2 dimensions; got ",
              self.shape());
  EMBER_CHECK(d1 != d2, "[diagonal] diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  const int64_t size1 = self.shape()[d1], size2 = self.shape()[d2];
  const int64_t length = std::max<int64_t>(
      offset >= 0 ? std::min(size1, size2 - offset) : std::min(size1 + offset, size2), 0);
  int64_t storage_offset = self.storage_offset();
  if (length > 0) {
    storage_offset += offset >= 0 ? offset * self.strides()[d2] : -offset * self.strides()[d1];
  }
  std::vector<int64_t> shape, strides;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (d == d1 || d == d2) continue;
    shape.push_back(self.shape()[d]);
    strides.push_back(self.strides()[d]);
  }
  shape.push_back(length);
  strides.push_back(self.strides()[d1] + self.strides()[d2]);
  return self.as_strided(shape, strides, storage_offset);
}

Tensor diag_embed(const Tensor& self, int64_t offset, int64_t dim1, int64_t dim2) {
  EMBER_CHECK(self.dim() >= 1, "[diag_embed] input must have at least 1 dimension; got ",
              self.shape());
  const int64_t ndim = self.dim() + 1;
  const int64_t d1 = wrap_dim(dim1, ndim, "diag_embed");
  const int64_t d2 = wrap_dim(dim2, ndim, "diag_embed");
  EMBER_CHECK(d1 != d2, "[diag_embed] diagonal dimensions cannot be identical ", dim1, ", ", dim2);
  const int64_t n = self.size(-1) + std::abs(offset);
  std::vector<int64_t> shape;
  int64_t batch = 0;
  for (int64_t d = 0; d < ndim; ++d) {
    shape.push_back(d == d1 || d == d2 ? n : self.shape()[static_cast<size_t>(batch++)]);
  }
  Tensor result = zeros(shape, self.options());
  result.diagonal(offset, d1, d2).copy_(self);
  return result;
}

Tensor diag(const Tensor& self, int64_t diagonal) {
  EMBER_CHECK(self.dim() == 1 || self.dim() == 2, "[diag] diag(): Supports 1D or 2D tensors. Got ",
              self.dim(), "D");
  if (self.dim() == 1) return diag_embed(self, diagonal, 0, 1);
  return self.diagonal(diagonal).clone();
}

Tensor tril(const Tensor& self, int64_t diagonal) {
  return where(triangle_mask(self, diagonal, true, "tril"), self, zeros({}, self.options()));
}

Tensor triu(const Tensor& self, int64_t diagonal) {
  return where(triangle_mask(self, diagonal, false, "triu"), self, zeros({}, self.options()));
}

Tensor& tril_(Tensor& self, int64_t diagonal) {
  return self.masked_fill_(triangle_mask(self, diagonal, true, "tril_").logical_not(), 0);
}

Tensor& triu_(Tensor& self, int64_t diagonal) {
  return self.masked_fill_(triangle_mask(self, diagonal, false, "triu_").logical_not(), 0);
}

Tensor unfold(const Tensor& self, int64_t dimension, int64_t size, int64_t step) {
  const int64_t d = wrap_dim(dimension, self.dim(), "unfold");
  const int64_t extent = self.dim() == 0 ? 1 : self.shape()[d];
  EMBER_CHECK(size <= extent, "[unfold] maximum size for tensor at dimension ", d, " is ", extent,
              " but size is ", size);
  EMBER_CHECK(size >= 0, "[unfold] size is ", size, " but must be >= 0");
  EMBER_CHECK(step > 0, "[unfold] step is ", step, " but must be > 0");
  if (self.dim() == 0) return self.as_strided({size}, {1});
  std::vector<int64_t> shape(self.shape().begin(), self.shape().end());
  std::vector<int64_t> strides(self.strides().begin(), self.strides().end());
  shape[static_cast<size_t>(d)] = (extent - size) / step + 1;
  strides[static_cast<size_t>(d)] *= step;
  shape.push_back(size);
  strides.push_back(self.strides()[d]);
  return self.as_strided(shape, strides);
}

std::vector<Tensor> meshgrid(TensorList tensors, std::string_view indexing) {
  EMBER_CHECK(!tensors.empty(), "[meshgrid] meshgrid expects a non-empty TensorList");
  EMBER_CHECK_VALUE(
      indexing == "ij" || indexing == "xy",
      "[meshgrid] indexing must be one of \"xy\" or \"ij\", but received: ", indexing);
  for (size_t i = 0; i < tensors.size(); ++i) {
    EMBER_CHECK(tensors[i].dim() <= 1,
                "[meshgrid] Expected 0D or 1D tensor in the tensor list "
                "but got a tensor of shape ",
                tensors[i].shape(), " at position ", i);
    EMBER_CHECK(tensors[i].dtype() == tensors[0].dtype(),
                "[meshgrid] meshgrid expects all "
                "tensors to have the same dtype; got ",
                tensors[0].dtype(), " and ", tensors[i].dtype());
    EMBER_CHECK(tensors[i].device() == tensors[0].device(),
                "[meshgrid] meshgrid expects all "
                "tensors to have the same device");
  }
  // "xy" is "ij" of the inputs with the first two swapped, and those two outputs swapped back.
  const bool swap = indexing == "xy" && tensors.size() >= 2;
  std::vector<Tensor> inputs = tensors.vec();
  if (swap) std::swap(inputs[0], inputs[1]);
  std::vector<int64_t> shape;
  for (const Tensor& input : inputs) shape.push_back(input.numel());
  std::vector<Tensor> grids;
  grids.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<int64_t> view_shape(inputs.size(), 1);
    view_shape[i] = -1;
    grids.push_back(inputs[i].view(view_shape).expand(shape));
  }
  if (swap) std::swap(grids[0], grids[1]);
  return grids;
}

std::vector<Tensor> broadcast_tensors(TensorList tensors) {
  Shape shape;
  for (const Tensor& tensor : tensors)
    shape = broadcast_shapes(shape, tensor.shape(), "broadcast_tensors");
  std::vector<Tensor> results;
  results.reserve(tensors.size());
  for (const Tensor& tensor : tensors) results.push_back(tensor.expand(shape));
  return results;
}

Tensor atleast_1d(const Tensor& self) { return self.dim() == 0 ? self.reshape({1}) : self; }

Tensor atleast_2d(const Tensor& self) {
  if (self.dim() == 0) return self.reshape({1, 1});
  return self.dim() == 1 ? self.unsqueeze(0) : self;
}

Tensor atleast_3d(const Tensor& self) {
  switch (self.dim()) {
    case 0:
      return self.reshape({1, 1, 1});
    case 1:
      return self.unsqueeze(0).unsqueeze(-1);
    case 2:
      return self.unsqueeze(-1);
    default:
      return self;
  }
}

namespace {
template <Tensor (*each)(const Tensor&)>
std::vector<Tensor> map_tensors(TensorList tensors) {
  std::vector<Tensor> results;
  results.reserve(tensors.size());
  for (const Tensor& tensor : tensors) results.push_back(each(tensor));
  return results;
}
}  // namespace

std::vector<Tensor> atleast_1d(TensorList tensors) {
  return map_tensors<static_cast<Tensor (*)(const Tensor&)>(&atleast_1d)>(tensors);
}
std::vector<Tensor> atleast_2d(TensorList tensors) {
  return map_tensors<static_cast<Tensor (*)(const Tensor&)>(&atleast_2d)>(tensors);
}
std::vector<Tensor> atleast_3d(TensorList tensors) {
  return map_tensors<static_cast<Tensor (*)(const Tensor&)>(&atleast_3d)>(tensors);
}

Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const {
  return ember::diagonal(*this, offset, dim1, dim2);
}
Tensor Tensor::diag(int64_t diagonal) const { return ember::diag(*this, diagonal); }
Tensor Tensor::diag_embed(int64_t offset, int64_t dim1, int64_t dim2) const {
  return ember::diag_embed(*this, offset, dim1, dim2);
}
Tensor Tensor::tril(int64_t diagonal) const { return ember::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal) const { return ember::triu(*this, diagonal); }
Tensor& Tensor::tril_(int64_t diagonal) { return ember::tril_(*this, diagonal); }
Tensor& Tensor::triu_(int64_t diagonal) { return ember::triu_(*this, diagonal); }
Tensor Tensor::unfold(int64_t dimension, int64_t size, int64_t step) const {
  return ember::unfold(*this, dimension, size, step);
}
Tensor Tensor::view_as(const Tensor& other) const { return view(other.shape()); }
Tensor Tensor::reshape_as(const Tensor& other) const { return reshape(other.shape()); }
Tensor Tensor::type_as(const Tensor& other) const { return to(other.dtype()); }
Tensor Tensor::new_empty(IntArrayRef size, TensorOptions options) const {
  return empty(size, with_defaults(*this, options));
}
Tensor Tensor::new_zeros(IntArrayRef size, TensorOptions options) const {
  return zeros(size, with_defaults(*this, options));
}
Tensor Tensor::new_ones(IntArrayRef size, TensorOptions options) const {
  return ones(size, with_defaults(*this, options));
}
Tensor Tensor::new_full(IntArrayRef size, const Scalar& fill_value, TensorOptions options) const {
  return full(size, fill_value, with_defaults(*this, options));
}
Tensor Tensor::masked_fill(const Tensor& mask, const Tensor& value) const {
  return ember::masked_fill(*this, mask, value);
}
Tensor& Tensor::masked_fill_(const Tensor& mask, const Tensor& value) {
  return ember::masked_fill_(*this, mask, value);
}

}  // namespace ember
