// Joining and splitting: cat (the family's one kernel, backend/cpu/shape.cpp) and the ops built
// on it, and the splits, which are views (narrow/select) of their input.
#include "ember/ops/shape.h"

#include <algorithm>
#include <numeric>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_shape.h"

namespace ember {
namespace {

// PyTorch skips 1-D tensors of size 0 in cat whatever the other inputs' shapes (a legacy of
// the days when every empty tensor had that shape).
bool is_legacy_empty(const Tensor& tensor) { return tensor.dim() == 1 && tensor.numel() == 0; }

void check_not_empty(TensorList tensors, std::string_view op) {
  EMBER_CHECK(!tensors.empty(), "[", op, "] expected a non-empty list of Tensors");
}

}  // namespace

Tensor cat(TensorList tensors, int64_t dim) {
  if (autocast::active()) {
    return autocast::promote_list(TensorSpan(tensors.data(), tensors.size()),
                                  [&](const auto& in) { return cat(in, dim); });
  }
  check_not_empty(tensors, "cat");
  ResultType promoted;
  const Tensor* first = nullptr;
  size_t first_index = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& tensor = tensors[i];
    EMBER_CHECK(tensor.dim() > 0, "[cat] zero-dimensional tensor (at position ", i,
                ") cannot be concatenated");
    promoted.add(tensor.dtype(), false, false);
    EMBER_CHECK(tensor.device() == tensors[0].device(),
                "[cat] Expected all tensors to be on the same device, but found at least two "
                "devices, ",
                tensors[0].device(), " and ", tensor.device(), "!");
    if (first == nullptr && !is_legacy_empty(tensor)) {
      first = &tensor;
      first_index = i;
    }
  }
  const ScalarType dtype = promoted.result();
  if (first == nullptr) {
    wrap_dim(dim, 1, "cat");
    return empty({0}, TensorOptions(dtype).device(tensors[0].device()));
  }
  const int64_t d = wrap_dim(dim, first->dim(), "cat");
  Shape shape = first->shape();
  shape[d] = 0;
  std::vector<Tensor> inputs;
  inputs.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& tensor = tensors[i];
    if (is_legacy_empty(tensor)) continue;
    EMBER_CHECK(tensor.dim() == first->dim(),
                "[cat] Tensors must have same number of dimensions: got ", first->dim(), " and ",
                tensor.dim());
    for (int64_t k = 0; k < tensor.dim(); ++k) {
      EMBER_CHECK(k == d || tensor.shape()[k] == first->shape()[k],
                  "[cat] Sizes of tensors must match except in dimension ", d, ". Expected size ",
                  first->shape()[k], " but got size ", tensor.shape()[k], " for tensor number ", i,
                  " in the list (shapes ", tensors[first_index].shape(), " and ", tensor.shape(),
                  ").");
    }
    shape[d] += tensor.shape()[d];
    inputs.push_back(tensor.dtype() == dtype ? tensor : tensor.to(dtype));
  }
  Tensor result = empty(shape, TensorOptions(dtype).device(first->device()));
  const Tensor outputs[] = {result};
  run(Cat(d), TensorSpan(inputs), TensorSpan(outputs));
  return result;
}

Tensor concat(TensorList tensors, int64_t dim) { return cat(tensors, dim); }
Tensor concatenate(TensorList tensors, int64_t dim) { return cat(tensors, dim); }

Tensor stack(TensorList tensors, int64_t dim) {
  if (autocast::active()) {
    return autocast::promote_list(TensorSpan(tensors.data(), tensors.size()),
                                  [&](const auto& in) { return stack(in, dim); });
  }
  check_not_empty(tensors, "stack");
  const int64_t d = wrap_dim(dim, tensors[0].dim() + 1, "stack");
  std::vector<Tensor> unsqueezed;
  unsqueezed.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    EMBER_CHECK(tensors[i].shape() == tensors[0].shape(),
                "[stack] stack expects each tensor to be equal size, but got ", tensors[0].shape(),
                " at entry 0 and ", tensors[i].shape(), " at entry ", i);
    unsqueezed.push_back(tensors[i].unsqueeze(d));
  }
  return cat(unsqueezed, d);
}

Tensor hstack(TensorList tensors) {
  check_not_empty(tensors, "hstack");
  const std::vector<Tensor> expanded = atleast_1d(tensors);
  return cat(expanded, expanded[0].dim() == 1 ? 0 : 1);
}

Tensor vstack(TensorList tensors) {
  check_not_empty(tensors, "vstack");
  return cat(atleast_2d(tensors), 0);
}

Tensor dstack(TensorList tensors) {
  check_not_empty(tensors, "dstack");
  return cat(atleast_3d(tensors), 2);
}

Tensor column_stack(TensorList tensors) {
  check_not_empty(tensors, "column_stack");
  std::vector<Tensor> columns;
  columns.reserve(tensors.size());
  for (const Tensor& tensor : tensors) {
    columns.push_back(tensor.dim() <= 1 ? tensor.reshape({tensor.numel(), 1}) : tensor);
  }
  return hstack(columns);
}

std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim) {
  EMBER_CHECK(self.dim() > 0, "[split] split expects at least a 1-dimensional tensor");
  EMBER_CHECK(split_size >= 0,
              "[split] split expects split_size be non-negative, but got split_size=", split_size);
  const int64_t d = wrap_dim(dim, self.dim(), "split");
  const int64_t size = self.shape()[d];
  EMBER_CHECK(split_size > 0 || size == 0,
              "[split] split_size can only be 0 if dimension size is 0, but got dimension size of ",
              size);
  const int64_t count =
      split_size == 0 ? 1 : std::max<int64_t>((size + split_size - 1) / split_size, 1);
  std::vector<int64_t> starts, lengths;
  for (int64_t i = 0; i < count; ++i) {
    starts.push_back(i * split_size);
    lengths.push_back(std::min(split_size, size - i * split_size));
  }
  return split_views("split", self, d, std::move(starts), std::move(lengths), /*keep_dim=*/true,
                     /*writable_pieces=*/false);
}

std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim) {
  EMBER_CHECK(self.dim() > 0, "[split_with_sizes] split expects at least a 1-dimensional tensor");
  const int64_t d = wrap_dim(dim, self.dim(), "split_with_sizes");
  const int64_t size = self.shape()[d];
  int64_t total = 0;
  for (int64_t length : split_sizes) {
    EMBER_CHECK(length >= 0,
                "[split_with_sizes] split_with_sizes expects split_sizes have only "
                "non-negative entries, but got split_sizes=",
                split_sizes);
    total += length;
  }
  EMBER_CHECK(total == size,
              "[split_with_sizes] split_with_sizes expects split_sizes to sum "
              "exactly to ",
              size, " (input tensor's size at dimension ", d,
              "), but got split_sizes=", split_sizes);
  std::vector<int64_t> starts, lengths(split_sizes.begin(), split_sizes.end());
  int64_t start = 0;
  for (int64_t length : split_sizes) {
    starts.push_back(start);
    start += length;
  }
  return split_views("split_with_sizes", self, d, std::move(starts), std::move(lengths),
                     /*keep_dim=*/true, /*writable_pieces=*/false);
}

std::vector<Tensor> split(const Tensor& self, IntArrayRef split_sizes, int64_t dim) {
  return split_with_sizes(self, split_sizes, dim);
}

std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim) {
  EMBER_CHECK(self.dim() > 0, "[chunk] chunk expects at least a 1-dimensional tensor");
  EMBER_CHECK(chunks > 0, "[chunk] chunk expects `chunks` to be greater than 0, got: ", chunks);
  const int64_t d = wrap_dim(dim, self.dim(), "chunk");
  const int64_t size = self.shape()[d];
  const int64_t split_size = (size + chunks - 1) / chunks;
  // An empty dim gives `chunks` empty pieces, as PyTorch's chunk.
  if (split_size == 0 && size == 0) {
    return split_with_sizes(self, std::vector<int64_t>(static_cast<size_t>(chunks), 0), d);
  }
  return split(self, split_size, d);
}

std::vector<Tensor> unbind(const Tensor& self, int64_t dim) {
  EMBER_CHECK_INDEX(self.dim() > 0,
                    "[unbind] Dimension specified as 0 but tensor has no "
                    "dimensions");
  const int64_t d = wrap_dim(dim, self.dim(), "unbind");
  std::vector<int64_t> starts(static_cast<size_t>(self.shape()[d]));
  std::iota(starts.begin(), starts.end(), 0);
  std::vector<int64_t> lengths(starts.size(), 1);
  return split_views("unbind", self, d, std::move(starts), std::move(lengths), /*keep_dim=*/false,
                     /*writable_pieces=*/false);
}

std::vector<Tensor> tensor_split(const Tensor& self, int64_t sections, int64_t dim) {
  EMBER_CHECK(self.dim() > 0,
              "[tensor_split] tensor_split expected at least a 1-dimensional "
              "tensor, but got a tensor with 0 dims");
  EMBER_CHECK(sections > 0, "[tensor_split] number of sections must be larger than 0, got ",
              sections);
  const int64_t d = wrap_dim(dim, self.dim(), "tensor_split");
  const int64_t size = self.shape()[d];
  const int64_t base = size / sections, extra = size % sections;
  std::vector<int64_t> starts, lengths;
  int64_t start = 0;
  for (int64_t i = 0; i < sections; ++i) {
    starts.push_back(start);
    lengths.push_back(base + (i < extra ? 1 : 0));
    start += lengths.back();
  }
  return split_views("tensor_split", self, d, std::move(starts), std::move(lengths),
                     /*keep_dim=*/true, /*writable_pieces=*/true);
}

std::vector<Tensor> tensor_split(const Tensor& self, IntArrayRef indices, int64_t dim) {
  EMBER_CHECK(self.dim() > 0,
              "[tensor_split] tensor_split expected at least a 1-dimensional "
              "tensor, but got a tensor with 0 dims");
  const int64_t d = wrap_dim(dim, self.dim(), "tensor_split");
  const int64_t size = self.shape()[d];
  // Python slice bounds: negative ones count from the end, and a bound before the previous one
  // gives an empty piece.
  auto bound = [size](int64_t index) {
    if (index < 0) index += size;
    return std::clamp<int64_t>(index, 0, size);
  };
  std::vector<int64_t> starts, lengths;
  int64_t start = 0;
  for (int64_t index : indices) {
    starts.push_back(start);
    lengths.push_back(std::max(bound(index), start) - start);
    start = bound(index);
  }
  starts.push_back(start);
  lengths.push_back(size - start);
  return split_views("tensor_split", self, d, std::move(starts), std::move(lengths),
                     /*keep_dim=*/true, /*writable_pieces=*/true);
}

std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim) const {
  return ember::split(*this, split_size, dim);
}
std::vector<Tensor> Tensor::split(IntArrayRef split_sizes, int64_t dim) const {
  return ember::split_with_sizes(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::split_with_sizes(IntArrayRef split_sizes, int64_t dim) const {
  return ember::split_with_sizes(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim) const {
  return ember::chunk(*this, chunks, dim);
}
std::vector<Tensor> Tensor::unbind(int64_t dim) const { return ember::unbind(*this, dim); }
std::vector<Tensor> Tensor::tensor_split(int64_t sections, int64_t dim) const {
  return ember::tensor_split(*this, sections, dim);
}
std::vector<Tensor> Tensor::tensor_split(IntArrayRef indices, int64_t dim) const {
  return ember::tensor_split(*this, indices, dim);
}

}  // namespace ember
