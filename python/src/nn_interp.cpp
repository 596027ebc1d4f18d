// nn.functional's resampling ops (ember/ops/nn_interp.h) into ember._C._nn: interpolate (called by
// ember.nn.functional.interpolate once a single size or scale factor is repeated per spatial
// dim), the upsample ops PyTorch keeps in torch._C._nn, grid_sample and affine_grid.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

#include "convert.h"
#include "ember/ops/nn_interp.h"
#include "nn.h"

namespace ember::python {
namespace {

using Sizes = std::vector<int64_t>;
using Scales = std::optional<std::vector<double>>;

// torch._C._nn.upsample_*(input, output_size, [align_corners,] scale_factors): the scale factors
// a list of one per spatial dim or None.
std::optional<double> scale_at(const Scales& scales, size_t d) {
  return scales ? std::optional<double>((*scales)[d]) : std::nullopt;
}

void check_scales(const char* op, const Scales& scales, size_t spatial) {
  EMBER_CHECK(!scales || scales->size() == spatial, "[", op, "] expected ", spatial,
              " scale factors; got ", scales ? scales->size() : 0);
}

}  // namespace

void init_nn_interp(nb::module_& nn) {
  nn.def(
      "interpolate",
      [](const Tensor& input, const std::optional<Sizes>& size, const Scales& scale_factor,
         const std::string& mode, std::optional<bool> align_corners,
         std::optional<bool> recompute_scale_factor, bool antialias) {
        return ember::interpolate(input, size, scale_factor, mode, align_corners,
                                  recompute_scale_factor, antialias);
      },
      nb::arg("input"), nb::arg("size").none(), nb::arg("scale_factor").none(),
      nb::arg("mode") = "nearest", nb::arg("align_corners") = nb::none(),
      nb::arg("recompute_scale_factor") = nb::none(), nb::arg("antialias") = false,
      nb::sig("def interpolate(input, size, scale_factor, mode='nearest', align_corners=None, "
              "recompute_scale_factor=None, antialias=False) -> Tensor"),
      "interpolate with size and scale_factor already one entry per spatial dim (or None).");
  nn.def(
      "upsample_nearest1d",
      [](const Tensor& input, const std::optional<Sizes>& output_size, const Scales& scales) {
        check_scales("upsample_nearest1d", scales, 1);
        EMBER_CHECK(output_size.has_value(), "[upsample_nearest1d] expects output_size");
        return ember::upsample_nearest1d(input, *output_size, scale_at(scales, 0));
      },
      nb::arg("input"), nb::arg("output_size").none(), nb::arg("scale_factors").none(),
      nb::sig("def upsample_nearest1d(input, output_size, scale_factors) -> Tensor"),
      "Nearest-neighbour upsampling of (N, C, L) to output_size.");
  nn.def(
      "upsample_nearest2d",
      [](const Tensor& input, const std::optional<Sizes>& output_size, const Scales& scales) {
        check_scales("upsample_nearest2d", scales, 2);
        EMBER_CHECK(output_size.has_value(), "[upsample_nearest2d] expects output_size");
        return ember::upsample_nearest2d(input, *output_size, scale_at(scales, 0),
                                         scale_at(scales, 1));
      },
      nb::arg("input"), nb::arg("output_size").none(), nb::arg("scale_factors").none(),
      nb::sig("def upsample_nearest2d(input, output_size, scale_factors) -> Tensor"),
      "Nearest-neighbour upsampling of (N, C, H, W) to output_size.");
  nn.def(
      "upsample_bilinear2d",
      [](const Tensor& input, const std::optional<Sizes>& output_size, bool align_corners,
         const Scales& scales) {
        check_scales("upsample_bilinear2d", scales, 2);
        EMBER_CHECK(output_size.has_value(), "[upsample_bilinear2d] expects output_size");
        return ember::upsample_bilinear2d(input, *output_size, align_corners, scale_at(scales, 0),
                                          scale_at(scales, 1));
      },
      nb::arg("input"), nb::arg("output_size").none(), nb::arg("align_corners"),
      nb::arg("scale_factors").none(),
      nb::sig("def upsample_bilinear2d(input, output_size, align_corners, scale_factors) -> "
              "Tensor"),
      "Bilinear upsampling of (N, C, H, W) to output_size.");
  nn.def(
      "grid_sample",
      [](const Tensor& input, const Tensor& grid, const std::string& mode,
         const std::string& padding_mode, std::optional<bool> align_corners) {
        return ember::grid_sample(input, grid, mode, padding_mode, align_corners);
      },
      nb::arg("input"), nb::arg("grid"), nb::arg("mode") = "bilinear",
      nb::arg("padding_mode") = "zeros", nb::arg("align_corners") = nb::none(),
      nb::sig("def grid_sample(input, grid, mode='bilinear', padding_mode='zeros', "
              "align_corners=None) -> Tensor"),
      "Samples input (N, C, H, W) at the [-1, 1] positions of grid (N, Ho, Wo, 2) (or the 5-D "
      "forms).");
  nn.def(
      "affine_grid",
      [](const Tensor& theta, const Sizes& size, std::optional<bool> align_corners) {
        return ember::affine_grid(theta, size, align_corners);
      },
      nb::arg("theta"), nb::arg("size"), nb::arg("align_corners") = nb::none(),
      nb::sig("def affine_grid(theta, size, align_corners=None) -> Tensor"),
      "The sampling grid (N, H, W, 2) of the affine maps theta (N, 2, 3) for an output of size "
      "(N, C, H, W) (or the 3-D forms).");
}

}  // namespace ember::python
