// Module-level op functions (ember.exp, ember.add, ember.mm, ...). Reductions forward to the
// Tensor methods from ember/__init__.py, which keeps their argument parsing in one place.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include "convert.h"

namespace ember::python {

void init_ops(nb::module_& module) {
#define EMBER_UNARY_OP(name, Name, rule)                                                   \
  module.def(                                                                              \
      #name, [](const Tensor& x) { return ember::name(x); }, nb::arg("input"));            \
  module.def(                                                                              \
      #name "_", [](Tensor& x) -> Tensor& { return ember::name##_(x); }, nb::arg("input"), \
      nb::rv_policy::reference);
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                                          \
  module.def(                                                                                      \
      #name, [](nb::handle a, nb::handle b) { return ember::name(to_operand(a), to_operand(b)); }, \
      nb::arg("input"), nb::arg("other"));
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

  // Each public elementwise op's type rule (the enumerator's name in its .def row): the op
  // database derives the dtypes an entry covers and its result dtype from it.
  nb::dict type_rules;
#define EMBER_UNARY_OP(name, Name, rule) type_rules[#name] = #rule;
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule) type_rules[#name] = #rule;
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
  module.attr("_elementwise_type_rules") = type_rules;

  module.def(
      "add",
      [](nb::handle a, nb::handle b, nb::handle alpha) {
        return ember::add(to_operand(a), to_operand(b), to_scalar(alpha));
      },
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1);
  module.def(
      "sub",
      [](nb::handle a, nb::handle b, nb::handle alpha) {
        return ember::sub(to_operand(a), to_operand(b), to_scalar(alpha));
      },
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1);
  module.def(
      "div",
      [](nb::handle a, nb::handle b, std::optional<std::string> mode) {
        return ember::div(to_operand(a), to_operand(b),
                          mode ? std::optional<std::string_view>(*mode) : std::nullopt);
      },
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none());
  module.def(
      "true_divide",
      [](nb::handle a, nb::handle b) { return ember::div(to_operand(a), to_operand(b)); },
      nb::arg("input"), nb::arg("other"));
  module.def(
      "where",
      [](const Tensor& condition, nb::handle x, nb::handle y) {
        return ember::where(condition, to_operand(x), to_operand(y));
      },
      nb::arg("condition"), nb::arg("input"), nb::arg("other"));
  module.def(
      "logical_not", [](const Tensor& x) { return ember::logical_not(x); }, nb::arg("input"));
  module.def("masked_select", &ember::masked_select, nb::arg("input"), nb::arg("mask"));
  module.def("index_select", &ember::index_select, nb::arg("input"), nb::arg("dim"),
             nb::arg("index"));
  module.def("nonzero", &ember::nonzero, nb::arg("input"));

  module.def("mm", &ember::mm, nb::arg("input"), nb::arg("mat2"));
  module.def("matmul", &ember::matmul, nb::arg("input"), nb::arg("other"));
  module.def("bmm", &ember::bmm, nb::arg("input"), nb::arg("mat2"));
  module.def("mv", &ember::mv, nb::arg("input"), nb::arg("vec"));
  module.def("dot", &ember::dot, nb::arg("input"), nb::arg("other"));
  module.def("outer", &ember::outer, nb::arg("input"), nb::arg("vec2"));
  module.def(
      "addmm",
      [](const Tensor& input, const Tensor& a, const Tensor& b, nb::handle beta, nb::handle alpha) {
        return ember::addmm(input, a, b, to_scalar(beta), to_scalar(alpha));
      },
      nb::arg("input"), nb::arg("mat1"), nb::arg("mat2"), nb::kw_only(), nb::arg("beta") = 1,
      nb::arg("alpha") = 1);

  // Views as functions.
  module.def(
      "reshape", [](const Tensor& t, nb::handle shape) { return t.reshape(to_dims(shape)); },
      nb::arg("input"), nb::arg("shape"));
  module.def(
      "permute", [](const Tensor& t, nb::handle dims) { return t.permute(to_dims(dims)); },
      nb::arg("input"), nb::arg("dims"));
  module.def("transpose", &ember::transpose, nb::arg("input"), nb::arg("dim0"), nb::arg("dim1"));
  module.def("t", &ember::t, nb::arg("input"));
  module.def(
      "squeeze",
      [](const Tensor& t, std::optional<int64_t> dim) {
        return dim ? ember::squeeze(t, *dim) : ember::squeeze(t);
      },
      nb::arg("input"), nb::arg("dim") = nb::none());
  module.def("unsqueeze", &ember::unsqueeze, nb::arg("input"), nb::arg("dim"));
  module.def("narrow", &ember::narrow, nb::arg("input"), nb::arg("dim"), nb::arg("start"),
             nb::arg("length"));
  module.def("select", &ember::select, nb::arg("input"), nb::arg("dim"), nb::arg("index"));
  module.def("flatten", &ember::flatten, nb::arg("input"), nb::arg("start_dim") = 0,
             nb::arg("end_dim") = -1);
  module.def(
      "unflatten",
      [](const Tensor& t, int64_t dim, nb::handle sizes) {
        return ember::unflatten(t, dim, to_dims(sizes));
      },
      nb::arg("input"), nb::arg("dim"), nb::arg("sizes"));
  module.def(
      "broadcast_to",
      [](const Tensor& t, nb::handle shape) { return ember::broadcast_to(t, to_dims(shape)); },
      nb::arg("input"), nb::arg("size"));
  module.def(
      "as_strided",
      [](const Tensor& t, nb::handle size, nb::handle stride, std::optional<int64_t> offset) {
        return ember::as_strided(t, to_dims(size), to_dims(stride), offset);
      },
      nb::arg("input"), nb::arg("size"), nb::arg("stride"), nb::arg("storage_offset") = nb::none());
  module.def("clone", &ember::clone, nb::arg("input"));
  module.def("bernoulli", &ember::bernoulli, nb::arg("input"));
}

}  // namespace ember::python
