// View ops: new shape/strides/offset over the same storage; no data moves. Autograd will give
// each a rule; here each is a metadata computation ending in make_view().
#include <algorithm>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/autograd_meta.h"

namespace ember {
namespace {

// Set after recording: the view's own creation is not a write into it. A view of a view
// shares the first base, as geometry is storage-relative either way. A piece of a multi-output
// view op, and any view of one, is marked so that autograd refuses in-place writes into it
// (Note [multi-output views]).
void attach_view_base(const Tensor& self, const Tensor& result, bool multi_output = false) {
  TensorImpl* base = self.impl()->view_base() != nullptr ? self.impl()->view_base() : self.impl();
  result.impl()->set_view_base(IntrusivePtr<TensorImpl>(base));
  if (result.requires_grad()) {
    const AutogradMeta* input_meta = self.impl()->autograd_meta();
    AutogradMeta& meta = result.impl()->ensure_autograd_meta();
    meta.view_of_leaf = input_meta == nullptr || !input_meta->grad_fn || input_meta->view_of_leaf;
    meta.multi_output_view =
        multi_output || (input_meta != nullptr && input_meta->multi_output_view);
  }
  // The view's history is as current as its base's (Note [in-place on views]).
  const AutogradMeta* base_meta = base->autograd_meta();
  const uint32_t generation = base_meta == nullptr ? 0 : base_meta->history_generation;
  if (generation != 0 || result.impl()->autograd_meta() != nullptr) {
    result.impl()->ensure_autograd_meta().history_generation = generation;
  }
}

// The view over self's storage, recorded for autograd as `view` describes it. Its element
// count must fit int64 like any tensor's: expand and as_strided with stride 0 describe any
// number of elements over one, and numel() would overflow (PyTorch raises the same).
Tensor make_view(const Tensor& self, Shape shape, Strides strides, int64_t offset,
                 const View& view) {
  int64_t numel = 1;
  for (int64_t size : shape) {
    EMBER_CHECK(size >= 0, "[", view.name(), "] Trying to create tensor with negative dimension ",
                size, ": ", shape);
    EMBER_CHECK(!__builtin_mul_overflow(numel, size, &numel), "[", view.name(),
                "] numel: integer multiplication overflow; sizes ", shape);
  }
  Tensor result(IntrusivePtr<TensorImpl>::make(self.storage(), offset, std::move(shape),
                                               std::move(strides), self.dtype()));
  record_only(view, {self}, {result});
  attach_view_base(self, result);
  return result;
}

View reshape_view(std::string_view op) { return View(op, View::Kind::Reshape); }

// Strides that let `shape` view the memory of (old_shape, old_strides), if any exist
// (the rule torch.view uses: split or merge only dims that are contiguous with each other).
std::optional<Strides> compute_view_strides(const Shape& old_shape, const Strides& old_strides,
                                            const Shape& shape) {
  Strides strides(shape.size(), 1);
  if (old_shape.empty()) return contiguous_strides(shape);
  if (numel_of(old_shape) == 0) {
    return old_shape == shape ? std::optional<Strides>(old_strides)
                              : std::optional<Strides>(contiguous_strides(shape));
  }
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_base_stride = old_strides.empty() ? 1 : old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_shape.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_shape[d];
    if (d == 0 ||
        (old_shape[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = old_strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}

}  // namespace

Tensor as_strided(const Tensor& self, IntArrayRef size_ref, IntArrayRef stride_ref,
                  std::optional<int64_t> storage_offset) {
  EMBER_CHECK(size_ref.size() == stride_ref.size(),
              "[as_strided] mismatch in length of strides and shape");
  Shape size = size_ref.to_shape();
  Strides strides(stride_ref.begin(), stride_ref.end());
  const int64_t offset = storage_offset.value_or(self.storage_offset());
  EMBER_CHECK(offset >= 0, "[as_strided] Tensor: invalid storage offset ", offset);
  int64_t last = offset;
  bool empty_view = false;
  for (size_t d = 0; d < size.size(); ++d) {
    EMBER_CHECK(size[d] >= 0, "[as_strided] Trying to create tensor with negative dimension ",
                size[d], ": ", size);
    EMBER_CHECK(strides[d] >= 0,
                "[as_strided] Negative strides are not supported at the moment, got strides: ",
                Shape(strides.begin(), strides.end()));
    if (size[d] == 0) empty_view = true;
  }
  if (!empty_view) {
    bool overflow = false;
    for (size_t d = 0; d < size.size(); ++d) {
      int64_t span = 0;
      overflow |= __builtin_mul_overflow(size[d] - 1, strides[d], &span);
      overflow |= __builtin_add_overflow(last, span, &last);
    }
    const int64_t capacity = static_cast<int64_t>(self.storage()->nbytes() / self.element_size());
    EMBER_CHECK(!overflow && last < capacity, "[as_strided] setStorage: sizes ", size, ", strides ",
                Shape(strides.begin(), strides.end()), " and storage offset ", offset,
                " require a storage of at least ", last + 1,
                " elements, but the storage holds only ", capacity);
  }
  return make_view(self, size, strides, offset,
                   View::as_strided(strides, offset, self.strides(), self.storage_offset()));
}

Tensor view(const Tensor& self, IntArrayRef shape_ref) {
  Shape shape = infer_size(shape_ref.to_shape(), self.numel(), "view");
  auto strides = compute_view_strides(self.shape(), self.strides(), shape);
  EMBER_CHECK(strides.has_value(),
              "[view] view size is not compatible with input tensor's size and stride (at least "
              "one dimension spans across two contiguous subspaces); input shape ",
              self.shape(), ", strides ", Shape(self.strides().begin(), self.strides().end()),
              ", requested ", shape, ". Use .reshape(...) instead.");
  return make_view(self, std::move(shape), std::move(*strides), self.storage_offset(),
                   reshape_view("view"));
}

Tensor reshape(const Tensor& self, IntArrayRef shape_ref) {
  Shape shape = infer_size(shape_ref.to_shape(), self.numel(), "reshape");
  if (auto strides = compute_view_strides(self.shape(), self.strides(), shape)) {
    return make_view(self, std::move(shape), std::move(*strides), self.storage_offset(),
                     reshape_view("reshape"));
  }
  return self.contiguous().view(shape);
}

Tensor permute(const Tensor& self, IntArrayRef dims) {
  const int64_t ndim = self.dim();
  EMBER_CHECK(static_cast<int64_t>(dims.size()) == ndim,
              "[permute] number of dims don't match in permute: input has ", ndim, " dims, got ",
              dims.size());
  Shape shape(ndim, 0);
  Strides strides(ndim, 0);
  SmallVector<bool, 6> seen(ndim, false);
  Shape wrapped(ndim, 0);
  for (int64_t i = 0; i < ndim; ++i) {
    const int64_t d = wrap_dim(dims[i], ndim, "permute");
    EMBER_CHECK(!seen[d], "[permute] repeated dim ", dims[i], " in permute");
    seen[d] = true;
    shape[i] = self.shape()[d];
    strides[i] = self.strides()[d];
    wrapped[i] = d;
  }
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   View::permute("permute", std::move(wrapped)));
}

Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1) {
  const int64_t ndim = self.dim();
  const int64_t a = wrap_dim(dim0, ndim, "transpose"), b = wrap_dim(dim1, ndim, "transpose");
  if (ndim == 0) {
    return make_view(self, self.shape(), self.strides(), self.storage_offset(),
                     reshape_view("transpose"));
  }
  Shape shape = self.shape();
  Strides strides = self.strides();
  std::swap(shape[a], shape[b]);
  std::swap(strides[a], strides[b]);
  Shape order(ndim, 0);
  for (int64_t d = 0; d < ndim; ++d) order[d] = d;
  std::swap(order[a], order[b]);
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   View::permute("transpose", std::move(order)));
}

Tensor t(const Tensor& self) {
  EMBER_CHECK(self.dim() <= 2, "[t] t() expects a tensor with <= 2 dimensions, but self is ",
              self.dim(), "D");
  if (self.dim() < 2) {
    return make_view(self, self.shape(), self.strides(), self.storage_offset(), reshape_view("t"));
  }
  Shape shape{self.size(1), self.size(0)};
  Strides strides{self.stride(1), self.stride(0)};
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   View::permute("t", Shape{1, 0}));
}

Tensor expand(const Tensor& self, IntArrayRef sizes) {
  const int64_t ndim = static_cast<int64_t>(sizes.size());
  EMBER_CHECK(ndim >= self.dim(), "[expand] the number of sizes provided (", ndim,
              ") must be greater or equal to the number of dimensions in the tensor (", self.dim(),
              ")");
  Shape shape(ndim, 0);
  Strides strides(ndim, 0);
  const int64_t lead = ndim - self.dim();
  for (int64_t d = ndim - 1; d >= 0; --d) {
    const int64_t requested = sizes[d];
    if (d < lead) {
      EMBER_CHECK(requested >= 0, "[expand] the expanded size of the tensor (", requested,
                  ") isn't allowed in a leading, non-existing dimension ", d);
      shape[d] = requested;
      strides[d] = 0;
      continue;
    }
    const int64_t current = self.shape()[d - lead];
    if (requested == -1 || requested == current) {
      shape[d] = current;
      strides[d] = self.strides()[d - lead];
    } else {
      EMBER_CHECK(current == 1, "[expand] The expanded size of the tensor (", requested,
                  ") must match the existing size (", current, ") at non-singleton dimension ", d,
                  ".  Target sizes: ", sizes.to_shape(), ".  Tensor sizes: ", self.shape());
      shape[d] = requested;
      strides[d] = 0;
    }
  }
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   View("expand", View::Kind::Expand));
}

Tensor broadcast_to(const Tensor& self, IntArrayRef shape) { return expand(self, shape); }

Tensor squeeze(const Tensor& self) {
  Shape shape;
  Strides strides;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (self.shape()[d] != 1) {
      shape.push_back(self.shape()[d]);
      strides.push_back(self.strides()[d]);
    }
  }
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   reshape_view("squeeze"));
}

Tensor squeeze(const Tensor& self, int64_t dim) {
  const int64_t d = wrap_dim(dim, self.dim(), "squeeze");
  Shape shape = self.shape();
  Strides strides = self.strides();
  if (self.dim() > 0 && shape[d] == 1) {
    shape.erase(d);
    strides.erase(d);
  }
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   reshape_view("squeeze"));
}

Tensor unsqueeze(const Tensor& self, int64_t dim) {
  const int64_t d = wrap_dim(dim, self.dim() + 1, "unsqueeze");
  Shape shape = self.shape();
  Strides strides = self.strides();
  const int64_t stride = d < self.dim() ? shape[d] * strides[d] : 1;
  shape.insert(d, 1);
  strides.insert(d, stride);
  return make_view(self, std::move(shape), std::move(strides), self.storage_offset(),
                   reshape_view("unsqueeze"));
}

Tensor narrow(const Tensor& self, int64_t dim, int64_t start, int64_t length) {
  EMBER_CHECK(self.dim() > 0, "[narrow] narrow() cannot be applied to a 0-dim tensor.");
  const int64_t d = wrap_dim(dim, self.dim(), "narrow");
  const int64_t size = self.shape()[d];
  if (start < 0) start += size;
  EMBER_CHECK_INDEX(start >= 0 && start <= size, "[narrow] start (", start,
                    ") is out of bounds for dimension ", d, " with size ", size);
  EMBER_CHECK(length >= 0 && length <= size - start, "[narrow] start (", start, ") + length (",
              length, ") exceeds dimension size (", size, ").");
  return slice(self, d, start, start + length, 1);
}

std::vector<Tensor> split_views(std::string_view op, const Tensor& self, int64_t dim,
                                std::vector<int64_t> starts, std::vector<int64_t> lengths,
                                bool keep_dim, bool writable_pieces) {
  std::vector<Tensor> pieces;
  pieces.reserve(starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    Shape shape = self.shape();
    Strides strides = self.strides();
    const int64_t offset = self.storage_offset() + starts[i] * strides[dim];
    if (keep_dim) {
      shape[dim] = lengths[i];
    } else {
      shape.erase(dim);
      strides.erase(dim);
    }
    pieces.emplace_back(IntrusivePtr<TensorImpl>::make(self.storage(), offset, std::move(shape),
                                                       std::move(strides), self.dtype()));
  }
  if (pieces.empty()) return pieces;
  record_only(View::split(op, dim, std::move(starts), std::move(lengths), keep_dim),
              TensorSpan(&self, 1), TensorSpan(pieces.data(), pieces.size()));
  for (const Tensor& piece : pieces) attach_view_base(self, piece, !writable_pieces);
  return pieces;
}

Tensor select(const Tensor& self, int64_t dim, int64_t index) {
  EMBER_CHECK_INDEX(self.dim() > 0,
                    "[select] invalid index of a 0-dim tensor. Use `tensor.item()` to convert a "
                    "0-dim tensor to a number");
  const int64_t d = wrap_dim(dim, self.dim(), "select");
  const int64_t size = self.shape()[d];
  EMBER_CHECK_INDEX(index >= -size && index < size, "[select] index ", index,
                    " is out of bounds for dimension ", d, " with size ", size);
  if (index < 0) index += size;
  Shape shape = self.shape();
  Strides strides = self.strides();
  const int64_t offset = self.storage_offset() + index * strides[d];
  shape.erase(d);
  strides.erase(d);
  return make_view(self, std::move(shape), std::move(strides), offset, View::select(d, index));
}

Tensor slice(const Tensor& self, int64_t dim, std::optional<int64_t> start_opt,
             std::optional<int64_t> end_opt, int64_t step) {
  EMBER_CHECK_INDEX(self.dim() > 0, "[slice] slice() cannot be applied to a 0-dim tensor.");
  EMBER_CHECK_VALUE(step > 0, "[slice] slice step must be positive; got ", step);
  const int64_t d = wrap_dim(dim, self.dim(), "slice");
  const int64_t size = self.shape()[d];
  // Python slice semantics: negative bounds count from the end, out-of-range bounds clamp.
  auto clamp_bound = [size](int64_t bound) {
    if (bound < 0) bound += size;
    return std::clamp<int64_t>(bound, 0, size);
  };
  const int64_t start = start_opt ? clamp_bound(*start_opt) : 0;
  const int64_t end = std::max(start, end_opt ? clamp_bound(*end_opt) : size);
  Shape shape = self.shape();
  Strides strides = self.strides();
  // Written so that no step up to INT64_MAX overflows (x[::sys.maxsize]). stride * step can only
  // overflow when the dim keeps at most one element, whose stride is never used.
  shape[d] = end > start ? (end - start - 1) / step + 1 : 0;
  const int64_t offset = self.storage_offset() + start * strides[d];
  int64_t stepped = 0;
  if (!__builtin_mul_overflow(strides[d], step, &stepped)) strides[d] = stepped;
  return make_view(self, std::move(shape), std::move(strides), offset,
                   View::slice("slice", d, start, step));
}

Tensor flatten(const Tensor& self, int64_t start_dim, int64_t end_dim) {
  if (self.dim() == 0) return reshape(self, {1});
  const int64_t start = wrap_dim(start_dim, self.dim(), "flatten");
  const int64_t end = wrap_dim(end_dim, self.dim(), "flatten");
  EMBER_CHECK(start <= end,
              "[flatten] flatten() has invalid args: start_dim cannot come after end_dim");
  Shape shape;
  for (int64_t d = 0; d < start; ++d) shape.push_back(self.shape()[d]);
  int64_t merged = 1;
  for (int64_t d = start; d <= end; ++d) merged *= self.shape()[d];
  shape.push_back(merged);
  for (int64_t d = end + 1; d < self.dim(); ++d) shape.push_back(self.shape()[d]);
  return reshape(self, shape);
}

Tensor unflatten(const Tensor& self, int64_t dim, IntArrayRef sizes) {
  const int64_t d = wrap_dim(dim, self.dim(), "unflatten");
  EMBER_CHECK(!sizes.empty(), "[unflatten] sizes must be non-empty");
  Shape inner = infer_size(sizes.to_shape(), self.shape()[d], "unflatten");
  Shape shape;
  for (int64_t i = 0; i < d; ++i) shape.push_back(self.shape()[i]);
  for (int64_t size : inner) shape.push_back(size);
  for (int64_t i = d + 1; i < self.dim(); ++i) shape.push_back(self.shape()[i]);
  return view(self, shape);
}

Tensor named_reshape(const Tensor& self, IntArrayRef shape, std::string_view op) {
  Shape target = shape.to_shape();
  auto strides = compute_view_strides(self.shape(), self.strides(), target);
  EMBER_CHECK(strides.has_value(), "[", op, "] internal: ", target, " does not view ",
              self.shape());
  return make_view(self, std::move(target), std::move(*strides), self.storage_offset(),
                   reshape_view(op));
}

Tensor contiguous(const Tensor& self) { return self.is_contiguous() ? self : clone(self); }

}  // namespace ember
