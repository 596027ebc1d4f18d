// gather, scatter, scatter_add, scatter_reduce and the index_* ops. The checks (dtypes, ranks,
// sizes) are done here, once; the kernels see index tensors of self's rank, with a 0-d tensor
// taken as 1-D of size 1. index_add / index_copy / index_fill are scatters along `dim` with
// their 1-D index expanded over the other dims (stride 0, no copy), so they share the parallel
// kernel and the gradient rules of Scatter.
#include "ember/ops/scatter.h"

#include <limits>
#include <string>
#include <type_traits>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_scatter.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// A 0-d tensor as 1-D of size 1 (PyTorch treats it so in every op of this file).
Tensor at_least_1d(const Tensor& t) { return t.dim() == 0 ? t.reshape({1}) : t; }

void check_index_dtype(std::string_view op, const Tensor& index) {
  EMBER_CHECK(index.dtype() == kInt64, "[", op, "] ", op,
              "(): Expected dtype int64 for index; got a tensor of dtype ", index.dtype());
}

// PyTorch's shape rules of gather and scatter: equal ranks, index.size(d) <= self.size(d) for
// d != dim and, for a scatter's src, index.size(d) <= src.size(d) for every d.
void check_shapes(std::string_view op, const Tensor& self, int64_t dim, const Tensor& index,
                  const Tensor* src) {
  const Tensor self1 = at_least_1d(self), index1 = at_least_1d(index);
  EMBER_CHECK(index.numel() == 0 || self1.dim() == index1.dim(), "[", op,
              "] Index tensor must have the same number of dimensions as input tensor; got "
              "index of shape ",
              index.shape(), " and input of shape ", self.shape());
  if (src != nullptr) {
    EMBER_CHECK(index.numel() == 0 || at_least_1d(*src).dim() == index1.dim(), "[", op,
                "] Index tensor must have the same number of dimensions as src tensor; got "
                "index of shape ",
                index.shape(), " and src of shape ", src->shape());
  }
  if (index.numel() == 0) return;
  for (int64_t d = 0; d < index1.dim(); ++d) {
    EMBER_CHECK(d == dim || index1.shape()[d] <= self1.shape()[d], "[", op,
                "] Size does not match at dimension ", d, ": expected index ", index.shape(),
                " to be smaller than self ", self.shape(), " apart from dimension ", dim);
    if (src != nullptr) {
      EMBER_CHECK(index1.shape()[d] <= at_least_1d(*src).shape()[d], "[", op,
                  "] Size does not match at dimension ", d, ": expected index ", index.shape(),
                  " to be smaller than src ", src->shape());
    }
  }
}

// self.scatter_(dim, index, src) with mode Assign or Add: every check, then the kernel.
Tensor& scatter_into(std::string_view op, Tensor& self, int64_t dim, const Tensor& index,
                     const Tensor& src, ScatterMode mode) {
  check_same_device(op, {&self, &index, &src});
  check_index_dtype(op, index);
  EMBER_CHECK(src.dtype() == self.dtype(), "[", op, "] ", op,
              "(): Expected self.dtype to be equal to src.dtype; got ", self.dtype(), " and ",
              src.dtype());
  const int64_t d = wrap_dim(dim, std::max<int64_t>(1, self.dim()), op);
  check_shapes(op, self, d, index, &src);
  check_no_internal_overlap(op, self);
  if (index.numel() == 0) return self;
  // Inputs sharing memory with self would be read after parts of self were written.
  const bool src_aliases = src.storage().get() == self.storage().get();
  const bool index_aliases = index.storage().get() == self.storage().get();
  run(Scatter(op, d, mode),
      {at_least_1d(src_aliases ? src.clone() : src),
       at_least_1d(index_aliases ? index.clone() : index)},
      {at_least_1d(self)});
  return self;
}

// A Python number as a tensor of self's dtype shaped like index, without a copy.
Tensor value_like_index(const Tensor& self, const Tensor& index, const Scalar& value) {
  return full({}, value, TensorOptions(self.dtype()).device(self.device())).expand(index.shape());
}

ScatterMode scatter_mode(std::string_view reduce) {
  if (reduce == "add") return ScatterMode::Add;
  EMBER_CHECK(reduce == "multiply",
              "[scatter] reduce argument must be either add or multiply; "
              "got '",
              reduce, "'");
  return ScatterMode::Multiply;
}

// The value that leaves a reduction unchanged (include_self=false starts from it).
Scalar reduction_identity(ScatterMode mode, ScalarType dtype) {
  if (mode == ScatterMode::Multiply) return Scalar(int64_t{1});
  const bool largest = mode == ScatterMode::Amin;
  if (dtype == kBool) return Scalar(largest);
  if (is_floating_point(dtype)) {
    const double infinity = std::numeric_limits<double>::infinity();
    return Scalar(largest ? infinity : -infinity);
  }
  return visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<T>) {
      return Scalar(static_cast<int64_t>(largest ? std::numeric_limits<T>::max()
                                                 : std::numeric_limits<T>::lowest()));
    } else {
      return Scalar(int64_t{0});  // floating types returned above
    }
  });
}

// A 1-D index of index_add / index_copy / index_fill, viewed with `shape`'s rank and expanded
// to it along the dims other than `dim` (stride 0).
Tensor expand_index(std::string_view op, const Tensor& index, int64_t dim, const Shape& shape) {
  EMBER_CHECK_INDEX(index.dim() <= 1, "[", op, "] ", op,
                    "(): Index is supposed to be a vector; got a ", index.dim(),
                    "-D tensor of shape ", index.shape());
  EMBER_CHECK(index.dtype() == kInt64 || index.dtype() == kInt32, "[", op, "] ", op,
              "(): Expected dtype int32/int64 for index; got ", index.dtype());
  Shape view(shape.size(), 1);
  view[static_cast<size_t>(dim)] = index.numel();
  return index.to(kInt64).reshape(view).expand(shape);
}

// The shape self has with its size along dim replaced by `count`.
Shape with_size(const Tensor& self, int64_t dim, int64_t count) {
  Shape shape = at_least_1d(self).shape();
  shape[static_cast<size_t>(dim)] = count;
  return shape;
}

Tensor& index_scatter(std::string_view op, Tensor& self, int64_t dim, const Tensor& index,
                      const Tensor& source, ScatterMode mode) {
  check_same_device(op, {&self, &index, &source});
  const int64_t d = wrap_dim(dim, std::max<int64_t>(1, self.dim()), op);
  EMBER_CHECK(source.dtype() == self.dtype(), "[", op, "] ", op, "(): self (", self.dtype(),
              ") and source (", source.dtype(), ") must have the same scalar type");
  const Tensor source1 = at_least_1d(source);
  const Shape expected = with_size(self, d, index.numel());
  EMBER_CHECK(source1.shape() == expected, "[", op, "] ", op, "(): source of shape ",
              source.shape(), " does not match self of shape ", self.shape(), " with an index of ",
              index.numel(), " elements (expected source of shape ", expected, ")");
  return scatter_into(op, self, d, expand_index(op, index, d, expected), source1, mode);
}

Tensor& fill_index(Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  check_same_device("index_fill_", {&self, &index, &value});
  EMBER_CHECK(value.dim() == 0,
              "[index_fill_] index_fill_(): only supports a 0-dimensional value "
              "tensor; got a tensor with ",
              value.dim(), " dimension(s)");
  const int64_t d = wrap_dim(dim, std::max<int64_t>(1, self.dim()), "index_fill_");
  const Shape shape = with_size(self, d, index.numel());
  return scatter_into("index_fill_", self, d, expand_index("index_fill_", index, d, shape),
                      value.to(self.dtype()).expand(shape), ScatterMode::Assign);
}

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index, bool /*sparse_grad*/) {
  check_same_device("gather", {&self, &index});
  check_index_dtype("gather", index);
  const int64_t d = wrap_dim(dim, std::max<int64_t>(1, self.dim()), "gather");
  check_shapes("gather", self, d, index, nullptr);
  // The kernel's output is the result itself (a 0-d index's result is reshaped after), so the
  // recorded node is the result's history.
  const Tensor index1 = at_least_1d(index);
  Tensor result = empty(index1.shape(), TensorOptions(self.dtype()).device(self.device()));
  if (index.numel() == 0) return result;
  run(Gather("gather", d), {at_least_1d(self), index1}, {result});
  return index.dim() == 0 ? result.reshape({}) : result;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return self.scatter(dim, index, src);
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  return self.scatter(dim, index, value);
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
               std::string_view reduce) {
  return self.scatter(dim, index, src, reduce);
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
               std::string_view reduce) {
  return self.scatter(dim, index, value, reduce);
}
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return self.scatter_add(dim, index, src);
}

Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                      std::string_view reduce, bool include_self) {
  constexpr std::string_view op = "scatter_reduce";
  check_same_device(op, {&self, &index, &src});
  check_index_dtype(op, index);
  EMBER_CHECK(reduce == "sum" || reduce == "prod" || reduce == "mean" || reduce == "amax" ||
                  reduce == "amin",
              "[scatter_reduce] reduce argument must be either sum, prod, mean, amax or amin; "
              "got '",
              reduce, "'");
  if (reduce == "sum") {
    Tensor base = include_self ? self.clone() : self.scatter(dim, index, 0);
    return base.scatter_add_(dim, index, src);
  }
  if (reduce == "mean") {
    const Tensor total = scatter_reduce(self, dim, index, src, "sum", include_self);
    Tensor count = include_self ? ones_like(self) : zeros_like(self);
    count.scatter_add_(dim, index, ones_like(src));
    count = where(count == 0, 1, count);
    return is_floating_point(self.dtype()) ? total / count : div(total, count, "floor");
  }
  const ScatterMode mode = reduce == "prod"   ? ScatterMode::Multiply
                           : reduce == "amax" ? ScatterMode::Amax
                                              : ScatterMode::Amin;
  EMBER_CHECK(src.dtype() == self.dtype(),
              "[scatter_reduce] scatter_reduce(): Expected "
              "self.dtype to be equal to src.dtype; got ",
              self.dtype(), " and ", src.dtype());
  const int64_t d = wrap_dim(dim, std::max<int64_t>(1, self.dim()), op);
  check_shapes(op, self, d, index, &src);
  const Tensor base =
      include_self ? self : self.scatter(d, index, reduction_identity(mode, self.dtype()));
  if (index.numel() == 0) return include_self ? self.clone() : base;
  // The kernel combines src into a copy of self (ScatterReduce's contract).
  Tensor result = at_least_1d(base.detach().clone());
  run(ScatterReduce(d, mode), {at_least_1d(base), at_least_1d(index), at_least_1d(src)}, {result});
  return self.dim() == 0 ? result.reshape({}) : result;
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                 const Scalar& alpha) {
  return self.index_add(dim, index, source, alpha);
}
Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  return self.index_copy(dim, index, source);
}
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  return self.index_fill(dim, index, value);
}
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  return self.index_fill(dim, index, value);
}

Tensor Tensor::gather(int64_t dim, const Tensor& index, bool sparse_grad) const {
  return ember::gather(*this, dim, index, sparse_grad);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src) const {
  return clone().scatter_(dim, index, src);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value) const {
  return clone().scatter_(dim, index, value);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src,
                       std::string_view reduce) const {
  return clone().scatter_(dim, index, src, reduce);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value,
                       std::string_view reduce) const {
  return clone().scatter_(dim, index, value, reduce);
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_into("scatter_", *this, dim, index, src, ScatterMode::Assign);
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Scalar& value) {
  return scatter_into("scatter_", *this, dim, index, value_like_index(*this, index, value),
                      ScatterMode::Assign);
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src,
                         std::string_view reduce) {
  if (scatter_mode(reduce) == ScatterMode::Add) {
    return scatter_into("scatter_", *this, dim, index, src, ScatterMode::Add);
  }
  // Through a copy of self: the rule reads the value self had, which copy_ then overwrites.
  return copy_(ember::scatter_reduce(clone(), dim, index, src, "prod"));
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Scalar& value,
                         std::string_view reduce) {
  return scatter_(dim, index, value_like_index(*this, index, value), reduce);
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const {
  return clone().scatter_add_(dim, index, src);
}
Tensor& Tensor::scatter_add_(int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_into("scatter_add_", *this, dim, index, src, ScatterMode::Add);
}
Tensor Tensor::scatter_reduce(int64_t dim, const Tensor& index, const Tensor& src,
                              std::string_view reduce, bool include_self) const {
  return ember::scatter_reduce(*this, dim, index, src, reduce, include_self);
}
Tensor& Tensor::scatter_reduce_(int64_t dim, const Tensor& index, const Tensor& src,
                                std::string_view reduce, bool include_self) {
  check_no_internal_overlap("scatter_reduce_", *this);
  return copy_(ember::scatter_reduce(clone(), dim, index, src, reduce, include_self));
}
Tensor Tensor::index_add(int64_t dim, const Tensor& index, const Tensor& source,
                         const Scalar& alpha) const {
  return clone().index_add_(dim, index, source, alpha);
}
Tensor& Tensor::index_add_(int64_t dim, const Tensor& index, const Tensor& source,
                           const Scalar& alpha) {
  const bool unscaled = alpha.to_double() == 1.0;
  return index_scatter("index_add_", *this, dim, index, unscaled ? source : source * alpha,
                       ScatterMode::Add);
}
Tensor Tensor::index_copy(int64_t dim, const Tensor& index, const Tensor& source) const {
  if (autocast::active()) {
    return autocast::promote({*this, source},
                             [&](const auto& in) { return in[0].index_copy(dim, index, in[1]); });
  }
  return clone().index_copy_(dim, index, source);
}
Tensor& Tensor::index_copy_(int64_t dim, const Tensor& index, const Tensor& source) {
  return index_scatter("index_copy_", *this, dim, index, source, ScatterMode::Assign);
}
Tensor Tensor::index_fill(int64_t dim, const Tensor& index, const Scalar& value) const {
  return clone().index_fill_(dim, index, value);
}
Tensor Tensor::index_fill(int64_t dim, const Tensor& index, const Tensor& value) const {
  return clone().index_fill_(dim, index, value);
}
Tensor& Tensor::index_fill_(int64_t dim, const Tensor& index, const Scalar& value) {
  return fill_index(*this, dim, index, full({}, value, TensorOptions(dtype()).device(device())));
}
Tensor& Tensor::index_fill_(int64_t dim, const Tensor& index, const Tensor& value) {
  return fill_index(*this, dim, index, value);
}

}  // namespace ember
