// Bindings of the shape family (ember/ops/shape.h): ember.cat, ember.split, Tensor.flip, ...
// Lists of tensors arrive as any Python sequence; ops returning several tensors give a tuple.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <utility>

#include "convert.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "out.h"

namespace ember::python {
namespace {

std::vector<Tensor> tensor_list(nb::handle sequence, std::string_view op) {
  EMBER_CHECK_TYPE(nb::isinstance<nb::sequence>(sequence) && !nb::isinstance<Tensor>(sequence), "[",
                   op, "] argument 'tensors' must be a tuple or list of Tensors, not ",
                   nb::inst_name(sequence).c_str());
  std::vector<Tensor> tensors;
  for (nb::handle item : sequence) {
    EMBER_CHECK_TYPE(nb::isinstance<Tensor>(item), "[", op,
                     "] expected a tuple or list of Tensors, but found an element of type ",
                     nb::inst_name(item).c_str());
    tensors.push_back(nb::cast<Tensor>(item));
  }
  return tensors;
}

// f(a, b) and f([a, b]) alike (meshgrid, broadcast_tensors, atleast_*).
std::vector<Tensor> tensor_args(const nb::args& args, std::string_view op) {
  if (args.size() == 1 && !nb::isinstance<Tensor>(args[0])) return tensor_list(args[0], op);
  return tensor_list(args, op);
}

nb::tuple to_tuple(const std::vector<Tensor>& tensors) {
  nb::list items;
  for (const Tensor& tensor : tensors) items.append(nb::cast(tensor));
  return nb::tuple(items);
}

bool is_int(nb::handle object) {
  return PyIndex_Check(object.ptr()) && !nb::isinstance<Tensor>(object);
}

std::vector<Tensor> split_any(const Tensor& self, nb::handle sizes, int64_t dim) {
  if (is_int(sizes)) return split(self, to_dims(sizes)[0], dim);
  return split_with_sizes(self, to_dims(sizes), dim);
}

std::vector<Tensor> tensor_split_any(const Tensor& self, nb::handle sections, int64_t dim) {
  if (nb::isinstance<Tensor>(sections)) {
    const Tensor& value = nb::cast<const Tensor&>(sections);
    EMBER_CHECK(value.dtype() == kInt64 && value.dim() <= 1,
                "[tensor_split] tensor_split expected tensor_indices_or_sections to be a zero-"
                "dimensional or one-dimensional tensor of dtype long, but got a tensor of shape ",
                value.shape(), " and dtype ", value.dtype());
    if (value.dim() == 0) return tensor_split(self, value.item<int64_t>(), dim);
    const Tensor indices = value.cpu().contiguous();  // read on the host
    return tensor_split(
        self, IntArrayRef(indices.data_ptr<int64_t>(), static_cast<size_t>(indices.numel())), dim);
  }
  if (is_int(sections)) return tensor_split(self, to_dims(sections)[0], dim);
  return tensor_split(self, to_dims(sections), dim);
}

Tensor repeat_interleave_any(const Tensor& self, nb::handle repeats, std::optional<int64_t> dim,
                             std::optional<int64_t> output_size) {
  if (nb::isinstance<Tensor>(repeats)) {
    return repeat_interleave(self, nb::cast<const Tensor&>(repeats), dim, output_size);
  }
  return repeat_interleave(self, to_dims(repeats)[0], dim, output_size);
}

// repeat(2, 3), repeat((2, 3)) and repeat([2, 3]) alike.
std::vector<int64_t> sizes_of(const nb::args& args) { return to_shape(args); }

TensorOptions options_from(nb::handle dtype, nb::handle device) {
  TensorOptions options;
  if (auto type = to_dtype(dtype)) options = options.dtype(*type);
  if (auto place = to_device(device)) options = options.device(*place);
  return options;
}

Tensor with_grad(Tensor tensor, bool requires_grad) {
  if (requires_grad) tensor.requires_grad_();
  return tensor;
}

void init_shape_functions(nb::module_& module) {
  // nb::sig keeps the pointer: each signature is a literal.
  for (auto [name, signature] :
       {std::pair{"cat", "def cat(tensors, dim=0, *, out=None) -> Tensor"},
        std::pair{"concat", "def concat(tensors, dim=0, *, out=None) -> Tensor"},
        std::pair{"concatenate", "def concatenate(tensors, dim=0, *, out=None) -> Tensor"}}) {
    module.def(name,
               with_out(name, [name](nb::handle tensors,
                                     int64_t dim) { return cat(tensor_list(tensors, name), dim); }),
               nb::arg("tensors"), nb::arg("dim") = 0, nb::kw_only(), nb::arg("out") = nb::none(),
               nb::sig(signature),
               "Concatenates tensors along dim (type promotion; 1-D empty tensors are skipped).");
  }
  module.def(
      "stack",
      with_out("stack", [](nb::handle tensors,
                           int64_t dim) { return stack(tensor_list(tensors, "stack"), dim); }),
      nb::arg("tensors"), nb::arg("dim") = 0, nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def stack(tensors, dim=0, *, out=None) -> Tensor"),
      "Joins equally shaped tensors along a new dim.");
  module.def(
      "hstack",
      with_out("hstack", [](nb::handle tensors) { return hstack(tensor_list(tensors, "hstack")); }),
      nb::arg("tensors"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def hstack(tensors, *, out=None) -> Tensor"),
      "Concatenates tensors column-wise (along dim 0 for 1-D tensors, else dim 1).");
  for (auto [name, signature] :
       {std::pair{"vstack", "def vstack(tensors, *, out=None) -> Tensor"},
        std::pair{"row_stack", "def row_stack(tensors, *, out=None) -> Tensor"}}) {
    module.def(
        name,
        with_out(name, [name](nb::handle tensors) { return vstack(tensor_list(tensors, name)); }),
        nb::arg("tensors"), nb::kw_only(), nb::arg("out") = nb::none(), nb::sig(signature),
        "Concatenates tensors row-wise (1-D tensors become rows).");
  }
  module.def(
      "dstack",
      with_out("dstack", [](nb::handle tensors) { return dstack(tensor_list(tensors, "dstack")); }),
      nb::arg("tensors"), nb::kw_only(), nb::arg("out") = nb::none(),
      nb::sig("def dstack(tensors, *, out=None) -> Tensor"),
      "Concatenates tensors depth-wise (along dim 2, after atleast_3d).");
  module.def("column_stack",
             with_out("column_stack",
                      [](nb::handle tensors) {
                        return column_stack(tensor_list(tensors, "column_stack"));
                      }),
             nb::arg("tensors"), nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def column_stack(tensors, *, out=None) -> Tensor"),
             "Stacks tensors as columns (0-d and 1-D tensors become columns), then hstack.");
  module.def(
      "split",
      [](const Tensor& self, nb::handle sizes, int64_t dim) {
        return to_tuple(split_any(self, sizes, dim));
      },
      nb::arg("tensor"), nb::arg("split_size_or_sections"), nb::arg("dim") = 0,
      nb::sig("def split(tensor, split_size_or_sections, dim=0) -> tuple[Tensor, ...]"),
      "Views of tensor in pieces of split_size (the last may be smaller) or of the given sizes.");
  module.def(
      "chunk",
      [](const Tensor& self, int64_t chunks, int64_t dim) {
        return to_tuple(chunk(self, chunks, dim));
      },
      nb::arg("input"), nb::arg("chunks"), nb::arg("dim") = 0,
      nb::sig("def chunk(input, chunks, dim=0) -> tuple[Tensor, ...]"),
      "At most chunks views of input of ceil(size / chunks) along dim.");
  module.def(
      "unbind", [](const Tensor& self, int64_t dim) { return to_tuple(unbind(self, dim)); },
      nb::arg("input"), nb::arg("dim") = 0,
      nb::sig("def unbind(input, dim=0) -> tuple[Tensor, ...]"),
      "The slices of input along dim, with that dim removed (views).");
  module.def(
      "tensor_split",
      [](const Tensor& self, nb::handle sections, int64_t dim) {
        return to_tuple(tensor_split_any(self, sections, dim));
      },
      nb::arg("input"), nb::arg("indices_or_sections"), nb::arg("dim") = 0,
      nb::sig("def tensor_split(input, indices_or_sections, dim=0) -> tuple[Tensor, ...]"),
      "Views of input in n near-equal sections, or cut before each of the given indices.");
  module.def(
      "flip", [](const Tensor& self, nb::handle dims) { return flip(self, to_dims(dims)); },
      nb::arg("input"), nb::arg("dims"), nb::sig("def flip(input, dims) -> Tensor"),
      "A copy of input with the order of elements reversed along dims.");
  module.def("fliplr", &fliplr, nb::arg("input"), nb::sig("def fliplr(input) -> Tensor"),
             "Flips a tensor of at least 2 dims left/right (dim 1).");
  module.def("flipud", &flipud, nb::arg("input"), nb::sig("def flipud(input) -> Tensor"),
             "Flips a tensor of at least 1 dim up/down (dim 0).");
  module.def(
      "roll",
      [](const Tensor& self, nb::handle shifts, nb::handle dims) {
        return roll(self, to_dims(shifts), to_dims(dims));
      },
      nb::arg("input"), nb::arg("shifts"), nb::arg("dims") = nb::none(),
      nb::sig("def roll(input, shifts, dims=None) -> Tensor"),
      "Rolls input along dims (the flattened tensor without dims); elements wrap around.");
  module.def(
      "rot90",
      [](const Tensor& self, int64_t k, nb::handle dims) { return rot90(self, k, to_dims(dims)); },
      nb::arg("input"), nb::arg("k") = 1, nb::arg("dims") = nb::make_tuple(0, 1),
      nb::sig("def rot90(input, k=1, dims=[0, 1]) -> Tensor"),
      "Rotates input by 90 degrees k times in the plane of dims (from the first towards the "
      "second).");
  module.def(
      "repeat_interleave",
      [](const Tensor& self, nb::handle repeats, std::optional<int64_t> dim,
         std::optional<int64_t> output_size) {
        if (repeats.is_none()) return repeat_interleave(self, output_size);
        return repeat_interleave_any(self, repeats, dim, output_size);
      },
      nb::arg("input"), nb::arg("repeats") = nb::none(), nb::arg("dim") = nb::none(), nb::kw_only(),
      nb::arg("output_size") = nb::none(),
      nb::sig("def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> "
              "Tensor"),
      "Repeats each element (along dim, or of the flattened input) repeats times; with input "
      "alone, each index i repeated input[i] times.");
  module.def(
      "tile", [](const Tensor& self, nb::handle dims) { return tile(self, to_dims(dims)); },
      nb::arg("input"), nb::arg("dims"), nb::sig("def tile(input, dims) -> Tensor"),
      "input repeated along each dim (dims padded with leading 1s).");
  for (auto [name, signature] :
       {std::pair{"movedim", "def movedim(input, source, destination) -> Tensor"},
        std::pair{"moveaxis", "def moveaxis(input, source, destination) -> Tensor"}}) {
    module.def(
        name,
        [](const Tensor& self, nb::handle source, nb::handle destination) {
          return movedim(self, to_dims(source), to_dims(destination));
        },
        nb::arg("input"), nb::arg("source"), nb::arg("destination"), nb::sig(signature),
        "A view with the dims at source moved to destination, the others in order.");
  }
  module.def("swapaxes", &swapaxes, nb::arg("input"), nb::arg("axis0"), nb::arg("axis1"),
             nb::sig("def swapaxes(input, axis0, axis1) -> Tensor"), "Alias for transpose().");
  module.def("swapdims", &swapdims, nb::arg("input"), nb::arg("dim0"), nb::arg("dim1"),
             nb::sig("def swapdims(input, dim0, dim1) -> Tensor"), "Alias for transpose().");
  module.def("diag", with_out("diag", &diag), nb::arg("input"), nb::arg("diagonal") = 0,
             nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def diag(input, diagonal=0, *, out=None) -> Tensor"),
             "1-D input: the square matrix with input on a diagonal; 2-D: that diagonal (copy).");
  module.def("diag_embed", &diag_embed, nb::arg("input"), nb::arg("offset") = 0,
             nb::arg("dim1") = -2, nb::arg("dim2") = -1,
             nb::sig("def diag_embed(input, offset=0, dim1=-2, dim2=-1) -> Tensor"),
             "Matrices (in dims dim1, dim2) with input's last dim on diagonal offset.");
  module.def("diagonal", &diagonal, nb::arg("input"), nb::arg("offset") = 0, nb::arg("dim1") = 0,
             nb::arg("dim2") = 1,
             nb::sig("def diagonal(input, offset=0, dim1=0, dim2=1) -> Tensor"),
             "A view of diagonal offset of the (dim1, dim2) planes, as the last dim.");
  module.def("tril", with_out("tril", &tril), nb::arg("input"), nb::arg("diagonal") = 0,
             nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def tril(input, diagonal=0, *, out=None) -> Tensor"),
             "The lower triangle of the last two dims (elements above diagonal set to 0).");
  module.def("triu", with_out("triu", &triu), nb::arg("input"), nb::arg("diagonal") = 0,
             nb::kw_only(), nb::arg("out") = nb::none(),
             nb::sig("def triu(input, diagonal=0, *, out=None) -> Tensor"),
             "The upper triangle of the last two dims (elements below diagonal set to 0).");
  module.def(
      "meshgrid",
      [](nb::args tensors, std::optional<std::string> indexing) {
        return to_tuple(meshgrid(tensor_args(tensors, "meshgrid"), indexing.value_or("ij")));
      },
      nb::arg("tensors"), nb::kw_only(), nb::arg("indexing") = nb::none(),
      nb::sig("def meshgrid(*tensors, indexing=None) -> tuple[Tensor, ...]"),
      "Coordinate grids (expanded views) of 1-D tensors; indexing 'ij' (default) or 'xy'.");
  module.def(
      "broadcast_tensors",
      [](nb::args tensors) {
        return to_tuple(broadcast_tensors(tensor_args(tensors, "broadcast_tensors")));
      },
      nb::arg("tensors"), nb::sig("def broadcast_tensors(*tensors) -> tuple[Tensor, ...]"),
      "The tensors expanded to their common broadcast shape (views).");
  using One = Tensor (*)(const Tensor&);
  using Many = std::vector<Tensor> (*)(TensorList);
  struct Atleast {
    const char* name;
    const char* signature;
    One one;
    Many many;
    const char* doc;
  };
  for (const Atleast& op :
       {Atleast{"atleast_1d", "def atleast_1d(*tensors) -> Tensor | tuple[Tensor, ...]",
                &atleast_1d, &atleast_1d, "Views of the tensors with at least 1 dim."},
        Atleast{"atleast_2d", "def atleast_2d(*tensors) -> Tensor | tuple[Tensor, ...]",
                &atleast_2d, &atleast_2d, "Views of the tensors with at least 2 dims."},
        Atleast{"atleast_3d", "def atleast_3d(*tensors) -> Tensor | tuple[Tensor, ...]",
                &atleast_3d, &atleast_3d, "Views of the tensors with at least 3 dims."}}) {
    module.def(
        op.name,
        [op](nb::args tensors) -> nb::object {
          if (tensors.size() == 1 && nb::isinstance<Tensor>(tensors[0])) {
            return nb::cast(op.one(nb::cast<const Tensor&>(tensors[0])));
          }
          return to_tuple(op.many(tensor_args(tensors, op.name)));
        },
        nb::arg("tensors"), nb::sig(op.signature), op.doc);
  }
}

void init_shape_methods(nb::class_<Tensor>& tensor_class) {
  tensor_class
      .def(
          "split",
          [](const Tensor& self, nb::handle sizes, int64_t dim) {
            return to_tuple(split_any(self, sizes, dim));
          },
          nb::arg("split_size"), nb::arg("dim") = 0,
          nb::sig("def split(self, split_size, dim=0) -> tuple[Tensor, ...]"),
          "Views of self in pieces of split_size (the last may be smaller) or of the given sizes.")
      .def(
          "chunk",
          [](const Tensor& self, int64_t chunks, int64_t dim) {
            return to_tuple(self.chunk(chunks, dim));
          },
          nb::arg("chunks"), nb::arg("dim") = 0,
          nb::sig("def chunk(self, chunks, dim=0) -> tuple[Tensor, ...]"),
          "At most chunks views of self of ceil(size / chunks) along dim.")
      .def(
          "unbind", [](const Tensor& self, int64_t dim) { return to_tuple(self.unbind(dim)); },
          nb::arg("dim") = 0, nb::sig("def unbind(self, dim=0) -> tuple[Tensor, ...]"),
          "The slices of self along dim, with that dim removed (views).")
      .def(
          "tensor_split",
          [](const Tensor& self, nb::handle sections, int64_t dim) {
            return to_tuple(tensor_split_any(self, sections, dim));
          },
          nb::arg("indices_or_sections"), nb::arg("dim") = 0,
          nb::sig("def tensor_split(self, indices_or_sections, dim=0) -> tuple[Tensor, ...]"),
          "Views of self in n near-equal sections, or cut before each of the given indices.")
      .def(
          "flip", [](const Tensor& self, nb::args dims) { return self.flip(sizes_of(dims)); },
          nb::sig("def flip(self, *dims) -> Tensor"),
          "A copy of self with the order of elements reversed along dims.")
      .def("fliplr", &Tensor::fliplr, nb::sig("def fliplr(self) -> Tensor"),
           "Flips a tensor of at least 2 dims left/right (dim 1).")
      .def("flipud", &Tensor::flipud, nb::sig("def flipud(self) -> Tensor"),
           "Flips a tensor of at least 1 dim up/down (dim 0).")
      .def(
          "roll",
          [](const Tensor& self, nb::handle shifts, nb::handle dims) {
            return self.roll(to_dims(shifts), to_dims(dims));
          },
          nb::arg("shifts"), nb::arg("dims") = nb::none(),
          nb::sig("def roll(self, shifts, dims=None) -> Tensor"),
          "Rolls self along dims (the flattened tensor without dims); elements wrap around.")
      .def(
          "rot90",
          [](const Tensor& self, int64_t k, nb::handle dims) {
            return self.rot90(k, to_dims(dims));
          },
          nb::arg("k") = 1, nb::arg("dims") = nb::make_tuple(0, 1),
          nb::sig("def rot90(self, k=1, dims=[0, 1]) -> Tensor"),
          "Rotates self by 90 degrees k times in the plane of dims.")
      .def(
          "repeat", [](const Tensor& self, nb::args sizes) { return self.repeat(sizes_of(sizes)); },
          nb::sig("def repeat(self, *sizes) -> Tensor"),
          "A copy of self repeated sizes[i] times along each dim (leading dims added).")
      .def(
          "tile", [](const Tensor& self, nb::args dims) { return self.tile(sizes_of(dims)); },
          nb::sig("def tile(self, *dims) -> Tensor"),
          "self repeated along each dim (dims padded with leading 1s).")
      .def(
          "repeat_interleave",
          [](const Tensor& self, nb::handle repeats, std::optional<int64_t> dim,
             std::optional<int64_t> output_size) {
            return repeat_interleave_any(self, repeats, dim, output_size);
          },
          nb::arg("repeats"), nb::arg("dim") = nb::none(), nb::kw_only(),
          nb::arg("output_size") = nb::none(),
          nb::sig("def repeat_interleave(self, repeats, dim=None, *, output_size=None) -> Tensor"),
          "Repeats each element (along dim, or of the flattened self) repeats times.");
  for (auto [name, signature] :
       {std::pair{"movedim", "def movedim(self, source, destination) -> Tensor"},
        std::pair{"moveaxis", "def moveaxis(self, source, destination) -> Tensor"}}) {
    tensor_class.def(
        name,
        [](const Tensor& self, nb::handle source, nb::handle destination) {
          return self.movedim(to_dims(source), to_dims(destination));
        },
        nb::arg("source"), nb::arg("destination"), nb::sig(signature),
        "A view with the dims at source moved to destination, the others in order.");
  }
  tensor_class
      .def("swapdims", &Tensor::swapdims, nb::arg("dim0"), nb::arg("dim1"),
           nb::sig("def swapdims(self, dim0, dim1) -> Tensor"), "Alias for transpose().")
      .def("diag", &Tensor::diag, nb::arg("diagonal") = 0,
           nb::sig("def diag(self, diagonal=0) -> Tensor"),
           "1-D self: the square matrix with self on a diagonal; 2-D: that diagonal (copy).")
      .def("diag_embed", &Tensor::diag_embed, nb::arg("offset") = 0, nb::arg("dim1") = -2,
           nb::arg("dim2") = -1,
           nb::sig("def diag_embed(self, offset=0, dim1=-2, dim2=-1) -> Tensor"),
           "Matrices (in dims dim1, dim2) with self's last dim on diagonal offset.")
      .def("diagonal", &Tensor::diagonal, nb::arg("offset") = 0, nb::arg("dim1") = 0,
           nb::arg("dim2") = 1, nb::sig("def diagonal(self, offset=0, dim1=0, dim2=1) -> Tensor"),
           "A view of diagonal offset of the (dim1, dim2) planes, as the last dim.")
      .def("tril", &Tensor::tril, nb::arg("diagonal") = 0,
           nb::sig("def tril(self, diagonal=0) -> Tensor"),
           "The lower triangle of the last two dims (elements above diagonal set to 0).")
      .def("triu", &Tensor::triu, nb::arg("diagonal") = 0,
           nb::sig("def triu(self, diagonal=0) -> Tensor"),
           "The upper triangle of the last two dims (elements below diagonal set to 0).")
      .def("tril_", &Tensor::tril_, nb::arg("diagonal") = 0, nb::rv_policy::reference,
           nb::sig("def tril_(self, diagonal=0) -> Tensor"), "In-place tril().")
      .def("triu_", &Tensor::triu_, nb::arg("diagonal") = 0, nb::rv_policy::reference,
           nb::sig("def triu_(self, diagonal=0) -> Tensor"), "In-place triu().")
      .def("unfold", &Tensor::unfold, nb::arg("dimension"), nb::arg("size"), nb::arg("step"),
           nb::sig("def unfold(self, dimension, size, step) -> Tensor"),
           "A view of the windows of size, every step along dimension, as a new last dim.")
      .def("type_as", &Tensor::type_as, nb::arg("tensor"),
           nb::sig("def type_as(self, tensor) -> Tensor"), "self cast to tensor's dtype.");

  // new_zeros(2, 3) and new_zeros((2, 3)): dtype and device default to self's.
#define EMBER_NEW_FACTORY(name, doc)                                                             \
  tensor_class.def(                                                                              \
      #name,                                                                                     \
      [](const Tensor& self, nb::args size, nb::handle dtype, nb::handle device,                 \
         bool requires_grad) {                                                                   \
        return with_grad(self.name(sizes_of(size), options_from(dtype, device)), requires_grad); \
      },                                                                                         \
      nb::arg("size"), nb::kw_only(), nb::arg("dtype") = nb::none(),                             \
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,                          \
      nb::sig("def " #name "(self, *size, dtype=None, device=None, requires_grad=False) -> "     \
              "Tensor"),                                                                         \
      doc);
  EMBER_NEW_FACTORY(new_zeros, "A tensor of zeros of the given size, by default of self's dtype.")
  EMBER_NEW_FACTORY(new_ones, "A tensor of ones of the given size, by default of self's dtype.")
  EMBER_NEW_FACTORY(new_empty,
                    "An uninitialised tensor of the given size, by default of self's dtype.")
#undef EMBER_NEW_FACTORY
  tensor_class.def(
      "new_full",
      [](const Tensor& self, nb::handle size, nb::handle value, nb::handle dtype, nb::handle device,
         bool requires_grad) {
        return with_grad(
            self.new_full(to_dims(size), to_scalar(value), options_from(dtype, device)),
            requires_grad);
      },
      nb::arg("size"), nb::arg("fill_value"), nb::kw_only(), nb::arg("dtype") = nb::none(),
      nb::arg("device") = nb::none(), nb::arg("requires_grad") = false,
      nb::sig("def new_full(self, size, fill_value, *, dtype=None, device=None, "
              "requires_grad=False) -> Tensor"),
      "A tensor of the given size filled with fill_value, by default of self's dtype.");
  tensor_class.def(
      "new_tensor",
      [](const Tensor& self, nb::handle data, nb::handle dtype, nb::handle device,
         bool requires_grad) {
        static nb::handle make =
            nb::object(nb::module_::import_("ember._C").attr("tensor")).release();
        nb::object type = dtype.is_none() ? dtype_object(self.dtype()) : nb::borrow(dtype);
        Tensor result = nb::cast<Tensor>(
            make(data, nb::arg("dtype") = type, nb::arg("device") = nb::borrow(device)));
        return with_grad(result, requires_grad);
      },
      nb::arg("data"), nb::kw_only(), nb::arg("dtype") = nb::none(), nb::arg("device") = nb::none(),
      nb::arg("requires_grad") = false,
      nb::sig("def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False) -> "
              "Tensor"),
      "A new tensor copied from data, by default of self's dtype and device.");
}

}  // namespace

void init_shape(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  init_shape_functions(module);
  init_shape_methods(tensor_class);
}

}  // namespace ember::python
