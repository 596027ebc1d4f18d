// ember::Tensor: a cheap value handle (one pointer) to a refcounted TensorImpl. Copying a Tensor
// shares data, as in libtorch; clone() copies. Metadata methods are inline here; op methods are
// declared here and defined beside their functions in the ops layer (ops/tensor_methods.cpp for
// views, copies and elementwise ops) and the autograd layer (autograd/tensor_methods.cpp), so
// this header stays free of kernels and templates.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "ember/base/array_ref.h"
#include "ember/base/intrusive_ptr.h"
#include "ember/tensor/device.h"
#include "ember/tensor/dtype.h"
#include "ember/tensor/generator.h"
#include "ember/tensor/scalar.h"
#include "ember/tensor/shape.h"
#include "ember/tensor/tensor_impl.h"

namespace ember::autograd {
class Node;
}  // namespace ember::autograd
namespace ember::indexing {
class TensorIndex;  // ember/ops/indexing.h
}  // namespace ember::indexing

namespace ember {

// dtype, device and requires_grad of a new tensor, as libtorch's TensorOptions: built
// implicitly from a ScalarType or Device and chained (`kFloat`,
// `dtype(kLong).requires_grad(true)`). An unset dtype means the default dtype (or, for a
// conversion, the tensor's own); an unset device means the CPU (or the tensor's own).
class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(ScalarType dtype) : dtype_(dtype) {}     // NOLINT: implicit like libtorch
  TensorOptions(Device device) : device_(device) {}      // NOLINT
  TensorOptions(DeviceType device) : device_(device) {}  // NOLINT

  // Setters return a modified copy, so they chain.
  TensorOptions dtype(std::optional<ScalarType> dtype) const {
    TensorOptions copy = *this;
    copy.dtype_ = dtype;
    return copy;
  }
  template <typename T>
  TensorOptions dtype() const {
    return dtype(scalar_type_of<T>());
  }
  TensorOptions device(std::optional<Device> device) const {
    TensorOptions copy = *this;
    copy.device_ = device;
    return copy;
  }
  TensorOptions requires_grad(std::optional<bool> requires_grad) const {
    TensorOptions copy = *this;
    copy.requires_grad_ = requires_grad;
    return copy;
  }

  // Getters, with libtorch's defaults for what is unset. libtorch's dtype() returns a TypeMeta;
  // here it is the ScalarType (libtorch's typeMetaToScalarType(options.dtype()) in one step).
  ScalarType dtype() const { return dtype_ ? *dtype_ : default_dtype(); }
  Device device() const { return device_.value_or(Device(kCPU)); }
  bool requires_grad() const { return requires_grad_.value_or(false); }
  bool has_dtype() const { return dtype_.has_value(); }
  bool has_device() const { return device_.has_value(); }
  bool has_requires_grad() const { return requires_grad_.has_value(); }
  std::optional<ScalarType> dtype_opt() const { return dtype_; }
  std::optional<Device> device_opt() const { return device_; }
  std::optional<bool> requires_grad_opt() const { return requires_grad_; }

 private:
  std::optional<ScalarType> dtype_;
  std::optional<Device> device_;
  std::optional<bool> requires_grad_;
};

// libtorch's free functions that start an options chain: torch::dtype(kFloat).requires_grad(true).
inline TensorOptions dtype(ScalarType dtype) { return TensorOptions().dtype(dtype); }
template <typename T>
TensorOptions dtype() {
  return TensorOptions().dtype<T>();
}
inline TensorOptions device(Device device) { return TensorOptions().device(device); }
inline TensorOptions requires_grad(bool requires_grad = true) {
  return TensorOptions().requires_grad(requires_grad);
}

template <typename T, size_t N>
class TensorAccessor;

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(IntrusivePtr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // --- metadata ---
  bool defined() const { return static_cast<bool>(impl_); }
  TensorImpl* impl() const { return impl_.get(); }
  const Shape& shape() const { return impl_->shape(); }
  // libtorch's IntArrayRef: .vec(), [i], ==, range-for.
  IntArrayRef sizes() const { return impl_->shape(); }
  const Strides& strides() const { return impl_->strides(); }
  int64_t size(int64_t d) const { return shape()[wrap_dim(d, dim(), "size")]; }
  int64_t stride(int64_t d) const { return strides()[wrap_dim(d, dim(), "stride")]; }
  int64_t dim() const { return static_cast<int64_t>(impl_->shape().size()); }
  int64_t ndimension() const { return dim(); }
  int64_t numel() const { return impl_->numel(); }
  ScalarType dtype() const { return impl_->dtype(); }
  ScalarType scalar_type() const { return impl_->dtype(); }
  Device device() const { return impl_->storage()->device(); }
  // dtype and device; as in libtorch, requires_grad is not part of a tensor's options.
  TensorOptions options() const { return TensorOptions(dtype()).device(device()); }
  bool is_contiguous() const { return impl_->is_contiguous(); }
  bool is_floating_point() const { return ember::is_floating_point(dtype()); }
  int64_t storage_offset() const { return impl_->offset(); }
  size_t element_size() const { return itemsize(dtype()); }
  size_t nbytes() const { return static_cast<size_t>(numel()) * element_size(); }
  void* data_ptr() const { return impl_->data(); }
  // The first element as a T*; throws RuntimeError unless T is the storage type of dtype(), as
  // libtorch's does. Instantiated for the ten storage types in tensor/tensor_data.cpp.
  template <typename T>
  T* data_ptr() const;
  // A view of the elements for indexing in loops (t.accessor<float, 2>()[i][j]), as libtorch's;
  // checks T against dtype() and N against dim(). Defined in tensor/accessor.h.
  template <typename T, size_t N>
  TensorAccessor<T, N> accessor() const&;
  template <typename T, size_t N>
  TensorAccessor<T, N> accessor() && = delete;
  const IntrusivePtr<Storage>& storage() const { return impl_->storage(); }
  uint32_t version() const { return impl_->storage()->version(); }
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }
  std::string str() const;

  // --- element access ---
  Scalar item() const;
  // item() converted to T; throws when the value does not fit T (libtorch's checked conversion).
  template <typename T>
  T item() const;

  // --- views (share storage) ---
  Tensor view(IntArrayRef shape) const;
  Tensor reshape(IntArrayRef shape) const;
  Tensor permute(IntArrayRef dims) const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor t() const;
  Tensor expand(IntArrayRef shape) const;
  Tensor expand_as(const Tensor& other) const;
  Tensor broadcast_to(IntArrayRef shape) const { return expand(shape); }
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor slice(int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end,
               int64_t step = 1) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor unflatten(int64_t dim, IntArrayRef sizes) const;
  Tensor as_strided(IntArrayRef size, IntArrayRef stride,
                    std::optional<int64_t> storage_offset = std::nullopt) const;
  Tensor operator[](int64_t index) const { return select(0, index); }

  // --- copies and conversions ---
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor& copy_(const Tensor& src);
  // libtorch's overloads; non_blocking has no effect (copies are synchronous). An options' unset
  // dtype or device keeps this tensor's.
  Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  Tensor to(const TensorOptions& options, bool non_blocking = false, bool copy = false) const;
  Tensor to(Device device, ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  Tensor to(const Tensor& other, bool non_blocking = false, bool copy = false) const;
  Tensor type(ScalarType dtype) const { return to(dtype); }
  Tensor cpu() const;
  Tensor cuda() const;

  // --- in-place fills and random ---
  Tensor& fill_(const Scalar& value);
  Tensor& zero_();

  // --- elementwise (one method per row of elementwise/*.def) ---
#define EMBER_UNARY_OP(name, Name, rule) \
  Tensor name() const;                   \
  Tensor& name##_();
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule) \
  Tensor name(const Tensor& other) const; \
  Tensor name(const Scalar& other) const; \
  Tensor& name##_(const Tensor& other);   \
  Tensor& name##_(const Scalar& other);
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
  Tensor add(const Tensor& other, const Scalar& alpha) const;
  Tensor add(const Scalar& other, const Scalar& alpha) const;
  Tensor sub(const Tensor& other, const Scalar& alpha) const;
  Tensor sub(const Scalar& other, const Scalar& alpha) const;
  Tensor& add_(const Tensor& other, const Scalar& alpha);
  Tensor& sub_(const Tensor& other, const Scalar& alpha);
  Tensor div(const Tensor& other, std::optional<std::string_view> rounding_mode) const;
  Tensor div(const Scalar& other, std::optional<std::string_view> rounding_mode) const;
  Tensor& div_(const Tensor& other, std::optional<std::string_view> rounding_mode);
  Tensor clamp(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt) const;
  Tensor clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const;
  Tensor& clamp_(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt);
  Tensor clamp_min(const Scalar& min) const { return clamp(min, std::nullopt); }
  Tensor clamp_max(const Scalar& max) const { return clamp(std::nullopt, max); }
  Tensor where(const Tensor& condition, const Tensor& other) const;
  Tensor logical_not() const;
  Tensor& logical_not_();
  Tensor masked_fill(const Tensor& mask, const Scalar& value) const;
  Tensor& masked_fill_(const Tensor& mask, const Scalar& value);
  // --- comparison (defined in ember/ops/compare.cpp) ---
  Tensor isclose(const Tensor& other, double rtol = 1e-05, double atol = 1e-08,
                 bool equal_nan = false) const;
  bool allclose(const Tensor& other, double rtol = 1e-05, double atol = 1e-08,
                bool equal_nan = false) const;
  bool equal(const Tensor& other) const;

  // --- indexing (defined in ember/ops/index.cpp) ---
  Tensor index_select(int64_t dim, const Tensor& index) const;
  Tensor masked_select(const Tensor& mask) const;
  Tensor nonzero() const;
  // Advanced indexing only (ember::index, ember::index_put_): a nullopt entry is ":".
  Tensor index(const std::vector<std::optional<Tensor>>& indices) const;
  Tensor& index_put_(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                     bool accumulate = false);
  // Python's self[key] and self[key] = value with libtorch's keys, t.index({Slice(), 0})
  // (ember/ops/indexing.h). The initializer_list overloads make a braced list of tensors pick
  // these over the advanced-only ones above, as in libtorch.
  Tensor index(ArrayRef<indexing::TensorIndex> indices) const;
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor& index_put_(ArrayRef<indexing::TensorIndex> indices, const Tensor& rhs);
  Tensor& index_put_(ArrayRef<indexing::TensorIndex> indices, const Scalar& v);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& rhs);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& v);

  // --- reductions (dims empty = all dims) ---
  Tensor sum(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor sum(IntArrayRef dims, bool keepdim = false,
             std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(IntArrayRef dims, bool keepdim = false,
              std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(int64_t dim, bool keepdim = false,
              std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor amax(IntArrayRef dims = {}, bool keepdim = false) const;
  Tensor amin(IntArrayRef dims = {}, bool keepdim = false) const;
  Tensor max() const;
  Tensor min() const;
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false) const;
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false) const;
  Tensor argmax(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor argmin(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor var(IntArrayRef dims = {}, double correction = 1, bool keepdim = false) const;
  Tensor std(IntArrayRef dims = {}, double correction = 1, bool keepdim = false) const;
  // libtorch's var(bool unbiased)/std(bool unbiased) over every dim. Templates so that only a
  // real bool picks them: t.std(0) and t.std({1}) stay reductions over a dim.
  template <typename Bool, typename = std::enable_if_t<std::is_same_v<Bool, bool>>>
  Tensor var(Bool unbiased) const {
    return var({}, unbiased ? 1.0 : 0.0);
  }
  template <typename Bool, typename = std::enable_if_t<std::is_same_v<Bool, bool>>>
  Tensor std(Bool unbiased) const {
    return std({}, unbiased ? 1.0 : 0.0);
  }
  Tensor norm(double p = 2, IntArrayRef dims = {}, bool keepdim = false) const;
  Tensor logsumexp(IntArrayRef dims, bool keepdim = false) const;
  Tensor all() const;
  Tensor all(int64_t dim, bool keepdim = false) const;
  Tensor any() const;
  Tensor any(int64_t dim, bool keepdim = false) const;

  // --- linear algebra ---
  Tensor mm(const Tensor& other) const;
  Tensor matmul(const Tensor& other) const;
  Tensor bmm(const Tensor& other) const;
  Tensor mv(const Tensor& vec) const;
  Tensor dot(const Tensor& other) const;
  Tensor outer(const Tensor& other) const;
  Tensor addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
               const Scalar& alpha = 1) const;

  // --- autograd (defined in ember/autograd/tensor_methods.cpp) ---
  bool requires_grad() const { return impl_->requires_grad(); }
  // Only floating-point tensors can require grad; a non-leaf cannot stop requiring it.
  Tensor& requires_grad_(bool requires_grad = true);
  Tensor& set_requires_grad(bool requires_grad) { return requires_grad_(requires_grad); }
  // The accumulated gradient of a leaf (or of a non-leaf after retain_grad()); undefined if none.
  Tensor grad() const;
  // The gradient slot itself, as libtorch's: `t.mutable_grad() = zeros(...)` or `.zero_()`.
  Tensor& mutable_grad() const;
  void set_grad(const Tensor& grad) const;
  std::shared_ptr<autograd::Node> grad_fn() const;
  bool is_leaf() const;
  uint32_t output_nr() const;
  // gradient: dL/dself (implicit 1 for a scalar); retain_graph defaults to create_graph.
  void backward(const Tensor& gradient = Tensor(), std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false, const std::vector<Tensor>& inputs = {}) const;
  void retain_grad() const;
  bool retains_grad() const;
  // hook(grad) runs when the gradient w.r.t. this tensor is computed; a hook returning a defined
  // tensor replaces the gradient, one returning void only observes it (libtorch accepts both).
  // Returns a handle for remove_hook.
  template <typename Hook>
  unsigned register_hook(Hook&& hook) const {
    if constexpr (std::is_void_v<std::invoke_result_t<Hook&, const Tensor&>>) {
      return add_hook([observe = std::forward<Hook>(hook)](const Tensor& grad) mutable {
        observe(grad);
        return Tensor();
      });
    } else {
      return add_hook(std::forward<Hook>(hook));
    }
  }
  void remove_hook(unsigned handle) const;
  // A tensor sharing this one's data with no history (requires_grad false). Defined here, not in
  // autograd, because ops use it too (a constant factor inside a composite).
  Tensor detach() const {
    return Tensor(
        IntrusivePtr<TensorImpl>::make(storage(), storage_offset(), shape(), strides(), dtype()));
  }
  Tensor& detach_();

  // random (ops/random.cpp): libtorch's in-place samplers, each from `generator` or the default.
  Tensor& uniform_(double from = 0.0, double to = 1.0,
                   std::optional<Generator> generator = std::nullopt);
  Tensor& normal_(double mean = 0.0, double std = 1.0,
                  std::optional<Generator> generator = std::nullopt);
  Tensor& bernoulli_(double p = 0.5, std::optional<Generator> generator = std::nullopt);
  Tensor& bernoulli_(const Tensor& p, std::optional<Generator> generator = std::nullopt);
  Tensor bernoulli(std::optional<Generator> generator = std::nullopt) const;
  Tensor bernoulli(double p, std::optional<Generator> generator = std::nullopt) const;
  Tensor& exponential_(double lambd = 1.0, std::optional<Generator> generator = std::nullopt);
  Tensor& geometric_(double p, std::optional<Generator> generator = std::nullopt);
  Tensor& log_normal_(double mean = 1.0, double std = 2.0,
                      std::optional<Generator> generator = std::nullopt);
  Tensor& cauchy_(double median = 0.0, double sigma = 1.0,
                  std::optional<Generator> generator = std::nullopt);
  Tensor& random_(std::optional<Generator> generator = std::nullopt);
  Tensor& random_(int64_t to, std::optional<Generator> generator = std::nullopt);
  Tensor& random_(int64_t from, std::optional<int64_t> to,
                  std::optional<Generator> generator = std::nullopt);
  Tensor multinomial(int64_t num_samples, bool replacement = false,
                     std::optional<Generator> generator = std::nullopt) const;

  // --- compound assignment (in place, like libtorch) ---
  Tensor& operator+=(const Tensor& other) { return add_(other); }
  Tensor& operator+=(const Scalar& other) { return add_(other); }
  Tensor& operator-=(const Tensor& other) { return sub_(other); }
  Tensor& operator-=(const Scalar& other) { return sub_(other); }
  Tensor& operator*=(const Tensor& other) { return mul_(other); }
  Tensor& operator*=(const Scalar& other) { return mul_(other); }
  Tensor& operator/=(const Tensor& other) { return div_(other); }
  Tensor& operator/=(const Scalar& other) { return div_(other); }

 private:
  unsigned add_hook(std::function<Tensor(const Tensor&)> hook) const;
  void check_accessor(ScalarType expected, size_t ndim) const;

  IntrusivePtr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& stream, const Tensor& tensor);

}  // namespace ember

#include "ember/tensor/accessor.h"
