// The ember.Tensor class: metadata, conversions, views, elementwise methods and operators, all
// bound in C++ so that `a + b` runs no Python code.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/autograd/node.h"

namespace ember::python {
namespace {

// Operands of Python operators: tensors and numbers; anything else is NotImplemented so that
// Python can try the other operand's method.
std::optional<Tensor> try_operand(nb::handle object) {
  if (nb::isinstance<Tensor>(object)) return nb::cast<const Tensor&>(object);
  if (is_python_number(object)) {
    return scalar_tensor(to_scalar(object), std::nullopt, /*wrapped=*/true);
  }
  return std::nullopt;
}

nb::object tolist(const Tensor& t) {
  if (t.dim() == 0) return scalar_to_python(t.item());
  nb::list items;
  for (int64_t i = 0; i < t.size(0); ++i) items.append(tolist(t.select(0, i)));
  return items;
}

Tensor convert_to(const Tensor& self, nb::args args, nb::kwargs kwargs) {
  std::optional<Device> device;
  std::optional<ScalarType> dtype;
  bool copy = false;
  for (nb::handle arg : args) {
    if (nb::isinstance<Tensor>(arg)) {
      const Tensor& other = nb::cast<const Tensor&>(arg);
      device = other.device();
      dtype = other.dtype();
    } else if (nb::isinstance<DType>(arg) || nb::hasattr(arg, "dtype")) {
      dtype = to_dtype(arg);
    } else {
      device = to_device(arg);
    }
  }
  if (kwargs.contains("dtype")) dtype = to_dtype(kwargs["dtype"]);
  if (kwargs.contains("device")) device = to_device(kwargs["device"]);
  if (kwargs.contains("copy")) copy = nb::cast<bool>(kwargs["copy"]);
  return to(self, device, dtype, copy);
}

nb::object legacy_type_name(const Tensor& t) {
  static const char* names[kNumScalarTypes] = {
      "BoolTensor", "ByteTensor", "CharTensor",     "ShortTensor", "IntTensor",
      "LongTensor", "HalfTensor", "BFloat16Tensor", "FloatTensor", "DoubleTensor"};
  return nb::str(("ember." + std::string(names[static_cast<int>(t.dtype())])).c_str());
}

// repr as PyTorch's: the printed values, then ", grad_fn=<MulBackward0>" for a tensor with
// history or ", requires_grad=True" for a leaf that requires grad.
std::string python_repr(const Tensor& t) {
  std::string text = to_string(t);
  if (!t.requires_grad()) return text;
  const auto node = t.grad_fn();
  text.insert(text.size() - 1, node ? ", grad_fn=<" + node->name() + ">" : ", requires_grad=True");
  return text;
}

// max(dim) / min(dim) return (values, indices) as ember.return_types.max/min.
nb::object values_indices(const char* name, std::tuple<Tensor, Tensor> result) {
  static nb::handle return_types = nb::module_::import_("ember._return_types").release();
  return return_types.attr(name)(std::get<0>(result), std::get<1>(result));
}

// clamp with Python numbers or tensors (or None) as bounds.
Tensor clamp_bounds(const Tensor& t, nb::handle min, nb::handle max) {
  if (nb::isinstance<Tensor>(min) || nb::isinstance<Tensor>(max)) {
    auto as_tensor = [](nb::handle h) -> std::optional<Tensor> {
      if (h.is_none()) return std::nullopt;
      return to_operand(h);
    };
    return ember::clamp(t, as_tensor(min), as_tensor(max));
  }
  auto as_scalar = [](nb::handle h) -> std::optional<Scalar> {
    if (h.is_none()) return std::nullopt;
    return to_scalar(h);
  };
  return ember::clamp(t, as_scalar(min), as_scalar(max));
}

}  // namespace

void init_tensor(nb::class_<Tensor>& tensor) {
  tensor.def_prop_ro("shape", [](const Tensor& t) { return shape_to_python(t.shape()); })
      .def_prop_ro("dtype", [](const Tensor& t) { return dtype_object(t.dtype()); })
      .def_prop_ro("device", [](const Tensor& t) { return t.device(); })
      .def_prop_ro("ndim", &Tensor::dim)
      .def_prop_ro("is_cuda", [](const Tensor& t) { return t.device().is_cuda(); })
      .def_prop_ro("is_cpu", [](const Tensor& t) { return t.device().is_cpu(); })
      .def_prop_ro("T",
                   [](const Tensor& t) {
                     std::vector<int64_t> dims;
                     for (int64_t d = t.dim() - 1; d >= 0; --d) dims.push_back(d);
                     return t.permute(dims);
                   })
      .def_prop_ro("mT", [](const Tensor& t) { return t.transpose(-2, -1); })
      .def(
          "size",
          [](const Tensor& t, std::optional<int64_t> d) -> nb::object {
            if (d) return nb::int_(t.size(*d));
            return shape_to_python(t.shape());
          },
          nb::arg("dim") = nb::none())
      .def(
          "stride",
          [](const Tensor& t, std::optional<int64_t> d) -> nb::object {
            if (d) return nb::int_(t.stride(*d));
            nb::list strides;
            for (int64_t s : t.strides()) strides.append(s);
            return nb::tuple(strides);
          },
          nb::arg("dim") = nb::none())
      .def("dim", &Tensor::dim)
      .def("ndimension", &Tensor::dim)
      .def("numel", &Tensor::numel)
      .def("nelement", &Tensor::numel)
      .def("element_size", &Tensor::element_size)
      .def("storage_offset", &Tensor::storage_offset)
      .def("is_contiguous", &Tensor::is_contiguous)
      .def("is_floating_point", &Tensor::is_floating_point)
      .def("data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.data_ptr()); })
      .def("_version", &Tensor::version)
      .def("item", [](const Tensor& t) { return scalar_to_python(t.item()); })
      .def("tolist", &tolist)
      .def("__len__",
           [](const Tensor& t) {
             EMBER_CHECK_TYPE(t.dim() > 0, "len() of a 0-d tensor");
             return t.size(0);
           })
      .def("__iter__",
           [](const Tensor& t) {
             EMBER_CHECK_TYPE(t.dim() > 0, "iteration over a 0-d tensor");
             nb::list rows;
             for (int64_t i = 0; i < t.size(0); ++i) rows.append(t.select(0, i));
             return nb::iter(rows);
           })
      .def("__bool__",
           [](const Tensor& t) {
             EMBER_CHECK(t.numel() != 0, "Boolean value of Tensor with no values is ambiguous");
             EMBER_CHECK(t.numel() == 1,
                         "Boolean value of Tensor with more than one value is ambiguous");
             return t.item().to_double() != 0.0;
           })
      .def("__float__",
           [](const Tensor& t) {
             EMBER_CHECK(t.numel() == 1,
                         "only one element tensors can be converted to Python scalars");
             return t.item().to_double();
           })
      .def("__int__",
           [](const Tensor& t) {
             EMBER_CHECK(t.numel() == 1,
                         "only one element tensors can be converted to Python scalars");
             return t.item().to_int64();
           })
      .def("__index__",
           [](const Tensor& t) {
             EMBER_CHECK_TYPE(
                 t.numel() == 1 && is_integral(t.dtype(), true),
                 "only integer tensors of a single element can be converted to an index");
             return t.item().to_int64();
           })
      .def("__repr__", &python_repr)
      .def("__str__", &python_repr)
      .def("__hash__", [](nb::handle self) { return reinterpret_cast<intptr_t>(self.ptr()); })

      // conversions
      .def("to", &convert_to)
      .def(
          "type",
          [](const Tensor& t, nb::handle dtype) -> nb::object {
            if (dtype.is_none()) return legacy_type_name(t);
            if (nb::isinstance<nb::str>(dtype)) {
              static nb::handle legacy =
                  nb::object(nb::module_::import_("ember").attr("_legacy_type_by_name")).release();
              return nb::cast(t.to(*to_dtype(legacy(dtype))));
            }
            return nb::cast(t.to(*to_dtype(dtype)));
          },
          nb::arg("dtype") = nb::none())
      .def("float", [](const Tensor& t) { return t.to(kFloat32); })
      .def("double", [](const Tensor& t) { return t.to(kFloat64); })
      .def("half", [](const Tensor& t) { return t.to(kFloat16); })
      .def("bfloat16", [](const Tensor& t) { return t.to(kBFloat16); })
      .def("int", [](const Tensor& t) { return t.to(kInt32); })
      .def("long", [](const Tensor& t) { return t.to(kInt64); })
      .def("short", [](const Tensor& t) { return t.to(kInt16); })
      .def("char", [](const Tensor& t) { return t.to(kInt8); })
      .def("byte", [](const Tensor& t) { return t.to(kUInt8); })
      .def("bool", [](const Tensor& t) { return t.to(kBool); })
      .def("cpu", &Tensor::cpu)
      .def(
          "cuda", [](const Tensor& t, nb::handle) { return t.cuda(); },
          nb::arg("device") = nb::none())
      .def("contiguous", &Tensor::contiguous)
      .def("clone", &Tensor::clone)
      .def(
          "copy_", [](Tensor& t, const Tensor& src) -> Tensor& { return t.copy_(src); },
          nb::arg("src"), nb::rv_policy::reference_internal)

      // views
      .def("view", [](const Tensor& t, nb::args shape) { return t.view(to_shape(shape)); })
      .def("reshape", [](const Tensor& t, nb::args shape) { return t.reshape(to_shape(shape)); })
      .def("view_as", [](const Tensor& t, const Tensor& other) { return t.view(other.shape()); })
      .def("reshape_as",
           [](const Tensor& t, const Tensor& other) { return t.reshape(other.shape()); })
      .def("permute", [](const Tensor& t, nb::args dims) { return t.permute(to_shape(dims)); })
      .def("transpose", &Tensor::transpose, nb::arg("dim0"), nb::arg("dim1"))
      .def("swapaxes", &Tensor::transpose, nb::arg("axis0"), nb::arg("axis1"))
      .def("t", &Tensor::t)
      .def("expand", [](const Tensor& t, nb::args sizes) { return t.expand(to_shape(sizes)); })
      .def("expand_as", &Tensor::expand_as)
      .def(
          "broadcast_to",
          [](const Tensor& t, nb::handle shape) { return t.broadcast_to(to_dims(shape)); },
          nb::arg("size"))
      .def(
          "squeeze",
          [](const Tensor& t, std::optional<int64_t> d) { return d ? t.squeeze(*d) : t.squeeze(); },
          nb::arg("dim") = nb::none())
      .def("unsqueeze", &Tensor::unsqueeze, nb::arg("dim"))
      .def("narrow", &Tensor::narrow, nb::arg("dim"), nb::arg("start"), nb::arg("length"))
      .def("select", &Tensor::select, nb::arg("dim"), nb::arg("index"))
      .def("flatten", &Tensor::flatten, nb::arg("start_dim") = 0, nb::arg("end_dim") = -1)
      .def(
          "unflatten",
          [](const Tensor& t, int64_t d, nb::handle sizes) {
            return t.unflatten(d, to_dims(sizes));
          },
          nb::arg("dim"), nb::arg("sizes"))
      .def(
          "as_strided",
          [](const Tensor& t, nb::handle size, nb::handle stride, std::optional<int64_t> offset) {
            return t.as_strided(to_dims(size), to_dims(stride), offset);
          },
          nb::arg("size"), nb::arg("stride"), nb::arg("storage_offset") = nb::none())

      // fills and random
      .def(
          "fill_", [](Tensor& t, nb::handle value) -> Tensor& { return t.fill_(to_scalar(value)); },
          nb::rv_policy::reference_internal)
      .def("zero_", &Tensor::zero_, nb::rv_policy::reference_internal)
      .def("uniform_", &Tensor::uniform_, nb::arg("from") = 0.0, nb::arg("to") = 1.0,
           nb::rv_policy::reference_internal)
      .def("normal_", &Tensor::normal_, nb::arg("mean") = 0.0, nb::arg("std") = 1.0,
           nb::rv_policy::reference_internal)
      .def("bernoulli_", &Tensor::bernoulli_, nb::arg("p") = 0.5, nb::rv_policy::reference_internal)
      .def("bernoulli", [](const Tensor& t) { return t.bernoulli(); });

  // elementwise methods, one per .def row
#define EMBER_UNARY_OP(name, Name, rule)                                 \
  tensor.def(#name, [](const Tensor& t) { return ember::name(t); });     \
  tensor.def(                                                            \
      #name "_", [](Tensor& t) -> Tensor& { return ember::name##_(t); }, \
      nb::rv_policy::reference_internal);
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                                          \
  tensor.def(                                                                                      \
      #name, [](const Tensor& t, nb::handle other) { return ember::name(t, to_operand(other)); },  \
      nb::arg("other"));                                                                           \
  tensor.def(                                                                                      \
      #name "_",                                                                                   \
      [](Tensor& t, nb::handle other) -> Tensor& { return ember::name##_(t, to_operand(other)); }, \
      nb::arg("other"), nb::rv_policy::reference_internal);
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

  tensor
      .def(
          "add",
          [](const Tensor& t, nb::handle other, nb::handle alpha) {
            return ember::add(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1)
      .def(
          "add_",
          [](Tensor& t, nb::handle other, nb::handle alpha) -> Tensor& {
            return ember::add_(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::rv_policy::reference_internal)
      .def(
          "sub",
          [](const Tensor& t, nb::handle other, nb::handle alpha) {
            return ember::sub(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1)
      .def(
          "sub_",
          [](Tensor& t, nb::handle other, nb::handle alpha) -> Tensor& {
            return ember::sub_(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::rv_policy::reference_internal)
      .def(
          "div",
          [](const Tensor& t, nb::handle other, std::optional<std::string> mode) {
            return ember::div(t, to_operand(other),
                              mode ? std::optional<std::string_view>(*mode) : std::nullopt);
          },
          nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none())
      .def(
          "div_",
          [](Tensor& t, nb::handle other, std::optional<std::string> mode) -> Tensor& {
            return ember::div_(t, to_operand(other),
                               mode ? std::optional<std::string_view>(*mode) : std::nullopt);
          },
          nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
          nb::rv_policy::reference_internal)
      .def("true_divide",
           [](const Tensor& t, nb::handle other) { return ember::div(t, to_operand(other)); })
      .def("clamp", &clamp_bounds, nb::arg("min") = nb::none(), nb::arg("max") = nb::none())
      .def("clip", &clamp_bounds, nb::arg("min") = nb::none(), nb::arg("max") = nb::none())
      .def(
          "clamp_min",
          [](const Tensor& t, nb::handle min) { return clamp_bounds(t, min, nb::none()); },
          nb::arg("min"))
      .def(
          "clamp_max",
          [](const Tensor& t, nb::handle max) { return clamp_bounds(t, nb::none(), max); },
          nb::arg("max"))
      .def(
          "clamp_",
          [](Tensor& t, nb::handle min, nb::handle max) -> Tensor& {
            if (nb::isinstance<Tensor>(min) || nb::isinstance<Tensor>(max)) {
              auto as_tensor = [](nb::handle h) -> std::optional<Tensor> {
                if (h.is_none()) return std::nullopt;
                return to_operand(h);
              };
              return ember::clamp_(t, as_tensor(min), as_tensor(max));
            }
            auto as_scalar = [](nb::handle h) -> std::optional<Scalar> {
              if (h.is_none()) return std::nullopt;
              return to_scalar(h);
            };
            return ember::clamp_(t, as_scalar(min), as_scalar(max));
          },
          nb::arg("min") = nb::none(), nb::arg("max") = nb::none(),
          nb::rv_policy::reference_internal)
      .def(
          "where",
          [](const Tensor& t, const Tensor& condition, nb::handle other) {
            return ember::where(condition, t, to_operand(other));
          },
          nb::arg("condition"), nb::arg("other"))
      .def("logical_not", [](const Tensor& t) { return ember::logical_not(t); })
      .def("logical_not_", &Tensor::logical_not_, nb::rv_policy::reference_internal)
      .def(
          "masked_fill",
          [](const Tensor& t, const Tensor& mask, nb::handle value) {
            if (nb::isinstance<Tensor>(value)) {
              return ember::masked_fill(t, mask, nb::cast<const Tensor&>(value));
            }
            return ember::masked_fill(t, mask, to_scalar(value));
          },
          nb::arg("mask"), nb::arg("value"))
      .def(
          "masked_fill_",
          [](Tensor& t, const Tensor& mask, nb::handle value) -> Tensor& {
            return ember::masked_fill_(t, mask, to_scalar(value));
          },
          nb::arg("mask"), nb::arg("value"), nb::rv_policy::reference_internal);

  // Python operators. Unsupported operand types return NotImplemented.
#define EMBER_OPERATOR(dunder, expression)                  \
  tensor.def(                                               \
      dunder,                                               \
      [](const Tensor& a, nb::handle other) -> nb::object { \
        std::optional<Tensor> b_opt = try_operand(other);   \
        if (!b_opt) return nb::borrow(Py_NotImplemented);   \
        const Tensor& b = *b_opt;                           \
        return nb::cast(expression);                        \
      },                                                    \
      nb::is_operator());
  EMBER_OPERATOR("__add__", ember::add(a, b))
  EMBER_OPERATOR("__radd__", ember::add(b, a))
  EMBER_OPERATOR("__sub__", ember::sub(a, b))
  EMBER_OPERATOR("__rsub__", ember::sub(b, a))
  EMBER_OPERATOR("__mul__", ember::mul(a, b))
  EMBER_OPERATOR("__rmul__", ember::mul(b, a))
  EMBER_OPERATOR("__truediv__", ember::div(a, b))
  EMBER_OPERATOR("__rtruediv__", ember::div(b, a))
  EMBER_OPERATOR("__floordiv__", ember::floor_divide(a, b))
  EMBER_OPERATOR("__rfloordiv__", ember::floor_divide(b, a))
  EMBER_OPERATOR("__mod__", ember::remainder(a, b))
  EMBER_OPERATOR("__rmod__", ember::remainder(b, a))
  EMBER_OPERATOR("__pow__", ember::pow(a, b))
  EMBER_OPERATOR("__rpow__", ember::pow(b, a))
  EMBER_OPERATOR("__eq__", ember::eq(a, b))
  EMBER_OPERATOR("__ne__", ember::ne(a, b))
  EMBER_OPERATOR("__lt__", ember::lt(a, b))
  EMBER_OPERATOR("__le__", ember::le(a, b))
  EMBER_OPERATOR("__gt__", ember::gt(a, b))
  EMBER_OPERATOR("__ge__", ember::ge(a, b))
  EMBER_OPERATOR("__and__", ember::bitwise_and(a, b))
  EMBER_OPERATOR("__rand__", ember::bitwise_and(b, a))
  EMBER_OPERATOR("__or__", ember::bitwise_or(a, b))
  EMBER_OPERATOR("__ror__", ember::bitwise_or(b, a))
  EMBER_OPERATOR("__xor__", ember::bitwise_xor(a, b))
  EMBER_OPERATOR("__rxor__", ember::bitwise_xor(b, a))
  EMBER_OPERATOR("__lshift__", ember::bitwise_left_shift(a, b))
  EMBER_OPERATOR("__rlshift__", ember::bitwise_left_shift(b, a))
  EMBER_OPERATOR("__rshift__", ember::bitwise_right_shift(a, b))
  EMBER_OPERATOR("__rrshift__", ember::bitwise_right_shift(b, a))
  EMBER_OPERATOR("__matmul__", ember::matmul(a, b))
  EMBER_OPERATOR("__rmatmul__", ember::matmul(b, a))
#undef EMBER_OPERATOR

  // In-place operators return the same Python object, as PyTorch's do.
#define EMBER_INPLACE_OPERATOR(dunder, expression)          \
  tensor.def(                                               \
      dunder,                                               \
      [](nb::handle self, nb::handle other) -> nb::object { \
        std::optional<Tensor> b_opt = try_operand(other);   \
        if (!b_opt) return nb::borrow(Py_NotImplemented);   \
        Tensor& a = nb::cast<Tensor&>(self);                \
        const Tensor& b = *b_opt;                           \
        expression;                                         \
        return nb::borrow(self);                            \
      },                                                    \
      nb::is_operator());
  EMBER_INPLACE_OPERATOR("__iadd__", ember::add_(a, b))
  EMBER_INPLACE_OPERATOR("__isub__", ember::sub_(a, b))
  EMBER_INPLACE_OPERATOR("__imul__", ember::mul_(a, b))
  EMBER_INPLACE_OPERATOR("__itruediv__", ember::div_(a, b))
  EMBER_INPLACE_OPERATOR("__ifloordiv__", ember::floor_divide_(a, b))
  EMBER_INPLACE_OPERATOR("__imod__", ember::remainder_(a, b))
  EMBER_INPLACE_OPERATOR("__ipow__", ember::pow_(a, b))
  EMBER_INPLACE_OPERATOR("__iand__", ember::bitwise_and_(a, b))
  EMBER_INPLACE_OPERATOR("__ior__", ember::bitwise_or_(a, b))
  EMBER_INPLACE_OPERATOR("__ixor__", ember::bitwise_xor_(a, b))
  EMBER_INPLACE_OPERATOR("__ilshift__", ember::bitwise_left_shift_(a, b))
  EMBER_INPLACE_OPERATOR("__irshift__", ember::bitwise_right_shift_(a, b))
#undef EMBER_INPLACE_OPERATOR

  tensor.def("__neg__", [](const Tensor& t) { return ember::neg(t); })
      .def("__pos__", [](const Tensor& t) { return t; })
      .def("__abs__", [](const Tensor& t) { return ember::abs(t); })
      .def("__invert__", [](const Tensor& t) {
        // PyTorch's Tensor.__invert__ raises TypeError itself before bitwise_not sees a float.
        EMBER_CHECK_TYPE(!t.is_floating_point(),
                         "~ (operator.invert) is only implemented on integer and Boolean-type "
                         "tensors; got a ",
                         t.dtype(), " tensor");
        return ember::bitwise_not(t);
      });

  // reductions
  tensor
      .def(
          "sum",
          [](const Tensor& t, nb::handle dim, bool keepdim, nb::handle dtype) {
            return ember::sum(t, to_dims(dim), keepdim, to_dtype(dtype));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
          nb::arg("dtype") = nb::none())
      .def(
          "mean",
          [](const Tensor& t, nb::handle dim, bool keepdim, nb::handle dtype) {
            return ember::mean(t, to_dims(dim), keepdim, to_dtype(dtype));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
          nb::arg("dtype") = nb::none())
      .def(
          "prod",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim, nb::handle dtype) {
            return ember::prod(t, dim, keepdim, to_dtype(dtype));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
          nb::arg("dtype") = nb::none())
      .def(
          "amax",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            return ember::amax(t, to_dims(dim), keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "amin",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            return ember::amin(t, to_dims(dim), keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "max",
          [](const Tensor& t, nb::handle dim, bool keepdim) -> nb::object {
            if (dim.is_none()) return nb::cast(ember::max(t));
            if (nb::isinstance<Tensor>(dim))
              return nb::cast(ember::maximum(t, nb::cast<Tensor>(dim)));
            return values_indices("max", ember::max(t, nb::cast<int64_t>(dim), keepdim));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "min",
          [](const Tensor& t, nb::handle dim, bool keepdim) -> nb::object {
            if (dim.is_none()) return nb::cast(ember::min(t));
            if (nb::isinstance<Tensor>(dim))
              return nb::cast(ember::minimum(t, nb::cast<Tensor>(dim)));
            return values_indices("min", ember::min(t, nb::cast<int64_t>(dim), keepdim));
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "argmax",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
            return ember::argmax(t, dim, keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "argmin",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
            return ember::argmin(t, dim, keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "all",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
            return ember::all(t, dim, keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "any",
          [](const Tensor& t, std::optional<int64_t> dim, bool keepdim) {
            return ember::any(t, dim, keepdim);
          },
          nb::arg("dim") = nb::none(), nb::arg("keepdim") = false)
      .def(
          "logsumexp",
          [](const Tensor& t, nb::handle dim, bool keepdim) {
            return ember::logsumexp(t, to_dims(dim), keepdim);
          },
          nb::arg("dim"), nb::arg("keepdim") = false)
      .def(
          "norm",
          [](const Tensor& t, nb::handle p, nb::handle dim, bool keepdim) {
            if (!nb::isinstance<nb::str>(p)) {
              const double order = p.is_none() ? 2.0 : nb::cast<double>(p);
              return ember::norm(t, order, to_dims(dim), keepdim);
            }
            // PyTorch's matrix norms by name: 'fro' is the 2-norm over at most two dims.
            const std::string name = nb::cast<std::string>(p);
            EMBER_CHECK(name == "fro" || name == "nuc",
                        "[norm] only valid string values are 'fro' and 'nuc', found ", name);
            const std::vector<int64_t> dims = to_dims(dim);
            EMBER_CHECK(name == "fro", "[norm] the nuclear norm (p='nuc') is not supported");
            EMBER_CHECK(dims.size() <= 2, "[norm] Expected at most 2 dimensions, but got ",
                        dims.size(), " dimensions instead.");
            return ember::norm(t, 2.0, dims, keepdim);
          },
          nb::arg("p") = 2, nb::arg("dim") = nb::none(), nb::arg("keepdim") = false);

  // var/std: PyTorch's (dim, unbiased, keepdim) and (dim, *, correction, keepdim) forms.
  auto variance_like = [](bool take_sqrt) {
    return [take_sqrt](const Tensor& t, nb::handle dim, nb::handle unbiased, bool keepdim,
                       nb::handle correction) {
      double chosen = 1.0;
      if (!correction.is_none())
        chosen = nb::cast<double>(correction);
      else if (!unbiased.is_none())
        chosen = nb::cast<bool>(unbiased) ? 1.0 : 0.0;
      if (PyBool_Check(dim.ptr())) {  // t.var(False): the old positional `unbiased`
        chosen = dim.ptr() == Py_True ? 1.0 : 0.0;
        dim = nb::none();
      }
      return take_sqrt ? ember::std(t, to_dims(dim), chosen, keepdim)
                       : ember::var(t, to_dims(dim), chosen, keepdim);
    };
  };
  tensor.def("var", variance_like(false), nb::arg("dim") = nb::none(),
             nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
             nb::arg("correction") = nb::none());
  tensor.def("std", variance_like(true), nb::arg("dim") = nb::none(),
             nb::arg("unbiased") = nb::none(), nb::arg("keepdim") = false, nb::kw_only(),
             nb::arg("correction") = nb::none());

  // linear algebra
  tensor.def("mm", &Tensor::mm, nb::arg("mat2"))
      .def("matmul", &Tensor::matmul, nb::arg("other"))
      .def("bmm", &Tensor::bmm, nb::arg("mat2"))
      .def("mv", &Tensor::mv, nb::arg("vec"))
      .def("dot", &Tensor::dot, nb::arg("other"))
      .def("outer", &Tensor::outer, nb::arg("vec2"))
      .def(
          "addmm",
          [](const Tensor& t, const Tensor& a, const Tensor& b, nb::handle beta, nb::handle alpha) {
            return t.addmm(a, b, to_scalar(beta), to_scalar(alpha));
          },
          nb::arg("mat1"), nb::arg("mat2"), nb::kw_only(), nb::arg("beta") = 1,
          nb::arg("alpha") = 1);
}

}  // namespace ember::python
