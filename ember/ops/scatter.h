// Gathering and scattering: gather, scatter (value or src, reduce), scatter_add, scatter_reduce,
// index_add / index_copy / index_fill, masked_scatter, take, take_along_dim, put, nonzero as a
// tuple, argwhere and one-argument where, with libtorch's overloads. In-place variants are
// Tensor methods (t.scatter_(...)), as in libtorch.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index, bool sparse_grad = false);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
               std::string_view reduce);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value,
               std::string_view reduce);
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
// reduce: "sum", "prod", "mean", "amax" or "amin"; include_self=false leaves self's values out
// of every reduction that receives at least one src value.
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                      std::string_view reduce, bool include_self = true);
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                 const Scalar& alpha = 1);
Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value);
Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source);
Tensor take(const Tensor& self, const Tensor& index);
Tensor take_along_dim(const Tensor& self, const Tensor& indices,
                      std::optional<int64_t> dim = std::nullopt);
Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate = false);
// nonzero(as_tuple=True): one 1-D int64 tensor of coordinates per dim (one for a 0-d input).
std::vector<Tensor> nonzero_numpy(const Tensor& self);
Tensor argwhere(const Tensor& self);
// One-argument where: nonzero_numpy(condition).
std::vector<Tensor> where(const Tensor& condition);

}  // namespace ember
