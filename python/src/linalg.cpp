// The linear-algebra family: the ember.linalg submodule (bound as ember._C._linalg and
// re-exported by python/ember/linalg.py), the legacy top-level names (ember.det, ember.svd,
// ...), einsum/tensordot/kron/baddbmm/addbmm/addmv/addr, and their Tensor methods.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <deque>

#include "convert.h"
#include "ember/ops/linalg.h"
#include "ember/ops/util.h"
#include "out.h"

namespace ember::python {
namespace {

// torch.return_types-style named results (ember/_return_types.py).
template <typename... Tensors>
nb::object named(const char* name, std::tuple<Tensors...> result) {
  static nb::handle return_types = nb::module_::import_("ember._return_types").release();
  return std::apply([&](auto&&... values) { return return_types.attr(name)(values...); }, result);
}

// ord of matrix_norm / norm: a number or 'fro' / 'nuc'; `text` keeps the string alive.
linalg::NormOrder to_order(nb::handle ord, std::string& text) {
  if (nb::isinstance<nb::str>(ord)) {
    text = nb::cast<std::string>(ord);
    return std::string_view(text);
  }
  return nb::cast<double>(ord);
}

std::vector<Tensor> to_tensor_list(nb::handle sequence) {
  std::vector<Tensor> tensors;
  for (nb::handle item : sequence) tensors.push_back(nb::cast<Tensor>(item));
  return tensors;
}

void init_linalg_submodule(nb::module_& linalg) {
  linalg.def("cross", with_out("linalg.cross", &ember::linalg_cross), nb::arg("input"),
             nb::arg("other"), nb::kw_only(), nb::arg("dim") = -1, nb::arg("out") = nb::none(),
             nb::sig("def cross(input, other, *, dim=-1, out=None) -> Tensor"),
             "The cross product of the 3-vectors along dim (default: the last).");
  linalg.def("det", with_out("linalg.det", &linalg::det), nb::arg("A"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def det(A, *, out=None) -> Tensor"),
             "The determinant of each square matrix of A.");
  linalg.def("slogdet",
             with_out("linalg.slogdet",
                      [](const Tensor& A) { return named("linalg_slogdet", linalg::slogdet(A)); }),
             nb::arg("A"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def slogdet(A, *, out=None) -> tuple[Tensor, Tensor]"),
             "The sign and the log of the absolute value of each determinant: (sign, logabsdet).");
  linalg.def("inv", with_out("linalg.inv", &linalg::inv), nb::arg("A"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def inv(A, *, out=None) -> Tensor"),
             "The inverse of each square matrix of A; raises for a singular one.");
  linalg.def("inv_ex",
             with_out("linalg.inv_ex",
                      [](const Tensor& A, bool check_errors) {
                        return named("linalg_inv_ex", linalg::inv_ex(A, check_errors));
                      }),
             nb::arg("A"), nb::kw_only(), nb::arg("check_errors") = false,
             nb::arg("out") = nb::none(),
             nb::sig("def inv_ex(A, *, check_errors=False, out=None) -> tuple[Tensor, Tensor]"),
             "(inverse, info): inv without raising; info is LAPACK's, 0 where A is invertible.");
  linalg.def("solve", with_out("linalg.solve", &linalg::solve), nb::arg("A"), nb::arg("B"),
             nb::kw_only(), nb::arg("left") = true, nb::arg("out") = nb::none(),
             nb::sig("def solve(A, B, *, left=True, out=None) -> Tensor"),
             "The solution X of A X = B (or X A = B for left=False), broadcast over batches.");
  linalg.def("solve_ex",
             with_out("linalg.solve_ex",
                      [](const Tensor& A, const Tensor& B, bool left, bool check_errors) {
                        return named("linalg_solve_ex", linalg::solve_ex(A, B, left, check_errors));
                      }),
             nb::arg("A"), nb::arg("B"), nb::kw_only(), nb::arg("left") = true,
             nb::arg("check_errors") = false, nb::arg("out") = nb::none(),
             nb::sig("def solve_ex(A, B, *, left=True, check_errors=False, out=None) -> "
                     "tuple[Tensor, Tensor]"),
             "(result, info): solve without raising; info is LAPACK's, 0 where A is invertible.");
  linalg.def("solve_triangular", with_out("linalg.solve_triangular", &linalg::solve_triangular),
             nb::arg("A"), nb::arg("B"), nb::kw_only(), nb::arg("upper"), nb::arg("left") = true,
             nb::arg("unitriangular") = false, nb::arg("out") = nb::none(),
             nb::sig("def solve_triangular(A, B, *, upper, left=True, unitriangular=False, "
                     "out=None) -> Tensor"),
             "The solution of a triangular system A X = B (or X A = B for left=False).");
  linalg.def("cholesky", with_out("linalg.cholesky", &linalg::cholesky), nb::arg("A"),
             nb::kw_only(), nb::arg("upper") = false, nb::arg("out") = nb::none(),
             nb::sig("def cholesky(A, *, upper=False, out=None) -> Tensor"),
             "The Cholesky factor L (A = L L^T) of each symmetric positive-definite matrix.");
  linalg.def("cholesky_ex",
             with_out("linalg.cholesky_ex",
                      [](const Tensor& A, bool upper, bool check_errors) {
                        return named("linalg_cholesky_ex",
                                     linalg::cholesky_ex(A, upper, check_errors));
                      }),
             nb::arg("A"), nb::kw_only(), nb::arg("upper") = false, nb::arg("check_errors") = false,
             nb::arg("out") = nb::none(),
             nb::sig("def cholesky_ex(A, *, upper=False, check_errors=False, out=None) -> "
                     "tuple[Tensor, Tensor]"),
             "(L, info): cholesky without raising; info > 0 names the first non-positive minor.");
  linalg.def("qr",
             with_out("linalg.qr",
                      [](const Tensor& A, const std::string& mode) {
                        return named("linalg_qr", linalg::qr(A, mode));
                      }),
             nb::arg("A"), nb::arg("mode") = "reduced", nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def qr(A, mode='reduced', *, out=None) -> tuple[Tensor, Tensor]"),
             "The QR decomposition (Q, R); mode 'reduced', 'complete' or 'r' (R only).");
  linalg.def("eigh",
             with_out("linalg.eigh",
                      [](const Tensor& A, const std::string& uplo) {
                        return named("linalg_eigh", linalg::eigh(A, uplo));
                      }),
             nb::arg("A"), nb::arg("UPLO") = "L", nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def eigh(A, UPLO='L', *, out=None) -> tuple[Tensor, Tensor]"),
             "(eigenvalues ascending, eigenvectors) of each symmetric matrix (its UPLO triangle).");
  linalg.def(
      "eigvalsh",
      with_out("linalg.eigvalsh",
               [](const Tensor& A, const std::string& uplo) { return linalg::eigvalsh(A, uplo); }),
      nb::arg("A"), nb::arg("UPLO") = "L", nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def eigvalsh(A, UPLO='L', *, out=None) -> Tensor"),
      "The eigenvalues (ascending) of each symmetric matrix.");
  linalg.def(
      "svd",
      with_out("linalg.svd",
               [](const Tensor& A, bool full_matrices) {
                 return named("linalg_svd", linalg::svd(A, full_matrices));
               }),
      nb::arg("A"), nb::arg("full_matrices") = true, nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def svd(A, full_matrices=True, *, out=None) -> tuple[Tensor, Tensor, Tensor]"),
      "The singular value decomposition (U, S, Vh) with A = U diag(S) Vh.");
  linalg.def("svdvals", with_out("linalg.svdvals", &linalg::svdvals), nb::arg("A"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def svdvals(A, *, out=None) -> Tensor"),
             "The singular values (descending) of each matrix.");
  linalg.def(
      "lstsq",
      with_out("linalg.lstsq",
               [](const Tensor& A, const Tensor& B, std::optional<double> rcond,
                  std::optional<std::string> driver) {
                 std::optional<std::string_view> name;
                 if (driver) name = *driver;
                 return named("linalg_lstsq", linalg::lstsq(A, B, rcond, name));
               }),
      nb::arg("A"), nb::arg("B"), nb::arg("rcond") = nb::none(), nb::kw_only(),
      nb::arg("driver") = nb::none(), nb::arg("out") = nb::none(),
      nb::sig(
          "def lstsq(A, B, rcond=None, *, driver=None, out=None) -> tuple[Tensor, Tensor, Tensor, "
          "Tensor]"),
      "(solution, residuals, rank, singular_values) of the least-squares problem min |A X - B|.");
  linalg.def("pinv", with_out("linalg.pinv", &linalg::pinv), nb::arg("A"), nb::kw_only(),
             nb::arg("atol") = nb::none(), nb::arg("rtol") = nb::none(),
             nb::arg("hermitian") = false, nb::arg("out") = nb::none(),
             nb::sig("def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None) -> Tensor"),
             "The Moore-Penrose pseudo-inverse of each matrix.");
  linalg.def("matrix_rank", with_out("linalg.matrix_rank", &linalg::matrix_rank), nb::arg("A"),
             nb::kw_only(), nb::arg("atol") = nb::none(), nb::arg("rtol") = nb::none(),
             nb::arg("hermitian") = false, nb::arg("out") = nb::none(),
             nb::sig("def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None) "
                     "-> Tensor"),
             "The numerical rank of each matrix (singular values above the tolerance).");
  linalg.def("matrix_power", with_out("linalg.matrix_power", &linalg::matrix_power), nb::arg("A"),
             nb::arg("n"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def matrix_power(A, n, *, out=None) -> Tensor"),
             "A to the integer power n (n < 0 through the inverse).");
  linalg.def("matrix_exp", &linalg::matrix_exp, nb::arg("A"),
             nb::sig("def matrix_exp(A) -> Tensor"), "The matrix exponential of each matrix.");
  linalg.def(
      "multi_dot",
      with_out("linalg.multi_dot",
               [](nb::handle tensors) { return linalg::multi_dot(to_tensor_list(tensors)); }),
      nb::arg("tensors"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def multi_dot(tensors, *, out=None) -> Tensor"),
      "The product of a chain of matrices, in the cheapest order.");
  linalg.def(
      "vector_norm",
      with_out("linalg.vector_norm",
               [](const Tensor& x, double ord, nb::handle dim, bool keepdim, nb::handle dtype) {
                 return linalg::vector_norm(x, ord, to_dims(dim), keepdim, to_dtype(dtype));
               }),
      nb::arg("x"), nb::arg("ord") = 2, nb::arg("dim") = nb::none(), nb::arg("keepdim") = false,
      nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("out") = nb::none(),
      nb::sig("def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None) -> "
              "Tensor"),
      "The vector ord-norm of x over dim (all dims by default).");
  linalg.def(
      "matrix_norm",
      with_out("linalg.matrix_norm",
               [](const Tensor& A, nb::handle ord, nb::handle dim, bool keepdim, nb::handle dtype) {
                 std::string text;
                 return linalg::matrix_norm(A, to_order(ord, text), to_dims(dim), keepdim,
                                            to_dtype(dtype));
               }),
      nb::arg("A"), nb::arg("ord") = "fro", nb::arg("dim") = nb::make_tuple(-2, -1),
      nb::arg("keepdim") = false, nb::kw_only(), nb::arg("dtype") = nb::none(),
      nb::arg("out") = nb::none(),
      nb::sig("def matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None, "
              "out=None) -> Tensor"),
      "The matrix norm ('fro', 'nuc', 1, -1, 2, -2, inf, -inf) over the two dims.");
  linalg.def(
      "norm",
      with_out("linalg.norm",
               [](const Tensor& A, nb::handle ord, nb::handle dim, bool keepdim, nb::handle dtype) {
                 std::string text;
                 std::optional<linalg::NormOrder> order;
                 if (!ord.is_none()) order = to_order(ord, text);
                 return linalg::norm(A, order, to_dims(dim), keepdim, to_dtype(dtype));
               }),
      nb::arg("A"), nb::arg("ord") = nb::none(), nb::arg("dim") = nb::none(),
      nb::arg("keepdim") = false, nb::kw_only(), nb::arg("dtype") = nb::none(),
      nb::arg("out") = nb::none(),
      nb::sig("def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None) -> "
              "Tensor"),
      "A vector norm (one dim, or a 1-D input) or a matrix norm (two dims, or a 2-D input).");
}

}  // namespace

void init_linalg(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  nb::module_ linalg = module.def_submodule("_linalg", "ember.linalg's functions.");
  init_linalg_submodule(linalg);

  module.def("det", &ember::det, nb::arg("input"), nb::sig("def det(input) -> Tensor"),
             "The determinant (ember.linalg.det).");
  module.def("logdet", &ember::logdet, nb::arg("input"), nb::sig("def logdet(input) -> Tensor"),
             "The log of the determinant: nan for a negative one, -inf for zero.");
  module.def(
      "slogdet",
      with_out("slogdet", [](const Tensor& A) { return named("slogdet", ember::slogdet(A)); }),
      nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def slogdet(input, *, out=None) -> tuple[Tensor, Tensor]"),
      "(sign, logabsdet) of the determinant (ember.linalg.slogdet).");
  module.def("inverse", with_out("inverse", &ember::inverse), nb::arg("input"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def inverse(input, *, out=None) -> Tensor"),
             "The matrix inverse (ember.linalg.inv).");
  module.def("cholesky", with_out("cholesky", &ember::cholesky), nb::arg("input"),
             nb::arg("upper") = false, nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def cholesky(input, upper=False, *, out=None) -> Tensor"),
             "The Cholesky factor (ember.linalg.cholesky).");
  module.def("cholesky_solve", with_out("cholesky_solve", &ember::cholesky_solve), nb::arg("input"),
             nb::arg("input2"), nb::arg("upper") = false, nb::kw_only(),
             nb::arg("out") = nb::none(),
             nb::sig("def cholesky_solve(input, input2, upper=False, *, out=None) -> Tensor"),
             "Solves A X = input given A's Cholesky factor input2.");
  module.def("cholesky_inverse", with_out("cholesky_inverse", &ember::cholesky_inverse),
             nb::arg("input"), nb::arg("upper") = false, nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def cholesky_inverse(input, upper=False, *, out=None) -> Tensor"),
             "The inverse of A given A's Cholesky factor.");
  module.def(
      "qr",
      with_out("qr", [](const Tensor& A, bool some) { return named("qr", ember::qr(A, some)); }),
      nb::arg("input"), nb::arg("some") = true, nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def qr(input, some=True, *, out=None) -> tuple[Tensor, Tensor]"),
      "The QR decomposition (reduced for some=True, else complete).");
  module.def("svd",
             with_out("svd",
                      [](const Tensor& A, bool some, bool compute_uv) {
                        return named("svd", ember::svd(A, some, compute_uv));
                      }),
             nb::arg("input"), nb::arg("some") = true, nb::arg("compute_uv") = true, nb::kw_only(),
             nb::arg("out") = nb::none(),
             nb::sig("def svd(input, some=True, compute_uv=True, *, out=None) -> tuple[Tensor, "
                     "Tensor, Tensor]"),
             "The SVD as (U, S, V) with A = U diag(S) V^T (legacy; see ember.linalg.svd).");
  module.def("pinverse", &ember::pinverse, nb::arg("input"), nb::arg("rcond") = 1e-15,
             nb::sig("def pinverse(input, rcond=1e-15) -> Tensor"),
             "The pseudo-inverse (ember.linalg.pinv with rtol=rcond).");
  module.def("matrix_power", with_out("matrix_power", &ember::matrix_power), nb::arg("input"),
             nb::arg("n"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def matrix_power(input, n, *, out=None) -> Tensor"),
             "The integer matrix power.");
  module.def("matrix_exp", &ember::matrix_exp, nb::arg("input"),
             nb::sig("def matrix_exp(input) -> Tensor"), "The matrix exponential.");
  module.def(
      "einsum",
      [](const std::string& equation, nb::args operands) {
        // einsum(eq, a, b) or einsum(eq, [a, b]).
        if (operands.size() == 1 && !nb::isinstance<Tensor>(operands[0])) {
          return ember::einsum(equation, to_tensor_list(operands[0]));
        }
        return ember::einsum(equation, to_tensor_list(operands));
      },
      nb::arg("equation"), nb::arg("operands"),
      nb::sig("def einsum(equation, *operands) -> Tensor"),
      "Sums the product of the operands over the subscripts the equation contracts.");
  module.def("tensordot",
             with_out("tensordot",
                      [](const Tensor& a, const Tensor& b, nb::handle dims) {
                        if (nb::isinstance<nb::int_>(dims))
                          return ember::tensordot(a, b, nb::cast<int64_t>(dims));
                        const nb::sequence pair = nb::cast<nb::sequence>(dims);
                        EMBER_CHECK(nb::len(pair) == 2,
                                    "[tensordot] dims must be an int or a pair of lists");
                        return ember::tensordot(a, b, to_dims(pair[0]), to_dims(pair[1]));
                      }),
             nb::arg("a"), nb::arg("b"), nb::arg("dims") = 2, nb::arg("out") = nb::none(),
             nb::sig("def tensordot(a, b, dims=2, out=None) -> Tensor"),
             "Contracts a and b over dims (a count of trailing/leading dims, or two lists).");
  module.def("kron", with_out("kron", &ember::kron), nb::arg("input"), nb::arg("other"),
             nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def kron(input, other, *, out=None) -> Tensor"), "The Kronecker product.");
  // The method's signature is the function's with self for input.
  static std::deque<std::string> method_signatures;  // nanobind keeps the pointers
  const auto bind_scaled = [&](const char* name, auto function, const char* first,
                               const char* second, const char* signature, const char* doc) {
    std::string method_signature = signature;
    method_signature.replace(method_signature.find("(input"), 6, "(self");
    method_signature.replace(method_signature.find(", out=None"), 10, "");
    method_signatures.push_back(method_signature);
    module.def(name,
               with_out(name,
                        [function](const Tensor& input, const Tensor& a, const Tensor& b,
                                   nb::handle beta, nb::handle alpha) {
                          return function(input, a, b, to_scalar(beta), to_scalar(alpha));
                        }),
               nb::arg("input"), nb::arg(first), nb::arg(second), nb::kw_only(),
               nb::arg("beta") = 1, nb::arg("alpha") = 1, nb::arg("out") = nb::none(),
               nb::sig(signature), doc);
    tensor_class.def(
        name,
        [function](const Tensor& input, const Tensor& a, const Tensor& b, nb::handle beta,
                   nb::handle alpha) {
          return function(input, a, b, to_scalar(beta), to_scalar(alpha));
        },
        nb::arg(first), nb::arg(second), nb::kw_only(), nb::arg("beta") = 1, nb::arg("alpha") = 1,
        nb::sig(method_signatures.back().c_str()), doc);
  };
  bind_scaled("baddbmm", &ember::baddbmm, "batch1", "batch2",
              "def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None) -> Tensor",
              "beta * input + alpha * (batch1 @ batch2), batched.");
  bind_scaled("addbmm", &ember::addbmm, "batch1", "batch2",
              "def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None) -> Tensor",
              "beta * input + alpha * the sum over the batch of batch1 @ batch2.");
  bind_scaled("addmv", &ember::addmv, "mat", "vec",
              "def addmv(input, mat, vec, *, beta=1, alpha=1, out=None) -> Tensor",
              "beta * input + alpha * (mat @ vec).");
  bind_scaled("addr", &ember::addr, "vec1", "vec2",
              "def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None) -> Tensor",
              "beta * input + alpha * outer(vec1, vec2).");

  tensor_class.def("det", &ember::det, nb::sig("def det(self) -> Tensor"), "The determinant.")
      .def("logdet", &ember::logdet, nb::sig("def logdet(self) -> Tensor"),
           "The log of the determinant.")
      .def(
          "slogdet", [](const Tensor& A) { return named("slogdet", ember::slogdet(A)); },
          nb::sig("def slogdet(self) -> tuple[Tensor, Tensor]"),
          "(sign, logabsdet) of the determinant.")
      .def("inverse", &ember::inverse, nb::sig("def inverse(self) -> Tensor"),
           "The matrix inverse.")
      .def("cholesky", &ember::cholesky, nb::arg("upper") = false,
           nb::sig("def cholesky(self, upper=False) -> Tensor"), "The Cholesky factor.")
      .def("cholesky_inverse", &ember::cholesky_inverse, nb::arg("upper") = false,
           nb::sig("def cholesky_inverse(self, upper=False) -> Tensor"),
           "The inverse of A given A's Cholesky factor self.")
      .def(
          "qr", [](const Tensor& A, bool some) { return named("qr", ember::qr(A, some)); },
          nb::arg("some") = true, nb::sig("def qr(self, some=True) -> tuple[Tensor, Tensor]"),
          "The QR decomposition.")
      .def(
          "svd",
          [](const Tensor& A, bool some, bool compute_uv) {
            return named("svd", ember::svd(A, some, compute_uv));
          },
          nb::arg("some") = true, nb::arg("compute_uv") = true,
          nb::sig("def svd(self, some=True, compute_uv=True) -> tuple[Tensor, Tensor, Tensor]"),
          "The SVD as (U, S, V).")
      .def("pinverse", &ember::pinverse, nb::arg("rcond") = 1e-15,
           nb::sig("def pinverse(self, rcond=1e-15) -> Tensor"), "The pseudo-inverse.")
      .def("matrix_power", &ember::matrix_power, nb::arg("n"),
           nb::sig("def matrix_power(self, n) -> Tensor"), "The integer matrix power.")
      .def("matrix_exp", &ember::matrix_exp, nb::sig("def matrix_exp(self) -> Tensor"),
           "The matrix exponential.")
      .def("kron", &ember::kron, nb::arg("other"), nb::sig("def kron(self, other) -> Tensor"),
           "The Kronecker product.");
}

}  // namespace ember::python
