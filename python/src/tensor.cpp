// The ember.Tensor class: metadata, conversions, views, elementwise methods and operators, all
// bound in C++ so that `a + b` runs no Python code.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include "convert.h"
#include "elementwise_docs.h"
#include "ember/autograd/node.h"
#include "ember/ops/device_copy.h"

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
  // One transfer for the whole tensor rather than one per element.
  if (!t.device().is_cpu()) return tolist(t.cpu());
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
  const bool non_blocking =
      kwargs.contains("non_blocking") && nb::cast<bool>(kwargs["non_blocking"]);
  return to(self, device, dtype, non_blocking, copy);
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
  tensor
      .def_prop_ro(
          "shape", [](const Tensor& t) { return shape_to_python(t.shape()); },
          nb::for_getter(nb::sig("def shape(self, /) -> ember.Size")),
          "The shape, as an ember.Size.")
      .def_prop_ro(
          "dtype", [](const Tensor& t) { return dtype_object(t.dtype()); },
          nb::for_getter(nb::sig("def dtype(self, /) -> ember.dtype")), "The element type.")
      .def_prop_ro(
          "device", [](const Tensor& t) { return t.device(); }, "The device holding the data.")
      .def_prop_ro("ndim", &Tensor::dim, "The number of dims.")
      .def_prop_ro(
          "is_cuda", [](const Tensor& t) { return t.device().is_cuda(); },
          "Whether the data is in CUDA memory.")
      .def_prop_ro(
          "is_cpu", [](const Tensor& t) { return t.device().is_cpu(); },
          "Whether the data is in CPU memory.")
      .def_prop_ro(
          "T",
          [](const Tensor& t) {
            std::vector<int64_t> dims;
            for (int64_t d = t.dim() - 1; d >= 0; --d) dims.push_back(d);
            return t.permute(dims);
          },
          "The tensor with all dims reversed.")
      .def_prop_ro(
          "mT", [](const Tensor& t) { return t.transpose(-2, -1); },
          "The tensor with its last two dims swapped (a batch of transposed matrices).")
      .def(
          "size",
          [](const Tensor& t, std::optional<int64_t> d) -> nb::object {
            if (d) return nb::int_(t.size(*d));
            return shape_to_python(t.shape());
          },
          nb::arg("dim") = nb::none(), nb::sig("def size(self, dim=None) -> ember.Size | int"),
          "The shape as an ember.Size, or the size of dim.")
      .def(
          "stride",
          [](const Tensor& t, std::optional<int64_t> d) -> nb::object {
            if (d) return nb::int_(t.stride(*d));
            nb::list strides;
            for (int64_t s : t.strides()) strides.append(s);
            return nb::tuple(strides);
          },
          nb::arg("dim") = nb::none(),
          nb::sig("def stride(self, dim=None) -> tuple[int, ...] | int"),
          "The strides (in elements), or the stride of dim.")
      .def("dim", &Tensor::dim, nb::sig("def dim(self) -> int"), "The number of dims.")
      .def("ndimension", &Tensor::dim, nb::sig("def ndimension(self) -> int"), "Alias for dim().")
      .def("numel", &Tensor::numel, nb::sig("def numel(self) -> int"), "The number of elements.")
      .def("nelement", &Tensor::numel, nb::sig("def nelement(self) -> int"), "Alias for numel().")
      .def("element_size", &Tensor::element_size, nb::sig("def element_size(self) -> int"),
           "The size of one element in bytes.")
      .def("storage_offset", &Tensor::storage_offset, nb::sig("def storage_offset(self) -> int"),
           "The offset of the first element in the storage, in elements.")
      .def("is_contiguous", &Tensor::is_contiguous, nb::sig("def is_contiguous(self) -> bool"),
           "Whether the elements are laid out densely in row-major order.")
      .def("is_floating_point", &Tensor::is_floating_point,
           nb::sig("def is_floating_point(self) -> bool"),
           "Whether the dtype is a floating-point type.")
      .def(
          "data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.data_ptr()); },
          nb::sig("def data_ptr(self) -> int"), "The address of the first element.")
      .def("_version", &Tensor::version)
      .def(
          "item", [](const Tensor& t) { return scalar_to_python(t.item()); },
          nb::sig("def item(self) -> int | float | bool"),
          "The value of a one-element tensor as a Python number.")
      .def("tolist", &tolist, nb::sig("def tolist(self) -> list | int | float | bool"),
           "The elements as nested Python lists of numbers.")
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
      .def(
          "to", &convert_to,
          nb::sig("def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False) "
                  "-> Tensor"),
          "The tensor converted to a dtype and/or device: to(dtype), to(device, dtype), to(other).")
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
          nb::arg("dtype") = nb::none(), nb::sig("def type(self, dtype=None) -> str | Tensor"),
          "The legacy type name (ember.FloatTensor) with no argument, else the tensor cast to "
          "dtype.")
      .def(
          "float", [](const Tensor& t) { return t.to(kFloat32); },
          nb::sig("def float(self) -> Tensor"), "self.to(ember.float32).")
      .def(
          "double", [](const Tensor& t) { return t.to(kFloat64); },
          nb::sig("def double(self) -> Tensor"), "self.to(ember.float64).")
      .def(
          "half", [](const Tensor& t) { return t.to(kFloat16); },
          nb::sig("def half(self) -> Tensor"), "self.to(ember.float16).")
      .def(
          "bfloat16", [](const Tensor& t) { return t.to(kBFloat16); },
          nb::sig("def bfloat16(self) -> Tensor"), "self.to(ember.bfloat16).")
      .def(
          "int", [](const Tensor& t) { return t.to(kInt32); }, nb::sig("def int(self) -> Tensor"),
          "self.to(ember.int32).")
      .def(
          "long", [](const Tensor& t) { return t.to(kInt64); }, nb::sig("def long(self) -> Tensor"),
          "self.to(ember.int64).")
      .def(
          "short", [](const Tensor& t) { return t.to(kInt16); },
          nb::sig("def short(self) -> Tensor"), "self.to(ember.int16).")
      .def(
          "char", [](const Tensor& t) { return t.to(kInt8); }, nb::sig("def char(self) -> Tensor"),
          "self.to(ember.int8).")
      .def(
          "byte", [](const Tensor& t) { return t.to(kUInt8); }, nb::sig("def byte(self) -> Tensor"),
          "self.to(ember.uint8).")
      .def(
          "bool", [](const Tensor& t) { return t.to(kBool); }, nb::sig("def bool(self) -> Tensor"),
          "self.to(ember.bool).")
      .def("cpu", &Tensor::cpu, nb::sig("def cpu(self) -> Tensor"),
           "The tensor in CPU memory (itself when it is there).")
      .def(
          "cuda",
          [](const Tensor& t, nb::handle device, bool non_blocking) {
            return to(t, device.is_none() ? Device(kCUDA) : *to_device(device), std::nullopt,
                      non_blocking, false);
          },
          nb::arg("device") = nb::none(), nb::arg("non_blocking") = false,
          nb::sig("def cuda(self, device=None, non_blocking=False) -> Tensor"),
          "The tensor in CUDA memory (itself when it is there).")
      .def("contiguous", &Tensor::contiguous, nb::sig("def contiguous(self) -> Tensor"),
           "The tensor with a contiguous layout (itself when it has one).")
      .def("clone", &clone_python, nb::kw_only(), nb::arg("memory_format") = nb::none(),
           nb::sig("def clone(self, *, memory_format=None) -> Tensor"),
           "A copy (differentiable); memory_format defaults to ember.preserve_format.")
      .def(
          "copy_", [](Tensor& t, const Tensor& src) -> Tensor& { return t.copy_(src); },
          nb::arg("src"), nb::rv_policy::reference_internal,
          nb::sig("def copy_(self, src) -> Tensor"),
          "Copies src (broadcast, cast to self's dtype; from any device) into self.")

      // views
      .def(
          "view", [](const Tensor& t, nb::args shape) { return t.view(to_shape(shape)); },
          nb::sig("def view(self, *shape) -> Tensor"),
          "A view with another shape of the same number of elements (-1 is inferred).")
      .def(
          "reshape", [](const Tensor& t, nb::args shape) { return t.reshape(to_shape(shape)); },
          nb::sig("def reshape(self, *shape) -> Tensor"),
          "The tensor with another shape: a view when possible, else a copy.")
      .def(
          "view_as", [](const Tensor& t, const Tensor& other) { return t.view(other.shape()); },
          nb::sig("def view_as(self, other) -> Tensor"), "self.view(other.size()).")
      .def(
          "reshape_as",
          [](const Tensor& t, const Tensor& other) { return t.reshape(other.shape()); },
          nb::sig("def reshape_as(self, other) -> Tensor"), "self.reshape(other.size()).")
      .def(
          "permute", [](const Tensor& t, nb::args dims) { return t.permute(to_shape(dims)); },
          nb::sig("def permute(self, *dims) -> Tensor"), "A view with its dims reordered.")
      .def("transpose", &Tensor::transpose, nb::arg("dim0"), nb::arg("dim1"),
           nb::sig("def transpose(self, dim0, dim1) -> Tensor"),
           "A view with dims dim0 and dim1 swapped.")
      .def("swapaxes", &Tensor::transpose, nb::arg("axis0"), nb::arg("axis1"),
           nb::sig("def swapaxes(self, axis0, axis1) -> Tensor"), "Alias for transpose().")
      .def("t", &Tensor::t, nb::sig("def t(self) -> Tensor"),
           "Transposes a tensor of at most 2 dims.")
      .def(
          "expand", [](const Tensor& t, nb::args sizes) { return t.expand(to_shape(sizes)); },
          nb::sig("def expand(self, *sizes) -> Tensor"),
          "A view with size-1 dims repeated to sizes (-1 keeps a dim).")
      .def("expand_as", &Tensor::expand_as, nb::sig("def expand_as(self, other) -> Tensor"),
           "self.expand(other.size()).")
      .def(
          "broadcast_to",
          [](const Tensor& t, nb::handle shape) { return t.broadcast_to(to_dims(shape)); },
          nb::arg("size"), nb::sig("def broadcast_to(self, size) -> Tensor"),
          "A view broadcast to size.")
      .def(
          "squeeze",
          [](const Tensor& t, std::optional<int64_t> d) { return d ? t.squeeze(*d) : t.squeeze(); },
          nb::arg("dim") = nb::none(), nb::sig("def squeeze(self, dim=None) -> Tensor"),
          "A view without the size-1 dims (or only dim).")
      .def("unsqueeze", &Tensor::unsqueeze, nb::arg("dim"),
           nb::sig("def unsqueeze(self, dim) -> Tensor"),
           "A view with a size-1 dim inserted at dim.")
      .def("narrow", &Tensor::narrow, nb::arg("dim"), nb::arg("start"), nb::arg("length"),
           nb::sig("def narrow(self, dim, start, length) -> Tensor"),
           "A view of entries start..start+length along dim.")
      .def("select", &Tensor::select, nb::arg("dim"), nb::arg("index"),
           nb::sig("def select(self, dim, index) -> Tensor"),
           "A view at index along dim, without that dim.")
      .def("flatten", &Tensor::flatten, nb::arg("start_dim") = 0, nb::arg("end_dim") = -1,
           nb::sig("def flatten(self, start_dim=0, end_dim=-1) -> Tensor"),
           "Dims start_dim..end_dim merged into one.")
      .def(
          "unflatten",
          [](const Tensor& t, int64_t d, nb::handle sizes) {
            return t.unflatten(d, to_dims(sizes));
          },
          nb::arg("dim"), nb::arg("sizes"), nb::sig("def unflatten(self, dim, sizes) -> Tensor"),
          "dim split into sizes.")
      .def(
          "as_strided",
          [](const Tensor& t, nb::handle size, nb::handle stride, std::optional<int64_t> offset) {
            return t.as_strided(to_dims(size), to_dims(stride), offset);
          },
          nb::arg("size"), nb::arg("stride"), nb::arg("storage_offset") = nb::none(),
          nb::sig("def as_strided(self, size, stride, storage_offset=None) -> Tensor"),
          "A view of the storage with the given size, stride and offset.")

      // fills (the random ones: python/src/random.cpp)
      .def(
          "fill_", [](Tensor& t, nb::handle value) -> Tensor& { return t.fill_(to_scalar(value)); },
          nb::rv_policy::reference_internal, nb::sig("def fill_(self, value) -> Tensor"),
          "Fills self with value in place.")
      .def("zero_", &Tensor::zero_, nb::rv_policy::reference_internal,
           nb::sig("def zero_(self) -> Tensor"), "Fills self with zeros in place.");

  // elementwise methods, one per .def row
#define EMBER_UNARY_OP(name, Name, rule)                                            \
  tensor.def(                                                                       \
      #name, [](const Tensor& t) { return ember::name(t); },                        \
      nb::sig("def " #name "(self) -> Tensor"), elementwise_doc(#name));            \
  tensor.def(                                                                       \
      #name "_", [](Tensor& t) -> Tensor& { return ember::name##_(t); },            \
      nb::rv_policy::reference_internal, nb::sig("def " #name "_(self) -> Tensor"), \
      "In-place " #name "().");
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule)                                                    \
  if (!bound_with_options(#name)) {                                                          \
    tensor.def(                                                                              \
        #name,                                                                               \
        [](const Tensor& t, nb::handle other) { return ember::name(t, to_operand(other)); }, \
        nb::arg("other"), nb::sig("def " #name "(self, other) -> Tensor"),                   \
        elementwise_doc(#name));                                                             \
    tensor.def(                                                                              \
        #name "_",                                                                           \
        [](Tensor& t, nb::handle other) -> Tensor& {                                         \
          return ember::name##_(t, to_operand(other));                                       \
        },                                                                                   \
        nb::arg("other"), nb::rv_policy::reference_internal,                                 \
        nb::sig("def " #name "_(self, other) -> Tensor"), "In-place " #name "().");          \
  }
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP

  tensor
      .def(
          "add",
          [](const Tensor& t, nb::handle other, nb::handle alpha) {
            return ember::add(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1,
          nb::sig("def add(self, other, *, alpha=1) -> Tensor"),
          "self + alpha * other; see ember.add.")
      .def(
          "add_",
          [](Tensor& t, nb::handle other, nb::handle alpha) -> Tensor& {
            return ember::add_(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::rv_policy::reference_internal,
          nb::sig("def add_(self, other, *, alpha=1) -> Tensor"), "In-place add().")
      .def(
          "sub",
          [](const Tensor& t, nb::handle other, nb::handle alpha) {
            return ember::sub(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1,
          nb::sig("def sub(self, other, *, alpha=1) -> Tensor"),
          "self - alpha * other; see ember.sub.")
      .def(
          "sub_",
          [](Tensor& t, nb::handle other, nb::handle alpha) -> Tensor& {
            return ember::sub_(t, to_operand(other), to_scalar(alpha));
          },
          nb::arg("other"), nb::kw_only(), nb::arg("alpha") = 1, nb::rv_policy::reference_internal,
          nb::sig("def sub_(self, other, *, alpha=1) -> Tensor"), "In-place sub().")
      .def(
          "div",
          [](const Tensor& t, nb::handle other, std::optional<std::string> mode) {
            return ember::div(t, to_operand(other),
                              mode ? std::optional<std::string_view>(*mode) : std::nullopt);
          },
          nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
          nb::sig("def div(self, other, *, rounding_mode=None) -> Tensor"),
          "self / other; see ember.div.")
      .def(
          "div_",
          [](Tensor& t, nb::handle other, std::optional<std::string> mode) -> Tensor& {
            return ember::div_(t, to_operand(other),
                               mode ? std::optional<std::string_view>(*mode) : std::nullopt);
          },
          nb::arg("other"), nb::kw_only(), nb::arg("rounding_mode") = nb::none(),
          nb::rv_policy::reference_internal,
          nb::sig("def div_(self, other, *, rounding_mode=None) -> Tensor"), "In-place div().")
      .def(
          "true_divide",
          [](const Tensor& t, nb::handle other) { return ember::div(t, to_operand(other)); },
          nb::sig("def true_divide(self, other) -> Tensor"), "self / other with true division.")
      .def("clamp", &clamp_bounds, nb::arg("min") = nb::none(), nb::arg("max") = nb::none(),
           nb::sig("def clamp(self, min=None, max=None) -> Tensor"),
           "Elements clamped into [min, max] (numbers or tensors).")
      .def("clip", &clamp_bounds, nb::arg("min") = nb::none(), nb::arg("max") = nb::none(),
           nb::sig("def clip(self, min=None, max=None) -> Tensor"), "Alias for clamp().")
      .def(
          "clamp_min",
          [](const Tensor& t, nb::handle min) { return clamp_bounds(t, min, nb::none()); },
          nb::arg("min"), nb::sig("def clamp_min(self, min) -> Tensor"), "self.clamp(min=min).")
      .def(
          "clamp_max",
          [](const Tensor& t, nb::handle max) { return clamp_bounds(t, nb::none(), max); },
          nb::arg("max"), nb::sig("def clamp_max(self, max) -> Tensor"), "self.clamp(max=max).")
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
          nb::rv_policy::reference_internal,
          nb::sig("def clamp_(self, min=None, max=None) -> Tensor"), "In-place clamp().")
      .def(
          "where",
          [](const Tensor& t, const Tensor& condition, nb::handle other) {
            return ember::where(condition, t, to_operand(other));
          },
          nb::arg("condition"), nb::arg("other"),
          nb::sig("def where(self, condition, other) -> Tensor"),
          "ember.where(condition, self, other).")
      .def(
          "logical_not", [](const Tensor& t) { return ember::logical_not(t); },
          nb::sig("def logical_not(self) -> Tensor"), "Elementwise logical NOT, as a bool tensor.")
      .def("logical_not_", &Tensor::logical_not_, nb::rv_policy::reference_internal,
           nb::sig("def logical_not_(self) -> Tensor"), "In-place logical_not().")
      .def(
          "masked_fill",
          [](const Tensor& t, const Tensor& mask, nb::handle value) {
            if (nb::isinstance<Tensor>(value)) {
              return ember::masked_fill(t, mask, nb::cast<const Tensor&>(value));
            }
            return ember::masked_fill(t, mask, to_scalar(value));
          },
          nb::arg("mask"), nb::arg("value"),
          nb::sig("def masked_fill(self, mask, value) -> Tensor"),
          "self with value where the bool mask is True.")
      .def(
          "masked_fill_",
          [](Tensor& t, const Tensor& mask, nb::handle value) -> Tensor& {
            if (nb::isinstance<Tensor>(value)) {
              return ember::masked_fill_(t, mask, nb::cast<const Tensor&>(value));
            }
            return ember::masked_fill_(t, mask, to_scalar(value));
          },
          nb::arg("mask"), nb::arg("value"), nb::rv_policy::reference_internal,
          nb::sig("def masked_fill_(self, mask, value) -> Tensor"), "In-place masked_fill().");

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
      nb::is_operator(), nb::sig("def " dunder "(self, other) -> Tensor"));
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
      nb::is_operator(), nb::sig("def " dunder "(self, other) -> Tensor"));
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
}

}  // namespace ember::python
