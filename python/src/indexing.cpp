// Tensor.__getitem__ / __setitem__: ints, slices with steps, None, Ellipsis and boolean masks.
// Basic keys produce views; a mask gathers (getitem) or fills/scatters (setitem).
#include <nanobind/nanobind.h>

#include <string>

#include "convert.h"

namespace ember::python {
namespace {

struct IndexResult {
  Tensor view;               // the tensor after all basic indexing
  std::optional<Tensor> mask;  // a boolean mask over dims [mask_dim, mask_dim + mask.dim())
  int64_t mask_dim = 0;
};

std::vector<nb::handle> key_items(nb::handle key) {
  std::vector<nb::handle> items;
  if (PyTuple_Check(key.ptr())) {
    for (nb::handle item : key) items.push_back(item);
  } else {
    items.push_back(key);
  }
  return items;
}

bool is_mask(nb::handle item) {
  if (!nb::isinstance<Tensor>(item)) return false;
  const ScalarType type = nb::cast<const Tensor&>(item).dtype();
  return type == kBool || type == kUInt8;
}

// How many dims of the indexed tensor a key item consumes.
int64_t dims_consumed(nb::handle item) {
  if (item.is_none() || item.ptr() == Py_Ellipsis) return 0;
  if (is_mask(item)) return nb::cast<const Tensor&>(item).dim();
  return 1;
}

IndexResult apply_key(const Tensor& self, nb::handle key) {
  const std::vector<nb::handle> items = key_items(key);
  int64_t consumed = 0;
  int ellipses = 0;
  for (nb::handle item : items) {
    consumed += dims_consumed(item);
    ellipses += item.ptr() == Py_Ellipsis;
  }
  EMBER_CHECK_INDEX(ellipses <= 1, "an index can only have a single ellipsis ('...')");
  EMBER_CHECK_INDEX(consumed <= self.dim(), "too many indices for tensor of dimension ",
                    self.dim());
  IndexResult result{self, std::nullopt, 0};
  int64_t dim = 0;
  for (nb::handle item : items) {
    Tensor& view = result.view;
    if (item.ptr() == Py_Ellipsis) {
      dim += self.dim() - consumed;
    } else if (item.is_none()) {
      view = view.unsqueeze(dim);
      ++dim;
    } else if (PySlice_Check(item.ptr())) {
      Py_ssize_t start, stop, step;
      EMBER_CHECK_TYPE(PySlice_Unpack(item.ptr(), &start, &stop, &step) == 0,
                       "invalid slice in index");
      EMBER_CHECK_VALUE(step > 0, "step must be greater than zero");
      const nb::handle start_item = item.attr("start"), stop_item = item.attr("stop");
      view = view.slice(dim,
                        start_item.is_none() ? std::nullopt : std::optional<int64_t>(start),
                        stop_item.is_none() ? std::nullopt : std::optional<int64_t>(stop), step);
      ++dim;
    } else if (is_mask(item)) {
      EMBER_CHECK_INDEX(!result.mask, "indexing with more than one boolean mask is not supported");
      const Tensor mask = nb::cast<const Tensor&>(item).to(kBool);
      for (int64_t d = 0; d < mask.dim(); ++d) {
        EMBER_CHECK_INDEX(mask.size(d) == view.size(dim + d), "The shape of the mask ",
                          mask.shape(), " at index ", d,
                          " does not match the shape of the indexed tensor ", view.shape(),
                          " at index ", dim + d);
      }
      result.mask = mask;
      result.mask_dim = dim;
      dim += mask.dim();
    } else if (PyLong_Check(item.ptr()) || PyIndex_Check(item.ptr())) {
      view = view.select(dim, nb::cast<int64_t>(item));
    } else {
      detail::raise<IndexError>(
          "only integers, slices (`:`), ellipsis (`...`), None and boolean tensors are valid "
          "indices; got ",
          nb::cast<std::string>(nb::str(nb::type_name(item.type()))));
    }
  }
  return result;
}

// The mask broadcast over the dims after it, so it lines up with the indexed view.
Tensor full_mask(const IndexResult& indexed) {
  Tensor mask = *indexed.mask;
  Shape aligned;
  for (int64_t d = 0; d < indexed.mask_dim; ++d) aligned.push_back(1);
  for (int64_t size : mask.shape()) aligned.push_back(size);
  while (static_cast<int64_t>(aligned.size()) < indexed.view.dim()) aligned.push_back(1);
  return mask.reshape(aligned).expand(indexed.view.shape());
}

Tensor getitem(const Tensor& self, nb::handle key) {
  IndexResult indexed = apply_key(self, key);
  if (!indexed.mask) return indexed.view;
  const Tensor& view = indexed.view;
  const Tensor& mask = *indexed.mask;
  // Merge the masked dims into one, then gather the positions where the mask is true.
  Shape merged;
  for (int64_t d = 0; d < indexed.mask_dim; ++d) merged.push_back(view.size(d));
  merged.push_back(mask.numel());
  for (int64_t d = indexed.mask_dim + mask.dim(); d < view.dim(); ++d) merged.push_back(view.size(d));
  const Tensor positions = nonzero(mask.reshape({mask.numel()})).reshape({-1});
  return index_select(view.reshape(merged), indexed.mask_dim, positions);
}

void setitem(Tensor& self, nb::handle key, nb::handle value) {
  IndexResult indexed = apply_key(self, key);
  if (!indexed.mask) {
    if (nb::isinstance<Tensor>(value)) {
      indexed.view.copy_(nb::cast<const Tensor&>(value));
    } else {
      indexed.view.fill_(to_scalar(value));
    }
    return;
  }
  const Tensor mask = full_mask(indexed);
  if (!nb::isinstance<Tensor>(value) || nb::cast<const Tensor&>(value).numel() == 1) {
    const Scalar fill = nb::isinstance<Tensor>(value) ? nb::cast<const Tensor&>(value).item()
                                                      : to_scalar(value);
    Tensor target = indexed.view;
    target.copy_(masked_fill(target, mask, fill));
    return;
  }
  // x[mask] = values: values fill the true positions in order (masked_scatter).
  const Tensor& values = nb::cast<const Tensor&>(value);
  Tensor target = indexed.view;
  const Tensor positions = nonzero(mask.reshape({mask.numel()})).reshape({-1});
  EMBER_CHECK(values.numel() == positions.numel(), "shape mismatch: value tensor of shape ",
              values.shape(), " cannot be broadcast to indexing result of ", positions.numel(),
              " elements");
  Tensor flat = target.contiguous().reshape({-1});
  Tensor source = values.reshape({-1}).to(target.dtype());
  for (int64_t i = 0; i < positions.numel(); ++i) {
    flat.select(0, positions.select(0, i).item().to_int64()).copy_(source.select(0, i));
  }
  if (!flat.storage().get() || flat.storage().get() != target.storage().get()) {
    target.copy_(flat.reshape(target.shape()));
  }
}

}  // namespace

void init_indexing(nb::class_<Tensor>& tensor_class) {
  tensor_class.def("__getitem__", &getitem, nb::arg("key"));
  tensor_class.def("__setitem__", &setitem, nb::arg("key"), nb::arg("value"));
}

}  // namespace ember::python
