// Bindings of the scan family (ember/ops/scan.h): each op as ember.name(input, ...) and, where
// PyTorch has one, Tensor.name(...), from one lambda; results of several tensors as the named
// tuples of ember._return_types, as torch.return_types.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/ops/scan.h"
#include "out.h"

namespace ember::python {
namespace {

nb::object named(const char* name, const std::tuple<Tensor, Tensor>& result) {
  static nb::handle return_types = nb::module_::import_("ember._return_types").release();
  return return_types.attr(name)(std::get<0>(result), std::get<1>(result));
}

std::optional<Tensor> optional_tensor(nb::handle object) {
  if (object.is_none()) return std::nullopt;
  return nb::cast<Tensor>(object);
}

std::optional<int64_t> optional_dim(nb::handle object) {
  if (object.is_none()) return std::nullopt;
  return nb::cast<int64_t>(object);
}

// unique's result: the tensor alone, or a tuple with the parts asked for.
nb::object unique_result(const std::tuple<Tensor, Tensor, Tensor>& result, bool inverse,
                         bool counts) {
  if (!inverse && !counts) return nb::cast(std::get<0>(result));
  nb::list parts;
  parts.append(std::get<0>(result));
  if (inverse) parts.append(std::get<1>(result));
  if (counts) parts.append(std::get<2>(result));
  return nb::tuple(parts);
}

// Binds f as ember.name (first argument `input`) and as Tensor.name.
template <typename F, typename... Args>
void def_both(nb::module_& module, nb::class_<Tensor>& tensor, const char* name, F f,
              const char* function_sig, const char* method_sig, const char* doc,
              const Args&... args) {
  module.def(name, f, nb::arg("input"), args..., nb::sig(function_sig), doc);
  tensor.def(name, f, args..., nb::sig(method_sig), doc);
}

// def_both with out= on ember.name: `out` follows args, after a `*` unless args have one.
template <bool add_kw_only, typename F, typename... Args>
void def_both_out(nb::module_& module, nb::class_<Tensor>& tensor, const char* name, F f,
                  const char* function_sig, const char* method_sig, const char* doc,
                  const Args&... args) {
  if constexpr (add_kw_only) {
    module.def(name, with_out(name, f), nb::arg("input"), args..., nb::kw_only(),
               nb::arg("out") = nb::none(), nb::sig(function_sig), doc);
  } else {
    module.def(name, with_out(name, f), nb::arg("input"), args..., nb::arg("out") = nb::none(),
               nb::sig(function_sig), doc);
  }
  tensor.def(name, f, args..., nb::sig(method_sig), doc);
}

}  // namespace

void init_scan(nb::module_& module, nb::class_<Tensor>& tensor) {
  def_both_out<false>(
      module, tensor, "cumsum",
      [](const Tensor& t, int64_t dim, nb::handle dtype) {
        return ember::cumsum(t, dim, to_dtype(dtype));
      },
      "def cumsum(input, dim, *, dtype=None, out=None) -> Tensor",
      "def cumsum(self, dim, *, dtype=None) -> Tensor",
      "The cumulative sum along dim (integers accumulate in int64 unless dtype is given).",
      nb::arg("dim"), nb::kw_only(), nb::arg("dtype") = nb::none());
  def_both_out<false>(
      module, tensor, "cumprod",
      [](const Tensor& t, int64_t dim, nb::handle dtype) {
        return ember::cumprod(t, dim, to_dtype(dtype));
      },
      "def cumprod(input, dim, *, dtype=None, out=None) -> Tensor",
      "def cumprod(self, dim, *, dtype=None) -> Tensor",
      "The cumulative product along dim (integers accumulate in int64 unless dtype is given).",
      nb::arg("dim"), nb::kw_only(), nb::arg("dtype") = nb::none());
  tensor.def(
      "cumsum_",
      [](Tensor& t, int64_t dim, nb::handle dtype) -> Tensor& {
        return t.cumsum_(dim, to_dtype(dtype));
      },
      nb::arg("dim"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::rv_policy::reference,
      nb::sig("def cumsum_(self, dim, *, dtype=None) -> Tensor"), "In-place cumsum().");
  tensor.def(
      "cumprod_",
      [](Tensor& t, int64_t dim, nb::handle dtype) -> Tensor& {
        return t.cumprod_(dim, to_dtype(dtype));
      },
      nb::arg("dim"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::rv_policy::reference,
      nb::sig("def cumprod_(self, dim, *, dtype=None) -> Tensor"), "In-place cumprod().");
  def_both_out<true>(
      module, tensor, "cummax",
      [](const Tensor& t, int64_t dim) { return named("cummax", ember::cummax(t, dim)); },
      "def cummax(input, dim, *, out=None) -> tuple[Tensor, Tensor]",
      "def cummax(self, dim) -> tuple[Tensor, Tensor]",
      "(values, indices) of the running maximum along dim.", nb::arg("dim"));
  def_both_out<true>(
      module, tensor, "cummin",
      [](const Tensor& t, int64_t dim) { return named("cummin", ember::cummin(t, dim)); },
      "def cummin(input, dim, *, out=None) -> tuple[Tensor, Tensor]",
      "def cummin(self, dim) -> tuple[Tensor, Tensor]",
      "(values, indices) of the running minimum along dim.", nb::arg("dim"));
  def_both_out<true>(
      module, tensor, "logcumsumexp",
      [](const Tensor& t, int64_t dim) { return ember::logcumsumexp(t, dim); },
      "def logcumsumexp(input, dim, *, out=None) -> Tensor",
      "def logcumsumexp(self, dim) -> Tensor",
      "log(cumsum(exp(input))) along dim, computed without overflow.", nb::arg("dim"));
  def_both_out<true>(
      module, tensor, "sort",
      [](const Tensor& t, int64_t dim, bool descending, bool stable) {
        return named("sort", ember::sort(t, stable, dim, descending));
      },
      "def sort(input, dim=-1, descending=False, stable=False, *, out=None) -> tuple[Tensor, "
      "Tensor]",
      "def sort(self, dim=-1, descending=False, stable=False) -> tuple[Tensor, Tensor]",
      "(values, indices) sorted along dim; NaN sorts last, equal elements keep their order.",
      nb::arg("dim") = -1, nb::arg("descending") = false, nb::arg("stable") = false);
  def_both(
      module, tensor, "argsort",
      [](const Tensor& t, int64_t dim, bool descending, bool stable) {
        return ember::argsort(t, stable, dim, descending);
      },
      "def argsort(input, dim=-1, descending=False, stable=False) -> Tensor",
      "def argsort(self, dim=-1, descending=False, stable=False) -> Tensor",
      "The indices that sort input along dim.", nb::arg("dim") = -1, nb::arg("descending") = false,
      nb::arg("stable") = false);
  def_both_out<true>(
      module, tensor, "msort", [](const Tensor& t) { return ember::msort(t); },
      "def msort(input, *, out=None) -> Tensor", "def msort(self) -> Tensor",
      "input sorted along its first dim.");
  def_both_out<true>(
      module, tensor, "topk",
      [](const Tensor& t, int64_t k, int64_t dim, bool largest, bool sorted) {
        return named("topk", ember::topk(t, k, dim, largest, sorted));
      },
      "def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None) -> tuple[Tensor, Tensor]",
      "def topk(self, k, dim=-1, largest=True, sorted=True) -> tuple[Tensor, Tensor]",
      "(values, indices) of the k largest (or smallest) elements along dim.", nb::arg("k"),
      nb::arg("dim") = -1, nb::arg("largest") = true, nb::arg("sorted") = true);
  def_both_out<true>(
      module, tensor, "kthvalue",
      [](const Tensor& t, int64_t k, int64_t dim, bool keepdim) {
        return named("kthvalue", ember::kthvalue(t, k, dim, keepdim));
      },
      "def kthvalue(input, k, dim=-1, keepdim=False, *, out=None) -> tuple[Tensor, Tensor]",
      "def kthvalue(self, k, dim=-1, keepdim=False) -> tuple[Tensor, Tensor]",
      "(values, indices) of the k-th smallest element along dim.", nb::arg("k"),
      nb::arg("dim") = -1, nb::arg("keepdim") = false);
  def_both_out<true>(
      module, tensor, "median",
      [](const Tensor& t, nb::handle dim, bool keepdim) -> nb::object {
        if (dim.is_none()) return nb::cast(ember::median(t));
        return named("median", ember::median(t, nb::cast<int64_t>(dim), keepdim));
      },
      "def median(input, dim=None, keepdim=False, *, out=None) -> Tensor | tuple[Tensor, Tensor]",
      "def median(self, dim=None, keepdim=False) -> Tensor | tuple[Tensor, Tensor]",
      "The lower median (NaN if there is one); with dim, (values, indices) along it.",
      nb::arg("dim") = nb::none(), nb::arg("keepdim") = false);
  def_both_out<true>(
      module, tensor, "nanmedian",
      [](const Tensor& t, nb::handle dim, bool keepdim) -> nb::object {
        if (dim.is_none()) return nb::cast(ember::nanmedian(t));
        return named("nanmedian", ember::nanmedian(t, nb::cast<int64_t>(dim), keepdim));
      },
      "def nanmedian(input, dim=None, keepdim=False, *, out=None) -> Tensor | tuple[Tensor, "
      "Tensor]",
      "def nanmedian(self, dim=None, keepdim=False) -> Tensor | tuple[Tensor, Tensor]",
      "The lower median of the non-NaN elements; with dim, (values, indices) along it.",
      nb::arg("dim") = nb::none(), nb::arg("keepdim") = false);
  def_both_out<true>(
      module, tensor, "mode",
      [](const Tensor& t, int64_t dim, bool keepdim) {
        return named("mode", ember::mode(t, dim, keepdim));
      },
      "def mode(input, dim=-1, keepdim=False, *, out=None) -> tuple[Tensor, Tensor]",
      "def mode(self, dim=-1, keepdim=False) -> tuple[Tensor, Tensor]",
      "(values, indices) of the most frequent value along dim.", nb::arg("dim") = -1,
      nb::arg("keepdim") = false);
  for (const char* name : {"quantile", "nanquantile"}) {
    const bool ignore_nan = name[0] == 'n';
    const std::string function_sig = std::string("def ") + name +
                                     "(input, q, dim=None, keepdim=False, *, " +
                                     "interpolation='linear', out=None) -> Tensor";
    const std::string method_sig = std::string("def ") + name +
                                   "(self, q, dim=None, keepdim=False, *, "
                                   "interpolation='linear') -> Tensor";
    def_both_out<false>(
        module, tensor, name,
        [ignore_nan](const Tensor& t, nb::handle q, nb::handle dim, bool keepdim,
                     std::string_view interpolation) {
          const Tensor qs = is_python_number(q) ? scalar_tensor(nb::cast<double>(q), t.dtype())
                                                : nb::cast<Tensor>(q);
          return ignore_nan ? ember::nanquantile(t, qs, optional_dim(dim), keepdim, interpolation)
                            : ember::quantile(t, qs, optional_dim(dim), keepdim, interpolation);
        },
        function_sig.c_str(), method_sig.c_str(),
        ignore_nan ? "The q-th quantiles along dim, ignoring NaN."
                   : "The q-th quantiles along dim (NaN if a row has one).",
        nb::arg("q"), nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
        nb::arg("interpolation") = "linear");
  }
  def_both(
      module, tensor, "unique",
      [](const Tensor& t, bool sorted, bool return_inverse, bool return_counts, nb::handle dim) {
        const auto result = dim.is_none()
                                ? ember::_unique2(t, sorted, return_inverse, return_counts)
                                : ember::unique_dim(t, nb::cast<int64_t>(dim), sorted,
                                                    return_inverse, return_counts);
        return unique_result(result, return_inverse, return_counts);
      },
      "def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None) -> "
      "Tensor | tuple[Tensor, ...]",
      "def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None) -> "
      "Tensor | tuple[Tensor, ...]",
      "The unique elements (or slices along dim), sorted; optionally inverse indices and "
      "counts.",
      nb::arg("sorted") = true, nb::arg("return_inverse") = false, nb::arg("return_counts") = false,
      nb::arg("dim") = nb::none());
  def_both(
      module, tensor, "unique_consecutive",
      [](const Tensor& t, bool return_inverse, bool return_counts, nb::handle dim) {
        return unique_result(
            ember::unique_consecutive(t, return_inverse, return_counts, optional_dim(dim)),
            return_inverse, return_counts);
      },
      "def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None) -> "
      "Tensor | tuple[Tensor, ...]",
      "def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None) -> "
      "Tensor | tuple[Tensor, ...]",
      "Collapses runs of equal consecutive elements (or slices along dim) to one.",
      nb::arg("return_inverse") = false, nb::arg("return_counts") = false,
      nb::arg("dim") = nb::none());
  module.def("searchsorted",
             with_out("searchsorted",
                      [](const Tensor& sorted_sequence, nb::handle values, bool out_int32,
                         bool right, std::optional<std::string_view> side, nb::handle sorter) {
                        if (is_python_number(values)) {
                          return ember::searchsorted(sorted_sequence, to_scalar(values), out_int32,
                                                     right, side, optional_tensor(sorter));
                        }
                        return ember::searchsorted(sorted_sequence, nb::cast<Tensor>(values),
                                                   out_int32, right, side, optional_tensor(sorter));
                      }),
             nb::arg("sorted_sequence"), nb::arg("input"), nb::kw_only(),
             nb::arg("out_int32") = false, nb::arg("right") = false, nb::arg("side") = nb::none(),
             nb::arg("sorter") = nb::none(), nb::arg("out") = nb::none(),
             nb::sig("def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, "
                     "side=None, out=None, sorter=None) -> Tensor"),
             "For each value, the index in sorted_sequence's last dim where it would be inserted.");
  module.def(
      "bucketize",
      with_out("bucketize",
               [](nb::handle input, const Tensor& boundaries, bool out_int32, bool right) {
                 if (is_python_number(input)) {
                   return ember::bucketize(to_scalar(input), boundaries, out_int32, right);
                 }
                 return ember::bucketize(nb::cast<Tensor>(input), boundaries, out_int32, right);
               }),
      nb::arg("input"), nb::arg("boundaries"), nb::kw_only(), nb::arg("out_int32") = false,
      nb::arg("right") = false, nb::arg("out") = nb::none(),
      nb::sig("def bucketize(input, boundaries, *, out_int32=False, right=False, out=None) -> "
              "Tensor"),
      "The index of the bucket of boundaries each element of input falls in.");
  def_both_out<true>(
      module, tensor, "histc",
      [](const Tensor& t, int64_t bins, nb::handle min, nb::handle max) {
        return ember::histc(t, bins, to_scalar(min), to_scalar(max));
      },
      "def histc(input, bins=100, min=0, max=0, *, out=None) -> Tensor",
      "def histc(self, bins=100, min=0, max=0) -> Tensor",
      "A histogram of bins equal-width bins over [min, max] (the data's range if equal).",
      nb::arg("bins") = 100, nb::arg("min") = 0, nb::arg("max") = 0);
  def_both_out<false>(
      module, tensor, "histogram",
      [](const Tensor& t, nb::handle bins, nb::handle range, nb::handle weight, bool density) {
        if (nb::isinstance<Tensor>(bins)) {
          return named("histogram", ember::histogram(t, nb::cast<Tensor>(bins),
                                                     optional_tensor(weight), density));
        }
        std::optional<std::vector<double>> bounds;
        if (!range.is_none()) bounds = nb::cast<std::vector<double>>(range);
        return named("histogram", ember::histogram(t, nb::cast<int64_t>(bins), bounds,
                                                   optional_tensor(weight), density));
      },
      "def histogram(input, bins, *, range=None, weight=None, density=False, out=None) -> "
      "tuple[Tensor, Tensor]",
      "def histogram(self, bins, *, range=None, weight=None, density=False) -> "
      "tuple[Tensor, Tensor]",
      "(hist, bin_edges): a histogram over bins (a count of equal bins or the edges).",
      nb::arg("bins"), nb::kw_only(), nb::arg("range") = nb::none(), nb::arg("weight") = nb::none(),
      nb::arg("density") = false);
  def_both(
      module, tensor, "bincount",
      [](const Tensor& t, nb::handle weights, int64_t minlength) {
        return ember::bincount(t, optional_tensor(weights), minlength);
      },
      "def bincount(input, weights=None, minlength=0) -> Tensor",
      "def bincount(self, weights=None, minlength=0) -> Tensor",
      "How often each non-negative integer occurs in input (or the sum of its weights).",
      nb::arg("weights") = nb::none(), nb::arg("minlength") = 0);
  def_both_out<true>(
      module, tensor, "diff",
      [](const Tensor& t, int64_t n, int64_t dim, nb::handle prepend, nb::handle append) {
        return ember::diff(t, n, dim, optional_tensor(prepend), optional_tensor(append));
      },
      "def diff(input, n=1, dim=-1, prepend=None, append=None, *, out=None) -> Tensor",
      "def diff(self, n=1, dim=-1, prepend=None, append=None) -> Tensor",
      "The n-th forward difference along dim, after prepend and append are joined on.",
      nb::arg("n") = 1, nb::arg("dim") = -1, nb::arg("prepend") = nb::none(),
      nb::arg("append") = nb::none());
  def_both(
      module, tensor, "count_nonzero",
      [](const Tensor& t, nb::handle dim) { return ember::count_nonzero(t, to_dims(dim)); },
      "def count_nonzero(input, dim=None) -> Tensor", "def count_nonzero(self, dim=None) -> Tensor",
      "The number of non-zero elements over dim (an int or a tuple; all by default).",
      nb::arg("dim") = nb::none());
}

}  // namespace ember::python
