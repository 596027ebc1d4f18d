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

// util: libtorch's c10::MemoryFormat, the layout clone() gives its result. Preserve keeps the
// input's strides when they are dense and non-overlapping (else contiguous); ChannelsLast and
// ChannelsLast3d are NHWC / NDHWC strides for 4-d / 5-d tensors.
enum class MemoryFormat : uint8_t { Contiguous, Preserve, ChannelsLast, ChannelsLast3d };

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
  size_t element_size() const { return ember::itemsize(dtype()); }
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

  // --- scan: scans, sorting, selection (defined in ember/ops/scan*.cpp) ---
  Tensor cumsum(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor cumprod(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor& cumsum_(int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
  Tensor& cumprod_(int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
  std::tuple<Tensor, Tensor> cummax(int64_t dim) const;
  std::tuple<Tensor, Tensor> cummin(int64_t dim) const;
  Tensor logcumsumexp(int64_t dim) const;
  std::tuple<Tensor, Tensor> sort(int64_t dim = -1, bool descending = false) const;
  std::tuple<Tensor, Tensor> sort(std::optional<bool> stable, int64_t dim = -1,
                                  bool descending = false) const;
  Tensor argsort(int64_t dim = -1, bool descending = false) const;
  Tensor argsort(bool stable, int64_t dim, bool descending = false) const;
  Tensor msort() const;
  std::tuple<Tensor, Tensor> topk(int64_t k, int64_t dim = -1, bool largest = true,
                                  bool sorted = true) const;
  std::tuple<Tensor, Tensor> kthvalue(int64_t k, int64_t dim = -1, bool keepdim = false) const;
  Tensor median() const;
  std::tuple<Tensor, Tensor> median(int64_t dim, bool keepdim = false) const;
  Tensor nanmedian() const;
  std::tuple<Tensor, Tensor> nanmedian(int64_t dim, bool keepdim = false) const;
  std::tuple<Tensor, Tensor> mode(int64_t dim = -1, bool keepdim = false) const;
  Tensor quantile(double q, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
                  std::string_view interpolation = "linear") const;
  Tensor quantile(const Tensor& q, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
                  std::string_view interpolation = "linear") const;
  Tensor nanquantile(double q, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
                     std::string_view interpolation = "linear") const;
  Tensor nanquantile(const Tensor& q, std::optional<int64_t> dim = std::nullopt,
                     bool keepdim = false, std::string_view interpolation = "linear") const;
  std::tuple<Tensor, Tensor, Tensor> unique_consecutive(
      bool return_inverse = false, bool return_counts = false,
      std::optional<int64_t> dim = std::nullopt) const;
  Tensor histc(int64_t bins = 100, const Scalar& min = 0, const Scalar& max = 0) const;
  Tensor bincount(const std::optional<Tensor>& weights = std::nullopt, int64_t minlength = 0) const;
  Tensor diff(int64_t n = 1, int64_t dim = -1, const std::optional<Tensor>& prepend = std::nullopt,
              const std::optional<Tensor>& append = std::nullopt) const;
  Tensor count_nonzero(IntArrayRef dims = {}) const;

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
  // Makes this tensor (the same handle, so a module's member and its registered parameter stay
  // one object) use new_data's memory, shape and dtype, keeping its own autograd state; used by
  // nn::Module::to. libtorch's variable.set_data.
  void set_data(const Tensor& new_data) const;

  // --- shape (ops/shape.h) ---
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0) const;
  std::vector<Tensor> split(IntArrayRef split_sizes, int64_t dim = 0) const;
  std::vector<Tensor> split_with_sizes(IntArrayRef split_sizes, int64_t dim = 0) const;
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0) const;
  std::vector<Tensor> unbind(int64_t dim = 0) const;
  std::vector<Tensor> tensor_split(int64_t sections, int64_t dim = 0) const;
  std::vector<Tensor> tensor_split(IntArrayRef indices, int64_t dim = 0) const;
  Tensor flip(IntArrayRef dims) const;
  Tensor fliplr() const;
  Tensor flipud() const;
  Tensor roll(IntArrayRef shifts, IntArrayRef dims = {}) const;
  Tensor rot90(int64_t k = 1, IntArrayRef dims = {0, 1}) const;
  Tensor repeat(IntArrayRef repeats) const;
  Tensor tile(IntArrayRef dims) const;
  Tensor repeat_interleave(int64_t repeats, std::optional<int64_t> dim = std::nullopt,
                           std::optional<int64_t> output_size = std::nullopt) const;
  Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> dim = std::nullopt,
                           std::optional<int64_t> output_size = std::nullopt) const;
  Tensor movedim(IntArrayRef source, IntArrayRef destination) const;
  Tensor movedim(int64_t source, int64_t destination) const;
  Tensor moveaxis(IntArrayRef source, IntArrayRef destination) const;
  Tensor moveaxis(int64_t source, int64_t destination) const;
  Tensor swapaxes(int64_t axis0, int64_t axis1) const;
  Tensor swapdims(int64_t dim0, int64_t dim1) const;
  Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1) const;
  Tensor diag(int64_t diagonal = 0) const;
  Tensor diag_embed(int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1) const;
  Tensor tril(int64_t diagonal = 0) const;
  Tensor triu(int64_t diagonal = 0) const;
  Tensor& tril_(int64_t diagonal = 0);
  Tensor& triu_(int64_t diagonal = 0);
  Tensor unfold(int64_t dimension, int64_t size, int64_t step) const;
  Tensor view_as(const Tensor& other) const;
  Tensor reshape_as(const Tensor& other) const;
  Tensor type_as(const Tensor& other) const;
  // Unset dtype or device in options: self's.
  Tensor new_empty(IntArrayRef size, TensorOptions options = {}) const;
  Tensor new_zeros(IntArrayRef size, TensorOptions options = {}) const;
  Tensor new_ones(IntArrayRef size, TensorOptions options = {}) const;
  Tensor new_full(IntArrayRef size, const Scalar& fill_value, TensorOptions options = {}) const;
  // value: a 0-d tensor, differentiable like any input.
  Tensor masked_fill(const Tensor& mask, const Tensor& value) const;
  Tensor& masked_fill_(const Tensor& mask, const Tensor& value);
  // --- math (defined in ember/ops/math.cpp) ---
  Tensor arcsin() const;
  Tensor& arcsin_();
  Tensor arccos() const;
  Tensor& arccos_();
  Tensor arctan() const;
  Tensor& arctan_();
  Tensor arcsinh() const;
  Tensor& arcsinh_();
  Tensor arccosh() const;
  Tensor& arccosh_();
  Tensor arctanh() const;
  Tensor& arctanh_();
  Tensor arctan2(const Tensor& other) const;
  Tensor& arctan2_(const Tensor& other);
  Tensor fix() const;
  Tensor& fix_();
  Tensor true_divide(const Tensor& other) const;
  Tensor& true_divide_(const Tensor& other);
  Tensor positive() const;
  Tensor frac() const;
  Tensor& frac_();
  Tensor deg2rad() const;
  Tensor& deg2rad_();
  Tensor rad2deg() const;
  Tensor& rad2deg_();
  Tensor logit(std::optional<double> eps = std::nullopt) const;
  Tensor& logit_(std::optional<double> eps = std::nullopt);
  Tensor nan_to_num(std::optional<double> nan = 0.0, std::optional<double> posinf = std::nullopt,
                    std::optional<double> neginf = std::nullopt) const;
  Tensor& nan_to_num_(std::optional<double> nan = 0.0, std::optional<double> posinf = std::nullopt,
                      std::optional<double> neginf = std::nullopt);
  Tensor isnan() const;
  Tensor isinf() const;
  Tensor isfinite() const;
  Tensor isposinf() const;
  Tensor isneginf() const;
  Tensor isreal() const;
  Tensor signbit() const;
  Tensor float_power(const Tensor& exponent) const;
  Tensor float_power(const Scalar& exponent) const;
  Tensor& float_power_(const Tensor& exponent);
  Tensor& float_power_(const Scalar& exponent);
  Tensor clamp_min(const Tensor& min) const;
  Tensor clamp_max(const Tensor& max) const;
  Tensor& clamp_min_(const Scalar& min);
  Tensor& clamp_min_(const Tensor& min);
  Tensor& clamp_max_(const Scalar& max);
  Tensor& clamp_max_(const Tensor& max);
  Tensor lerp(const Tensor& end, const Scalar& weight) const;
  Tensor lerp(const Tensor& end, const Tensor& weight) const;
  Tensor& lerp_(const Tensor& end, const Scalar& weight);
  Tensor& lerp_(const Tensor& end, const Tensor& weight);
  Tensor addcmul(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value = 1) const;
  Tensor& addcmul_(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value = 1);
  Tensor addcdiv(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value = 1) const;
  Tensor& addcdiv_(const Tensor& tensor1, const Tensor& tensor2, const Scalar& value = 1);
  Tensor polygamma(int64_t n) const;
  Tensor& polygamma_(int64_t n);
  Tensor mvlgamma(int64_t p) const;
  Tensor& mvlgamma_(int64_t p);
  Tensor i0() const;
  Tensor& i0_();
  Tensor& operator&=(const Tensor& other) { return bitwise_and_(other); }
  Tensor& operator&=(const Scalar& other) { return bitwise_and_(other); }
  Tensor& operator|=(const Tensor& other) { return bitwise_or_(other); }
  Tensor& operator|=(const Scalar& other) { return bitwise_or_(other); }
  Tensor& operator^=(const Tensor& other) { return bitwise_xor_(other); }
  Tensor& operator^=(const Scalar& other) { return bitwise_xor_(other); }
  Tensor& operator<<=(const Tensor& other) { return bitwise_left_shift_(other); }
  Tensor& operator<<=(const Scalar& other) { return bitwise_left_shift_(other); }
  Tensor& operator>>=(const Tensor& other) { return bitwise_right_shift_(other); }
  Tensor& operator>>=(const Scalar& other) { return bitwise_right_shift_(other); }
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

  // scatter: gathering and scattering (defined in ember/ops/scatter*.cpp). `reduce` is
  // "add"/"multiply" for scatter, "sum"/"prod"/"mean"/"amax"/"amin" for scatter_reduce.
  Tensor gather(int64_t dim, const Tensor& index, bool sparse_grad = false) const;
  Tensor scatter(int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor scatter(int64_t dim, const Tensor& index, const Scalar& value) const;
  Tensor scatter(int64_t dim, const Tensor& index, const Tensor& src,
                 std::string_view reduce) const;
  Tensor scatter(int64_t dim, const Tensor& index, const Scalar& value,
                 std::string_view reduce) const;
  Tensor& scatter_(int64_t dim, const Tensor& index, const Tensor& src);
  Tensor& scatter_(int64_t dim, const Tensor& index, const Scalar& value);
  Tensor& scatter_(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce);
  Tensor& scatter_(int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce);
  Tensor scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor& scatter_add_(int64_t dim, const Tensor& index, const Tensor& src);
  Tensor scatter_reduce(int64_t dim, const Tensor& index, const Tensor& src,
                        std::string_view reduce, bool include_self = true) const;
  Tensor& scatter_reduce_(int64_t dim, const Tensor& index, const Tensor& src,
                          std::string_view reduce, bool include_self = true);
  Tensor index_add(int64_t dim, const Tensor& index, const Tensor& source,
                   const Scalar& alpha = 1) const;
  Tensor& index_add_(int64_t dim, const Tensor& index, const Tensor& source,
                     const Scalar& alpha = 1);
  Tensor index_copy(int64_t dim, const Tensor& index, const Tensor& source) const;
  Tensor& index_copy_(int64_t dim, const Tensor& index, const Tensor& source);
  Tensor index_fill(int64_t dim, const Tensor& index, const Scalar& value) const;
  Tensor index_fill(int64_t dim, const Tensor& index, const Tensor& value) const;
  Tensor& index_fill_(int64_t dim, const Tensor& index, const Scalar& value);
  Tensor& index_fill_(int64_t dim, const Tensor& index, const Tensor& value);
  Tensor masked_scatter(const Tensor& mask, const Tensor& source) const;
  Tensor& masked_scatter_(const Tensor& mask, const Tensor& source);
  Tensor take(const Tensor& index) const;
  Tensor take_along_dim(const Tensor& indices, std::optional<int64_t> dim = std::nullopt) const;
  Tensor put(const Tensor& index, const Tensor& source, bool accumulate = false) const;
  Tensor& put_(const Tensor& index, const Tensor& source, bool accumulate = false);
  std::vector<Tensor> nonzero_numpy() const;
  Tensor argwhere() const;
  // --- util (defined in ember/ops/util.cpp and ember/ops/reduce_util.cpp) ---
  size_t itemsize() const { return element_size(); }
  bool is_signed() const { return ember::is_signed(dtype()); }
  bool is_complex() const { return false; }  // ember has no complex dtypes
  Tensor clone(MemoryFormat memory_format) const;
  // libtorch's resize_: a contiguous tensor of `size` in place, keeping the storage (and the
  // values in it) when it is large enough, else in new memory (other views keep the old one).
  Tensor& resize_(IntArrayRef size);
  Tensor nansum(IntArrayRef dims = {}, bool keepdim = false,
                std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor nanmean(IntArrayRef dims = {}, bool keepdim = false,
                 std::optional<ScalarType> dtype = std::nullopt) const;
  // (min, max) over dim, or over every element without one.
  std::tuple<Tensor, Tensor> aminmax(std::optional<int64_t> dim = std::nullopt,
                                     bool keepdim = false) const;
  Tensor dist(const Tensor& other, const Scalar& p = 2) const;
  Tensor trace() const;
  Tensor cross(const Tensor& other, std::optional<int64_t> dim = std::nullopt) const;
  // all/any over several dims (an empty list: every dim), as PyTorch 2.2.
  Tensor all(IntArrayRef dims, bool keepdim = false) const;
  Tensor any(IntArrayRef dims, bool keepdim = false) const;
  // linalg (defined in ember/ops/linalg_*.cpp)
  Tensor det() const;
  Tensor logdet() const;
  std::tuple<Tensor, Tensor> slogdet() const;
  Tensor inverse() const;
  Tensor cholesky(bool upper = false) const;
  Tensor cholesky_inverse(bool upper = false) const;
  std::tuple<Tensor, Tensor> qr(bool some = true) const;
  std::tuple<Tensor, Tensor, Tensor> svd(bool some = true, bool compute_uv = true) const;
  Tensor pinverse(double rcond = 1e-15) const;
  Tensor matrix_power(int64_t n) const;
  Tensor matrix_exp() const;
  Tensor baddbmm(const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
                 const Scalar& alpha = 1) const;
  Tensor addbmm(const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
                const Scalar& alpha = 1) const;
  Tensor addmv(const Tensor& mat, const Tensor& vec, const Scalar& beta = 1,
               const Scalar& alpha = 1) const;
  Tensor addr(const Tensor& vec1, const Tensor& vec2, const Scalar& beta = 1,
              const Scalar& alpha = 1) const;
  Tensor kron(const Tensor& other) const;
  // nn activation (defined in ember/ops/nn_activation.cpp)
  Tensor softmax(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor log_softmax(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;

 private:
  unsigned add_hook(std::function<Tensor(const Tensor&)> hook) const;
  void check_accessor(ScalarType expected, size_t ndim) const;

  IntrusivePtr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& stream, const Tensor& tensor);

}  // namespace ember

#include "ember/tensor/accessor.h"
