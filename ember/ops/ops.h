// The public op API: free functions named as in PyTorch (ember::exp(x) == torch.exp(x)).
// Tensor methods (tensor.h) forward here. Each family is implemented in its own .cpp.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// ---------------------------------------------------------------- creation (creation.cpp)
// Every factory takes libtorch's (sizes, options) and honours options.requires_grad().
Tensor empty(IntArrayRef shape, TensorOptions options = {});
Tensor zeros(IntArrayRef shape, TensorOptions options = {});
Tensor ones(IntArrayRef shape, TensorOptions options = {});
// Without a dtype in options, the fill value decides: bool, int64 or the default float type.
Tensor full(IntArrayRef shape, const Scalar& value, TensorOptions options = {});
// dtype defaults: int64 when every bound is integral, else the default float type.
Tensor arange(const Scalar& end, std::optional<TensorOptions> options = std::nullopt);
Tensor arange(const Scalar& start, const Scalar& end, TensorOptions options);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1,
              std::optional<TensorOptions> options = std::nullopt);
Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, TensorOptions options = {});
Tensor eye(int64_t n, TensorOptions options = {});
Tensor eye(int64_t n, int64_t m, TensorOptions options = {});
// Unset dtype or device in options: the like tensor's.
Tensor empty_like(const Tensor& like, std::optional<TensorOptions> options = std::nullopt);
Tensor zeros_like(const Tensor& like, std::optional<TensorOptions> options = std::nullopt);
Tensor ones_like(const Tensor& like, std::optional<TensorOptions> options = std::nullopt);
Tensor full_like(const Tensor& like, const Scalar& value,
                 std::optional<TensorOptions> options = std::nullopt);
// Throws PyTorch's "value cannot be converted to type ... without overflow" when `value` stored
// into a tensor of `dtype` would not be representable (fill_, full, x[i] = value, masked_fill).
// Arithmetic with weak scalars is not checked: there integers wrap, as in PyTorch.
void check_scalar_fits(const Scalar& value, ScalarType dtype, std::string_view op);
// A 0-d tensor holding a Python-like number; `wrapped` marks it as a weak scalar for promotion.
Tensor scalar_tensor(const Scalar& value, std::optional<ScalarType> dtype = std::nullopt,
                     bool wrapped = false);
// Copies `count` elements of `dtype` from `data` into a new tensor of `shape`.
Tensor from_blob_copy(const void* data, IntArrayRef shape, ScalarType dtype);
// Wraps memory the caller owns without copying, as libtorch's from_blob: empty strides mean
// contiguous ones; deleter(data) runs when the last view is gone (none: the memory is borrowed).
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides,
                 const std::function<void(void*)>& deleter, const TensorOptions& options = {});
inline Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options = {}) {
  return from_blob(data, sizes, {}, nullptr, options);
}
inline Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides,
                        const TensorOptions& options = {}) {
  return from_blob(data, sizes, strides, nullptr, options);
}
inline Tensor from_blob(void* data, IntArrayRef sizes, const std::function<void(void*)>& deleter,
                        const TensorOptions& options = {}) {
  return from_blob(data, sizes, {}, deleter, options);
}

namespace detail {
// torch::tensor's argument, as libtorch's TensorDataContainer: a number, a braced list of them
// (nested for more dims) or a std::vector. The result's dtype follows libtorch: bool -> bool,
// int/long -> int64, float/double -> the default dtype, other integer types and vectors keep
// their own; a list mixing kinds takes the promoted type.
class TensorDataContainer {
 public:
  TensorDataContainer();                                                  // {}: an empty 1-D tensor
  TensorDataContainer(bool value) : scalar_(value), dtype_(kBool) {}      // NOLINT
  TensorDataContainer(uint8_t value) : scalar_(value), dtype_(kUInt8) {}  // NOLINT
  TensorDataContainer(int8_t value) : scalar_(value), dtype_(kInt8) {}    // NOLINT
  TensorDataContainer(int16_t value) : scalar_(value), dtype_(kInt16) {}  // NOLINT
  TensorDataContainer(int value) : scalar_(value), dtype_(kInt64) {}      // NOLINT
  TensorDataContainer(long value) : scalar_(value), dtype_(kInt64) {}     // NOLINT
  TensorDataContainer(long long value) : scalar_(value), dtype_(kInt64) {}        // NOLINT
  TensorDataContainer(float value) : scalar_(value), dtype_(default_dtype()) {}   // NOLINT
  TensorDataContainer(double value) : scalar_(value), dtype_(default_dtype()) {}  // NOLINT
  TensorDataContainer(std::initializer_list<TensorDataContainer> values);         // NOLINT
  TensorDataContainer(const std::vector<bool>& values);                           // NOLINT
  TensorDataContainer(const std::vector<uint8_t>& values);                        // NOLINT
  TensorDataContainer(const std::vector<int8_t>& values);                         // NOLINT
  TensorDataContainer(const std::vector<int16_t>& values);                        // NOLINT
  TensorDataContainer(const std::vector<int32_t>& values);                        // NOLINT
  TensorDataContainer(const std::vector<int64_t>& values);                        // NOLINT
  TensorDataContainer(const std::vector<float>& values);                          // NOLINT
  TensorDataContainer(const std::vector<double>& values);                         // NOLINT

  // What tensor() builds: the shape, the inferred dtype, and the numbers in row-major order (or,
  // for a std::vector, the 1-D tensor holding them).
  const Shape& shape() const { return shape_; }
  ScalarType dtype() const { return dtype_; }
  void flatten_into(std::vector<Scalar>& out) const;
  const Tensor& vector_tensor() const { return tensor_; }

 private:
  Scalar scalar_;
  ScalarType dtype_;
  Shape shape_;
  std::vector<TensorDataContainer> elements_;
  Tensor tensor_;
};
}  // namespace detail

// libtorch's torch::tensor: tensor({1, 2}) is int64, tensor({{1.0, 2.0}}) the default float
// type, tensor(true) bool; options override the dtype.
Tensor tensor(const detail::TensorDataContainer& data, const TensorOptions& options = {});

// ---------------------------------------------------------------- random (random.cpp)
void manual_seed(uint64_t seed);
uint64_t initial_seed();
Tensor rand(IntArrayRef shape, TensorOptions options = {});
Tensor randn(IntArrayRef shape, TensorOptions options = {});
// Without a dtype in options: int64, as libtorch's.
Tensor randint(int64_t high, IntArrayRef shape, TensorOptions options = {});
Tensor randint(int64_t low, int64_t high, IntArrayRef shape, TensorOptions options = {});
Tensor rand_like(const Tensor& like, std::optional<TensorOptions> options = std::nullopt);
Tensor randn_like(const Tensor& like, std::optional<TensorOptions> options = std::nullopt);
Tensor bernoulli(const Tensor& probabilities);
Tensor normal(double mean, double std, IntArrayRef shape, TensorOptions options = {});

// ---------------------------------------------------------------- views (view.cpp)
Tensor as_strided(const Tensor& self, IntArrayRef size, IntArrayRef stride,
                  std::optional<int64_t> storage_offset = std::nullopt);
Tensor view(const Tensor& self, IntArrayRef shape);
Tensor reshape(const Tensor& self, IntArrayRef shape);
Tensor permute(const Tensor& self, IntArrayRef dims);
Tensor transpose(const Tensor& self, int64_t dim0, int64_t dim1);
Tensor t(const Tensor& self);
Tensor expand(const Tensor& self, IntArrayRef shape);
Tensor broadcast_to(const Tensor& self, IntArrayRef shape);
Tensor squeeze(const Tensor& self);
Tensor squeeze(const Tensor& self, int64_t dim);
Tensor unsqueeze(const Tensor& self, int64_t dim);
Tensor narrow(const Tensor& self, int64_t dim, int64_t start, int64_t length);
Tensor select(const Tensor& self, int64_t dim, int64_t index);
Tensor slice(const Tensor& self, int64_t dim, std::optional<int64_t> start,
             std::optional<int64_t> end, int64_t step = 1);
Tensor flatten(const Tensor& self, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor unflatten(const Tensor& self, int64_t dim, IntArrayRef sizes);
Tensor contiguous(const Tensor& self);
// A view of a new shape that autograd names after `op`: the final squeeze of a reduction reads
// as SumBackward0, as in PyTorch, rather than ViewBackward0.
Tensor named_reshape(const Tensor& self, IntArrayRef shape, std::string_view op);

// ---------------------------------------------------------------- copy and cast (copy.cpp)
// Copies src into dst, broadcasting src and casting to dst's dtype (B16/B17 overlap checks).
Tensor& copy_(Tensor& dst, const Tensor& src);
Tensor clone(const Tensor& self);
Tensor to(const Tensor& self, std::optional<Device> device, std::optional<ScalarType> dtype,
          bool copy = false);
// Throws B4 when a `from` result cannot be stored into `to` in place.
void check_inplace_cast(std::string_view op, ScalarType from, ScalarType to);

// ---------------------------------------------------------------- elementwise (elementwise.cpp)
#define EMBER_UNARY_OP(name, Name, rule) \
  Tensor name(const Tensor& x);          \
  Tensor& name##_(Tensor& x);
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)        \
  Tensor name(const Tensor& a, const Tensor& b); \
  Tensor name(const Tensor& a, const Scalar& b); \
  Tensor name(const Scalar& a, const Tensor& b); \
  Tensor& name##_(Tensor& a, const Tensor& b);   \
  Tensor& name##_(Tensor& a, const Scalar& b);
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha);
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha);
Tensor& add_(Tensor& a, const Tensor& b, const Scalar& alpha);
Tensor& sub_(Tensor& a, const Tensor& b, const Scalar& alpha);
// rounding_mode: none (true division), "trunc" or "floor".
Tensor div(const Tensor& a, const Tensor& b, std::optional<std::string_view> rounding_mode);
Tensor& div_(Tensor& a, const Tensor& b, std::optional<std::string_view> rounding_mode);
Tensor true_divide(const Tensor& a, const Tensor& b);
Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max);
Tensor clamp(const Tensor& x, const std::optional<Tensor>& min, const std::optional<Tensor>& max);
Tensor& clamp_(Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max);
Tensor& clamp_(Tensor& x, const std::optional<Tensor>& min, const std::optional<Tensor>& max);
Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y);
Tensor where(const Tensor& condition, const Scalar& x, const Tensor& y);
Tensor where(const Tensor& condition, const Tensor& x, const Scalar& y);
Tensor logical_not(const Tensor& x);
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value);
Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Scalar& value);
// value: a 0-d tensor, differentiable like any input.
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value);
Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value);
// torch.result_type for two operands (a wrapped-number tensor counts as a weak scalar).
ScalarType result_type(const Tensor& a, const Tensor& b);

Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, const Scalar& b);
Tensor operator-(const Tensor& a, const Scalar& b);
Tensor operator*(const Tensor& a, const Scalar& b);
Tensor operator/(const Tensor& a, const Scalar& b);
Tensor operator+(const Scalar& a, const Tensor& b);
Tensor operator-(const Scalar& a, const Tensor& b);
Tensor operator*(const Scalar& a, const Tensor& b);
Tensor operator/(const Scalar& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Scalar& b);
Tensor operator!=(const Tensor& a, const Scalar& b);
Tensor operator<(const Tensor& a, const Scalar& b);
Tensor operator<=(const Tensor& a, const Scalar& b);
Tensor operator>(const Tensor& a, const Scalar& b);
Tensor operator>=(const Tensor& a, const Scalar& b);
// Bitwise on integer tensors, logical on bool ones, as libtorch's.
Tensor operator~(const Tensor& x);
Tensor operator&(const Tensor& a, const Tensor& b);
Tensor operator|(const Tensor& a, const Tensor& b);
Tensor operator^(const Tensor& a, const Tensor& b);
Tensor operator&(const Tensor& a, const Scalar& b);
Tensor operator|(const Tensor& a, const Scalar& b);
Tensor operator^(const Tensor& a, const Scalar& b);

// ---------------------------------------------------------------- comparison (compare.cpp)
// |self - other| <= atol + rtol * |other| elementwise, as a bool tensor (inputs broadcast; equal
// dtypes required). Equal values (infinities too) are close; NaNs are close to each other only
// with equal_nan. Integer and bool inputs compare in the default float type.
Tensor isclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08,
               bool equal_nan = false);
// isclose(...) holds for every element.
bool allclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08,
              bool equal_nan = false);
// The same shape and equal elements (NaN is never equal); dtypes may differ.
bool equal(const Tensor& self, const Tensor& other);

// ---------------------------------------------------------------- reductions (reduce.cpp)
// An empty `dims` reduces over every dim. Integer and bool sums/prods accumulate in int64.
Tensor sum(const Tensor& x, IntArrayRef dims = {}, bool keepdim = false,
           std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& x, IntArrayRef dims = {}, bool keepdim = false,
            std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
            std::optional<ScalarType> dtype = std::nullopt);
Tensor amax(const Tensor& x, IntArrayRef dims = {}, bool keepdim = false);
Tensor amin(const Tensor& x, IntArrayRef dims = {}, bool keepdim = false);
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor var(const Tensor& x, IntArrayRef dims = {}, double correction = 1, bool keepdim = false);
Tensor std(const Tensor& x, IntArrayRef dims = {}, double correction = 1, bool keepdim = false);
// libtorch's var(x, bool unbiased)/std(x, bool unbiased): see Tensor::var(Bool).
template <typename Bool, typename = std::enable_if_t<std::is_same_v<Bool, bool>>>
Tensor var(const Tensor& x, Bool unbiased) {
  return x.var(unbiased);
}
template <typename Bool, typename = std::enable_if_t<std::is_same_v<Bool, bool>>>
Tensor std(const Tensor& x, Bool unbiased) {
  return x.std(unbiased);
}
// p: 1, 2, any positive number, or +/-infinity.
Tensor norm(const Tensor& x, double p = 2, IntArrayRef dims = {}, bool keepdim = false);
Tensor logsumexp(const Tensor& x, IntArrayRef dims, bool keepdim = false);
// all/any: over every element, one dim, or a list of dims (empty: every dim). Overloads rather
// than an optional dim, so that all(x, 0) and all(x, {0, 1}) are not ambiguous.
Tensor all(const Tensor& x);
Tensor all(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor all(const Tensor& x, IntArrayRef dims, bool keepdim = false);
Tensor any(const Tensor& x);
Tensor any(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& x, IntArrayRef dims, bool keepdim = false);

// ---------------------------------------------------------------- linear algebra (linalg.cpp)
Tensor mm(const Tensor& a, const Tensor& b);
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor mv(const Tensor& mat, const Tensor& vec);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor outer(const Tensor& a, const Tensor& b);

// ---------------------------------------------------------------- indexing (index.cpp)
// Elements of self where mask (bool) is true, both broadcast together, as a 1-D tensor.
Tensor masked_select(const Tensor& self, const Tensor& mask);
// self[index] along dim for a 1-D (or 0-d) int64/int32 index; as in PyTorch a negative index is
// out of bounds (IndexError).
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
// int64 indices of the non-zero elements (NaN counts), shape (count, ndim), row-major order.
Tensor nonzero(const Tensor& self);
// self[indices], PyTorch's advanced indexing; always a copy. Entries index self's dims from the
// left: std::nullopt is ":" for one dim, an int64/int32 tensor picks positions along one dim
// (negative ones count from the end), a bool tensor with k dims is a mask over the next k dims.
// The index tensors broadcast together; their shape replaces the indexed dims where the first of
// them was when they are adjacent, else leads the result. Out-of-range positions: IndexError.
Tensor index(const Tensor& self, const std::vector<std::optional<Tensor>>& indices);
// self[indices] = values in place: values broadcast to the shape index() would return and are cast
// to self's dtype under the in-place rule (B4). Without accumulate the last of repeated positions
// wins; with it repeated positions add up, in index order.
Tensor& index_put_(Tensor& self, const std::vector<std::optional<Tensor>>& indices,
                   const Tensor& values, bool accumulate = false);

// ---------------------------------------------------------------- printing (print.cpp)
struct PrintOptions {
  int precision = 4;
  int64_t threshold = 1000;
  int64_t edgeitems = 3;
  int64_t linewidth = 80;
  // Scientific notation for floats: forced on or off, or (unset) chosen from the values.
  std::optional<bool> sci_mode = std::nullopt;
};
void set_printoptions(const PrintOptions& options);
PrintOptions get_printoptions();
// The text of repr(tensor) in PyTorch: "tensor([[1., 2.]])", dtype suffix when not default.
std::string to_string(const Tensor& tensor);

}  // namespace ember
