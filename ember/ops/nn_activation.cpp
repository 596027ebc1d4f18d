// softmax, log_softmax and softmin run the Softmax primitive on a contiguous floating input;
// the other activations are composites of elementwise ops, written so that they save masks and
// outputs rather than x where they can, which keeps their in-place forms differentiable.
#include "ember/ops/nn_activation.h"

#include <cmath>
#include <numbers>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn.h"

namespace ember {
namespace {

Tensor run_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype, bool log) {
  const Softmax probe(0, log);
  const int64_t d = wrap_dim(dim, x.dim(), probe.name());
  const Tensor input = dtype ? x.to(*dtype) : x;
  EMBER_CHECK(is_floating_point(input.dtype()), "[", probe.name(),
              "] expected a floating-point input (or a floating dtype=); got ", input.dtype(),
              " of shape ", input.shape());
  const Tensor contiguous = input.contiguous();
  Tensor out = empty(contiguous.shape(), TensorOptions(contiguous.dtype()).device(x.device()));
  run_unless_empty(Softmax(d, log), {contiguous}, {out});
  return out;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  if (autocast::active()) {
    return autocast::float32_on_cuda({x},
                                     [&](const auto& in) { return softmax(in[0], dim, dtype); });
  }
  return run_softmax(x, dim, dtype, false);
}

Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  if (autocast::active()) {
    return autocast::float32_on_cuda(
        {x}, [&](const auto& in) { return log_softmax(in[0], dim, dtype); });
  }
  return run_softmax(x, dim, dtype, true);
}

Tensor softmin(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return softmax(neg(dtype ? x.to(*dtype) : x), dim);
}

namespace {

// SELU's constants (Klambauer et al., 2017), as PyTorch's.
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

// f(x) computed in float32 for float16/bfloat16 inputs and rounded once, as PyTorch's kernels
// do in their opmath type: a chain of half-precision ops would round at every step.
template <typename F>
Tensor in_opmath(const Tensor& x, F f) {
  if (x.dtype() == kFloat16 || x.dtype() == kBFloat16) return f(x.to(kFloat32)).to(x.dtype());
  return f(x);
}

// Writes result into x (the in-place forms): x keeps its identity, autograd sees a copy. A
// floating result does not go into an integer x (B4), as PyTorch's in-place ops refuse it.
Tensor& assign(std::string_view op, Tensor& x, const Tensor& result) {
  check_inplace_cast(op, result.dtype(), x.dtype());
  x.copy_(result);
  return x;
}

}  // namespace

Tensor relu6(const Tensor& x) { return hardtanh(x, 0, 6); }
Tensor& relu6_(Tensor& x) { return hardtanh_(x, 0, 6); }

Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope) {
  return where(gt(x, 0), x, mul(x, negative_slope));
}
Tensor& leaky_relu_(Tensor& x, const Scalar& negative_slope) {
  return assign("leaky_relu_", x, leaky_relu(x, negative_slope));
}

Tensor elu(const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  const double negative_scale = alpha.to_double() * scale.to_double();
  return in_opmath(x, [&](const Tensor& v) {
    const Tensor positive = scale.to_double() == 1.0 ? v : mul(v, scale);
    const Tensor scaled = input_scale.to_double() == 1.0 ? v : mul(v, input_scale);
    return where(gt(v, 0), positive, mul(expm1(scaled), negative_scale));
  });
}
Tensor& elu_(Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  return assign("elu_", x, elu(x, alpha, scale, input_scale));
}

Tensor selu(const Tensor& x) { return elu(x, kSeluAlpha, kSeluScale); }
Tensor& selu_(Tensor& x) { return assign("selu_", x, selu(x)); }

Tensor celu(const Tensor& x, const Scalar& alpha) {
  EMBER_CHECK(alpha.to_double() != 0.0, "[celu] ZeroDivisionError: alpha must be non-zero; got ",
              alpha.to_double());
  return elu(x, alpha, 1, 1.0 / alpha.to_double());
}
Tensor& celu_(Tensor& x, const Scalar& alpha) { return assign("celu_", x, celu(x, alpha)); }

Tensor gelu(const Tensor& x, std::string_view approximate) {
  EMBER_CHECK_VALUE(approximate == "none" || approximate == "tanh",
                    "[gelu] approximate argument must be either none or tanh; got '", approximate,
                    "'");
  return in_opmath(x, [&](const Tensor& v) {
    Tensor inner;
    if (approximate == "none") {
      inner = erf(mul(v, std::numbers::sqrt2 / 2));
    } else {
      const double k = std::sqrt(2.0 / std::numbers::pi);
      inner = tanh(mul(add(v, mul(mul(mul(v, v), v), 0.044715)), k));
    }
    return mul(mul(v, 0.5), add(inner, 1));
  });
}

Tensor silu(const Tensor& x) {
  return in_opmath(x, [](const Tensor& v) { return mul(v, sigmoid(v)); });
}
Tensor& silu_(Tensor& x) { return assign("silu_", x, silu(x)); }

Tensor mish(const Tensor& x) {
  return in_opmath(x, [](const Tensor& v) { return mul(v, tanh(softplus(v))); });
}
Tensor& mish_(Tensor& x) { return assign("mish_", x, mish(x)); }

Tensor hardtanh(const Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  EMBER_CHECK_VALUE(min_val.to_double() <= max_val.to_double(),
                    "[hardtanh] min_val cannot be greater than max_val; got min_val=",
                    min_val.to_double(), ", max_val=", max_val.to_double());
  return where(lt(x, min_val), min_val, where(gt(x, max_val), max_val, x));
}
Tensor& hardtanh_(Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  return assign("hardtanh_", x, hardtanh(x, min_val, max_val));
}

Tensor hardsigmoid(const Tensor& x) {
  return in_opmath(x, [](const Tensor& v) {
    return where(le(v, -3), 0.0, where(ge(v, 3), 1.0, add(div(v, 6), 0.5)));
  });
}
Tensor& hardsigmoid_(Tensor& x) { return assign("hardsigmoid_", x, hardsigmoid(x)); }

Tensor hardswish(const Tensor& x) {
  return in_opmath(x, [](const Tensor& v) {
    return where(le(v, -3), 0.0, where(ge(v, 3), v, mul(v, div(add(v, 3), 6))));
  });
}
Tensor& hardswish_(Tensor& x) { return assign("hardswish_", x, hardswish(x)); }

Tensor softplus(const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  return in_opmath(x, [&](const Tensor& v) {
    const Tensor scaled = beta.to_double() == 1.0 ? v : mul(v, beta);
    // The soft branch sees at most the threshold, so that exp cannot overflow there (its
    // gradient would be 0 * inf = NaN where the linear branch is taken).
    const Tensor soft = log1p(exp(clamp_max(scaled, threshold)));
    return where(gt(scaled, threshold), v, beta.to_double() == 1.0 ? soft : div(soft, beta));
  });
}

Tensor softsign(const Tensor& x) {
  return in_opmath(x, [](const Tensor& v) { return div(v, add(abs(v), 1)); });
}

Tensor softshrink(const Tensor& x, const Scalar& lambd) {
  EMBER_CHECK(lambd.to_double() >= 0,
              "[softshrink] lambda must be greater or equal to 0, but found to be ",
              lambd.to_double(), ".");
  return where(gt(x, lambd), sub(x, lambd), where(lt(x, -lambd.to_double()), add(x, lambd), 0.0));
}

Tensor hardshrink(const Tensor& x, const Scalar& lambd) {
  return where(logical_or(gt(x, lambd), lt(x, -lambd.to_double())), x, 0.0);
}

Tensor tanhshrink(const Tensor& x) {
  return in_opmath(x, [](const Tensor& v) { return sub(v, tanh(v)); });
}

Tensor threshold(const Tensor& x, const Scalar& threshold, const Scalar& value) {
  return where(gt(x, threshold), x, value);
}
Tensor& threshold_(Tensor& x, const Scalar& threshold, const Scalar& value) {
  return assign("threshold_", x, ember::threshold(x, threshold, value));
}

Tensor log_sigmoid(const Tensor& x) {
  return in_opmath(x,
                   [](const Tensor& v) { return sub(clamp_max(v, 0), log1p(exp(neg(abs(v))))); });
}

Tensor glu(const Tensor& x, int64_t dim) {
  EMBER_CHECK(x.dim() > 0, "[glu] glu does not support scalars because halving size must be even");
  const int64_t d = wrap_dim(dim, x.dim(), "glu");
  const int64_t size = x.shape()[d];
  EMBER_CHECK(size % 2 == 0, "[glu] Halving dimension must be even, but dimension ", d, " is size ",
              size);
  return in_opmath(x, [&](const Tensor& v) {
    return mul(v.narrow(d, 0, size / 2), sigmoid(v.narrow(d, size / 2, size / 2)));
  });
}

Tensor prelu(const Tensor& x, const Tensor& weight) {
  if (autocast::active()) {
    return autocast::lower_precision({x, weight},
                                     [&](const auto& in) { return prelu(in[0], in[1]); });
  }
  EMBER_CHECK(
      weight.dim() <= 1,
      "[prelu] Expected `weight` to be a scalar or 1D tensor, but got: ndim = ", weight.dim());
  const int64_t channels = x.dim() >= 2 ? x.shape()[1] : 1;
  EMBER_CHECK(
      weight.numel() == 1 || weight.numel() == channels,
      "[prelu] Mismatch of parameter numbers and input channel size. Found parameter numbers = ",
      weight.numel(), " and channel size = ", channels, " (input of shape ", x.shape(), ")");
  // One slope per channel, broadcast over the dims after it.
  Shape slope_shape;
  if (x.dim() >= 2) {
    slope_shape.resize(static_cast<size_t>(x.dim() - 1), 1);
    slope_shape[0] = weight.numel();
  }
  const Tensor slope = weight.reshape(slope_shape);
  return where(gt(x, 0), x, mul(slope, x));
}

Tensor rrelu(const Tensor& x, const Scalar& lower, const Scalar& upper, bool training) {
  EMBER_CHECK(lower.to_double() <= upper.to_double(),
              "[rrelu] Lower bound should be less than or equal to the upper bound; got lower=",
              lower.to_double(), ", upper=", upper.to_double());
  if (!training) return leaky_relu(x, (lower.to_double() + upper.to_double()) / 2);
  Tensor slopes = empty(x.shape(), TensorOptions(x.dtype()).device(x.device()));
  slopes.uniform_(lower.to_double(), upper.to_double());
  return where(ge(x, 0), x, mul(x, slopes));
}
Tensor& rrelu_(Tensor& x, const Scalar& lower, const Scalar& upper, bool training) {
  return assign("rrelu_", x, rrelu(x, lower, upper, training));
}

Tensor Tensor::softmax(int64_t dim, std::optional<ScalarType> dtype) const {
  return ember::softmax(*this, dim, dtype);
}

Tensor Tensor::log_softmax(int64_t dim, std::optional<ScalarType> dtype) const {
  return ember::log_softmax(*this, dim, dtype);
}

}  // namespace ember
