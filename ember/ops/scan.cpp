// Scans, sorting and selection: cumsum/cumprod/cummax/cummin/logcumsumexp run the Scan
// primitive, sort/argsort/msort Sort, topk Topk, mode Mode; kthvalue (topk), median and
// nanmedian (a stable sort, then the element at the median's rank) and quantile (sort, then
// interpolation between two ranks) are composites, so autograd differentiates them for free.
#include "ember/ops/scan.h"
#include "ember/ops/autocast.h"

#include <cmath>
#include <limits>
#include <string>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_scan.h"
#include "ember/ops/scan_internal.h"

namespace ember {

Tensor take_along(const Tensor& x, int64_t dim, const Tensor& index) {
  std::vector<std::optional<Tensor>> indices;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d == dim) {
      indices.emplace_back(index);
      continue;
    }
    Shape shape(static_cast<size_t>(x.dim()), 1);
    shape[d] = x.shape()[d];
    indices.emplace_back(arange(x.shape()[d]).reshape(shape));
  }
  return ember::index(x, indices);
}

namespace {

void check_row_length(std::string_view op, const Tensor& x, int64_t dim) {
  EMBER_CHECK(x.dim() == 0 || x.shape()[dim] < (int64_t{1} << 32), "[", op,
              "] rows of 2^32 elements or more are not supported; got ", x.shape());
}

ScalarType scan_dtype(const Tensor& x, std::optional<ScalarType> dtype) {
  if (dtype) return *dtype;
  return is_integral(x.dtype(), true) ? kInt64 : x.dtype();
}

// Runs Scan on x as 1-d when 0-d (the result keeps the 0-d shape).
std::tuple<Tensor, Tensor> run_scan(ScanOp op, const Tensor& x, int64_t dim, bool indices) {
  const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), Scan(op, 0).name());
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  const TensorOptions options = TensorOptions(x.dtype()).device(x.device());
  Tensor values = empty(input.shape(), options);
  Tensor positions;
  if (indices) {
    positions = empty(input.shape(), TensorOptions(kInt64).device(x.device()));
    run_unless_empty(Scan(op, d), {input}, {values, positions});
  } else {
    run_unless_empty(Scan(op, d), {input}, {values});
  }
  if (x.dim() == 0) {
    values = values.reshape({});
    if (indices) positions = positions.reshape({});
  }
  return {values, positions};
}

Tensor keep_or_drop(const Tensor& t, int64_t dim, bool keepdim, bool was_0d) {
  if (was_0d) return t.reshape({});
  return keepdim ? t : t.squeeze(dim);
}

// The selection ops reduce a non-empty dim (PyTorch's IndexError otherwise).
int64_t reduction_dim(std::string_view op, const Tensor& x, int64_t dim) {
  const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), op);
  EMBER_CHECK_INDEX(x.dim() == 0 || x.shape()[d] > 0, "[", op, "] ", op,
                    "(): Expected reduction dim ", d, " to have non-zero size.");
  return d;
}

Tensor nan_count(const Tensor& x, int64_t dim) { return sum(ne(x, x), {dim}, /*keepdim=*/true); }

// median/nanmedian along a dim: a stable sort puts NaNs last in their order, so the first NaN
// of the row is at rank n - nans.
std::tuple<Tensor, Tensor> median_along(std::string_view op, const Tensor& x, int64_t dim,
                                        bool keepdim, bool ignore_nan) {
  const int64_t d = reduction_dim(op, x, dim);
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  const int64_t n = input.shape()[d];
  auto [sorted, order] = sort(input, /*stable=*/true, d, false);
  const Tensor nans = nan_count(input.detach(), d);
  Tensor rank;
  if (ignore_nan) {
    rank = floor_divide(clamp(sub(n - 1, nans), std::optional<Scalar>(0), std::nullopt), 2);
  } else {
    rank = where(gt(nans, 0), sub(n, nans), scalar_tensor((n - 1) / 2, kInt64));
  }
  const Tensor values = take_along(sorted, d, rank);
  const Tensor indices = take_along(order, d, rank);
  return {keep_or_drop(values, d, keepdim, x.dim() == 0),
          keep_or_drop(indices, d, keepdim, x.dim() == 0)};
}

Tensor median_all(std::string_view op, const Tensor& x, bool ignore_nan) {
  if (x.numel() == 0) {
    return full({}, std::numeric_limits<double>::quiet_NaN(),
                TensorOptions(x.dtype()).device(x.device()));
  }
  return std::get<0>(median_along(op, x.reshape({-1}), 0, false, ignore_nan));
}

// PyTorch's lerp: a + w (b - a) for w < 0.5, else b - (b - a) (1 - w), exact at both ends.
Tensor lerp_values(const Tensor& a, const Tensor& b, const Tensor& w) {
  const Tensor delta = sub(b, a);
  return where(lt(w, 0.5), add(a, mul(w, delta)), sub(b, mul(delta, sub(1, w))));
}

Tensor quantile_impl(std::string_view op, const Tensor& x, const Tensor& q_in,
                     std::optional<int64_t> dim, bool keepdim, std::string_view interpolation,
                     bool ignore_nan) {
  if (autocast::active()) {
    return autocast::float32({x, q_in}, [&](const auto& in) {
      return quantile_impl(op, in[0], in[1], dim, keepdim, interpolation, ignore_nan);
    });
  }
  EMBER_CHECK(x.dtype() == kFloat32 || x.dtype() == kFloat64, "[", op,
              "] quantile() input tensor must be either float or double dtype; got ", x.dtype());
  EMBER_CHECK(q_in.dim() <= 1, "[", op,
              "] quantile() q must be a scalar or 1D tensor; got a tensor of shape ", q_in.shape());
  EMBER_CHECK(q_in.dtype() == x.dtype(), "[", op,
              "] quantile() q tensor must be same dtype as the input tensor; got ", q_in.dtype(),
              " and ", x.dtype());
  EMBER_CHECK(interpolation == "linear" || interpolation == "lower" || interpolation == "higher" ||
                  interpolation == "midpoint" || interpolation == "nearest",
              "[", op,
              "] quantile() interpolation must be one of linear, lower, higher, midpoint or "
              "nearest. Got ",
              interpolation);
  const Tensor q = q_in.detach();
  if (q.numel() > 0) {
    EMBER_CHECK(ge(q, 0).all().item<bool>() && le(q, 1).all().item<bool>(), "[", op,
                "] quantile() q values must be in the range [0, 1]");
  }
  // The reduced dim goes last; a missing dim reduces the flattened input.
  Tensor input = dim ? x : x.reshape({-1});
  const int64_t d = dim ? wrap_dim(*dim, std::max<int64_t>(x.dim(), 1), op) : 0;
  if (input.dim() == 0) input = input.reshape({1});
  std::vector<int64_t> order;
  for (int64_t i = 0; i < input.dim(); ++i) {
    if (i != d) order.push_back(i);
  }
  order.push_back(d);
  const Tensor rows = input.permute(order);
  const int64_t n = rows.shape().back();
  EMBER_CHECK(n > 0, "[", op, "] quantile() input tensor must be non-empty");
  const Tensor sorted = std::get<0>(sort(rows, -1, false));
  // Ranks have shape (Q, rows..., 1); q's dim (if any) comes first.
  const int64_t batch_dims = rows.dim() - 1;
  Shape q_shape(static_cast<size_t>(batch_dims + 1), 1);
  q_shape.insert(0, q.numel());
  const Tensor qs = q.reshape(q_shape);
  const Tensor nans = nan_count(rows.detach(), rows.dim() - 1).to(x.dtype());
  const Tensor valid = ignore_nan ? sub(n, nans) : full_like(nans, static_cast<double>(n));
  Tensor rank = mul(qs, sub(valid, 1));
  if (ignore_nan) rank = clamp(rank, std::optional<Scalar>(0.0), std::nullopt);
  if (interpolation == "lower") rank = floor(rank);
  if (interpolation == "higher") rank = ceil(rank);
  if (interpolation == "nearest") rank = round(rank);
  const Tensor last = clamp(sub(valid, 1), std::optional<Scalar>(0.0), std::nullopt);
  const Tensor below =
      clamp(floor(rank), std::optional<Tensor>(), std::optional<Tensor>(last)).to(kInt64);
  const Tensor above =
      clamp(ceil(rank), std::optional<Tensor>(), std::optional<Tensor>(last)).to(kInt64);
  Shape sorted_shape = sorted.shape();
  sorted_shape.insert(0, q.numel());
  const Tensor grid = sorted.unsqueeze(0).expand(sorted_shape);
  const Tensor low = take_along(grid, grid.dim() - 1, below);
  const Tensor high = take_along(grid, grid.dim() - 1, above);
  // lower, higher and nearest pick one element (no lerp: inf - inf would make NaN).
  const bool picks =
      interpolation == "lower" || interpolation == "higher" || interpolation == "nearest";
  const Tensor weight = interpolation == "midpoint" ? full_like(rank, 0.5) : sub(rank, floor(rank));
  Tensor result = picks ? low : lerp_values(low, high, weight);
  // quantile: a row with a NaN gives NaN; nanquantile: a row of NaNs only gives NaN.
  const Tensor nan_rows = ignore_nan ? eq(valid, 0) : gt(nans, 0);
  result = where(nan_rows, std::numeric_limits<double>::quiet_NaN(), result);
  result = result.squeeze(result.dim() - 1);  // (Q, rows...)
  if (keepdim) {
    if (dim) {
      result = result.unsqueeze(d + 1);
    } else {
      result = result.reshape([&] {
        Shape shape(static_cast<size_t>(x.dim()), 1);
        shape.insert(0, q.numel());
        return shape;
      }());
    }
  }
  return q_in.dim() == 0 ? result.squeeze(0) : result;
}

}  // namespace

Tensor cumsum(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return std::get<0>(run_scan(ScanOp::Sum, x.to(scan_dtype(x, dtype)), dim, false));
}

Tensor cumprod(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return std::get<0>(run_scan(ScanOp::Prod, x.to(scan_dtype(x, dtype)), dim, false));
}

std::tuple<Tensor, Tensor> cummax(const Tensor& x, int64_t dim) {
  return run_scan(ScanOp::Max, x, dim, true);
}

std::tuple<Tensor, Tensor> cummin(const Tensor& x, int64_t dim) {
  return run_scan(ScanOp::Min, x, dim, true);
}

Tensor logcumsumexp(const Tensor& x, int64_t dim) {
  EMBER_CHECK(is_floating_point(x.dtype()),
              "[logcumsumexp] \"logcumsumexp_out_cpu\" not implemented for '", x.dtype(), "'");
  return std::get<0>(run_scan(ScanOp::LogSumExp, x, dim, false));
}

std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending) {
  const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "sort");
  check_row_length("sort", x, d);
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  Tensor values = empty(input.shape(), TensorOptions(x.dtype()).device(x.device()));
  Tensor indices = empty(input.shape(), TensorOptions(kInt64).device(x.device()));
  run_unless_empty(Sort(d, descending), {input}, {values, indices});
  if (x.dim() == 0) return {values.reshape({}), indices.reshape({})};
  return {values, indices};
}

std::tuple<Tensor, Tensor> sort(const Tensor& x, std::optional<bool> /*stable: always*/,
                                int64_t dim, bool descending) {
  return sort(x, dim, descending);
}

Tensor argsort(const Tensor& x, int64_t dim, bool descending) {
  return std::get<1>(sort(x, dim, descending));
}

Tensor argsort(const Tensor& x, bool /*stable: always*/, int64_t dim, bool descending) {
  return std::get<1>(sort(x, dim, descending));
}

Tensor msort(const Tensor& x) { return std::get<0>(sort(x, 0, false)); }

std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest,
                                bool /*sorted: always*/) {
  const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "topk");
  check_row_length("topk", x, d);
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  EMBER_CHECK(k >= 0 && k <= input.shape()[d], "[topk] selected index k out of range; k = ", k,
              " for a dim of size ", input.shape()[d], " (input shape ", x.shape(), ")");
  Shape shape = input.shape();
  shape[d] = k;
  Tensor values = empty(shape, TensorOptions(x.dtype()).device(x.device()));
  Tensor indices = empty(shape, TensorOptions(kInt64).device(x.device()));
  run_unless_empty(Topk(k, d, largest), {input}, {values, indices});
  if (x.dim() == 0) return {values.reshape({}), indices.reshape({})};
  return {values, indices};
}

std::tuple<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
  const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "kthvalue");
  const int64_t size = x.dim() == 0 ? 1 : x.shape()[d];
  EMBER_CHECK(k >= 1 && k <= size,
              "[kthvalue] kthvalue(): selected number k out of range for "
              "dimension ",
              d, "; k = ", k, ", size ", size);
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  auto [values, indices] = topk(input, k, d, /*largest=*/false);
  values = values.narrow(d, k - 1, 1);
  indices = indices.narrow(d, k - 1, 1);
  return {keep_or_drop(values, d, keepdim, x.dim() == 0),
          keep_or_drop(indices, d, keepdim, x.dim() == 0)};
}

Tensor median(const Tensor& x) { return median_all("median", x, false); }
std::tuple<Tensor, Tensor> median(const Tensor& x, int64_t dim, bool keepdim) {
  return median_along("median", x, dim, keepdim, false);
}
Tensor nanmedian(const Tensor& x) { return median_all("nanmedian", x, true); }
std::tuple<Tensor, Tensor> nanmedian(const Tensor& x, int64_t dim, bool keepdim) {
  return median_along("nanmedian", x, dim, keepdim, true);
}

std::tuple<Tensor, Tensor> mode(const Tensor& x, int64_t dim, bool keepdim) {
  const int64_t d = reduction_dim("mode", x, dim);
  check_row_length("mode", x, d);
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  Shape shape = input.shape();
  shape[d] = 1;
  Tensor values = empty(shape, TensorOptions(x.dtype()).device(x.device()));
  Tensor indices = empty(shape, TensorOptions(kInt64).device(x.device()));
  run_unless_empty(Mode(d), {input}, {values, indices});
  return {keep_or_drop(values, d, keepdim, x.dim() == 0),
          keep_or_drop(indices, d, keepdim, x.dim() == 0)};
}

Tensor quantile(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim,
                std::string_view interpolation) {
  return quantile_impl("quantile", x, scalar_tensor(q, x.dtype()), dim, keepdim, interpolation,
                       false);
}
Tensor quantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                std::string_view interpolation) {
  return quantile_impl("quantile", x, q, dim, keepdim, interpolation, false);
}
Tensor nanquantile(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim,
                   std::string_view interpolation) {
  return quantile_impl("nanquantile", x, scalar_tensor(q, x.dtype()), dim, keepdim, interpolation,
                       true);
}
Tensor nanquantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                   std::string_view interpolation) {
  return quantile_impl("nanquantile", x, q, dim, keepdim, interpolation, true);
}

// Tensor methods
Tensor Tensor::cumsum(int64_t dim, std::optional<ScalarType> dtype) const {
  return ember::cumsum(*this, dim, dtype);
}
Tensor Tensor::cumprod(int64_t dim, std::optional<ScalarType> dtype) const {
  return ember::cumprod(*this, dim, dtype);
}
Tensor& Tensor::cumsum_(int64_t dim, std::optional<ScalarType> dtype) {
  return copy_(ember::cumsum(*this, dim, dtype ? dtype : std::optional(this->dtype())));
}
Tensor& Tensor::cumprod_(int64_t dim, std::optional<ScalarType> dtype) {
  return copy_(ember::cumprod(*this, dim, dtype ? dtype : std::optional(this->dtype())));
}
std::tuple<Tensor, Tensor> Tensor::cummax(int64_t dim) const { return ember::cummax(*this, dim); }
std::tuple<Tensor, Tensor> Tensor::cummin(int64_t dim) const { return ember::cummin(*this, dim); }
Tensor Tensor::logcumsumexp(int64_t dim) const { return ember::logcumsumexp(*this, dim); }
std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending) const {
  return ember::sort(*this, dim, descending);
}
std::tuple<Tensor, Tensor> Tensor::sort(std::optional<bool> stable, int64_t dim,
                                        bool descending) const {
  return ember::sort(*this, stable, dim, descending);
}
Tensor Tensor::argsort(int64_t dim, bool descending) const {
  return ember::argsort(*this, dim, descending);
}
Tensor Tensor::argsort(bool stable, int64_t dim, bool descending) const {
  return ember::argsort(*this, stable, dim, descending);
}
Tensor Tensor::msort() const { return ember::msort(*this); }
std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
  return ember::topk(*this, k, dim, largest, sorted);
}
std::tuple<Tensor, Tensor> Tensor::kthvalue(int64_t k, int64_t dim, bool keepdim) const {
  return ember::kthvalue(*this, k, dim, keepdim);
}
Tensor Tensor::median() const { return ember::median(*this); }
std::tuple<Tensor, Tensor> Tensor::median(int64_t dim, bool keepdim) const {
  return ember::median(*this, dim, keepdim);
}
Tensor Tensor::nanmedian() const { return ember::nanmedian(*this); }
std::tuple<Tensor, Tensor> Tensor::nanmedian(int64_t dim, bool keepdim) const {
  return ember::nanmedian(*this, dim, keepdim);
}
std::tuple<Tensor, Tensor> Tensor::mode(int64_t dim, bool keepdim) const {
  return ember::mode(*this, dim, keepdim);
}
Tensor Tensor::quantile(double q, std::optional<int64_t> dim, bool keepdim,
                        std::string_view interpolation) const {
  return ember::quantile(*this, q, dim, keepdim, interpolation);
}
Tensor Tensor::quantile(const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                        std::string_view interpolation) const {
  return ember::quantile(*this, q, dim, keepdim, interpolation);
}
Tensor Tensor::nanquantile(double q, std::optional<int64_t> dim, bool keepdim,
                           std::string_view interpolation) const {
  return ember::nanquantile(*this, q, dim, keepdim, interpolation);
}
Tensor Tensor::nanquantile(const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                           std::string_view interpolation) const {
  return ember::nanquantile(*this, q, dim, keepdim, interpolation);
}

}  // namespace ember
