// The public ops of the scan family: cumulative scans, sorting and selection (sort, topk,
// kthvalue, median, mode, quantile), unique, binary search (searchsorted, bucketize), histograms
// (histc, histogram, bincount), diff and count_nonzero, with libtorch's names, overloads and
// return types. Implemented in ops/scan.cpp (scans, sorting, selection) and ops/scan_unique.cpp.
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember {

// Integer and bool inputs scan in int64 unless dtype says otherwise.
Tensor cumsum(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor cumprod(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
// (values, indices): the running maximum / minimum and where it was (last) reached.
std::tuple<Tensor, Tensor> cummax(const Tensor& x, int64_t dim);
std::tuple<Tensor, Tensor> cummin(const Tensor& x, int64_t dim);
Tensor logcumsumexp(const Tensor& x, int64_t dim);

// (values, indices). NaN sorts above every number; equal elements keep their order.
std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim = -1, bool descending = false);
std::tuple<Tensor, Tensor> sort(const Tensor& x, std::optional<bool> stable, int64_t dim = -1,
                                bool descending = false);
Tensor argsort(const Tensor& x, int64_t dim = -1, bool descending = false);
Tensor argsort(const Tensor& x, bool stable, int64_t dim, bool descending = false);
Tensor msort(const Tensor& x);
// The k largest (smallest) along dim, largest (smallest) first.
std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true);
// The k-th smallest (k counts from 1) and its index.
std::tuple<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim = -1,
                                    bool keepdim = false);
// The lower median; NaN when the row has one (median) or of the non-NaN elements (nanmedian).
Tensor median(const Tensor& x);
std::tuple<Tensor, Tensor> median(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor nanmedian(const Tensor& x);
std::tuple<Tensor, Tensor> nanmedian(const Tensor& x, int64_t dim, bool keepdim = false);
// The most frequent value (the smallest of equally frequent ones) and its last index.
std::tuple<Tensor, Tensor> mode(const Tensor& x, int64_t dim = -1, bool keepdim = false);
// interpolation: "linear", "lower", "higher", "midpoint" or "nearest". A 1-d q puts its dim
// first in the result.
Tensor quantile(const Tensor& x, double q, std::optional<int64_t> dim = std::nullopt,
                bool keepdim = false, std::string_view interpolation = "linear");
Tensor quantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim = std::nullopt,
                bool keepdim = false, std::string_view interpolation = "linear");
Tensor nanquantile(const Tensor& x, double q, std::optional<int64_t> dim = std::nullopt,
                   bool keepdim = false, std::string_view interpolation = "linear");
Tensor nanquantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim = std::nullopt,
                   bool keepdim = false, std::string_view interpolation = "linear");

// (output, inverse_indices, counts) as libtorch's; inverse and counts are empty tensors unless
// asked for. The values come sorted whatever `sorted` says (PyTorch allows either).
std::tuple<Tensor, Tensor, Tensor> _unique2(const Tensor& x, bool sorted = true,
                                            bool return_inverse = false,
                                            bool return_counts = false);
std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& x, int64_t dim, bool sorted = true,
                                              bool return_inverse = false,
                                              bool return_counts = false);
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& x, bool return_inverse = false,
                                                      bool return_counts = false,
                                                      std::optional<int64_t> dim = std::nullopt);

// side ("left"/"right") overrides right; sorter sorts an unsorted sequence along its last dim.
Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32 = false,
                    bool right = false, std::optional<std::string_view> side = std::nullopt,
                    const std::optional<Tensor>& sorter = std::nullopt);
Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value, bool out_int32 = false,
                    bool right = false, std::optional<std::string_view> side = std::nullopt,
                    const std::optional<Tensor>& sorter = std::nullopt);
Tensor bucketize(const Tensor& x, const Tensor& boundaries, bool out_int32 = false,
                 bool right = false);
Tensor bucketize(const Scalar& x, const Tensor& boundaries, bool out_int32 = false,
                 bool right = false);
// min == max: the data's own range.
Tensor histc(const Tensor& x, int64_t bins = 100, const Scalar& min = 0, const Scalar& max = 0);
// (hist, bin_edges).
std::tuple<Tensor, Tensor> histogram(const Tensor& x, int64_t bins = 100,
                                     std::optional<std::vector<double>> range = std::nullopt,
                                     const std::optional<Tensor>& weight = std::nullopt,
                                     bool density = false);
std::tuple<Tensor, Tensor> histogram(const Tensor& x, const Tensor& bins,
                                     const std::optional<Tensor>& weight = std::nullopt,
                                     bool density = false);
Tensor bincount(const Tensor& x, const std::optional<Tensor>& weights = std::nullopt,
                int64_t minlength = 0);
Tensor diff(const Tensor& x, int64_t n = 1, int64_t dim = -1,
            const std::optional<Tensor>& prepend = std::nullopt,
            const std::optional<Tensor>& append = std::nullopt);
Tensor count_nonzero(const Tensor& x, IntArrayRef dims = {});

}  // namespace ember
