// pad (nn_pad.h): each padded dim in turn, from the last one.
#include "ember/ops/nn_pad.h"

#include <algorithm>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember {
namespace {

enum class PadMode { Constant, Reflect, Replicate, Circular };

PadMode pad_mode(std::string_view mode) {
  if (mode == "constant") return PadMode::Constant;
  if (mode == "reflect") return PadMode::Reflect;
  if (mode == "replicate") return PadMode::Replicate;
  if (mode == "circular") return PadMode::Circular;
  detail::raise<NotImplementedError>(
      "[pad] Unrecognised padding mode ", mode,
      "; expected one of 'constant', 'reflect', 'replicate', 'circular'");
}

// Constant padding of one dim: crop the negative sides, then cat the constant blocks around.
Tensor pad_constant_dim(const Tensor& x, int64_t dim, int64_t left, int64_t right, double value) {
  const int64_t size = x.size(dim);
  const int64_t kept = size + std::min<int64_t>(left, 0) + std::min<int64_t>(right, 0);
  EMBER_CHECK(size + left + right >= 0 && kept >= 0, "[pad] The input size ", size,
              ", plus negative padding ", left, " and ", right,
              " resulted in a negative output size, which is invalid. Check dimension ", dim,
              " of your input of shape ", x.shape());
  const Tensor cropped = narrow(x, dim, std::max<int64_t>(-left, 0), kept);
  std::vector<Tensor> pieces;
  const auto block = [&](int64_t length) {
    Shape shape = x.shape();
    shape[dim] = length;
    return full(shape, value, TensorOptions(x.dtype()).device(x.device()));
  };
  if (left > 0) pieces.push_back(block(left));
  pieces.push_back(cropped);
  if (right > 0) pieces.push_back(block(right));
  return pieces.size() == 1 ? cropped : cat(pieces, dim);
}

// The source position of each output position of a dim of `size` padded by (left, right).
Tensor source_index(PadMode mode, int64_t size, int64_t left, int64_t right) {
  std::vector<int64_t> index;
  for (int64_t j = -left; j < size + right; ++j) {
    int64_t i = j;
    if (mode == PadMode::Reflect) {
      if (i < 0) i = -i;
      if (i >= size) i = 2 * (size - 1) - i;
    } else if (mode == PadMode::Replicate) {
      i = std::clamp<int64_t>(i, 0, size - 1);
    } else {
      i = ((i % size) + size) % size;
    }
    index.push_back(i);
  }
  return from_blob_copy(index.data(), {static_cast<int64_t>(index.size())}, kInt64);
}

void check_gathered_pad(PadMode mode, const Tensor& input, int64_t dim, int64_t left,
                        int64_t right) {
  const int64_t size = input.size(dim);
  if (mode == PadMode::Reflect) {
    EMBER_CHECK(left < size && right < size,
                "[pad] Padding size should be less than the corresponding input dimension, but "
                "got: padding (",
                left, ", ", right, ") at dimension ", dim, " of input ", input.shape());
  } else if (mode == PadMode::Replicate) {
    EMBER_CHECK(size > 0, "[pad] replicate padding needs non-empty padded dimensions; dimension ",
                dim, " of input ", input.shape(), " is empty");
  } else {
    EMBER_CHECK(left <= size && right <= size,
                "[pad] Padding value causes wrapping around more than once: padding (", left, ", ",
                right, ") at dimension ", dim, " of input ", input.shape());
  }
  EMBER_CHECK(size + left + right >= 0, "[pad] The input size ", size, ", plus negative padding ",
              left, " and ", right, " resulted in a negative output size at dimension ", dim,
              " of input ", input.shape());
}

Tensor pad_gathered(PadMode mode, const Tensor& input, IntArrayRef pad, std::string_view name) {
  const int64_t padded_dims = static_cast<int64_t>(pad.size()) / 2;
  EMBER_CHECK_TYPED(padded_dims >= 1 && padded_dims <= 3 &&
                        (input.dim() == padded_dims + 1 || input.dim() == padded_dims + 2),
                    NotImplementedError, "[pad] ", name, " padding of ", padded_dims,
                    " dims takes an input of ", padded_dims + 1, " or ", padded_dims + 2,
                    " dims (only 2D, 3D, 4D, 5D padding with non-constant padding are supported); "
                    "got input of shape ",
                    input.shape(), " and padding of length ", pad.size());
  Tensor x = input;
  for (int64_t k = 0; k < padded_dims; ++k) {
    const int64_t dim = input.dim() - 1 - k;
    int64_t left = pad[2 * k];
    int64_t right = pad[2 * k + 1];
    check_gathered_pad(mode, input, dim, left, right);
    if (left == 0 && right == 0) continue;
    if (mode == PadMode::Circular && (left < 0 || right < 0)) {
      // Circular padding wraps around what is left after the crop, as PyTorch's.
      const int64_t kept = x.size(dim) + std::min<int64_t>(left, 0) + std::min<int64_t>(right, 0);
      x = narrow(x, dim, std::max<int64_t>(-left, 0), kept);
      left = std::max<int64_t>(left, 0);
      right = std::max<int64_t>(right, 0);
      EMBER_CHECK(x.size(dim) > 0 || left + right == 0, "[pad] circular padding (", pad[2 * k],
                  ", ", pad[2 * k + 1], ") crops dimension ", dim, " of input ", input.shape(),
                  " to nothing, which leaves nothing to wrap around");
    }
    x = index_select(x, dim, source_index(mode, x.size(dim), left, right).to(x.device()));
  }
  return x;
}

}  // namespace

Tensor pad(const Tensor& input, IntArrayRef pad, std::string_view mode,
           std::optional<double> value) {
  EMBER_CHECK(input.defined(), "[pad] expects a defined input");
  EMBER_CHECK(pad.size() % 2 == 0, "[pad] Padding length must be divisible by 2; got ", pad.size(),
              " values");
  EMBER_CHECK(static_cast<int64_t>(pad.size()) / 2 <= input.dim(),
              "[pad] Padding length too large: ", pad.size(),
              " values pad more dims than the input of shape ", input.shape(), " has");
  const PadMode kind = pad_mode(mode);
  if (kind != PadMode::Constant) {
    EMBER_CHECK(!value.has_value() || *value == 0.0, "[pad] Padding mode \"", mode,
                "\" doesn't take in value argument");
    return pad_gathered(kind, input, pad, mode);
  }
  Tensor x = input;
  for (size_t k = 0; 2 * k < pad.size(); ++k) {
    x = pad_constant_dim(x, input.dim() - 1 - static_cast<int64_t>(k), pad[2 * k], pad[2 * k + 1],
                         value.value_or(0.0));
  }
  return x;
}

}  // namespace ember
