#include "ember/ops/out_multi.h"

#include "ember/base/error.h"
#include "ember/ops/inplace.h"
#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"
#include "ember/ops/out.h"
#include "ember/ops/scan.h"
#include "ember/ops/util.h"

namespace ember {
namespace {

// Whether two outs would write one memory location twice: the same tensor, or dense views of
// one storage whose bytes meet (other layouts are not decided, as for inputs, B17).
bool outs_overlap(const Tensor& a, const Tensor& b) {
  if (a.is_same(b)) return true;
  if (a.numel() == 0 || b.numel() == 0 || a.storage().get() != b.storage().get()) return false;
  if (!is_non_overlapping_and_dense(a) || !is_non_overlapping_and_dense(b)) return false;
  const char* a_begin = static_cast<const char*>(a.data_ptr());
  const char* b_begin = static_cast<const char*>(b.data_ptr());
  return a_begin < b_begin + b.nbytes() && b_begin < a_begin + a.nbytes();
}

void check_out_dtype(std::string_view op, const Tensor& result, const Tensor& out, size_t i) {
  if (is_integral(result.dtype(), /*include_bool=*/false)) {
    EMBER_CHECK(out.dtype() == result.dtype(), "[", op, "] Expected out tensor ", i,
                " to have dtype ", result.dtype(), ", but got ", out.dtype(),
                " instead (an integer result such as indices is written only into its own "
                "dtype)");
  } else {
    check_inplace_cast(op, result.dtype(), out.dtype());
  }
}

}  // namespace

void check_outs(std::string_view op, ArrayRef<Tensor> outs, ArrayRef<Tensor> inputs) {
  for (size_t i = 0; i < outs.size(); ++i) {
    check_out(op, outs[i], inputs);
    for (size_t j = 0; j < i; ++j) {
      EMBER_CHECK(!outs[i].is_same(outs[j]), "[", op, "] out= tensors ", j, " and ", i,
                  " are the same tensor; each result needs its own out");
    }
  }
}

void write_outs(std::string_view op, ArrayRef<Tensor> results, ArrayRef<Tensor> outs,
                ArrayRef<Tensor> inputs) {
  EMBER_CHECK(results.size() == outs.size(), "[", op, "] out= takes ", results.size(),
              " tensors; got ", outs.size());
  for (size_t i = 0; i < results.size(); ++i) {
    EMBER_CHECK(!results[i].requires_grad(), "[", op,
                "] out=... arguments don't support automatic differentiation, but one of the "
                "arguments requires grad.");
    check_out_dtype(op, results[i], outs[i], i);
  }
  for (size_t i = 0; i < results.size(); ++i) {
    Tensor out = outs[i];
    resize_out(op, out, results[i].shape());
  }
  for (size_t i = 0; i < outs.size(); ++i) {
    if (outs[i].numel() == 0) continue;
    check_no_internal_overlap(op, outs[i]);
    for (const Tensor& input : inputs) {
      if (input.defined()) check_no_partial_overlap(op, outs[i], input);
    }
    for (size_t j = 0; j < i; ++j) {
      EMBER_CHECK(!outs_overlap(outs[i], outs[j]), "[", op,
                  "] unsupported operation: out= tensors ", j, " and ", i,
                  " refer to a single memory location. Please give each result its own tensor.");
    }
  }
  for (size_t i = 0; i < outs.size(); ++i) {
    Tensor out = outs[i];
    if (out.numel() != 0) out.copy_(results[i]);
  }
}

// ---------------------------------------------------------------- *_out functions

TensorPairRef sort_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                       bool descending) {
  return out_tuple_call("sort", std::tie(values, indices), {self},
                        [&] { return sort(self, dim, descending); });
}
TensorPairRef sort_out(Tensor& values, Tensor& indices, const Tensor& self,
                       std::optional<bool> stable, int64_t dim, bool descending) {
  return out_tuple_call("sort", std::tie(values, indices), {self},
                        [&] { return sort(self, stable, dim, descending); });
}
TensorPairRef topk_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k, int64_t dim,
                       bool largest, bool sorted) {
  return out_tuple_call("topk", std::tie(values, indices), {self},
                        [&] { return topk(self, k, dim, largest, sorted); });
}
TensorPairRef kthvalue_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k,
                           int64_t dim, bool keepdim) {
  return out_tuple_call("kthvalue", std::tie(values, indices), {self},
                        [&] { return kthvalue(self, k, dim, keepdim); });
}
TensorPairRef median_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                         bool keepdim) {
  return out_tuple_call("median", std::tie(values, indices), {self},
                        [&] { return median(self, dim, keepdim); });
}
TensorPairRef nanmedian_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                            bool keepdim) {
  return out_tuple_call("nanmedian", std::tie(values, indices), {self},
                        [&] { return nanmedian(self, dim, keepdim); });
}
TensorPairRef mode_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                       bool keepdim) {
  return out_tuple_call("mode", std::tie(values, indices), {self},
                        [&] { return mode(self, dim, keepdim); });
}
TensorPairRef cummax_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim) {
  return out_tuple_call("cummax", std::tie(values, indices), {self},
                        [&] { return cummax(self, dim); });
}
TensorPairRef cummin_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim) {
  return out_tuple_call("cummin", std::tie(values, indices), {self},
                        [&] { return cummin(self, dim); });
}
TensorPairRef max_out(Tensor& max, Tensor& max_indices, const Tensor& self, int64_t dim,
                      bool keepdim) {
  return out_tuple_call("max", std::tie(max, max_indices), {self},
                        [&] { return ember::max(self, dim, keepdim); });
}
TensorPairRef min_out(Tensor& min, Tensor& min_indices, const Tensor& self, int64_t dim,
                      bool keepdim) {
  return out_tuple_call("min", std::tie(min, min_indices), {self},
                        [&] { return ember::min(self, dim, keepdim); });
}
TensorPairRef aminmax_out(Tensor& min, Tensor& max, const Tensor& self, std::optional<int64_t> dim,
                          bool keepdim) {
  return out_tuple_call("aminmax", std::tie(min, max), {self},
                        [&] { return aminmax(self, dim, keepdim); });
}
TensorPairRef histogram_out(Tensor& hist, Tensor& bin_edges, const Tensor& self, int64_t bins,
                            std::optional<std::vector<double>> range,
                            const std::optional<Tensor>& weight, bool density) {
  return out_tuple_call("histogram", std::tie(hist, bin_edges), {self, weight.value_or(Tensor())},
                        [&] { return histogram(self, bins, range, weight, density); });
}
TensorPairRef histogram_out(Tensor& hist, Tensor& bin_edges, const Tensor& self, const Tensor& bins,
                            const std::optional<Tensor>& weight, bool density) {
  return out_tuple_call("histogram", std::tie(hist, bin_edges),
                        {self, bins, weight.value_or(Tensor())},
                        [&] { return histogram(self, bins, weight, density); });
}

TensorPairRef linalg_slogdet_out(Tensor& sign, Tensor& logabsdet, const Tensor& A) {
  return out_tuple_call("linalg.slogdet", std::tie(sign, logabsdet), {A},
                        [&] { return linalg::slogdet(A); });
}
TensorPairRef slogdet_out(Tensor& sign, Tensor& logabsdet, const Tensor& self) {
  return out_tuple_call("slogdet", std::tie(sign, logabsdet), {self},
                        [&] { return slogdet(self); });
}
TensorPairRef linalg_inv_ex_out(Tensor& inverse, Tensor& info, const Tensor& A, bool check_errors) {
  return out_tuple_call("linalg.inv_ex", std::tie(inverse, info), {A},
                        [&] { return linalg::inv_ex(A, check_errors); });
}
TensorPairRef linalg_solve_ex_out(Tensor& result, Tensor& info, const Tensor& A, const Tensor& B,
                                  bool left, bool check_errors) {
  return out_tuple_call("linalg.solve_ex", std::tie(result, info), {A, B},
                        [&] { return linalg::solve_ex(A, B, left, check_errors); });
}
TensorPairRef linalg_cholesky_ex_out(Tensor& L, Tensor& info, const Tensor& A, bool upper,
                                     bool check_errors) {
  return out_tuple_call("linalg.cholesky_ex", std::tie(L, info), {A},
                        [&] { return linalg::cholesky_ex(A, upper, check_errors); });
}
TensorPairRef linalg_qr_out(Tensor& Q, Tensor& R, const Tensor& A, std::string_view mode) {
  return out_tuple_call("linalg.qr", std::tie(Q, R), {A}, [&] { return linalg::qr(A, mode); });
}
TensorPairRef qr_out(Tensor& Q, Tensor& R, const Tensor& self, bool some) {
  return out_tuple_call("qr", std::tie(Q, R), {self}, [&] { return qr(self, some); });
}
TensorPairRef linalg_eigh_out(Tensor& eigvals, Tensor& eigvecs, const Tensor& A,
                              std::string_view UPLO) {
  return out_tuple_call("linalg.eigh", std::tie(eigvals, eigvecs), {A},
                        [&] { return linalg::eigh(A, UPLO); });
}
std::tuple<Tensor&, Tensor&, Tensor&> linalg_svd_out(Tensor& U, Tensor& S, Tensor& Vh,
                                                     const Tensor& A, bool full_matrices) {
  return out_tuple_call("linalg.svd", std::tie(U, S, Vh), {A},
                        [&] { return linalg::svd(A, full_matrices); });
}
std::tuple<Tensor&, Tensor&, Tensor&> svd_out(Tensor& U, Tensor& S, Tensor& V, const Tensor& self,
                                              bool some, bool compute_uv) {
  return out_tuple_call("svd", std::tie(U, S, V), {self},
                        [&] { return svd(self, some, compute_uv); });
}
std::tuple<Tensor&, Tensor&, Tensor&, Tensor&> linalg_lstsq_out(
    Tensor& solution, Tensor& residuals, Tensor& rank, Tensor& singular_values, const Tensor& A,
    const Tensor& B, std::optional<double> rcond, std::optional<std::string_view> driver) {
  return out_tuple_call("linalg.lstsq", std::tie(solution, residuals, rank, singular_values),
                        {A, B}, [&] { return linalg::lstsq(A, B, rcond, driver); });
}

}  // namespace ember
