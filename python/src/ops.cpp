// Module-level op functions (ember.exp, ember.add, ember.mm, ...). Reductions forward to the
// Tensor methods from ember/__init__.py, which keeps their argument parsing in one place.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include "convert.h"
#include "elementwise_docs.h"

namespace ember::python {

void init_ops(nb::module_& module) {
#define EMBER_UNARY_OP(name, Name, rule)                                                   \
  static_assert(elementwise_doc(#name), "describe " #name " in elementwise_docs.h");       \
  module.def(                                                                              \
      #name, [](const Tensor& x) { return ember::name(x); }, nb::arg("input"),             \
      nb::sig("def " #name "(input) -> Tensor"), elementwise_doc(#name));                  \
  module.def(                                                                              \
      #name "_", [](Tensor& x) -> Tensor& { return ember::name##_(x); }, nb::arg("input"), \
      nb::rv_policy::reference, nb::sig("def " #name "_(input) -> Tensor"),                \
      "In-place " #name "().");
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                                     \
  static_assert(elementwise_doc(#name), "describe " #name " in elementwise_docs.h");          \
  if (!bound_with_options(#name)) {                                                           \
    module.def(                                                                               \
        #name,                                                                                \
        [](nb::handle a, nb::handle b) { return ember::name(to_operand(a), to_operand(b)); }, \
        nb::arg("input"), nb::arg("other"), nb::sig("def " #name "(input, other) -> Tensor"), \
        elementwise_doc(#name));                                                              \
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

  module.def(
      "add",
      [](nb::handle a, nb::handle b, nb::handle alpha) {
        return ember::add(to_operand(a), to_operand(b), to_scalar(alpha));
      },
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1,
      nb::sig("def add(input, other, *, alpha=1) -> Tensor"),
      "Adds other, scaled by alpha, to input (broadcasting, type promotion).");
  module.def(
      "sub",
      [](nb::handle a, nb::handle b, nb::handle alpha) {
        return ember::sub(to_operand(a), to_operand(b), to_scalar(alpha));
      },
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1,
      nb::sig("def sub(input, other, *, alpha=1) -> Tensor"),
      "Subtracts other, scaled by alpha, from input.");
  module.def(
      "div",
      [](nb::handle a, nb::handle b, std::optional<std::string> mode) {
        return ember::div(to_operand(a), to_operand(b),
                          mode ? std::optional<std::string_view>(*mode) : std::nullopt);
      },
      nb::arg("input"), nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
      nb::sig("def div(input, other, *, rounding_mode=None) -> Tensor"),
      "Divides input by other; rounding_mode None (true division), 'trunc' or 'floor'.");
  module.def(
      "true_divide",
      [](nb::handle a, nb::handle b) { return ember::div(to_operand(a), to_operand(b)); },
      nb::arg("input"), nb::arg("other"), nb::sig("def true_divide(input, other) -> Tensor"),
      "Alias for div(input, other) with true division.");
  module.def(
      "where",
      [](const Tensor& condition, nb::handle x, nb::handle y) {
        return ember::where(condition, to_operand(x), to_operand(y));
      },
      nb::arg("condition"), nb::arg("input"), nb::arg("other"),
      nb::sig("def where(condition, input, other) -> Tensor"),
      "Elements of input where condition is True, else of other.");
  module.def(
      "logical_not", [](const Tensor& x) { return ember::logical_not(x); }, nb::arg("input"),
      nb::sig("def logical_not(input) -> Tensor"), "Elementwise logical NOT, as a bool tensor.");
  module.def("masked_select", &ember::masked_select, nb::arg("input"), nb::arg("mask"),
             nb::sig("def masked_select(input, mask) -> Tensor"),
             "The elements of input where the bool mask is True, as a 1-D tensor.");
  module.def("index_select", &ember::index_select, nb::arg("input"), nb::arg("dim"),
             nb::arg("index"), nb::sig("def index_select(input, dim, index) -> Tensor"),
             "The entries of input along dim at the positions in the 1-D index tensor.");
  module.def("nonzero", &ember::nonzero, nb::arg("input"), nb::sig("def nonzero(input) -> Tensor"),
             "The indices of the non-zero elements of input, shape (count, input.dim()).");

  module.def("mm", &ember::mm, nb::arg("input"), nb::arg("mat2"),
             nb::sig("def mm(input, mat2) -> Tensor"), "Matrix product of two 2-D tensors.");
  module.def("matmul", &ember::matmul, nb::arg("input"), nb::arg("other"),
             nb::sig("def matmul(input, other) -> Tensor"),
             "Matrix product with NumPy's rules for 1-D and batched operands.");
  module.def("bmm", &ember::bmm, nb::arg("input"), nb::arg("mat2"),
             nb::sig("def bmm(input, mat2) -> Tensor"),
             "Batched matrix product of two 3-D tensors.");
  module.def("mv", &ember::mv, nb::arg("input"), nb::arg("vec"),
             nb::sig("def mv(input, vec) -> Tensor"), "Matrix-vector product.");
  module.def("dot", &ember::dot, nb::arg("input"), nb::arg("other"),
             nb::sig("def dot(input, other) -> Tensor"), "Dot product of two 1-D tensors.");
  module.def("outer", &ember::outer, nb::arg("input"), nb::arg("vec2"),
             nb::sig("def outer(input, vec2) -> Tensor"), "Outer product of two 1-D tensors.");
  module.def(
      "addmm",
      [](const Tensor& input, const Tensor& a, const Tensor& b, nb::handle beta, nb::handle alpha) {
        return ember::addmm(input, a, b, to_scalar(beta), to_scalar(alpha));
      },
      nb::arg("input"), nb::arg("mat1"), nb::arg("mat2"), nb::kw_only(), nb::arg("beta") = 1,
      nb::arg("alpha") = 1, nb::sig("def addmm(input, mat1, mat2, *, beta=1, alpha=1) -> Tensor"),
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
  module.def("clone", &ember::clone, nb::arg("input"), nb::sig("def clone(input) -> Tensor"),
             "A copy of input (differentiable).");
}

}  // namespace ember::python
