// Bindings of the elementwise math beyond the .def rows (ember/ops/math.h): aliases, composites
// and the ops with an integer order. The .def rows themselves are bound in ops.cpp/tensor.cpp.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include "convert.h"
#include "elementwise_docs.h"
#include "ember/ops/math.h"
#include "out.h"

namespace ember::python {
namespace {

// A Tensor argument, or a Python number as a Scalar.
bool is_tensor(nb::handle object) { return nb::isinstance<Tensor>(object); }

}  // namespace

void init_math(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  // Ops of one tensor: ember.name(input), Tensor.name() and, with an in-place form,
  // ember.name_(input) and Tensor.name_().
#define EMBER_MATH_UNARY(name, doc)                                            \
  module.def(                                                                  \
      #name, [](const Tensor& x) { return ember::name(x); }, nb::arg("input"), \
      nb::sig("def " #name "(input) -> Tensor"), doc);                         \
  tensor_class.def(                                                            \
      #name, [](const Tensor& t) { return ember::name(t); },                   \
      nb::sig("def " #name "(self) -> Tensor"), doc);
// The same with out= on the module function.
#define EMBER_MATH_UNARY_OUT(name, doc)                                              \
  module.def(#name, with_out(#name, [](const Tensor& x) { return ember::name(x); }), \
             nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none(),           \
             nb::sig("def " #name "(input, *, out=None) -> Tensor"), doc);           \
  tensor_class.def(                                                                  \
      #name, [](const Tensor& t) { return ember::name(t); },                         \
      nb::sig("def " #name "(self) -> Tensor"), doc);
#define EMBER_MATH_INPLACE(name)                                                           \
  module.def(                                                                              \
      #name "_", [](Tensor& x) -> Tensor& { return ember::name##_(x); }, nb::arg("input"), \
      nb::rv_policy::reference, nb::sig("def " #name "_(input) -> Tensor"),                \
      "In-place " #name "().");                                                            \
  tensor_class.def(                                                                        \
      #name "_", [](Tensor& t) -> Tensor& { return ember::name##_(t); },                   \
      nb::rv_policy::reference_internal, nb::sig("def " #name "_(self) -> Tensor"),        \
      "In-place " #name "().");
  EMBER_MATH_UNARY_OUT(arcsin, "Alias for asin().")
  EMBER_MATH_INPLACE(arcsin)
  EMBER_MATH_UNARY_OUT(arccos, "Alias for acos().")
  EMBER_MATH_INPLACE(arccos)
  EMBER_MATH_UNARY_OUT(arctan, "Alias for atan().")
  EMBER_MATH_INPLACE(arctan)
  EMBER_MATH_UNARY_OUT(arcsinh, "Alias for asinh().")
  EMBER_MATH_INPLACE(arcsinh)
  EMBER_MATH_UNARY_OUT(arccosh, "Alias for acosh().")
  EMBER_MATH_INPLACE(arccosh)
  EMBER_MATH_UNARY_OUT(arctanh, "Alias for atanh().")
  EMBER_MATH_INPLACE(arctanh)
  EMBER_MATH_UNARY_OUT(fix, "Alias for trunc(): each element rounded toward zero.")
  EMBER_MATH_INPLACE(fix)
  EMBER_MATH_UNARY_OUT(frac, "The fractional part input - trunc(input) of each element.")
  EMBER_MATH_INPLACE(frac)
  EMBER_MATH_UNARY_OUT(deg2rad, "Each element converted from degrees to radians.")
  EMBER_MATH_INPLACE(deg2rad)
  EMBER_MATH_UNARY_OUT(rad2deg, "Each element converted from radians to degrees.")
  EMBER_MATH_INPLACE(rad2deg)
  EMBER_MATH_UNARY_OUT(i0, "The modified Bessel function of the first kind of order 0.")
  EMBER_MATH_INPLACE(i0)
  EMBER_MATH_UNARY(positive, "input itself (refused for bool tensors, as unary +).")
  EMBER_MATH_UNARY(isnan, "Whether each element is NaN, as a bool tensor.")
  EMBER_MATH_UNARY(isinf, "Whether each element is +inf or -inf, as a bool tensor.")
  EMBER_MATH_UNARY(isfinite, "Whether each element is finite (not inf or NaN), as a bool tensor.")
  EMBER_MATH_UNARY_OUT(isposinf, "Whether each element is +inf, as a bool tensor.")
  EMBER_MATH_UNARY_OUT(isneginf, "Whether each element is -inf, as a bool tensor.")
  EMBER_MATH_UNARY(isreal, "Whether each element is real (always, without complex dtypes).")
  EMBER_MATH_UNARY_OUT(signbit, "Whether each element has its sign bit set (-0.0 included).")
#undef EMBER_MATH_UNARY
#undef EMBER_MATH_UNARY_OUT
#undef EMBER_MATH_INPLACE

  module.def(
      "arctan2",
      with_out("arctan2", [](nb::handle a,
                             nb::handle b) { return ember::atan2(to_operand(a), to_operand(b)); }),
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def arctan2(input, other, *, out=None) -> Tensor"), "Alias for atan2().");
  module.def("heaviside",
             with_out("heaviside",
                      [](nb::handle x, nb::handle values) {
                        return ember::heaviside(to_operand(x), to_operand(values));
                      }),
             nb::arg("input"), nb::arg("values"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def heaviside(input, values, *, out=None) -> Tensor"),
             elementwise_doc("heaviside"));
  module.def(
      "logit",
      with_out("logit",
               [](const Tensor& x, std::optional<double> eps) { return ember::logit(x, eps); }),
      nb::arg("input"), nb::arg("eps") = nb::none(), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def logit(input, eps=None, *, out=None) -> Tensor"),
      "log(input / (1 - input)), input clamped to [eps, 1 - eps] first when eps is given.");
  module.def(
      "logit_",
      [](Tensor& x, std::optional<double> eps) -> Tensor& { return ember::logit_(x, eps); },
      nb::arg("input"), nb::arg("eps") = nb::none(), nb::rv_policy::reference,
      nb::sig("def logit_(input, eps=None) -> Tensor"), "In-place logit().");
  module.def(
      "nan_to_num",
      with_out(
          "nan_to_num",
          [](const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
             std::optional<double> neginf) { return ember::nan_to_num(x, nan, posinf, neginf); }),
      nb::arg("input"), nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(),
      nb::arg("neginf") = nb::none(), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None) -> Tensor"),
      "NaN, +inf and -inf replaced by nan, posinf and neginf (default: the dtype's extremes).");
  module.def(
      "nan_to_num_",
      [](Tensor& x, std::optional<double> nan, std::optional<double> posinf,
         std::optional<double> neginf) -> Tensor& {
        return ember::nan_to_num_(x, nan, posinf, neginf);
      },
      nb::arg("input"), nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(),
      nb::arg("neginf") = nb::none(), nb::rv_policy::reference,
      nb::sig("def nan_to_num_(input, nan=0.0, posinf=None, neginf=None) -> Tensor"),
      "In-place nan_to_num().");
  module.def("float_power",
             with_out("float_power",
                      [](nb::handle a, nb::handle b) {
                        if (!is_tensor(a))
                          return ember::float_power(to_scalar(a), nb::cast<const Tensor&>(b));
                        if (!is_tensor(b))
                          return ember::float_power(nb::cast<const Tensor&>(a), to_scalar(b));
                        return ember::float_power(nb::cast<const Tensor&>(a),
                                                  nb::cast<const Tensor&>(b));
                      }),
             nb::arg("input"), nb::arg("exponent"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def float_power(input, exponent, *, out=None) -> Tensor"),
             "input ** exponent computed in float64 (the result is float64).");
  module.def("lerp",
             with_out("lerp",
                      [](const Tensor& x, const Tensor& end, nb::handle weight) {
                        if (is_tensor(weight))
                          return ember::lerp(x, end, nb::cast<const Tensor&>(weight));
                        return ember::lerp(x, end, to_scalar(weight));
                      }),
             nb::arg("input"), nb::arg("end"), nb::arg("weight"), nb::kw_only(),
             nb::arg("out") = nb::none(),
             nb::sig("def lerp(input, end, weight, *, out=None) -> Tensor"),
             "Linear interpolation input + weight * (end - input) (weight a number or tensor).");
  module.def("addcmul",
             with_out("addcmul",
                      [](const Tensor& x, const Tensor& t1, const Tensor& t2, nb::handle value) {
                        return ember::addcmul(x, t1, t2, to_scalar(value));
                      }),
             nb::arg("input"), nb::arg("tensor1"), nb::arg("tensor2"), nb::kw_only(),
             nb::arg("value") = 1, nb::arg("out") = nb::none(),
             nb::sig("def addcmul(input, tensor1, tensor2, *, value=1, out=None) -> Tensor"),
             "input + value * tensor1 * tensor2 elementwise.");
  module.def("addcdiv",
             with_out("addcdiv",
                      [](const Tensor& x, const Tensor& t1, const Tensor& t2, nb::handle value) {
                        return ember::addcdiv(x, t1, t2, to_scalar(value));
                      }),
             nb::arg("input"), nb::arg("tensor1"), nb::arg("tensor2"), nb::kw_only(),
             nb::arg("value") = 1, nb::arg("out") = nb::none(),
             nb::sig("def addcdiv(input, tensor1, tensor2, *, value=1, out=None) -> Tensor"),
             "input + value * tensor1 / tensor2 elementwise.");
  module.def(
      "polygamma",
      with_out("polygamma", [](int64_t n, const Tensor& x) { return ember::polygamma(n, x); }),
      nb::arg("n"), nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def polygamma(n, input, *, out=None) -> Tensor"),
      "The n-th derivative of the digamma function of each element.");
  module.def("mvlgamma",
             with_out("mvlgamma", [](const Tensor& x, int64_t p) { return ember::mvlgamma(x, p); }),
             nb::arg("input"), nb::arg("p"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def mvlgamma(input, p, *, out=None) -> Tensor"),
             "The multivariate log-gamma function of dimension p of each element.");

  tensor_class
      .def(
          "heaviside",
          [](const Tensor& t, nb::handle values) {
            return ember::heaviside(t, to_operand(values));
          },
          nb::arg("values"), nb::sig("def heaviside(self, values) -> Tensor"),
          elementwise_doc("heaviside"))
      .def(
          "heaviside_",
          [](Tensor& t, nb::handle values) -> Tensor& {
            return ember::heaviside_(t, to_operand(values));
          },
          nb::arg("values"), nb::rv_policy::reference_internal,
          nb::sig("def heaviside_(self, values) -> Tensor"), "In-place heaviside().")
      .def(
          "arctan2",
          [](const Tensor& t, nb::handle other) { return ember::atan2(t, to_operand(other)); },
          nb::arg("other"), nb::sig("def arctan2(self, other) -> Tensor"), "Alias for atan2().")
      .def(
          "arctan2_",
          [](Tensor& t, nb::handle other) -> Tensor& {
            return ember::atan2_(t, to_operand(other));
          },
          nb::arg("other"), nb::rv_policy::reference_internal,
          nb::sig("def arctan2_(self, other) -> Tensor"), "In-place arctan2().")
      .def(
          "true_divide_",
          [](Tensor& t, nb::handle other) -> Tensor& { return ember::div_(t, to_operand(other)); },
          nb::arg("other"), nb::rv_policy::reference_internal,
          nb::sig("def true_divide_(self, other) -> Tensor"), "In-place true_divide().")
      .def(
          "logit", [](const Tensor& t, std::optional<double> eps) { return ember::logit(t, eps); },
          nb::arg("eps") = nb::none(), nb::sig("def logit(self, eps=None) -> Tensor"),
          "ember.logit(self, eps).")
      .def(
          "logit_",
          [](Tensor& t, std::optional<double> eps) -> Tensor& { return ember::logit_(t, eps); },
          nb::arg("eps") = nb::none(), nb::rv_policy::reference_internal,
          nb::sig("def logit_(self, eps=None) -> Tensor"), "In-place logit().")
      .def(
          "nan_to_num",
          [](const Tensor& t, std::optional<double> nan, std::optional<double> posinf,
             std::optional<double> neginf) { return ember::nan_to_num(t, nan, posinf, neginf); },
          nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(), nb::arg("neginf") = nb::none(),
          nb::sig("def nan_to_num(self, nan=0.0, posinf=None, neginf=None) -> Tensor"),
          "ember.nan_to_num(self, ...).")
      .def(
          "nan_to_num_",
          [](Tensor& t, std::optional<double> nan, std::optional<double> posinf,
             std::optional<double> neginf) -> Tensor& {
            return ember::nan_to_num_(t, nan, posinf, neginf);
          },
          nb::arg("nan") = 0.0, nb::arg("posinf") = nb::none(), nb::arg("neginf") = nb::none(),
          nb::rv_policy::reference_internal,
          nb::sig("def nan_to_num_(self, nan=0.0, posinf=None, neginf=None) -> Tensor"),
          "In-place nan_to_num().")
      .def(
          "float_power",
          [](const Tensor& t, nb::handle exponent) {
            if (is_tensor(exponent))
              return ember::float_power(t, nb::cast<const Tensor&>(exponent));
            return ember::float_power(t, to_scalar(exponent));
          },
          nb::arg("exponent"), nb::sig("def float_power(self, exponent) -> Tensor"),
          "ember.float_power(self, exponent).")
      .def(
          "float_power_",
          [](Tensor& t, nb::handle exponent) -> Tensor& {
            if (is_tensor(exponent))
              return ember::float_power_(t, nb::cast<const Tensor&>(exponent));
            return ember::float_power_(t, to_scalar(exponent));
          },
          nb::arg("exponent"), nb::rv_policy::reference_internal,
          nb::sig("def float_power_(self, exponent) -> Tensor"), "In-place float_power().")
      .def(
          "clamp_min_",
          [](Tensor& t, nb::handle min) -> Tensor& {
            if (is_tensor(min)) return ember::clamp_min_(t, nb::cast<const Tensor&>(min));
            return ember::clamp_min_(t, to_scalar(min));
          },
          nb::arg("min"), nb::rv_policy::reference_internal,
          nb::sig("def clamp_min_(self, min) -> Tensor"), "In-place clamp_min().")
      .def(
          "clamp_max_",
          [](Tensor& t, nb::handle max) -> Tensor& {
            if (is_tensor(max)) return ember::clamp_max_(t, nb::cast<const Tensor&>(max));
            return ember::clamp_max_(t, to_scalar(max));
          },
          nb::arg("max"), nb::rv_policy::reference_internal,
          nb::sig("def clamp_max_(self, max) -> Tensor"), "In-place clamp_max().")
      .def(
          "lerp",
          [](const Tensor& t, const Tensor& end, nb::handle weight) {
            if (is_tensor(weight)) return ember::lerp(t, end, nb::cast<const Tensor&>(weight));
            return ember::lerp(t, end, to_scalar(weight));
          },
          nb::arg("end"), nb::arg("weight"), nb::sig("def lerp(self, end, weight) -> Tensor"),
          "ember.lerp(self, end, weight).")
      .def(
          "lerp_",
          [](Tensor& t, const Tensor& end, nb::handle weight) -> Tensor& {
            if (is_tensor(weight)) return ember::lerp_(t, end, nb::cast<const Tensor&>(weight));
            return ember::lerp_(t, end, to_scalar(weight));
          },
          nb::arg("end"), nb::arg("weight"), nb::rv_policy::reference_internal,
          nb::sig("def lerp_(self, end, weight) -> Tensor"), "In-place lerp().")
      .def(
          "addcmul",
          [](const Tensor& t, const Tensor& t1, const Tensor& t2, nb::handle value) {
            return ember::addcmul(t, t1, t2, to_scalar(value));
          },
          nb::arg("tensor1"), nb::arg("tensor2"), nb::kw_only(), nb::arg("value") = 1,
          nb::sig("def addcmul(self, tensor1, tensor2, *, value=1) -> Tensor"),
          "ember.addcmul(self, tensor1, tensor2, value=value).")
      .def(
          "addcmul_",
          [](Tensor& t, const Tensor& t1, const Tensor& t2, nb::handle value) -> Tensor& {
            return ember::addcmul_(t, t1, t2, to_scalar(value));
          },
          nb::arg("tensor1"), nb::arg("tensor2"), nb::kw_only(), nb::arg("value") = 1,
          nb::rv_policy::reference_internal,
          nb::sig("def addcmul_(self, tensor1, tensor2, *, value=1) -> Tensor"),
          "In-place addcmul().")
      .def(
          "addcdiv",
          [](const Tensor& t, const Tensor& t1, const Tensor& t2, nb::handle value) {
            return ember::addcdiv(t, t1, t2, to_scalar(value));
          },
          nb::arg("tensor1"), nb::arg("tensor2"), nb::kw_only(), nb::arg("value") = 1,
          nb::sig("def addcdiv(self, tensor1, tensor2, *, value=1) -> Tensor"),
          "ember.addcdiv(self, tensor1, tensor2, value=value).")
      .def(
          "addcdiv_",
          [](Tensor& t, const Tensor& t1, const Tensor& t2, nb::handle value) -> Tensor& {
            return ember::addcdiv_(t, t1, t2, to_scalar(value));
          },
          nb::arg("tensor1"), nb::arg("tensor2"), nb::kw_only(), nb::arg("value") = 1,
          nb::rv_policy::reference_internal,
          nb::sig("def addcdiv_(self, tensor1, tensor2, *, value=1) -> Tensor"),
          "In-place addcdiv().")
      .def(
          "polygamma", [](const Tensor& t, int64_t n) { return ember::polygamma(n, t); },
          nb::arg("n"), nb::sig("def polygamma(self, n) -> Tensor"), "ember.polygamma(n, self).")
      .def(
          "polygamma_", [](Tensor& t, int64_t n) -> Tensor& { return ember::polygamma_(t, n); },
          nb::arg("n"), nb::rv_policy::reference_internal,
          nb::sig("def polygamma_(self, n) -> Tensor"), "In-place polygamma().")
      .def(
          "mvlgamma", [](const Tensor& t, int64_t p) { return ember::mvlgamma(t, p); },
          nb::arg("p"), nb::sig("def mvlgamma(self, p) -> Tensor"), "ember.mvlgamma(self, p).")
      .def(
          "mvlgamma_", [](Tensor& t, int64_t p) -> Tensor& { return ember::mvlgamma_(t, p); },
          nb::arg("p"), nb::rv_policy::reference_internal,
          nb::sig("def mvlgamma_(self, p) -> Tensor"), "In-place mvlgamma().");
}

}  // namespace ember::python
