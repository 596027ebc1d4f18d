#include "ember/tensor/tensor_impl.h"

#include "ember/tensor/autograd_meta.h"

namespace ember {

TensorImpl::TensorImpl(IntrusivePtr<Storage> storage, int64_t offset, Shape shape, Strides strides,
                       ScalarType dtype)
    : storage_(std::move(storage)),
      offset_(offset),
      shape_(std::move(shape)),
      strides_(std::move(strides)),
      dtype_(dtype) {
  refresh_metadata();
}

TensorImpl::~TensorImpl() = default;

AutogradMeta& TensorImpl::ensure_autograd_meta() {
  if (!autograd_meta_) autograd_meta_ = std::make_unique<AutogradMeta>();
  return *autograd_meta_;
}

}  // namespace ember
