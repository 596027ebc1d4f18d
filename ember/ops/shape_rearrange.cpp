// Rearranging: flip, roll, rot90, repeat, tile, repeat_interleave, movedim. All composites:
// flip gathers with index_select (no negative strides, as in PyTorch), roll joins two narrows,
// repeat copies an expanded view, so each is differentiated through its parts.
#include <algorithm>
#include <numeric>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember {
namespace {

// Dims wrapped to [0, ndim), each at most once.
std::vector<int64_t> unique_dims(IntArrayRef dims, int64_t ndim, std::string_view op) {
  std::vector<int64_t> wrapped;
  wrapped.reserve(dims.size());
  for (int64_t dim : dims) {
    const int64_t d = wrap_dim(dim, ndim, op);
    EMBER_CHECK(std::find(wrapped.begin(), wrapped.end(), d) == wrapped.end(), "[", op, "] dim ", d,
                " appears multiple times in the list of dims");
    wrapped.push_back(d);
  }
  return wrapped;
}

}  // namespace

Tensor flip(const Tensor& self, IntArrayRef dims) {
  Tensor result = self;
  for (int64_t d : unique_dims(dims, self.dim(), "flip")) {
    if (self.dim() == 0 || self.shape()[d] <= 1) continue;
    const int64_t size = self.shape()[d];
    result = result.index_select(d, arange(size - 1, -1, -1, TensorOptions(kInt64)));
  }
  // A copy even when nothing moves, as PyTorch's flip.
  return result.is_same(self) ? self.clone() : result;
}

Tensor fliplr(const Tensor& self) {
  EMBER_CHECK(self.dim() >= 2, "[fliplr] Input must be >= 2-d; got a tensor of shape ",
              self.shape());
  return flip(self, {1});
}

Tensor flipud(const Tensor& self) {
  EMBER_CHECK(self.dim() >= 1, "[flipud] Input must be >= 1-d; got a tensor of shape ",
              self.shape());
  return flip(self, {0});
}

Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) {
  if (dims.empty()) {
    EMBER_CHECK(shifts.size() == 1,
                "[roll] `shifts` required to be a single value when `dims` "
                "is empty; got ",
                shifts.size(), " shifts");
    return roll(self.flatten(), shifts, {0}).view(self.shape());
  }
  EMBER_CHECK(shifts.size() == dims.size(),
              "[roll] shifts and dimensions must align. shifts: ", shifts.size(),
              ", dims:", dims.size());
  Tensor result = self;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = wrap_dim(dims[i], self.dim(), "roll");
    const int64_t size = self.dim() == 0 ? 1 : self.shape()[d];
    const int64_t shift = size == 0 ? 0 : ((shifts[i] % size) + size) % size;
    if (shift == 0 || self.dim() == 0) continue;
    result = cat({result.narrow(d, size - shift, shift), result.narrow(d, 0, size - shift)}, d);
  }
  return result.is_same(self) ? self.clone() : result;
}

Tensor rot90(const Tensor& self, int64_t k, IntArrayRef dims) {
  EMBER_CHECK(dims.size() == 2,
              "[rot90] expected total rotation dims == 2, but got dims = ", dims.size());
  EMBER_CHECK(self.dim() >= 2,
              "[rot90] expected total dims >= 2, but got total dims = ", self.dim());
  const int64_t d0 = wrap_dim(dims[0], self.dim(), "rot90");
  const int64_t d1 = wrap_dim(dims[1], self.dim(), "rot90");
  EMBER_CHECK(d0 != d1, "[rot90] expected rotation dims to be different, but got dim0 = ", d0,
              " and dim1 = ", d1);
  switch (((k % 4) + 4) % 4) {
    case 1:
      return flip(self, {d1}).transpose(d0, d1);
    case 2:
      return flip(self, {d0, d1});
    case 3:
      return flip(self, {d0}).transpose(d0, d1);
    default:
      return self.clone();
  }
}

Tensor repeat(const Tensor& self, IntArrayRef repeats) {
  const auto ndim = static_cast<int64_t>(repeats.size());
  EMBER_CHECK(ndim >= self.dim(), "[repeat] Number of dimensions of repeat dims (", ndim,
              ") can not be smaller than number of dimensions of tensor (", self.dim(), ")");
  for (int64_t count : repeats) {
    EMBER_CHECK(count >= 0, "[repeat] Trying to create tensor with negative dimension ", count,
                ": ", repeats);
  }
  // (r0, s0, r1, s1, ...): each dim of self, leading 1s included, behind its repeat count.
  std::vector<int64_t> interleaved, expanded, result_shape;
  const int64_t lead = ndim - self.dim();
  for (int64_t d = 0; d < ndim; ++d) {
    const int64_t size = d < lead ? 1 : self.shape()[d - lead];
    interleaved.insert(interleaved.end(), {1, size});
    expanded.insert(expanded.end(), {repeats[d], size});
    result_shape.push_back(repeats[d] * size);
  }
  return self.reshape(interleaved).expand(expanded).clone().view(result_shape);
}

Tensor tile(const Tensor& self, IntArrayRef dims) {
  std::vector<int64_t> repeats(dims.begin(), dims.end());
  if (static_cast<int64_t>(repeats.size()) < self.dim()) {
    repeats.insert(repeats.begin(), static_cast<size_t>(self.dim()) - repeats.size(), 1);
  }
  return repeat(self, repeats);
}

Tensor repeat_interleave(const Tensor& self, int64_t repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  EMBER_CHECK(repeats >= 0, "[repeat_interleave] repeats can not be negative; got ", repeats);
  const Tensor input = dim ? self : self.flatten();
  const int64_t d = dim ? wrap_dim(*dim, self.dim(), "repeat_interleave") : 0;
  if (input.dim() == 0) return repeat_interleave(input.reshape({1}), repeats, 0, output_size);
  const int64_t size = input.shape()[d];
  EMBER_CHECK(!output_size || *output_size == size * repeats,
              "[repeat_interleave] allocated size does not match required size: output_size=",
              *output_size, ", required ", size * repeats);
  std::vector<int64_t> expanded(input.shape().begin(), input.shape().end());
  expanded.insert(expanded.begin() + d + 1, repeats);
  return input.unsqueeze(d + 1).expand(expanded).clone().flatten(d, d + 1);
}

Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size) {
  EMBER_CHECK(repeats.dim() <= 1,
              "[repeat_interleave] repeats must be 0-dim or 1-dim tensor; "
              "got shape ",
              repeats.shape());
  EMBER_CHECK(repeats.dtype() == kInt64 || repeats.dtype() == kInt32,
              "[repeat_interleave] repeats has to be Long or Int tensor; got ", repeats.dtype());
  // The output's size depends on the counts: those of a CUDA tensor come over in one copy (a sync,
  // as PyTorch's without output_size).
  const Tensor counts =
      repeats.reshape({-1}).to(TensorOptions(kInt64).device(Device(kCPU))).contiguous();
  const int64_t* count = counts.data_ptr<int64_t>();
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < counts.numel(); ++i) {
    EMBER_CHECK(count[i] >= 0, "[repeat_interleave] repeats can not be negative; got ", count[i],
                " at position ", i);
    positions.insert(positions.end(), static_cast<size_t>(count[i]), i);
  }
  const auto total = static_cast<int64_t>(positions.size());
  EMBER_CHECK(!output_size || *output_size == total,
              "[repeat_interleave] allocated size does not match required size: output_size=",
              output_size.value_or(0), ", required ", total);
  return from_blob_copy(positions.data(), {total}, kInt64);
}

Tensor repeat_interleave(const Tensor& self, const Tensor& repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  const Tensor input = dim ? self : self.flatten();
  const int64_t d = dim ? wrap_dim(*dim, self.dim(), "repeat_interleave") : 0;
  const int64_t size = input.dim() == 0 ? 1 : input.shape()[d];
  if (repeats.dim() == 0 || repeats.numel() == 1) {
    EMBER_CHECK(repeats.dtype() == kInt64 || repeats.dtype() == kInt32,
                "[repeat_interleave] repeats has to be Long or Int tensor; got ", repeats.dtype());
    return repeat_interleave(self, repeats.reshape({-1}).to(kInt64).item<int64_t>(), dim,
                             output_size);
  }
  EMBER_CHECK(repeats.dim() == 1 && repeats.numel() == size,
              "[repeat_interleave] repeats must have the same size as input along dim, but got "
              "repeats.size(0) = ",
              repeats.numel(), " and input.size(", d, ") = ", size);
  return input.index_select(d, repeat_interleave(repeats, output_size));
}

Tensor movedim(const Tensor& self, IntArrayRef source, IntArrayRef destination) {
  EMBER_CHECK(source.size() == destination.size(),
              "[movedim] Invalid source or destination "
              "dims: source (",
              source,
              " dims) should contain the same number of dims as "
              "destination (",
              destination, " dims)");
  const int64_t ndim = self.dim();
  const std::vector<int64_t> from = unique_dims(source, ndim, "movedim");
  const std::vector<int64_t> to = unique_dims(destination, ndim, "movedim");
  if (ndim == 0) return self.permute({});  // dims 0 and -1 name the scalar's one slot
  // Dims not moved fill the destination slots left free, in their order.
  std::vector<int64_t> order(static_cast<size_t>(ndim), -1);
  for (size_t i = 0; i < from.size(); ++i) order[static_cast<size_t>(to[i])] = from[i];
  int64_t next = 0;
  for (int64_t& slot : order) {
    if (slot != -1) continue;
    while (std::find(from.begin(), from.end(), next) != from.end()) ++next;
    slot = next++;
  }
  return self.permute(order);
}

Tensor movedim(const Tensor& self, int64_t source, int64_t destination) {
  return movedim(self, IntArrayRef(source), IntArrayRef(destination));
}
Tensor moveaxis(const Tensor& self, IntArrayRef source, IntArrayRef destination) {
  return movedim(self, source, destination);
}
Tensor moveaxis(const Tensor& self, int64_t source, int64_t destination) {
  return movedim(self, source, destination);
}
Tensor swapaxes(const Tensor& self, int64_t axis0, int64_t axis1) {
  return self.transpose(axis0, axis1);
}
Tensor swapdims(const Tensor& self, int64_t dim0, int64_t dim1) {
  return self.transpose(dim0, dim1);
}

Tensor Tensor::flip(IntArrayRef dims) const { return ember::flip(*this, dims); }
Tensor Tensor::fliplr() const { return ember::fliplr(*this); }
Tensor Tensor::flipud() const { return ember::flipud(*this); }
Tensor Tensor::roll(IntArrayRef shifts, IntArrayRef dims) const {
  return ember::roll(*this, shifts, dims);
}
Tensor Tensor::rot90(int64_t k, IntArrayRef dims) const { return ember::rot90(*this, k, dims); }
Tensor Tensor::repeat(IntArrayRef repeats) const { return ember::repeat(*this, repeats); }
Tensor Tensor::tile(IntArrayRef dims) const { return ember::tile(*this, dims); }
Tensor Tensor::repeat_interleave(int64_t repeats, std::optional<int64_t> dim,
                                 std::optional<int64_t> output_size) const {
  return ember::repeat_interleave(*this, repeats, dim, output_size);
}
Tensor Tensor::repeat_interleave(const Tensor& repeats, std::optional<int64_t> dim,
                                 std::optional<int64_t> output_size) const {
  return ember::repeat_interleave(*this, repeats, dim, output_size);
}
Tensor Tensor::movedim(IntArrayRef source, IntArrayRef destination) const {
  return ember::movedim(*this, source, destination);
}
Tensor Tensor::movedim(int64_t source, int64_t destination) const {
  return ember::movedim(*this, source, destination);
}
Tensor Tensor::moveaxis(IntArrayRef source, IntArrayRef destination) const {
  return ember::movedim(*this, source, destination);
}
Tensor Tensor::moveaxis(int64_t source, int64_t destination) const {
  return ember::movedim(*this, source, destination);
}
Tensor Tensor::swapaxes(int64_t axis0, int64_t axis1) const { return transpose(axis0, axis1); }
Tensor Tensor::swapdims(int64_t dim0, int64_t dim1) const { return transpose(dim0, dim1); }

}  // namespace ember
