// The util family's bindings: out= plumbing shared by every binding (python/src/out.h), the
// warning bridge (C++ warnings become UserWarnings), memory formats, finfo/iinfo,
// set_printoptions, Tensor utilities, and the util reductions (nansum, nanmean, aminmax,
// var_mean, std_mean, dist, cdist, trace, cross).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>

#include <limits>
#include <string>

#include "convert.h"
#include "ember/base/warning.h"
#include "ember/ops/util.h"
#include "out.h"

namespace ember::python {

Tensor& out_tensor(std::string_view op, nb::handle out) {
  EMBER_CHECK_TYPE(nb::isinstance<Tensor>(out), "[", op, "] out= must be a Tensor; got ",
                   nb::cast<std::string>(nb::str(nb::type_name(out.type()))));
  return nb::cast<Tensor&>(out);
}

nb::object factory_out(std::string_view op, nb::handle out, Tensor result) {
  if (out.is_none()) return nb::cast(std::move(result));
  Tensor& target = out_tensor(op, out);
  check_out(op, target, {});
  write_out(op, result, target, {});
  return nb::borrow(out);
}

nb::object out_dtype_or(nb::handle dtype, nb::handle out) {
  if (!dtype.is_none() || out.is_none()) return nb::borrow(dtype);
  return dtype_object(out_tensor("out", out).dtype());
}

double correction_of(nb::handle& dim, nb::handle unbiased, nb::handle correction) {
  double chosen = 1.0;
  if (!correction.is_none()) {
    chosen = nb::cast<double>(correction);
  } else if (!unbiased.is_none()) {
    chosen = nb::cast<bool>(unbiased) ? 1.0 : 0.0;
  }
  if (PyBool_Check(dim.ptr())) {  // var(x, False): the old positional `unbiased`
    chosen = dim.ptr() == Py_True ? 1.0 : 0.0;
    dim = nb::none();
  }
  return chosen;
}

namespace {

struct MemoryFormatObject {
  MemoryFormat format;
  const char* name;
};

// A warning from C++ (ember::warn) as a Python UserWarning; under `-W error` it fails the call.
void warn_in_python(const std::string& message) {
  nb::gil_scoped_acquire gil;
  if (PyErr_WarnEx(PyExc_UserWarning, message.c_str(), 1) < 0) throw nb::python_error();
}

// The tensors among a forwarded call's arguments: the inputs out= must not overlap.
std::vector<Tensor> tensors_in(nb::handle input, nb::args args, nb::kwargs kwargs) {
  std::vector<Tensor> found;
  detail::collect_input(found, input);
  for (nb::handle arg : args) detail::collect_input(found, arg);
  for (auto [key, value] : kwargs) detail::collect_input(found, value);
  return found;
}

// out= of a function the Python package defines over a method (ember.sum, ember.clamp, ...):
// compute() runs between the checks and the write. A tuple result takes a tuple of outs.
nb::object out_call_python(const std::string& op, nb::handle out, nb::handle compute,
                           nb::handle input, nb::args args, nb::kwargs kwargs) {
  const std::vector<Tensor> inputs = tensors_in(input, args, kwargs);
  check_out_argument(op, out, inputs);
  return write_out_argument(op, compute(), out, inputs);
}

nb::object named_pair(const char* name, std::tuple<Tensor, Tensor> result) {
  static nb::handle return_types = nb::module_::import_("ember._return_types").release();
  return return_types.attr(name)(std::get<0>(result), std::get<1>(result));
}

void set_printoptions_python(std::optional<int> precision, std::optional<double> threshold,
                             std::optional<int64_t> edgeitems, std::optional<int64_t> linewidth,
                             std::optional<std::string> profile, std::optional<bool> sci_mode) {
  // As torch.set_printoptions: a profile resets the four numbers, the arguments given override
  // them, and sci_mode is always assigned (None: chosen per tensor).
  PrintOptions options = get_printoptions();
  if (profile) {
    EMBER_CHECK_VALUE(*profile == "default" || *profile == "short" || *profile == "full",
                      "[set_printoptions] profile must be 'default', 'short' or 'full'; got '",
                      *profile, "'");
    options = PrintOptions{};
    if (*profile == "short") {
      options.precision = 2;
      options.edgeitems = 2;
    } else if (*profile == "full") {
      options.threshold = std::numeric_limits<int64_t>::max();
    }
  }
  if (precision) options.precision = *precision;
  if (threshold) {
    options.threshold = *threshold >= static_cast<double>(std::numeric_limits<int64_t>::max())
                            ? std::numeric_limits<int64_t>::max()
                            : static_cast<int64_t>(*threshold);
  }
  if (edgeitems) options.edgeitems = *edgeitems;
  if (linewidth) options.linewidth = *linewidth;
  options.sci_mode = sci_mode;
  set_printoptions(options);
}

MemoryFormat to_memory_format(nb::handle object) {
  if (object.is_none()) return MemoryFormat::Preserve;
  EMBER_CHECK_TYPE(
      nb::isinstance<MemoryFormatObject>(object),
      "memory_format must be an ember.memory_format (ember.preserve_format, ...); got ",
      nb::cast<std::string>(nb::str(nb::type_name(object.type()))));
  return nb::cast<const MemoryFormatObject&>(object).format;
}

}  // namespace

Tensor clone_python(const Tensor& self, nb::handle memory_format) {
  return clone(self, to_memory_format(memory_format));
}

void init_util(nb::module_& module, nb::class_<Tensor>& tensor) {
  set_warning_handler(&warn_in_python);
  module.def("_out_call", &out_call_python, nb::arg("op"), nb::arg("out"), nb::arg("compute"),
             nb::arg("input"), nb::arg("args"), nb::arg("kwargs"),
             "out= for a function defined in Python: the out contract around compute().");

  nb::class_<MemoryFormatObject>(module, "memory_format",
                                 "The memory layout clone() gives its result.")
      .def("__repr__", [](const MemoryFormatObject& f) { return std::string("ember.") + f.name; });
  for (const MemoryFormatObject& format :
       {MemoryFormatObject{MemoryFormat::Preserve, "preserve_format"},
        MemoryFormatObject{MemoryFormat::Contiguous, "contiguous_format"},
        MemoryFormatObject{MemoryFormat::ChannelsLast, "channels_last"},
        MemoryFormatObject{MemoryFormat::ChannelsLast3d, "channels_last_3d"}}) {
    module.attr(format.name) = nb::cast(format);
  }

  nb::class_<FInfo>(module, "finfo", "The limits of a floating-point dtype (torch.finfo).")
      .def(
          "__init__",
          [](FInfo* self, nb::handle dtype) {
            new (self) FInfo(finfo(to_dtype(dtype).value_or(default_dtype())));
          },
          nb::arg("type") = nb::none())
      .def_ro("bits", &FInfo::bits)
      .def_ro("eps", &FInfo::eps)
      .def_ro("max", &FInfo::max)
      .def_ro("min", &FInfo::min)
      .def_ro("tiny", &FInfo::tiny)
      .def_ro("smallest_normal", &FInfo::smallest_normal)
      .def_ro("resolution", &FInfo::resolution)
      .def_prop_ro("dtype", [](const FInfo& f) { return std::string(dtype_name(f.dtype)); })
      .def("__repr__", [](const FInfo& f) {
        return nb::str(
                   "finfo(resolution={}, min={}, max={}, eps={}, smallest_normal={}, "
                   "tiny={}, dtype={})")
            .format(f.resolution, f.min, f.max, f.eps, f.smallest_normal, f.tiny,
                    std::string(dtype_name(f.dtype)));
      });
  nb::class_<IInfo>(module, "iinfo", "The limits of an integer dtype (torch.iinfo).")
      .def(
          "__init__",
          [](IInfo* self, nb::handle dtype) { new (self) IInfo(iinfo(*to_dtype(dtype))); },
          nb::arg("type"))
      .def_ro("bits", &IInfo::bits)
      .def_ro("max", &IInfo::max)
      .def_ro("min", &IInfo::min)
      .def_prop_ro("dtype", [](const IInfo& i) { return std::string(dtype_name(i.dtype)); })
      .def("__repr__", [](const IInfo& i) {
        return nb::str("iinfo(min={}, max={}, dtype={})")
            .format(i.min, i.max, std::string(dtype_name(i.dtype)));
      });

  module.def("set_printoptions", &set_printoptions_python, nb::arg("precision") = nb::none(),
             nb::arg("threshold") = nb::none(), nb::arg("edgeitems") = nb::none(),
             nb::arg("linewidth") = nb::none(), nb::arg("profile") = nb::none(),
             nb::arg("sci_mode") = nb::none(),
             nb::sig("def set_printoptions(precision=None, threshold=None, edgeitems=None, "
                     "linewidth=None, profile=None, sci_mode=None) -> None"),
             "Sets how tensors print (profile: 'default', 'short' or 'full').");

  tensor
      .def_prop_ro(
          "nbytes", [](const Tensor& t) { return t.nbytes(); },
          "The number of bytes of the elements (numel * itemsize).")
      .def_prop_ro(
          "itemsize", [](const Tensor& t) { return t.itemsize(); },
          "The size of one element in bytes.")
      .def(
          "resize_",
          [](Tensor& t, nb::args sizes) -> Tensor& { return t.resize_(to_shape(sizes)); },
          nb::rv_policy::reference_internal, nb::sig("def resize_(self, *sizes) -> Tensor"),
          "Resizes self in place to a contiguous tensor of sizes, keeping its memory (and values) "
          "when large enough.")
      .def("is_complex", &Tensor::is_complex, nb::sig("def is_complex(self) -> bool"),
           "Whether the dtype is complex (never: ember has no complex dtypes).")
      .def("is_signed", &Tensor::is_signed, nb::sig("def is_signed(self) -> bool"),
           "Whether the dtype is signed.");

  // ---------------------------------------------------------------- reductions
  auto nan_reduction = [](bool mean) {
    return [mean](const Tensor& t, nb::handle dim, bool keepdim, nb::handle dtype) {
      return mean ? nanmean(t, to_dims(dim), keepdim, to_dtype(dtype))
                  : nansum(t, to_dims(dim), keepdim, to_dtype(dtype));
    };
  };
  module.def("nansum", with_out("nansum", nan_reduction(false)), nb::arg("input"),
             nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
             nb::arg("dtype") = nb::none(), nb::arg("out") = nb::none(),
             nb::sig("def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None) -> "
                     "Tensor"),
             "The sum over dim, treating NaN as zero.");
  module.def("nanmean", with_out("nanmean", nan_reduction(true)), nb::arg("input"),
             nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
             nb::arg("dtype") = nb::none(), nb::arg("out") = nb::none(),
             nb::sig("def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None) -> "
                     "Tensor"),
             "The mean over dim of the elements that are not NaN.");
  tensor.def("nansum", nan_reduction(false), nb::arg("dim") = nb::none(),
             nb::arg("keepdim") = false, nb::kw_only(), nb::arg("dtype") = nb::none(),
             nb::sig("def nansum(self, dim=None, keepdim=False, *, dtype=None) -> Tensor"),
             "The sum over dim, treating NaN as zero.");
  tensor.def("nanmean", nan_reduction(true), nb::arg("dim") = nb::none(),
             nb::arg("keepdim") = false, nb::kw_only(), nb::arg("dtype") = nb::none(),
             nb::sig("def nanmean(self, dim=None, keepdim=False, *, dtype=None) -> Tensor"),
             "The mean over dim of the elements that are not NaN.");

  auto aminmax_python = [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
    return named_pair("aminmax", aminmax(t, dim, keepdim));
  };
  module.def("aminmax", with_out("aminmax", aminmax_python), nb::arg("input"), nb::kw_only(),
             nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::arg("out") = nb::none(),
             nb::sig("def aminmax(input, *, dim=None, keepdim=False, out=None) -> tuple[Tensor, "
                     "Tensor]"),
             "(min, max) over dim, or over every element.");
  tensor.def("aminmax", aminmax_python, nb::kw_only(), nb::arg("dim") = nb::none(),
             nb::arg("keepdim") = false,
             nb::sig("def aminmax(self, *, dim=None, keepdim=False) -> tuple[Tensor, Tensor]"),
             "(min, max) over dim, or over every element.");

  auto moments = [](bool take_sqrt) {
    return [take_sqrt](const Tensor& t, nb::handle dim, nb::handle unbiased, bool keepdim,
                       nb::handle correction) {
      const double chosen = correction_of(dim, unbiased, correction);
      return take_sqrt ? std_mean(t, to_dims(dim), chosen, keepdim)
                       : var_mean(t, to_dims(dim), chosen, keepdim);
    };
  };
  module.def("var_mean", moments(false), nb::arg("input"), nb::arg("dim") = nb::none(),
             nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
             nb::arg("correction") = nb::none(),
             nb::sig("def var_mean(input, dim=None, unbiased=None, keepdim=False, *, "
                     "correction=None) -> tuple[Tensor, Tensor]"),
             "(variance, mean) over dim, with Bessel's correction by default.");
  module.def("std_mean", moments(true), nb::arg("input"), nb::arg("dim") = nb::none(),
             nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
             nb::arg("correction") = nb::none(),
             nb::sig("def std_mean(input, dim=None, unbiased=None, keepdim=False, *, "
                     "correction=None) -> tuple[Tensor, Tensor]"),
             "(standard deviation, mean) over dim, with Bessel's correction by default.");

  auto dist_python = [](const Tensor& a, const Tensor& b, nb::handle p) {
    return dist(a, b, to_scalar(p));
  };
  module.def("dist", with_out("dist", dist_python), nb::arg("input"), nb::arg("other"),
             nb::arg("p") = 2, nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def dist(input, other, p=2, *, out=None) -> Tensor"),
             "The p-norm of input - other.");
  tensor.def("dist", dist_python, nb::arg("other"), nb::arg("p") = 2,
             nb::sig("def dist(self, other, p=2) -> Tensor"), "The p-norm of self - other.");
  module.def(
      "cdist",
      [](const Tensor& x1, const Tensor& x2, double p, nb::handle) { return cdist(x1, x2, p); },
      nb::arg("x1"), nb::arg("x2"), nb::arg("p") = 2.0,
      nb::arg("compute_mode") = "use_mm_for_euclid_dist_if_necessary",
      nb::sig("def cdist(x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary') -> "
              "Tensor"),
      "The p-norm distances between the rows of x1 [*, P, M] and x2 [*, R, M], as [*, P, R].");
  module.def("trace", &trace, nb::arg("input"), nb::sig("def trace(input) -> Tensor"),
             "The sum of the main diagonal of a 2-D tensor.");
  tensor.def("trace", &Tensor::trace, nb::sig("def trace(self) -> Tensor"),
             "The sum of the main diagonal of a 2-D tensor.");
  module.def("cross", with_out("cross", &ember::cross), nb::arg("input"), nb::arg("other"),
             nb::arg("dim") = nb::none(), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def cross(input, other, dim=None, *, out=None) -> Tensor"),
             "The cross product along dim (default: the first dim of size 3).");
  tensor.def("cross", &Tensor::cross, nb::arg("other"), nb::arg("dim") = nb::none(),
             nb::sig("def cross(self, other, dim=None) -> Tensor"),
             "The cross product along dim (default: the first dim of size 3).");
}

}  // namespace ember::python
