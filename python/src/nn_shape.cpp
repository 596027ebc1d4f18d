// nn.functional's padding, embedding, pixel-shuffle and fold ops (ember/ops/nn_pad.h,
// nn_embedding.h, nn_fold.h) into ember._C._nn, and pixel_shuffle/pixel_unshuffle also at the
// top level (torch.pixel_shuffle).
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

#include "convert.h"
#include "ember/ops/nn_embedding.h"
#include "ember/ops/nn_fold.h"
#include "ember/ops/nn_pad.h"
#include "nn.h"

namespace ember::python {

namespace {

using OptionalTensor = std::optional<Tensor>;

void init_nn_embedding(nb::module_& nn) {
  nn.def(
      "embedding",
      [](const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx,
         std::optional<double> max_norm, double norm_type, bool scale_grad_by_freq, bool sparse) {
        return ember::embedding_functional(input, weight, padding_idx, max_norm, norm_type,
                                           scale_grad_by_freq, sparse);
      },
      nb::arg("input"), nb::arg("weight"), nb::arg("padding_idx") = nb::none(),
      nb::arg("max_norm") = nb::none(), nb::arg("norm_type") = 2.0,
      nb::arg("scale_grad_by_freq") = false, nb::arg("sparse") = false,
      nb::sig("def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, "
              "scale_grad_by_freq=False, sparse=False) -> Tensor"),
      "The rows of weight at the integer indices input; the row padding_idx gets no gradient, "
      "max_norm renormalises the looked-up rows of weight in place.");
  nn.def(
      "embedding_bag",
      [](const Tensor& input, const Tensor& weight, const OptionalTensor& offsets,
         std::optional<double> max_norm, double norm_type, bool scale_grad_by_freq,
         const std::string& mode, bool sparse, const OptionalTensor& per_sample_weights,
         bool include_last_offset, std::optional<int64_t> padding_idx) {
        return ember::embedding_bag_functional(input, weight, offsets, max_norm, norm_type,
                                               scale_grad_by_freq, mode, sparse, per_sample_weights,
                                               include_last_offset, padding_idx);
      },
      nb::arg("input"), nb::arg("weight"), nb::arg("offsets") = nb::none(),
      nb::arg("max_norm") = nb::none(), nb::arg("norm_type") = 2.0,
      nb::arg("scale_grad_by_freq") = false, nb::arg("mode") = "mean", nb::arg("sparse") = false,
      nb::arg("per_sample_weights") = nb::none(), nb::arg("include_last_offset") = false,
      nb::arg("padding_idx") = nb::none(),
      nb::sig("def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, "
              "scale_grad_by_freq=False, mode='mean', sparse=False, per_sample_weights=None, "
              "include_last_offset=False, padding_idx=None) -> Tensor"),
      "Sums, means or maxima of bags of rows of weight: one bag per row of a 2-D input, or a 1-D "
      "input cut at offsets.");
  nn.def(
      "embedding_renorm_",
      [](Tensor weight, const Tensor& input, double max_norm, double norm_type) {
        ember::embedding_renorm_(weight, input, max_norm, norm_type);
        return weight;
      },
      nb::arg("weight"), nb::arg("input"), nb::arg("max_norm"), nb::arg("norm_type"),
      nb::sig("def embedding_renorm_(weight, input, max_norm, norm_type) -> Tensor"),
      "Rescales in place the rows of weight named by input whose norm exceeds max_norm.");
}

// torch.embedding_bag and torch._embedding_bag: the four results (output, offset2bag,
// bag_size, max_indices); mode an int, 0 sum, 1 mean, 2 max.
void init_embedding_bag_tuple(nb::module_& module) {
  for (const char* name : {"embedding_bag", "_embedding_bag"}) {
    module.def(
        name,
        [](const Tensor& weight, const Tensor& indices, const OptionalTensor& offsets,
           bool scale_grad_by_freq, int64_t mode, bool sparse,
           const OptionalTensor& per_sample_weights, bool include_last_offset,
           std::optional<int64_t> padding_idx) {
          return ember::_embedding_bag(weight, indices, offsets.value_or(Tensor()),
                                       scale_grad_by_freq, mode, sparse, per_sample_weights,
                                       include_last_offset, padding_idx);
        },
        nb::arg("weight"), nb::arg("indices"), nb::arg("offsets").none(),
        nb::arg("scale_grad_by_freq") = false, nb::arg("mode") = 0, nb::arg("sparse") = false,
        nb::arg("per_sample_weights") = nb::none(), nb::arg("include_last_offset") = false,
        nb::arg("padding_idx") = nb::none(),
        nb::sig(std::string_view(name) == "embedding_bag"
                    ? "def embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, "
                      "mode=0, sparse=False, per_sample_weights=None, include_last_offset=False, "
                      "padding_idx=None) -> tuple[Tensor, Tensor, Tensor, Tensor]"
                    : "def _embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, "
                      "mode=0, sparse=False, per_sample_weights=None, include_last_offset=False, "
                      "padding_idx=None) -> tuple[Tensor, Tensor, Tensor, Tensor]"),
        "embedding_bag's (output, offset2bag, bag_size, max_indices); mode 0 sum, 1 mean, 2 "
        "max.");
  }
}

// An int (both dims) or a pair, as F.unfold / F.fold take their block arguments.
std::vector<int64_t> pair_of(nb::handle value) {
  if (PyLong_Check(value.ptr())) {
    const auto v = nb::cast<int64_t>(value);
    return {v, v};
  }
  return to_dims(value);
}

void init_nn_fold(nb::module_& nn, nb::module_& module) {
  for (nb::module_* owner : {&nn, &module}) {
    owner->def("pixel_shuffle", &ember::pixel_shuffle, nb::arg("input"), nb::arg("upscale_factor"),
               nb::sig("def pixel_shuffle(input, upscale_factor) -> Tensor"),
               "(*, C r^2, H, W) -> (*, C, H r, W r) with r = upscale_factor.");
    owner->def("pixel_unshuffle", &ember::pixel_unshuffle, nb::arg("input"),
               nb::arg("downscale_factor"),
               nb::sig("def pixel_unshuffle(input, downscale_factor) -> Tensor"),
               "(*, C, H r, W r) -> (*, C r^2, H, W) with r = downscale_factor.");
  }
  nn.def(
      "unfold",
      [](const Tensor& input, nb::handle kernel_size, nb::handle dilation, nb::handle padding,
         nb::handle stride) {
        return ember::im2col(input, pair_of(kernel_size), pair_of(dilation), pair_of(padding),
                             pair_of(stride));
      },
      nb::arg("input"), nb::arg("kernel_size"), nb::arg("dilation") = 1, nb::arg("padding") = 0,
      nb::arg("stride") = 1,
      nb::sig("def unfold(input, kernel_size, dilation=1, padding=0, stride=1) -> Tensor"),
      "The sliding blocks of a (N, C, H, W) or (C, H, W) input as columns (N, C kh kw, L).");
  nn.def(
      "fold",
      [](const Tensor& input, nb::handle output_size, nb::handle kernel_size, nb::handle dilation,
         nb::handle padding, nb::handle stride) {
        return ember::col2im(input, pair_of(output_size), pair_of(kernel_size), pair_of(dilation),
                             pair_of(padding), pair_of(stride));
      },
      nb::arg("input"), nb::arg("output_size"), nb::arg("kernel_size"), nb::arg("dilation") = 1,
      nb::arg("padding") = 0, nb::arg("stride") = 1,
      nb::sig("def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1) -> "
              "Tensor"),
      "Sums the columns (N, C kh kw, L) of sliding blocks into an image of output_size: unfold's "
      "adjoint.");
}

}  // namespace

void init_nn_shape(nb::module_& nn, nb::module_& module) {
  nn.def(
      "pad",
      [](const Tensor& input, const std::vector<int64_t>& pad, const std::string& mode,
         std::optional<double> value) { return ember::pad(input, pad, mode, value); },
      nb::arg("input"), nb::arg("pad"), nb::arg("mode") = "constant", nb::arg("value") = nb::none(),
      nb::sig("def pad(input, pad, mode='constant', value=None) -> Tensor"),
      "Pads the trailing dims of input by the (left, right) pairs of pad, last dim first; mode "
      "'constant' (value, default 0), 'reflect', 'replicate' or 'circular'.");
  init_nn_embedding(nn);
  init_nn_fold(nn, module);
  init_embedding_bag_tuple(module);
}

}  // namespace ember::python
