// The object behind a Tensor handle: which storage, where in it, and how to walk it.
// Included by tensor.h so that metadata accessors inline; nothing else should need it directly.
#pragma once

#include <cstdint>
#include <memory>

#include "ember/base/intrusive_ptr.h"
#include "ember/tensor/dtype.h"
#include "ember/tensor/shape.h"
#include "ember/tensor/storage.h"

namespace ember {

struct AutogradMeta;

class TensorImpl final : public RefCounted {
 public:
  TensorImpl(IntrusivePtr<Storage> storage, int64_t offset, Shape shape, Strides strides,
             ScalarType dtype);

  const IntrusivePtr<Storage>& storage() const { return storage_; }
  int64_t offset() const { return offset_; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  ScalarType dtype() const { return dtype_; }
  int64_t numel() const { return numel_; }
  bool is_contiguous() const { return is_contiguous_; }
  void* data() const {
    return static_cast<char*>(storage_->data()) + offset_ * static_cast<int64_t>(itemsize(dtype_));
  }

  // A Python number turned into a 0-d tensor: it takes part in promotion as a weak scalar.
  bool is_wrapped_number() const { return is_wrapped_number_; }
  void set_wrapped_number(bool wrapped) { is_wrapped_number_ = wrapped; }

  // Autograd's record of this tensor; null until it first requires grad or gets a grad_fn.
  AutogradMeta* autograd_meta() const { return autograd_meta_.get(); }
  AutogradMeta& ensure_autograd_meta();
  bool requires_grad() const { return requires_grad_; }
  // Kept beside the meta so that the hot path (does any input require grad?) reads one byte.
  void set_requires_grad_flag(bool requires_grad) { requires_grad_ = requires_grad; }

  // For a view: the tensor whose memory it views (never itself a view), so that an in-place
  // write through the view can update the base's autograd history.
  TensorImpl* view_base() const { return view_base_.get(); }
  void set_view_base(IntrusivePtr<TensorImpl> base) { view_base_ = std::move(base); }

  // The Python object of this tensor while one exists (Note [Python objects]): a borrowed
  // pointer, opaque here so that the tensor layer does not depend on Python. Only the binding
  // layer reads or writes it, holding the GIL; it clears it when the object is deallocated.
  void* pyobj() const { return pyobj_; }
  void set_pyobj(void* object) { pyobj_ = object; }

  ~TensorImpl();

  // In-place metadata changes (squeeze_, as_strided_, resize) keep the cached fields right.
  // resize_ into new memory when the old storage is too small.
  void set_storage(IntrusivePtr<Storage> storage) { storage_ = std::move(storage); }
  void set_geometry(Shape shape, Strides strides, int64_t offset) {
    shape_ = std::move(shape);
    strides_ = std::move(strides);
    offset_ = offset;
    refresh_metadata();
  }
  // Tensor::set_data, after which the tensor is another dtype (storage and geometry set above).
  void set_dtype(ScalarType dtype) { dtype_ = dtype; }

 private:
  void refresh_metadata() {
    numel_ = numel_of(shape_);
    is_contiguous_ = is_contiguous_layout(shape_, strides_);
  }

  IntrusivePtr<Storage> storage_;
  int64_t offset_;
  Shape shape_;
  Strides strides_;
  int64_t numel_ = 0;
  ScalarType dtype_;
  bool is_contiguous_ = true;
  bool is_wrapped_number_ = false;
  bool requires_grad_ = false;
  std::unique_ptr<AutogradMeta> autograd_meta_;
  IntrusivePtr<TensorImpl> view_base_;
  void* pyobj_ = nullptr;
};

}  // namespace ember
