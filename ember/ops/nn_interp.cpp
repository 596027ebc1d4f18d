// The upsample ops and interpolate (nn_interp.h): argument checks with PyTorch's rules, then the
// Upsample primitive. interpolate turns size / scale_factor into an output size and the scales
// the source-index formulas see, as torch.nn.functional.interpolate does before calling them.
#include "ember/ops/nn_interp.h"

#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_interp.h"

namespace ember {
namespace {

std::string op_name(UpsampleMode mode, size_t spatial, bool adjoint) {
  const std::string dims = std::to_string(spatial) + "d";
  std::string name;
  switch (mode) {
    case UpsampleMode::Nearest:
      name = "upsample_nearest" + dims;
      break;
    case UpsampleMode::NearestExact:
      name = "upsample_nearest_exact" + dims;
      break;
    case UpsampleMode::Linear:
      name = spatial == 1   ? "upsample_linear1d"
             : spatial == 2 ? "upsample_bilinear2d"
                            : "upsample_trilinear3d";
      break;
    case UpsampleMode::Cubic:
      name = "upsample_bicubic" + dims;
      break;
    case UpsampleMode::Area:
      name = "adaptive_avg_pool" + dims;
      break;
    case UpsampleMode::LinearAntialias:
      name = "_upsample_bilinear2d_aa";
      break;
    case UpsampleMode::CubicAntialias:
      name = "_upsample_bicubic2d_aa";
      break;
  }
  return adjoint ? name + "_backward" : name;
}

std::string sizes_str(std::string_view names, IntArrayRef sizes) {
  std::ostringstream stream;
  stream << "(";
  for (size_t d = 0; d < sizes.size(); ++d) {
    stream << (d ? ", " : "") << names[names.size() - sizes.size() + d] << ": " << sizes[d];
  }
  stream << ")";
  return stream.str();
}

std::vector<double> scales_of(std::initializer_list<std::optional<double>> scales) {
  std::vector<double> values;
  for (const auto& scale : scales) values.push_back(scale.value_or(0.0));
  return values;
}

Tensor upsample(UpsampleMode mode, size_t spatial, const Tensor& input, IntArrayRef output_size,
                std::vector<double> scales, bool align_corners) {
  const std::string name = op_name(mode, spatial, false);
  EMBER_CHECK(input.defined(), "[", name, "] expects a defined input");
  const auto dims = static_cast<int64_t>(spatial + 2);
  EMBER_CHECK(input.dim() == dims, "[", name, "] expected input of ", dims, " dims (N, C and ",
              spatial, " spatial); got input of shape ", input.shape());
  EMBER_CHECK(output_size.size() == spatial, "[", name, "] expected output_size of ", spatial,
              " elements; got output_size=", output_size);
  EMBER_CHECK_TYPE(input.is_floating_point(), "[", name,
                   "] expected a floating point input; got input of dtype ", input.dtype());
  std::vector<int64_t> input_size(input.shape().begin() + 2, input.shape().end());
  bool positive = true;
  for (size_t d = 0; d < spatial; ++d)
    positive = positive && input_size[d] > 0 && output_size[d] > 0;
  EMBER_CHECK(positive, "[", name, "] input and output sizes should be greater than 0; got input ",
              sizes_str("DHW", input_size), " output ", sizes_str("DHW", output_size));
  EMBER_CHECK(input.numel() > 0 || input.size(1) > 0, "[", name,
              "] expected a non-empty input or an empty batch; got input of shape ", input.shape());
  const Upsample op(mode, std::move(input_size), output_size.vec(), std::move(scales),
                    align_corners, false);
  return run_upsample(op, input);
}

}  // namespace

Upsample::Upsample(UpsampleMode mode, std::vector<int64_t> input_size,
                   std::vector<int64_t> output_size, std::vector<double> scales, bool align_corners,
                   bool adjoint)
    : mode_(mode),
      input_size_(std::move(input_size)),
      output_size_(std::move(output_size)),
      scales_(std::move(scales)),
      align_corners_(align_corners),
      adjoint_(adjoint),
      name_(op_name(mode, input_size_.size(), adjoint)) {}

Tensor run_upsample(const Upsample& op, const Tensor& x) {
  const ScalarType dtype = x.dtype();
  if (dtype == kFloat16 || dtype == kBFloat16) return run_upsample(op, x.to(kFloat32)).to(dtype);
  const Tensor source = x.contiguous();
  Shape shape{x.size(0), x.size(1)};
  for (int64_t size : op.adjoint() ? op.input_size() : op.output_size()) shape.push_back(size);
  Tensor result = empty(shape, TensorOptions(dtype).device(x.device()));
  run_unless_empty(op, {source}, {result});
  return result;
}

Tensor upsample_nearest1d(const Tensor& input, IntArrayRef output_size,
                          std::optional<double> scales) {
  return upsample(UpsampleMode::Nearest, 1, input, output_size, scales_of({scales}), false);
}

Tensor upsample_nearest2d(const Tensor& input, IntArrayRef output_size,
                          std::optional<double> scales_h, std::optional<double> scales_w) {
  return upsample(UpsampleMode::Nearest, 2, input, output_size, scales_of({scales_h, scales_w}),
                  false);
}

Tensor upsample_nearest3d(const Tensor& input, IntArrayRef output_size,
                          std::optional<double> scales_d, std::optional<double> scales_h,
                          std::optional<double> scales_w) {
  return upsample(UpsampleMode::Nearest, 3, input, output_size,
                  scales_of({scales_d, scales_h, scales_w}), false);
}

Tensor upsample_nearest_exact1d(const Tensor& input, IntArrayRef output_size,
                                std::optional<double> scales) {
  return upsample(UpsampleMode::NearestExact, 1, input, output_size, scales_of({scales}), false);
}

Tensor upsample_nearest_exact2d(const Tensor& input, IntArrayRef output_size,
                                std::optional<double> scales_h, std::optional<double> scales_w) {
  return upsample(UpsampleMode::NearestExact, 2, input, output_size,
                  scales_of({scales_h, scales_w}), false);
}

Tensor upsample_nearest_exact3d(const Tensor& input, IntArrayRef output_size,
                                std::optional<double> scales_d, std::optional<double> scales_h,
                                std::optional<double> scales_w) {
  return upsample(UpsampleMode::NearestExact, 3, input, output_size,
                  scales_of({scales_d, scales_h, scales_w}), false);
}

Tensor upsample_linear1d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                         std::optional<double> scales) {
  return upsample(UpsampleMode::Linear, 1, input, output_size, scales_of({scales}), align_corners);
}

Tensor upsample_bilinear2d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                           std::optional<double> scales_h, std::optional<double> scales_w) {
  return upsample(UpsampleMode::Linear, 2, input, output_size, scales_of({scales_h, scales_w}),
                  align_corners);
}

Tensor upsample_bicubic2d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                          std::optional<double> scales_h, std::optional<double> scales_w) {
  return upsample(UpsampleMode::Cubic, 2, input, output_size, scales_of({scales_h, scales_w}),
                  align_corners);
}

Tensor upsample_trilinear3d(const Tensor& input, IntArrayRef output_size, bool align_corners,
                            std::optional<double> scales_d, std::optional<double> scales_h,
                            std::optional<double> scales_w) {
  return upsample(UpsampleMode::Linear, 3, input, output_size,
                  scales_of({scales_d, scales_h, scales_w}), align_corners);
}

Tensor interpolate(const Tensor& input, const std::optional<std::vector<int64_t>>& size,
                   const std::optional<std::vector<double>>& scale_factor, std::string_view mode,
                   std::optional<bool> align_corners, std::optional<bool> recompute_scale_factor,
                   bool antialias) {
  EMBER_CHECK(input.defined(), "[interpolate] expects a defined input");
  struct ModeInfo {
    std::string_view name;
    UpsampleMode kind;
    int64_t dim;  // the input rank the mode needs; 0: 3-d to 5-d
  };
  static constexpr ModeInfo kModes[] = {
      {"nearest", UpsampleMode::Nearest, 0}, {"nearest-exact", UpsampleMode::NearestExact, 0},
      {"area", UpsampleMode::Area, 0},       {"linear", UpsampleMode::Linear, 3},
      {"bilinear", UpsampleMode::Linear, 4}, {"bicubic", UpsampleMode::Cubic, 4},
      {"trilinear", UpsampleMode::Linear, 5}};
  const ModeInfo* info = nullptr;
  for (const ModeInfo& candidate : kModes) {
    if (candidate.name == mode) info = &candidate;
  }
  const int64_t rank = input.dim();
  const bool interpolating = info != nullptr && info->dim != 0;
  if (info != nullptr && !interpolating) {
    EMBER_CHECK_VALUE(!align_corners.has_value(),
                      "[interpolate] align_corners option can only be set with the interpolating "
                      "modes: linear | bilinear | bicubic | trilinear; got mode='",
                      mode, "'");
  }
  EMBER_CHECK_VALUE(!(size && scale_factor),
                    "[interpolate] only one of size or scale_factor should be defined");
  EMBER_CHECK_VALUE(size || scale_factor,
                    "[interpolate] either size or scale_factor should be defined");
  const int64_t spatial = rank - 2;
  if (size) {
    EMBER_CHECK_VALUE(static_cast<int64_t>(size->size()) == spatial,
                      "[interpolate] input and output must have the same number of spatial "
                      "dimensions; got input of shape ",
                      input.shape(), " and output size ", IntArrayRef(*size),
                      ". Please provide input tensor in (N, C, d1, d2, ...,dK) format and output "
                      "size in (o1, o2, ...,oK) format.");
  } else {
    EMBER_CHECK_VALUE(static_cast<int64_t>(scale_factor->size()) == spatial,
                      "[interpolate] input and scale_factor must have the same number of spatial "
                      "dimensions; got input of shape ",
                      input.shape(), " and ", scale_factor->size(),
                      " scale factors. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                      "format and scale_factor in (s1, s2, ...,sK) format.");
  }
  EMBER_CHECK_VALUE(!(recompute_scale_factor.value_or(false) && size),
                    "[interpolate] recompute_scale_factor is not meaningful with an explicit size");
  const bool aa_mode = info != nullptr && (mode == "bilinear" || mode == "bicubic") && rank == 4;
  EMBER_CHECK_VALUE(!antialias || aa_mode,
                    "[interpolate] anti-alias option is only supported for bilinear and bicubic "
                    "modes; got mode='",
                    mode, "' and input of shape ", input.shape());
  const bool rank_ok =
      info != nullptr && rank >= 3 && rank <= 5 && (info->dim == 0 || info->dim == rank);
  if (!rank_ok) {
    EMBER_CHECK_TYPED(info == nullptr || rank < 3 || rank > 5, NotImplementedError,
                      "[interpolate] got ", rank, "D input, but ", mode, " mode needs ", info->dim,
                      "D input");
    detail::raise<NotImplementedError>(
        "[interpolate] input Error: Only 3D, 4D and 5D input Tensors supported (got ", rank,
        "D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | "
        "nearest-exact (got ",
        mode, ")");
  }
  // The output size, and the scales the kernel sees: none when the size was given or recomputed.
  const bool recompute = recompute_scale_factor.value_or(false) || info->kind == UpsampleMode::Area;
  std::vector<int64_t> output_size;
  std::vector<double> scales(static_cast<size_t>(spatial), 0.0);
  if (size) {
    output_size = *size;
  } else {
    for (int64_t d = 0; d < spatial; ++d) {
      const double scale = (*scale_factor)[static_cast<size_t>(d)];
      output_size.push_back(static_cast<int64_t>(
          recompute ? std::floor(static_cast<double>(input.size(d + 2)) * scale)
                    : static_cast<double>(input.size(d + 2)) * scale));
      if (!recompute) scales[static_cast<size_t>(d)] = scale;
    }
  }
  UpsampleMode kind = info->kind;
  if (antialias) {
    kind =
        kind == UpsampleMode::Linear ? UpsampleMode::LinearAntialias : UpsampleMode::CubicAntialias;
  }
  return upsample(kind, static_cast<size_t>(spatial), input, output_size, std::move(scales),
                  align_corners.value_or(false));
}

}  // namespace ember
