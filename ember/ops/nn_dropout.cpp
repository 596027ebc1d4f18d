// Dropout as composites: a Bernoulli mask (RandomFill, Philox) times the input, so autograd
// differentiates through the mask and no kernel is needed.
#include "ember/ops/nn_dropout.h"

#include <cmath>
#include <string>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

// SELU's alpha * scale: the value alpha dropout gives dropped elements is its negative.
constexpr double kAlphaDropoutValue = 1.7580993408473766;

void check_probability(std::string_view op, double p) {
  EMBER_CHECK_VALUE(p >= 0.0 && p <= 1.0, "[", op,
                    "] dropout probability has to be between 0 and 1, but got ", p);
}

// The mask's shape: x's, or for feature dropout (N, C, 1, ...), one draw per channel.
Shape noise_shape(std::string_view op, const Tensor& x, bool feature) {
  if (!feature) return x.shape();
  EMBER_CHECK(x.dim() >= 2, "[", op,
              "] Feature dropout requires at least 2 dimensions in the input; got shape ",
              x.shape());
  Shape shape(static_cast<size_t>(x.dim()), 1);
  shape[0] = x.shape()[0];
  shape[1] = x.shape()[1];
  return shape;
}

// The multiplier (and for alpha dropout the offset) that applies the mask to x.
struct Noise {
  Tensor scale;
  Tensor shift;
};

Noise make_noise(std::string_view op, const Tensor& x, double p, bool feature, bool alpha) {
  Tensor keep = empty(noise_shape(op, x, feature), TensorOptions(x.dtype()).device(x.device()));
  keep.bernoulli_(1.0 - p);
  if (!alpha) return {div(keep, 1.0 - p), Tensor()};
  const double a = 1.0 / std::sqrt((kAlphaDropoutValue * kAlphaDropoutValue * p + 1) * (1 - p));
  const Tensor shift = add(mul(sub(keep, 1), kAlphaDropoutValue * a), kAlphaDropoutValue * a * p);
  return {mul(keep, a), shift};
}

bool is_identity(std::string_view op, const Tensor& x, double p, bool train) {
  check_probability(op, p);
  return !train || p == 0.0 || x.numel() == 0;
}

Tensor apply(std::string_view op, const Tensor& x, double p, bool train, bool feature, bool alpha) {
  if (is_identity(op, x, p, train)) return x;
  if (p == 1.0) return mul(x, zeros({}, TensorOptions(x.dtype()).device(x.device())));
  const Noise noise = make_noise(op, x, p, feature, alpha);
  const Tensor scaled = mul(x, noise.scale);
  return alpha ? add(scaled, noise.shift) : scaled;
}

Tensor& apply_(std::string_view op, Tensor& x, double p, bool train, bool feature, bool alpha) {
  if (is_identity(op, x, p, train)) return x;
  if (p == 1.0) return x.mul_(zeros({}, TensorOptions(x.dtype()).device(x.device())));
  const Noise noise = make_noise(op, x, p, feature, alpha);
  x.mul_(noise.scale);
  if (alpha) x.add_(noise.shift);
  return x;
}

// dropout1d/2d/3d: a batched input of `dims` dims, or an unbatched one of dims - 1.
Tensor channel_dropout(std::string_view op, int64_t dims, const Tensor& x, double p, bool training,
                       bool inplace) {
  check_probability(op, p);
  EMBER_CHECK(x.dim() == dims || x.dim() == dims - 1, "[", op, "] Expected ", dims - 1, "D or ",
              dims, "D input, but received a ", x.dim(), "D input of shape ", x.shape());
  const bool batched = x.dim() == dims;
  if (inplace) {
    Tensor target = batched ? x : x.unsqueeze(0);
    feature_dropout_(target, p, training);
    return x;
  }
  const Tensor result = feature_dropout(batched ? x : x.unsqueeze(0), p, training);
  return batched ? result : result.squeeze(0);
}

}  // namespace

Tensor dropout(const Tensor& x, double p, bool train) {
  return apply("dropout", x, p, train, false, false);
}
Tensor& dropout_(Tensor& x, double p, bool train) {
  return apply_("dropout", x, p, train, false, false);
}
Tensor feature_dropout(const Tensor& x, double p, bool train) {
  return apply("feature_dropout", x, p, train, true, false);
}
Tensor& feature_dropout_(Tensor& x, double p, bool train) {
  return apply_("feature_dropout", x, p, train, true, false);
}
Tensor alpha_dropout(const Tensor& x, double p, bool train) {
  return apply("alpha_dropout", x, p, train, false, true);
}
Tensor& alpha_dropout_(Tensor& x, double p, bool train) {
  return apply_("alpha_dropout", x, p, train, false, true);
}
Tensor feature_alpha_dropout(const Tensor& x, double p, bool train) {
  return apply("feature_alpha_dropout", x, p, train, true, true);
}
Tensor& feature_alpha_dropout_(Tensor& x, double p, bool train) {
  return apply_("feature_alpha_dropout", x, p, train, true, true);
}

Tensor dropout1d(const Tensor& x, double p, bool training, bool inplace) {
  return channel_dropout("dropout1d", 3, x, p, training, inplace);
}
Tensor dropout2d(const Tensor& x, double p, bool training, bool inplace) {
  return channel_dropout("dropout2d", 4, x, p, training, inplace);
}
Tensor dropout3d(const Tensor& x, double p, bool training, bool inplace) {
  return channel_dropout("dropout3d", 5, x, p, training, inplace);
}

}  // namespace ember
