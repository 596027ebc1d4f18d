// grid_sample and affine_grid (nn_interp.h) as composites. grid_sample follows PyTorch's
// GridSampler.h: each grid coordinate is unnormalized to a pixel position, padded (border: clipped;
// reflection: reflected about the edges, then clipped), and the input is read at the integer taps
// around it by gather, out-of-range taps reading 0. The tap positions are constants of the graph
// and the weights functions of the grid, so the gradients with respect to input and grid (and
// their own gradients) come from the ops used.
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/warning.h"
#include "ember/ops/autocast.h"
#include "ember/ops/nn_interp.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"
#include "ember/ops/shape.h"

namespace ember {
namespace {

constexpr double kCubicA = -0.75;

bool align_corners_or_warn(std::optional<bool> align_corners) {
  if (!align_corners) {
    warn(
        "Default grid_sample and affine_grid behavior has changed to align_corners=False since "
        "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
        "documentation of grid_sample for details.");
  }
  return align_corners.value_or(false);
}

// [-1, 1] to pixel positions: the corner pixels' centres (align_corners) or their outer edges.
Tensor unnormalize(const Tensor& coord, int64_t size, bool align_corners) {
  if (align_corners) return (coord + 1.0) * (static_cast<double>(size - 1) / 2.0);
  return ((coord + 1.0) * static_cast<double>(size) - 1.0) / 2.0;
}

// PyTorch's reflect_coordinates: x reflected into [twice_low / 2, twice_high / 2].
Tensor reflect(const Tensor& x, int64_t twice_low, int64_t twice_high) {
  if (twice_low == twice_high) return zeros_like(x);
  const double low = static_cast<double>(twice_low) / 2.0;
  const double span = static_cast<double>(twice_high - twice_low) / 2.0;
  const Tensor distance = abs(x - low);
  const Tensor flips = floor(distance / span).detach();
  const Tensor extra = distance - flips * span;
  const Tensor even = eq(remainder(flips, 2.0), 0.0);
  return where(even, extra + low, (-extra) + (span + low));
}

Tensor pad_coordinate(const Tensor& coord, int64_t size, std::string_view padding_mode,
                      bool align_corners) {
  if (padding_mode == "zeros") return coord;
  Tensor padded = coord;
  if (padding_mode == "reflection") {
    padded = align_corners ? reflect(coord, 0, 2 * (size - 1)) : reflect(coord, -1, 2 * size - 1);
  }
  return clamp(padded, Scalar(0.0), Scalar(static_cast<double>(size - 1)));
}

// The input (N, C, S...) flattened to (N, C, prod S), read at integer positions (one tensor per
// spatial dim, innermost first as the grid orders them, each of shape (N, P)); positions outside
// the input read 0. Result (N, C, P).
class GridReader {
 public:
  GridReader(const Tensor& input, const Tensor& flat) : input_(input), flat_(flat) {}

  Tensor read(const std::vector<Tensor>& positions) const {
    const int64_t spatial = input_.dim() - 2;
    Tensor inside;
    Tensor linear;
    int64_t stride = 1;
    for (int64_t d = 0; d < spatial; ++d) {
      const int64_t size = input_.size(input_.dim() - 1 - d);
      const Tensor& position = positions[static_cast<size_t>(d)];
      const Tensor ok = logical_and(ge(position, 0.0), le(position, static_cast<double>(size - 1)));
      inside = inside.defined() ? logical_and(inside, ok) : ok;
      const Tensor term =
          clamp(position, Scalar(0.0), Scalar(static_cast<double>(size - 1))).to(kInt64) * stride;
      linear = linear.defined() ? linear + term : term;
      stride *= size;
    }
    const int64_t n = flat_.size(0);
    const int64_t channels = flat_.size(1);
    const int64_t points = linear.size(1);
    const Tensor index = linear.reshape({n, 1, points}).expand({n, channels, points});
    const Tensor values = gather(flat_, 2, index);
    return where(inside.reshape({n, 1, points}), values, Scalar(0.0));
  }

 private:
  const Tensor& input_;
  const Tensor& flat_;
};

std::vector<Tensor> cubic_weights(const Tensor& t) {
  const double a = kCubicA;
  auto inner = [a](const Tensor& x) { return ((x * (a + 2.0) - (a + 3.0)) * x) * x + 1.0; };
  auto outer = [a](const Tensor& x) { return ((x * a - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a; };
  return {outer(t + 1.0), inner(t), inner(1.0 - t), outer(2.0 - t)};
}

void check_grid_sample(const Tensor& input, const Tensor& grid, std::string_view mode,
                       std::string_view padding_mode) {
  EMBER_CHECK(input.defined() && grid.defined(), "[grid_sample] expects defined input and grid");
  EMBER_CHECK_VALUE(mode == "bilinear" || mode == "nearest" || mode == "bicubic",
                    "[grid_sample] expected mode to be 'bilinear', 'nearest' or 'bicubic'; got '",
                    mode, "'");
  EMBER_CHECK_VALUE(
      padding_mode == "zeros" || padding_mode == "border" || padding_mode == "reflection",
      "[grid_sample] expected padding_mode to be 'zeros', 'border', or 'reflection'; "
      "got '",
      padding_mode, "'");
  EMBER_CHECK_TYPE(input.is_floating_point() && input.dtype() == grid.dtype(),
                   "[grid_sample] expected input and grid of one floating point dtype; got input "
                   "of dtype ",
                   input.dtype(), " and grid of dtype ", grid.dtype());
  EMBER_CHECK((input.dim() == 4 || input.dim() == 5) && grid.dim() == input.dim(),
              "[grid_sample] expected 4D or 5D input and grid with the same number of dims; got "
              "input of shape ",
              input.shape(), " and grid of shape ", grid.shape());
  EMBER_CHECK(input.size(0) == grid.size(0),
              "[grid_sample] expected grid and input to have the same batch size; got input of "
              "shape ",
              input.shape(), " and grid of shape ", grid.shape());
  EMBER_CHECK(grid.size(-1) == input.dim() - 2, "[grid_sample] expected grid to have size ",
              input.dim() - 2, " in its last dim; got grid of shape ", grid.shape());
  for (int64_t d = 2; d < input.dim(); ++d) {
    EMBER_CHECK(input.size(d) > 0,
                "[grid_sample] expected input with non-empty spatial dims; got input of shape ",
                input.shape(), " with dim ", d, " empty");
  }
  EMBER_CHECK(mode != "bicubic" || input.dim() == 4,
              "[grid_sample] bicubic interpolation only supports 4D input; got input of shape ",
              input.shape());
}

}  // namespace

Tensor grid_sample(const Tensor& input, const Tensor& grid, std::string_view mode,
                   std::string_view padding_mode, std::optional<bool> align_corners_arg) {
  if (autocast::active()) {
    return autocast::float32({input, grid}, [&](const auto& in) {
      return grid_sample(in[0], in[1], mode, padding_mode, align_corners_arg);
    });
  }
  check_grid_sample(input, grid, mode, padding_mode);
  const bool align_corners = align_corners_or_warn(align_corners_arg);
  const int64_t spatial = input.dim() - 2;
  const int64_t n = input.size(0);
  const int64_t channels = input.size(1);
  Shape out_shape{n, channels};
  int64_t points = 1;
  for (int64_t d = 1; d <= spatial; ++d) {
    out_shape.push_back(grid.size(d));
    points *= grid.size(d);
  }
  int64_t plane = 1;
  for (int64_t d = 2; d < input.dim(); ++d) plane *= input.size(d);
  const Tensor flat = input.reshape({n, channels, plane});
  const GridReader taps(input, flat);
  // Pixel positions per spatial dim, innermost (x: width) first, each (N, P).
  std::vector<Tensor> coords;
  for (int64_t d = 0; d < spatial; ++d) {
    const int64_t size = input.size(input.dim() - 1 - d);
    const Tensor coord = unnormalize(grid.select(-1, d).reshape({n, points}), size, align_corners);
    coords.push_back(mode == "bicubic" ? coord
                                       : pad_coordinate(coord, size, padding_mode, align_corners));
  }
  Tensor result;
  auto accumulate = [&](const Tensor& term) { result = result.defined() ? result + term : term; };
  if (mode == "nearest") {
    std::vector<Tensor> positions;
    for (const Tensor& coord : coords) positions.push_back(round(coord).detach());
    accumulate(taps.read(positions));
  } else if (mode == "bilinear") {
    std::vector<Tensor> lows;
    std::vector<Tensor> fractions;
    for (const Tensor& coord : coords) {
      lows.push_back(floor(coord).detach());
      fractions.push_back(coord - lows.back());
    }
    for (int64_t corner = 0; corner < (int64_t{1} << spatial); ++corner) {
      std::vector<Tensor> positions;
      Tensor weight;
      for (int64_t d = 0; d < spatial; ++d) {
        const bool high = (corner >> d) & 1;
        const auto slot = static_cast<size_t>(d);
        positions.push_back(high ? lows[slot] + 1.0 : lows[slot]);
        const Tensor w = high ? fractions[slot] : 1.0 - fractions[slot];
        weight = weight.defined() ? weight * w : w;
      }
      accumulate(taps.read(positions) * weight.reshape({n, 1, points}));
    }
  } else {  // bicubic: taps at floor - 1 .. floor + 2, each padded on its own
    const Tensor low_x = floor(coords[0]).detach();
    const Tensor low_y = floor(coords[1]).detach();
    const std::vector<Tensor> wx = cubic_weights(coords[0] - low_x);
    const std::vector<Tensor> wy = cubic_weights(coords[1] - low_y);
    const int64_t width = input.size(3);
    const int64_t height = input.size(2);
    for (int64_t j = 0; j < 4; ++j) {
      const Tensor y =
          pad_coordinate(low_y + static_cast<double>(j - 1), height, padding_mode, align_corners);
      for (int64_t i = 0; i < 4; ++i) {
        const Tensor x =
            pad_coordinate(low_x + static_cast<double>(i - 1), width, padding_mode, align_corners);
        const Tensor weight = wx[static_cast<size_t>(i)] * wy[static_cast<size_t>(j)];
        accumulate(taps.read({x, y}) * weight.reshape({n, 1, points}));
      }
    }
  }
  return result.reshape(out_shape);
}

namespace {

// PyTorch's linspace_from_neg_one: n points over [-1, 1], scaled by (n - 1) / n without
// align_corners (pixel centres); a single point is 0.
Tensor axis_points(int64_t steps, bool align_corners, const TensorOptions& options) {
  if (steps <= 1) return zeros({steps}, options);
  const Tensor points = linspace(-1.0, 1.0, steps, options);
  if (align_corners) return points;
  return points * (static_cast<double>(steps - 1) / static_cast<double>(steps));
}

}  // namespace

Tensor affine_grid(const Tensor& theta, IntArrayRef size, std::optional<bool> align_corners_arg) {
  EMBER_CHECK(theta.defined(), "[affine_grid] expects a defined theta");
  EMBER_CHECK_TYPE(theta.is_floating_point(),
                   "[affine_grid] expected theta of a floating point dtype; got theta of dtype ",
                   theta.dtype());
  const auto dims = static_cast<int64_t>(size.size());
  EMBER_CHECK_TYPED(dims == 4 || dims == 5, NotImplementedError,
                    "[affine_grid] only supports 4D and 5D sizes, for 2D and 3D affine "
                    "transforms, respectively; got size ",
                    size);
  const int64_t spatial = dims - 2;
  EMBER_CHECK(theta.dim() == 3 && theta.size(0) == size[0] && theta.size(1) == spatial &&
                  theta.size(2) == spatial + 1,
              "[affine_grid] expected a batch of ", spatial, "D affine matrices of shape Nx",
              spatial, "x", spatial + 1, " for size ", size, "; got theta of shape ",
              theta.shape());
  bool positive = true;
  for (int64_t extent : size) positive = positive && extent > 0;
  EMBER_CHECK_VALUE(positive, "[affine_grid] expected non-zero, positive output size; got ", size);
  const bool align_corners = align_corners_or_warn(align_corners_arg);
  const TensorOptions options = TensorOptions(theta.dtype()).device(theta.device());
  // The base grid (*spatial sizes, spatial + 1): x, y(, z), 1 per output pixel.
  Shape grid_shape(size.begin() + 2, size.end());
  std::vector<Tensor> columns;
  for (int64_t d = 0; d < spatial; ++d) {
    const int64_t axis = dims - 1 - d;  // x varies along the last dim
    Shape view(static_cast<size_t>(spatial), 1);
    view[static_cast<size_t>(axis - 2)] = size[axis];
    columns.push_back(
        axis_points(size[axis], align_corners, options).reshape(view).expand(grid_shape));
  }
  columns.push_back(ones(grid_shape, options));
  int64_t points = 1;
  for (int64_t extent : grid_shape) points *= extent;
  const Tensor base = stack(columns, -1).reshape({1, points, spatial + 1});
  Shape out_shape{size[0]};
  for (int64_t extent : grid_shape) out_shape.push_back(extent);
  out_shape.push_back(spatial);
  return matmul(base, theta.transpose(1, 2)).reshape(out_shape);
}

}  // namespace ember
