// nn.functional's pooling ops (ember/ops/nn_pool.h) into ember._C._nn with PyTorch's signatures
// (return_indices=True returns (values, indices); an adaptive output_size may hold None for "the
// input's size"), and torch's top-level forms (ember.max_pool2d, ember.avg_pool1d, ...).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/tuple.h>

#include <deque>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "convert.h"
#include "ember/ops/nn_pool.h"
#include "nn.h"

namespace ember::python {
namespace {

using MaxPool = std::tuple<Tensor, Tensor> (*)(const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef,
                                               IntArrayRef, bool);
using AvgPool = Tensor (*)(const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool,
                           std::optional<int64_t>);
using AdaptivePool = std::tuple<Tensor, Tensor> (*)(const Tensor&, IntArrayRef);

// nanobind keeps the pointers of signatures and docstrings: the composed ones live here.
const char* keep(std::string text) {
  static std::deque<std::string> texts;
  return texts.emplace_back(std::move(text)).c_str();
}

nb::object values_or_pair(const std::tuple<Tensor, Tensor>& result, bool return_indices) {
  if (return_indices) return nb::make_tuple(std::get<0>(result), std::get<1>(result));
  return nb::cast(std::get<0>(result));
}

// An adaptive output_size: an int, or a sequence of ints and Nones.
Shape output_size_of(std::string_view op, const Tensor& input, int64_t dims, nb::handle size) {
  std::vector<std::optional<int64_t>> entries;
  if (nb::isinstance<nb::int_>(size)) {
    entries.emplace_back(nb::cast<int64_t>(size));
  } else {
    for (nb::handle entry : nb::iter(size)) {
      entries.push_back(entry.is_none() ? std::nullopt
                                        : std::optional<int64_t>(nb::cast<int64_t>(entry)));
    }
  }
  return adaptive_output_size(op, input, dims, entries);
}

void def_max_pool(nb::module_& nn, nb::module_& module, int dims, MaxPool pool) {
  const std::string name = "max_pool" + std::to_string(dims) + "d";
  const std::string doc = "The maximum over each window of a " + std::to_string(dims) +
                          "-d pooling; indices are flat positions within each plane.";
  auto call = [pool](const Tensor& input, nb::handle kernel_size, nb::handle stride,
                     nb::handle padding, nb::handle dilation, bool ceil_mode) {
    return pool(input, to_dims(kernel_size), to_dims(stride), to_dims(padding), to_dims(dilation),
                ceil_mode);
  };
  const std::string params =
      "(input, kernel_size, stride=None, padding=0, dilation=1, "
      "ceil_mode=False, return_indices=False)";
  nn.def(
      keep(name),
      [call](const Tensor& input, nb::handle kernel_size, nb::handle stride, nb::handle padding,
             nb::handle dilation, bool ceil_mode, bool return_indices) {
        return values_or_pair(call(input, kernel_size, stride, padding, dilation, ceil_mode),
                              return_indices);
      },
      nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride").none() = nb::none(),
      nb::arg("padding") = 0, nb::arg("dilation") = 1, nb::arg("ceil_mode") = false,
      nb::arg("return_indices") = false,
      nb::sig(keep("def " + name + params + " -> Tensor | tuple[Tensor, Tensor]")), keep(doc));
  nn.def(
      keep(name + "_with_indices"),
      [call](const Tensor& input, nb::handle kernel_size, nb::handle stride, nb::handle padding,
             nb::handle dilation, bool ceil_mode,
             bool) { return call(input, kernel_size, stride, padding, dilation, ceil_mode); },
      nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride").none() = nb::none(),
      nb::arg("padding") = 0, nb::arg("dilation") = 1, nb::arg("ceil_mode") = false,
      nb::arg("return_indices") = false,
      nb::sig(keep("def " + name + "_with_indices" + params + " -> tuple[Tensor, Tensor]")),
      keep(doc + " Returns (values, indices)."));
  const std::string top_params =
      "(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False)";
  module.def(
      keep(name),
      [call](const Tensor& input, nb::handle kernel_size, nb::handle stride, nb::handle padding,
             nb::handle dilation, bool ceil_mode) {
        return std::get<0>(call(input, kernel_size, stride, padding, dilation, ceil_mode));
      },
      nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::tuple(),
      nb::arg("padding") = 0, nb::arg("dilation") = 1, nb::arg("ceil_mode") = false,
      nb::sig(keep("def " + name + top_params + " -> Tensor")), keep(doc));
  if (dims == 1) {
    module.def(
        keep(name + "_with_indices"),
        [call](const Tensor& input, nb::handle kernel_size, nb::handle stride, nb::handle padding,
               nb::handle dilation, bool ceil_mode) {
          return call(input, kernel_size, stride, padding, dilation, ceil_mode);
        },
        nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride") = nb::tuple(),
        nb::arg("padding") = 0, nb::arg("dilation") = 1, nb::arg("ceil_mode") = false,
        nb::sig(keep("def " + name + "_with_indices" + top_params + " -> tuple[Tensor, Tensor]")),
        keep(doc + " Returns (values, indices)."));
  }
}

void def_avg_pools(nb::module_& nn, nb::module_& module) {
  constexpr const char* kDoc1 = "The mean over each window of a 1-d pooling.";
  auto avg1d = [](const Tensor& input, nb::handle kernel_size, nb::handle stride,
                  nb::handle padding, bool ceil_mode, bool count_include_pad) {
    return avg_pool1d(input, to_dims(kernel_size), to_dims(stride), to_dims(padding), ceil_mode,
                      count_include_pad);
  };
  for (nb::module_* owner : {&nn, &module}) {
    const bool top = owner == &module;
    owner->def("avg_pool1d", avg1d, nb::arg("input"), nb::arg("kernel_size"),
               nb::arg("stride").none() = top ? nb::object(nb::tuple()) : nb::object(nb::none()),
               nb::arg("padding") = 0, nb::arg("ceil_mode") = false,
               nb::arg("count_include_pad") = true,
               nb::sig(top ? "def avg_pool1d(input, kernel_size, stride=(), padding=0, "
                             "ceil_mode=False, count_include_pad=True) -> Tensor"
                           : "def avg_pool1d(input, kernel_size, stride=None, padding=0, "
                             "ceil_mode=False, count_include_pad=True) -> Tensor"),
               kDoc1);
  }
  const std::pair<int, AvgPool> pools[] = {{2, &avg_pool2d}, {3, &avg_pool3d}};
  for (const auto& [dims, pool] : pools) {
    const std::string name = "avg_pool" + std::to_string(dims) + "d";
    const std::string doc = "The mean over each window of a " + std::to_string(dims) +
                            "-d pooling (divisor_override replaces the window size).";
    nn.def(
        keep(name),
        [pool](const Tensor& input, nb::handle kernel_size, nb::handle stride, nb::handle padding,
               bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
          return pool(input, to_dims(kernel_size), to_dims(stride), to_dims(padding), ceil_mode,
                      count_include_pad, divisor_override);
        },
        nb::arg("input"), nb::arg("kernel_size"), nb::arg("stride").none() = nb::none(),
        nb::arg("padding") = 0, nb::arg("ceil_mode") = false, nb::arg("count_include_pad") = true,
        nb::arg("divisor_override").none() = nb::none(),
        nb::sig(keep("def " + name +
                     "(input, kernel_size, stride=None, padding=0, ceil_mode=False, "
                     "count_include_pad=True, divisor_override=None) -> Tensor")),
        keep(doc));
  }
}

void def_adaptive_pools(nb::module_& nn, nb::module_& module) {
  using AdaptiveAvg = Tensor (*)(const Tensor&, IntArrayRef);
  const std::pair<int, AdaptiveAvg> averages[] = {
      {1, &adaptive_avg_pool1d}, {2, &adaptive_avg_pool2d}, {3, &adaptive_avg_pool3d}};
  for (const auto& [dims, pool] : averages) {
    const std::string name = "adaptive_avg_pool" + std::to_string(dims) + "d";
    const std::string doc =
        "The mean over adaptive windows that divide the input into output_size parts.";
    auto call = [pool, dims, name](const Tensor& input, nb::handle output_size) {
      return pool(input, output_size_of(name, input, dims, output_size));
    };
    const std::string sig = "def " + name + "(input, output_size) -> Tensor";
    nn.def(keep(name), call, nb::arg("input"), nb::arg("output_size"), nb::sig(keep(sig)),
           keep(doc));
    if (dims == 1) {
      module.def(keep(name), call, nb::arg("input"), nb::arg("output_size"), nb::sig(keep(sig)),
                 keep(doc));
    }
  }
  const std::pair<int, AdaptivePool> maxima[] = {
      {1, &adaptive_max_pool1d}, {2, &adaptive_max_pool2d}, {3, &adaptive_max_pool3d}};
  for (const auto& [dims, pool] : maxima) {
    const std::string name = "adaptive_max_pool" + std::to_string(dims) + "d";
    const std::string doc =
        "The maximum over adaptive windows that divide the input into output_size parts.";
    auto call = [pool, dims, name](const Tensor& input, nb::handle output_size) {
      return pool(input, output_size_of(name, input, dims, output_size));
    };
    nn.def(
        keep(name),
        [call](const Tensor& input, nb::handle output_size, bool return_indices) {
          return values_or_pair(call(input, output_size), return_indices);
        },
        nb::arg("input"), nb::arg("output_size"), nb::arg("return_indices") = false,
        nb::sig(
            keep("def " + name +
                 "(input, output_size, return_indices=False) -> Tensor | tuple[Tensor, Tensor]")),
        keep(doc));
    nn.def(
        keep(name + "_with_indices"),
        [call](const Tensor& input, nb::handle output_size, bool) {
          return call(input, output_size);
        },
        nb::arg("input"), nb::arg("output_size"), nb::arg("return_indices") = false,
        nb::sig(keep("def " + name +
                     "_with_indices(input, output_size, return_indices=False) -> tuple[Tensor, "
                     "Tensor]")),
        keep(doc + " Returns (values, indices)."));
    if (dims == 1) {
      module.def(keep(name), call, nb::arg("input"), nb::arg("output_size"),
                 nb::sig(keep("def " + name + "(input, output_size) -> tuple[Tensor, Tensor]")),
                 keep(doc + " Returns (values, indices)."));
    }
  }
}

}  // namespace

void init_nn_pool(nb::module_& nn, nb::module_& module) {
  def_max_pool(nn, module, 1, &max_pool1d_with_indices);
  def_max_pool(nn, module, 2, &max_pool2d_with_indices);
  def_max_pool(nn, module, 3, &max_pool3d_with_indices);
  def_avg_pools(nn, module);
  def_adaptive_pools(nn, module);
}

}  // namespace ember::python
