// Module-level op functions (ember.exp, ember.add, ember.mm, ...). Reductions forward to the
// Tensor methods from ember/__init__.py, which keeps their argument parsing in one place.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include "convert.h"
#include "elementwise_docs.h"
#include "out.h"

namespace ember::python {

void init_ops(nb::module_& module) {
#define EMBER_UNARY_OP(name, Name, rule)                                                      \
  static_assert(elementwise_doc(#name), "describe " #name " in elementwise_docs.h");          \
  module.def(#name, with_out(#name, [](const Tensor& x) { return ember::name(x); }),          \
             nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none(),                    \
             nb::sig("def " #name "(input, *, out=None) -> Tensor"), elementwise_doc(#name)); \
  module.def(                                                                                 \
      #name "_", [](Tensor& x) -> Tensor& { return ember::name##_(x); }, nb::arg("input"),    \
      nb::rv_policy::reference, nb::sig("def " #name "_(input) -> Tensor"),                   \
      "In-place " #name "().");
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                                        \
  static_assert(elementwise_doc(#name), "describe " #name " in elementwise_docs.h");             \
  if (!bound_with_options(#name)) {                                                              \
    module.def(                                                                                  \
        #name,                                                                                   \
        with_out(#name, [](nb::handle a,                                                         \
                           nb::handle b) { return ember::name(to_operand(a), to_operand(b)); }), \
        nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("out") = nb::none(),          \
        nb::sig("def " #name "(input, other, *, out=None) -> Tensor"), elementwise_doc(#name));  \
  }
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

  module.def("add",
             with_out("add",
                      [](nb::handle a, nb::handle b, nb::handle alpha) {
                        return ember::add(to_operand(a), to_operand(b), to_scalar(alpha));
                      }),
             nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1,
             nb::arg("out") = nb::none(),
             nb::sig("def add(input, other, *, alpha=1, out=None) -> Tensor"),
             "Adds other, scaled by alpha, to input (broadcasting, type promotion).");
  module.def("sub",
             with_out("sub",
                      [](nb::handle a, nb::handle b, nb::handle alpha) {
                        return ember::sub(to_operand(a), to_operand(b), to_scalar(alpha));
                      }),
             nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1,
             nb::arg("out") = nb::none(),
             nb::sig("def sub(input, other, *, alpha=1, out=None) -> Tensor"),
             "Subtracts other, scaled by alpha, from input.");
  module.def(
      "div",
      with_out("div",
               [](nb::handle a, nb::handle b, std::optional<std::string> mode) {
                 return ember::div(to_operand(a), to_operand(b),
                                   mode ? std::optional<std::string_view>(*mode) : std::nullopt);
               }),
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
      nb::arg("out") = nb::none(),
      nb::sig("def div(input, other, *, rounding_mode=None, out=None) -> Tensor"),
      "Divides input by other; rounding_mode None (true division), 'trunc' or 'floor'.");
  module.def(
      "true_divide",
      with_out("true_divide",
               [](nb::handle a, nb::handle b) { return ember::div(to_operand(a), to_operand(b)); }),
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def true_divide(input, other, *, out=None) -> Tensor"),
      "Alias for div(input, other) with true division.");
  module.def(
      "where",
      [](const Tensor& condition, nb::handle x, nb::handle y, nb::handle out) -> nb::object {
        if (x.is_none() && y.is_none()) {
          // One argument: nonzero(condition, as_tuple=True) (scatter.cpp), which has no out=.
          if (!out.is_none())
            ember::detail::raise<ember::TypeError>("where(condition) takes no out= argument");
          return where_condition(condition);
        }
        static const auto where_out =
            with_out("where", [](const Tensor& condition, nb::handle x, nb::handle y) {
              return ember::where(condition, to_operand(x), to_operand(y));
            });
        return where_out(condition, x, y, out);
      },
      nb::arg("condition"), nb::arg("input") = nb::none(), nb::arg("other") = nb::none(),
      nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def where(condition, input=None, other=None, *, out=None) -> Tensor"),
      "Elements of input where condition is True, else of other; with the condition alone, "
      "nonzero(condition, as_tuple=True).");
  module.def("logical_not",
             with_out("logical_not", [](const Tensor& x) { return ember::logical_not(x); }),
             nb::arg("input"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def logical_not(input, *, out=None) -> Tensor"),
             "Elementwise logical NOT, as a bool tensor.");
  module.def("masked_select", with_out("masked_select", &ember::masked_select), nb::arg("input"),
             nb::arg("mask"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def masked_select(input, mask, *, out=None) -> Tensor"),
             "The elements of input where the bool mask is True, as a 1-D tensor.");
  module.def("index_select", with_out("index_select", &ember::index_select), nb::arg("input"),
             nb::arg("dim"), nb::arg("index"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def index_select(input, dim, index, *, out=None) -> Tensor"),
             "The entries of input along dim at the positions in the 1-D index tensor.");

  module.def("mm", with_out("mm", &ember::mm), nb::arg("input"), nb::arg("mat2"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def mm(input, mat2, *, out=None) -> Tensor"),
             "Matrix product of two 2-D tensors.");
  module.def("matmul", with_out("matmul", &ember::matmul), nb::arg("input"), nb::arg("other"),
             nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def matmul(input, other, *, out=None) -> Tensor"),
             "Matrix product with NumPy's rules for 1-D and batched operands.");
  module.def("bmm", with_out("bmm", &ember::bmm), nb::arg("input"), nb::arg("mat2"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def bmm(input, mat2, *, out=None) -> Tensor"),
             "Batched matrix product of two 3-D tensors.");
  module.def("mv", with_out("mv", &ember::mv), nb::arg("input"), nb::arg("vec"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def mv(input, vec, *, out=None) -> Tensor"),
             "Matrix-vector product.");
  module.def("dot", with_out("dot", &ember::dot), nb::arg("input"), nb::arg("other"), nb::kw_only(),
             nb::arg("out") = nb::none(), nb::sig("def dot(input, other, *, out=None) -> Tensor"),
             "Dot product of two 1-D tensors.");
  module.def("outer", with_out("outer", &ember::outer), nb::arg("input"), nb::arg("vec2"),
             nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def outer(input, vec2, *, out=None) -> Tensor"),
             "Outer product of two 1-D tensors.");
  module.def("addmm",
             with_out("addmm",
                      [](const Tensor& input, const Tensor& a, const Tensor& b, nb::handle beta,
                         nb::handle alpha) {
                        return ember::addmm(input, a, b, to_scalar(beta), to_scalar(alpha));
                      }),
             nb::arg("input"), nb::arg("mat1"), nb::arg("mat2"), nb::kw_only(), nb::arg("beta") = 1,
             nb::arg("alpha") = 1, nb::arg("out") = nb::none(),
             nb::sig("def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None) -> Tensor"),
             "beta * input + alpha * (mat1 @ mat2).");

  // Views as functions.
  module.def(
      "reshape", [](const Tensor& t, nb::handle shape) { return t.reshape(to_dims(shape)); },
      nb::arg("input"), nb::arg("shape"), nb::sig("def reshape(input, shape) -> Tensor"),
      "input with the given shape: a view when possible, else a copy.");
  module.def(
      "permute", [](const Tensor& t, nb::handle dims) { return t.permute(to_dims(dims)); },
      nb::arg("input"), nb::arg("dims"), nb::sig("def permute(input, dims) -> Tensor"),
      "A view of input with its dims reordered.");
  module.def("transpose", &ember::transpose, nb::arg("input"), nb::arg("dim0"), nb::arg("dim1"),
             nb::sig("def transpose(input, dim0, dim1) -> Tensor"),
             "A view of input with dims dim0 and dim1 swapped.");
  module.def("t", &ember::t, nb::arg("input"), nb::sig("def t(input) -> Tensor"),
             "Transposes a tensor of at most 2 dims.");
  module.def(
      "squeeze",
      [](const Tensor& t, std::optional<int64_t> dim) {
        return dim ? ember::squeeze(t, *dim) : ember::squeeze(t);
      },
      nb::arg("input"), nb::arg("dim") = nb::none(),
      nb::sig("def squeeze(input, dim=None) -> Tensor"),
      "A view of input without its size-1 dims (or only dim).");
  module.def("unsqueeze", &ember::unsqueeze, nb::arg("input"), nb::arg("dim"),
             nb::sig("def unsqueeze(input, dim) -> Tensor"),
             "A view of input with a size-1 dim inserted at dim.");
  module.def("narrow", &ember::narrow, nb::arg("input"), nb::arg("dim"), nb::arg("start"),
             nb::arg("length"), nb::sig("def narrow(input, dim, start, length) -> Tensor"),
             "A view of input's entries start..start+length along dim.");
  module.def("select", &ember::select, nb::arg("input"), nb::arg("dim"), nb::arg("index"),
             nb::sig("def select(input, dim, index) -> Tensor"),
             "A view of input at index along dim, without that dim.");
  module.def("flatten", &ember::flatten, nb::arg("input"), nb::arg("start_dim") = 0,
             nb::arg("end_dim") = -1,
             nb::sig("def flatten(input, start_dim=0, end_dim=-1) -> Tensor"),
             "input with dims start_dim..end_dim merged into one.");
  module.def(
      "unflatten",
      [](const Tensor& t, int64_t dim, nb::handle sizes) {
        return ember::unflatten(t, dim, to_dims(sizes));
      },
      nb::arg("input"), nb::arg("dim"), nb::arg("sizes"),
      nb::sig("def unflatten(input, dim, sizes) -> Tensor"), "input with dim split into sizes.");
  module.def(
      "broadcast_to",
      [](const Tensor& t, nb::handle shape) { return ember::broadcast_to(t, to_dims(shape)); },
      nb::arg("input"), nb::arg("size"), nb::sig("def broadcast_to(input, size) -> Tensor"),
      "A view of input broadcast to size.");
  module.def(
      "as_strided",
      [](const Tensor& t, nb::handle size, nb::handle stride, std::optional<int64_t> offset) {
        return ember::as_strided(t, to_dims(size), to_dims(stride), offset);
      },
      nb::arg("input"), nb::arg("size"), nb::arg("stride"), nb::arg("storage_offset") = nb::none(),
      nb::sig("def as_strided(input, size, stride, storage_offset=None) -> Tensor"),
      "A view of input's storage with the given size, stride and offset.");
  module.def("clone", &clone_python, nb::arg("input"), nb::kw_only(),
             nb::arg("memory_format") = nb::none(),
             nb::sig("def clone(input, *, memory_format=None) -> Tensor"),
             "A copy of input (differentiable); memory_format defaults to ember.preserve_format.");
}

}  // namespace ember::python
