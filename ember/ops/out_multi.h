// out= of ops that return several tensors (sort's values and indices, svd's U, S, Vh, ...): one
// out per result, each under the single-output contract of ember/ops/out.h (device, autograd,
// cast rule, resize, overlap with the inputs), plus two rules of their own:
//   - a result of an integer dtype (indices, LAPACK's info, lstsq's rank) goes only into an out
//     of exactly that dtype, as in PyTorch (an index written into int32 or float would not be
//     usable as one);
//   - the outs share no memory with each other, not even by being the same tensor.
// Every check runs before anything is written, so a refused call leaves all outs untouched
// (the resize step aside, as for a single out). The libtorch-style `*_out` functions below take
// the outs first, in libtorch's order: sort_out(values, indices, self, dim, descending).
#pragma once

#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include "ember/base/array_ref.h"
#include "ember/tensor/tensor.h"

namespace ember {

// The checks that come before computing: each out on the inputs' device, no out given twice.
void check_outs(std::string_view op, ArrayRef<Tensor> outs, ArrayRef<Tensor> inputs);
// The rest of the contract for results[i] -> outs[i] (the outs are handles: resizing and
// writing them writes the caller's tensors).
void write_outs(std::string_view op, ArrayRef<Tensor> results, ArrayRef<Tensor> outs,
                ArrayRef<Tensor> inputs);

// check_outs, compute() (a std::tuple of tensors), write_outs; returns the outs.
template <typename Compute, typename... Outs>
std::tuple<Outs&...> out_tuple_call(std::string_view op, std::tuple<Outs&...> outs,
                                    ArrayRef<Tensor> inputs, Compute&& compute) {
  const std::vector<Tensor> targets =
      std::apply([](const auto&... each) { return std::vector<Tensor>{each...}; }, outs);
  check_outs(op, targets, inputs);
  const std::vector<Tensor> results =
      std::apply([](const auto&... each) { return std::vector<Tensor>{each...}; }, compute());
  write_outs(op, results, targets, inputs);
  return outs;
}

// ---------------------------------------------------------------- libtorch's tuple *_out functions
using TensorPairRef = std::tuple<Tensor&, Tensor&>;

TensorPairRef sort_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim = -1,
                       bool descending = false);
TensorPairRef sort_out(Tensor& values, Tensor& indices, const Tensor& self,
                       std::optional<bool> stable, int64_t dim = -1, bool descending = false);
TensorPairRef topk_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k,
                       int64_t dim = -1, bool largest = true, bool sorted = true);
TensorPairRef kthvalue_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k,
                           int64_t dim = -1, bool keepdim = false);
TensorPairRef median_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                         bool keepdim = false);
TensorPairRef nanmedian_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                            bool keepdim = false);
TensorPairRef mode_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim = -1,
                       bool keepdim = false);
TensorPairRef cummax_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim);
TensorPairRef cummin_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim);
TensorPairRef max_out(Tensor& max, Tensor& max_indices, const Tensor& self, int64_t dim,
                      bool keepdim = false);
TensorPairRef min_out(Tensor& min, Tensor& min_indices, const Tensor& self, int64_t dim,
                      bool keepdim = false);
TensorPairRef aminmax_out(Tensor& min, Tensor& max, const Tensor& self,
                          std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
TensorPairRef histogram_out(Tensor& hist, Tensor& bin_edges, const Tensor& self, int64_t bins = 100,
                            std::optional<std::vector<double>> range = std::nullopt,
                            const std::optional<Tensor>& weight = std::nullopt,
                            bool density = false);
TensorPairRef histogram_out(Tensor& hist, Tensor& bin_edges, const Tensor& self, const Tensor& bins,
                            const std::optional<Tensor>& weight = std::nullopt,
                            bool density = false);

TensorPairRef linalg_slogdet_out(Tensor& sign, Tensor& logabsdet, const Tensor& A);
TensorPairRef slogdet_out(Tensor& sign, Tensor& logabsdet, const Tensor& self);
TensorPairRef linalg_inv_ex_out(Tensor& inverse, Tensor& info, const Tensor& A,
                                bool check_errors = false);
TensorPairRef linalg_solve_ex_out(Tensor& result, Tensor& info, const Tensor& A, const Tensor& B,
                                  bool left = true, bool check_errors = false);
TensorPairRef linalg_cholesky_ex_out(Tensor& L, Tensor& info, const Tensor& A, bool upper = false,
                                     bool check_errors = false);
TensorPairRef linalg_qr_out(Tensor& Q, Tensor& R, const Tensor& A,
                            std::string_view mode = "reduced");
TensorPairRef qr_out(Tensor& Q, Tensor& R, const Tensor& self, bool some = true);
TensorPairRef linalg_eigh_out(Tensor& eigvals, Tensor& eigvecs, const Tensor& A,
                              std::string_view UPLO = "L");
std::tuple<Tensor&, Tensor&, Tensor&> linalg_svd_out(Tensor& U, Tensor& S, Tensor& Vh,
                                                     const Tensor& A, bool full_matrices = true);
std::tuple<Tensor&, Tensor&, Tensor&> svd_out(Tensor& U, Tensor& S, Tensor& V, const Tensor& self,
                                              bool some = true, bool compute_uv = true);
std::tuple<Tensor&, Tensor&, Tensor&, Tensor&> linalg_lstsq_out(
    Tensor& solution, Tensor& residuals, Tensor& rank, Tensor& singular_values, const Tensor& A,
    const Tensor& B, std::optional<double> rcond = std::nullopt,
    std::optional<std::string_view> driver = std::nullopt);

}  // namespace ember
