// unique and unique_consecutive (a stable sort, then a mask of where each run of equal elements
// starts: values are the masked elements, inverse the running count of starts, counts the gaps
// between starts), searchsorted/bucketize (the SearchSorted primitive), histc/histogram/bincount
// (bin positions, then an accumulating index_put_), diff and count_nonzero. All composites.
#include <cmath>
#include <limits>
#include <numeric>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_scan.h"
#include "ember/ops/scan.h"
#include "ember/ops/scan_internal.h"

namespace ember {
namespace {

Tensor long_empty(int64_t n, const Tensor& like) {
  return empty({n}, TensorOptions(kInt64).device(like.device()));
}

// Where runs of equal rows of `rows` ((n, m), or 1-d) start; the first row always does.
Tensor run_starts(const Tensor& rows) {
  const int64_t n = rows.shape()[0];
  Tensor starts = ones({n}, TensorOptions(kBool).device(rows.device()));
  if (n > 1) {
    Tensor differs = ne(rows.narrow(0, 1, n - 1), rows.narrow(0, 0, n - 1));
    if (differs.dim() > 1) {
      // Rows of no elements are all equal.
      differs = differs.numel() == 0 ? zeros({n - 1}, TensorOptions(kBool))
                                     : any(differs.reshape({n - 1, differs.numel() / (n - 1)}), 1);
    }
    starts.narrow(0, 1, n - 1).copy_(differs);
  }
  return starts;
}

// The (values, inverse, counts) of rows already grouped into runs; `order` maps each grouped
// row back to its input position (undefined: the identity).
std::tuple<Tensor, Tensor, Tensor> collect_runs(const Tensor& grouped, const Tensor& order,
                                                bool return_inverse, bool return_counts) {
  const int64_t n = grouped.shape()[0];
  const Tensor starts = run_starts(grouped);
  const Tensor first_rows = nonzero(starts).reshape({-1});
  Tensor values = index_select(grouped, 0, first_rows);
  Tensor inverse = long_empty(0, grouped), counts = long_empty(0, grouped);
  if (return_inverse) {
    const Tensor group = sub(cumsum(starts, 0), 1);
    if (order.defined()) {
      inverse = long_empty(n, grouped);
      index_put_(inverse, {order}, group);
    } else {
      inverse = group;
    }
  }
  if (return_counts) {
    const int64_t groups = first_rows.numel();
    Tensor ends = long_empty(groups, grouped);
    if (groups > 0) {
      ends.narrow(0, 0, groups - 1).copy_(first_rows.narrow(0, 1, groups - 1));
      ends.narrow(0, groups - 1, 1).fill_(n);
    }
    counts = sub(ends, first_rows);
  }
  return {values, inverse, counts};
}

// x with `dim` first and the other dims flattened: (n, m) rows to compare whole.
Tensor rows_along(const Tensor& x, int64_t d) {
  std::vector<int64_t> order{d};
  int64_t width = 1;
  for (int64_t i = 0; i < x.dim(); ++i) {
    if (i == d) continue;
    order.push_back(i);
    width *= x.shape()[i];
  }
  return x.permute(order).reshape({x.shape()[d], width});
}

// Rows (n, m) back to x's layout with `count` rows along dim d.
Tensor rows_back(const Tensor& rows, const Tensor& x, int64_t d) {
  Shape shape{rows.shape()[0]};
  std::vector<int64_t> inverse(static_cast<size_t>(x.dim()));
  for (int64_t i = 0, j = 1; i < x.dim(); ++i) {
    if (i == d) continue;
    shape.push_back(x.shape()[i]);
    inverse[i] = j++;
  }
  inverse[d] = 0;
  return rows.reshape(shape).permute(inverse);
}

std::string_view search_side(bool right, std::optional<std::string_view> side) {
  if (!side) return right ? "right" : "left";
  EMBER_CHECK(*side == "left" || *side == "right",
              "[searchsorted] side can only be 'left' or "
              "'right' but got ",
              *side);
  EMBER_CHECK(!(right && *side == "left"),
              "[searchsorted] side and right can't be set to "
              "opposites, got side of left while right was True");
  return *side;
}

// Counts (or sums weights of) bin positions in [0, bins).
Tensor accumulate_bins(const Tensor& positions, const Tensor& weights, int64_t bins,
                       ScalarType dtype, const Tensor& like) {
  Tensor hist = zeros({bins}, TensorOptions(dtype).device(like.device()));
  if (positions.numel() > 0) index_put_(hist, {positions}, weights.to(dtype), true);
  return hist;
}

void check_histogram_input(std::string_view op, const Tensor& x) {
  EMBER_CHECK(is_floating_point(x.dtype()), "[", op, "] \"histogram_cpu\" not implemented for '",
              x.dtype(), "'");
}

// Histogram of x over ascending edges: bin i holds edges[i] <= v < edges[i+1], the last bin
// also its right edge; values outside (and NaN) are left out.
std::tuple<Tensor, Tensor> histogram_with_edges(const Tensor& x, const Tensor& edges,
                                                const std::optional<Tensor>& weight, bool density) {
  const int64_t bins = edges.numel() - 1;
  const Tensor flat = x.reshape({-1});
  const Tensor first = edges.narrow(0, 0, 1), last = edges.narrow(0, bins, 1);
  const Tensor inside = logical_and(ge(flat, first), le(flat, last));
  const Tensor values = masked_select(flat, inside);
  Tensor positions = sub(searchsorted(edges, values, false, true), 1);
  positions = clamp(positions, std::optional<Scalar>(0), std::optional<Scalar>(bins - 1));
  const Tensor weights = weight ? masked_select(weight->reshape({-1}), inside)
                                : ones({values.numel()}, TensorOptions(x.dtype()));
  Tensor hist = accumulate_bins(positions, weights, bins, x.dtype(), x);
  if (density) {
    const Tensor widths = sub(edges.narrow(0, 1, bins), edges.narrow(0, 0, bins));
    hist = div(hist, mul(sum(hist), widths));
  }
  return {hist, edges};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> _unique2(const Tensor& x, bool /*sorted: always*/,
                                            bool return_inverse, bool return_counts) {
  const Tensor flat = x.detach().reshape({-1});
  auto [sorted, order] = sort(flat, /*stable=*/true, 0, false);
  auto [values, inverse, counts] = collect_runs(sorted, order, return_inverse, return_counts);
  if (return_inverse) inverse = inverse.reshape(x.shape());
  return {values, inverse, counts};
}

std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& x, int64_t dim, bool /*sorted*/,
                                              bool return_inverse, bool return_counts) {
  const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "unique");
  if (x.dim() == 0) return _unique2(x, true, return_inverse, return_counts);
  const Tensor rows = rows_along(x.detach(), d);
  const int64_t n = rows.shape()[0], m = rows.shape()[1];
  // Lexicographic order of the rows: stable sorts by each column, the last column first.
  Tensor order = arange(n);
  for (int64_t c = m - 1; c >= 0 && n > 0; --c) {
    const Tensor column = index_select(rows.select(1, c), 0, order);
    order = index_select(order, 0, std::get<1>(sort(column, /*stable=*/true, 0, false)));
  }
  const Tensor grouped = index_select(rows, 0, order);
  auto [values, inverse, counts] = collect_runs(grouped, order, return_inverse, return_counts);
  return {rows_back(values, x, d), inverse, counts};
}

std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& x, bool return_inverse,
                                                      bool return_counts,
                                                      std::optional<int64_t> dim) {
  if (!dim || x.dim() == 0) {
    auto [values, inverse, counts] =
        collect_runs(x.detach().reshape({-1}), Tensor(), return_inverse, return_counts);
    if (return_inverse) inverse = inverse.reshape(x.shape());
    return {values, inverse, counts};
  }
  const int64_t d = wrap_dim(*dim, x.dim(), "unique_consecutive");
  auto [values, inverse, counts] =
      collect_runs(rows_along(x.detach(), d), Tensor(), return_inverse, return_counts);
  return {rows_back(values, x, d), inverse, counts};
}

Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32, bool right,
                    std::optional<std::string_view> side, const std::optional<Tensor>& sorter) {
  check_same_device("searchsorted", {&sorted_sequence, &values});
  const bool upper = search_side(right, side) == "right";
  EMBER_CHECK(sorted_sequence.dim() >= 1,
              "[searchsorted] boundaries tensor should be 1 "
              "dimension or the first N-1 dimensions of boundaries tensor and input value "
              "tensor must match, but we got boundaries tensor ",
              sorted_sequence.shape(), " and input value tensor ", values.shape());
  if (sorted_sequence.dim() > 1) {
    bool leading_match = values.dim() == sorted_sequence.dim();
    for (int64_t i = 0; leading_match && i + 1 < values.dim(); ++i) {
      leading_match = values.shape()[i] == sorted_sequence.shape()[i];
    }
    EMBER_CHECK(leading_match,
                "[searchsorted] boundaries tensor should be 1 dimension or the "
                "first N-1 dimensions of boundaries tensor and input value tensor must match, "
                "but we got boundaries tensor ",
                sorted_sequence.shape(), " and input value tensor ", values.shape());
  }
  Tensor boundaries = sorted_sequence.detach();
  if (sorter) {
    EMBER_CHECK(sorter->shape() == sorted_sequence.shape() && sorter->dtype() == kInt64, "[",
                "searchsorted] sorter must be an int64 tensor of the boundaries' shape ",
                sorted_sequence.shape(), "; got ", sorter->dtype(), " ", sorter->shape());
    boundaries = take_along(boundaries, boundaries.dim() - 1, *sorter);
  }
  const ScalarType common = result_type(boundaries, values);
  boundaries = boundaries.to(common).contiguous();
  const Tensor needles = values.detach().to(common).contiguous();
  Tensor result =
      empty(values.shape(), TensorOptions(out_int32 ? kInt32 : kInt64).device(values.device()));
  run_unless_empty(SearchSorted(upper), {boundaries, needles}, {result});
  return result;
}

Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value, bool out_int32, bool right,
                    std::optional<std::string_view> side, const std::optional<Tensor>& sorter) {
  EMBER_CHECK(sorted_sequence.dim() == 1,
              "[searchsorted] input value can be a scalar only when "
              "boundaries tensor dimension is 1, but we got boundaries tensor dim(",
              sorted_sequence.dim(), ") and input value's dim(0) numel(1)");
  return searchsorted(sorted_sequence, scalar_tensor(value), out_int32, right, side, sorter);
}

Tensor bucketize(const Tensor& x, const Tensor& boundaries, bool out_int32, bool right) {
  EMBER_CHECK(boundaries.dim() == 1,
              "[bucketize] boundaries tensor must be 1 dimension, but got "
              "dim(",
              boundaries.dim(), ")");
  return searchsorted(boundaries, x, out_int32, right);
}

Tensor bucketize(const Scalar& x, const Tensor& boundaries, bool out_int32, bool right) {
  return bucketize(scalar_tensor(x), boundaries, out_int32, right);
}

Tensor histc(const Tensor& x, int64_t bins, const Scalar& min, const Scalar& max) {
  check_histogram_input("histc", x);
  EMBER_CHECK(bins > 0, "[histc] bins must be > 0, but got ", bins);
  double low = min.to_double(), high = max.to_double();
  EMBER_CHECK(std::isfinite(low) && std::isfinite(high), "[histc] range of [", low, ", ", high,
              "] is not finite");
  EMBER_CHECK(low <= high, "[histc] max must be larger than min; got min ", low, ", max ", high);
  if (low == high && x.numel() > 0) {
    low = amin(x).item<double>();
    high = amax(x).item<double>();
  }
  if (low == high) {
    low -= 1;
    high += 1;
  }
  const Tensor edges = linspace(low, high, bins + 1, TensorOptions(x.dtype()));
  return std::get<0>(histogram_with_edges(x.detach(), edges, std::nullopt, false));
}

std::tuple<Tensor, Tensor> histogram(const Tensor& x, int64_t bins,
                                     std::optional<std::vector<double>> range,
                                     const std::optional<Tensor>& weight, bool density) {
  check_histogram_input("histogram", x);
  EMBER_CHECK(bins > 0, "[histogram] bins must be > 0, but got ", bins);
  double low = 0, high = 0;
  if (range) {
    EMBER_CHECK(range->size() == 2, "[histogram] range should have 2 elements; got ",
                range->size());
    low = (*range)[0];
    high = (*range)[1];
    EMBER_CHECK(low <= high, "[histogram] min should not exceed max, but got min ", low, " max ",
                high);
  } else if (x.numel() > 0) {
    low = amin(x).item<double>();
    high = amax(x).item<double>();
  }
  if (low == high) {
    low -= 0.5;
    high += 0.5;
  }
  const Tensor edges = linspace(low, high, bins + 1, TensorOptions(x.dtype()));
  return histogram(x, edges, weight, density);
}

std::tuple<Tensor, Tensor> histogram(const Tensor& x, const Tensor& bins,
                                     const std::optional<Tensor>& weight, bool density) {
  check_histogram_input("histogram", x);
  EMBER_CHECK(bins.dim() == 1 && bins.numel() >= 2 && bins.dtype() == x.dtype(),
              "[histogram] bins must be a 1-d tensor of at least 2 edges of the input's dtype ",
              x.dtype(), "; got ", bins.dtype(), " ", bins.shape());
  if (weight) {
    EMBER_CHECK(weight->shape() == x.shape() && weight->dtype() == x.dtype(),
                "[histogram] weight should have the same shape and dtype as input; got ",
                weight->dtype(), " ", weight->shape(), " for input ", x.dtype(), " ", x.shape());
  }
  return histogram_with_edges(x.detach(), bins.detach(),
                              weight ? std::optional<Tensor>(weight->detach()) : std::nullopt,
                              density);
}

Tensor bincount(const Tensor& x, const std::optional<Tensor>& weights, int64_t minlength) {
  EMBER_CHECK(x.dim() == 1 && is_integral(x.dtype(), false),
              "[bincount] bincount only supports 1-d non-negative integral inputs; got ", x.dtype(),
              " ", x.shape());
  EMBER_CHECK(minlength >= 0, "[bincount] minlength should be >= 0; got ", minlength);
  if (weights) {
    EMBER_CHECK(weights->dim() == 1 && weights->numel() == x.numel(),
                "[bincount] weights should be 1-d and have the same length as input; got ",
                weights->shape(), " for input ", x.shape());
  }
  const Tensor positions = x.detach().to(kInt64);
  int64_t length = minlength;
  if (x.numel() > 0) {
    EMBER_CHECK(amin(positions).item<int64_t>() >= 0,
                "[bincount] bincount only supports 1-d non-negative integral inputs.");
    length = std::max(length, amax(positions).item<int64_t>() + 1);
  }
  const ScalarType dtype = !weights ? kInt64 : (weights->dtype() == kFloat32 ? kFloat32 : kFloat64);
  const Tensor values =
      weights ? weights->detach() : ones({x.numel()}, TensorOptions(kInt64).device(x.device()));
  return accumulate_bins(positions, values, length, dtype, x);
}

Tensor diff(const Tensor& x, int64_t n, int64_t dim, const std::optional<Tensor>& prepend,
            const std::optional<Tensor>& append) {
  EMBER_CHECK(x.dim() >= 1, "[diff] diff expects input to be at least one-dimensional");
  EMBER_CHECK(n >= 0, "[diff] order must be non-negative but got ", n);
  const int64_t d = wrap_dim(dim, x.dim(), "diff");
  Tensor result = x;
  if (prepend || append) {
    // torch.cat along d, written into slices so that autograd reaches every part.
    std::vector<Tensor> parts;
    for (const std::optional<Tensor>* part : {&prepend, &append}) {
      if (!*part) continue;
      EMBER_CHECK((*part)->dim() == x.dim(),
                  "[diff] prepend and append must have the same "
                  "number of dimensions as input; got ",
                  (*part)->shape(), " for input ", x.shape());
    }
    if (prepend) parts.push_back(*prepend);
    parts.push_back(x);
    if (append) parts.push_back(*append);
    Shape shape = x.shape();
    shape[d] = 0;
    ScalarType dtype = x.dtype();
    for (const Tensor& part : parts) {
      shape[d] += part.shape()[d];
      dtype = result_type(part, empty({0}, TensorOptions(dtype)));
    }
    result = zeros(shape, TensorOptions(dtype).device(x.device()));
    int64_t offset = 0;
    for (const Tensor& part : parts) {
      result.narrow(d, offset, part.shape()[d]).copy_(part);
      offset += part.shape()[d];
    }
  }
  for (int64_t i = 0; i < n && result.shape()[d] > 0; ++i) {
    const int64_t length = result.shape()[d] - 1;
    const Tensor after = result.narrow(d, 1, length), before = result.narrow(d, 0, length);
    result = result.dtype() == kBool ? logical_xor(after, before) : sub(after, before);
  }
  return result;
}

Tensor count_nonzero(const Tensor& x, IntArrayRef dims) {
  return sum(ne(x.detach(), 0), dims, false, kInt64);
}

// Tensor methods
std::tuple<Tensor, Tensor, Tensor> Tensor::unique_consecutive(bool return_inverse,
                                                              bool return_counts,
                                                              std::optional<int64_t> dim) const {
  return ember::unique_consecutive(*this, return_inverse, return_counts, dim);
}
Tensor Tensor::histc(int64_t bins, const Scalar& min, const Scalar& max) const {
  return ember::histc(*this, bins, min, max);
}
Tensor Tensor::bincount(const std::optional<Tensor>& weights, int64_t minlength) const {
  return ember::bincount(*this, weights, minlength);
}
Tensor Tensor::diff(int64_t n, int64_t dim, const std::optional<Tensor>& prepend,
                    const std::optional<Tensor>& append) const {
  return ember::diff(*this, n, dim, prepend, append);
}
Tensor Tensor::count_nonzero(IntArrayRef dims) const { return ember::count_nonzero(*this, dims); }

}  // namespace ember
