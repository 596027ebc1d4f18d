// The public ops of nn's activation family, with libtorch's names and arguments: softmax,
// log_softmax and softmin along a dim (the fused Softmax primitive); the parameterised
// activations are composites of elementwise ops, so autograd differentiates them for free.
// Implemented in ops/nn_activation.cpp; ember::nn::functional forwards to these.
#pragma once

#include <optional>
#include <string_view>

#include "ember/tensor/tensor.h"

namespace ember {

// dtype: the input is cast to it first (integer inputs need one).
Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
// softmax(-x).
Tensor softmin(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);

// The elementwise activations. The in-place forms (name_) write their result into x and return
// it, as libtorch's.
Tensor relu6(const Tensor& x);
Tensor& relu6_(Tensor& x);
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope = 0.01);
Tensor& leaky_relu_(Tensor& x, const Scalar& negative_slope = 0.01);
// scale * (x > 0 ? x : alpha * (exp(x * input_scale) - 1)).
Tensor elu(const Tensor& x, const Scalar& alpha = 1, const Scalar& scale = 1,
           const Scalar& input_scale = 1);
Tensor& elu_(Tensor& x, const Scalar& alpha = 1, const Scalar& scale = 1,
             const Scalar& input_scale = 1);
Tensor selu(const Tensor& x);
Tensor& selu_(Tensor& x);
Tensor celu(const Tensor& x, const Scalar& alpha = 1.0);
Tensor& celu_(Tensor& x, const Scalar& alpha = 1.0);
// approximate: "none" (the erf form) or "tanh".
Tensor gelu(const Tensor& x, std::string_view approximate = "none");
Tensor silu(const Tensor& x);
Tensor& silu_(Tensor& x);
Tensor mish(const Tensor& x);
Tensor& mish_(Tensor& x);
Tensor hardtanh(const Tensor& x, const Scalar& min_val = -1, const Scalar& max_val = 1);
Tensor& hardtanh_(Tensor& x, const Scalar& min_val = -1, const Scalar& max_val = 1);
Tensor hardsigmoid(const Tensor& x);
Tensor& hardsigmoid_(Tensor& x);
Tensor hardswish(const Tensor& x);
Tensor& hardswish_(Tensor& x);
// log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.
Tensor softplus(const Tensor& x, const Scalar& beta = 1, const Scalar& threshold = 20);
Tensor softsign(const Tensor& x);
Tensor softshrink(const Tensor& x, const Scalar& lambd = 0.5);
Tensor hardshrink(const Tensor& x, const Scalar& lambd = 0.5);
Tensor tanhshrink(const Tensor& x);
// x where x > threshold, else value.
Tensor threshold(const Tensor& x, const Scalar& threshold, const Scalar& value);
Tensor& threshold_(Tensor& x, const Scalar& threshold, const Scalar& value);
Tensor log_sigmoid(const Tensor& x);
// a * sigmoid(b) for the halves a, b of x along dim.
Tensor glu(const Tensor& x, int64_t dim = -1);
// x where x > 0, else weight * x; weight has one element or one per channel (dim 1 of x).
Tensor prelu(const Tensor& x, const Tensor& weight);
// Training: negative x times a slope drawn uniformly from [lower, upper] per element (from the
// global Philox generator); evaluation: the mean slope (lower + upper) / 2.
Tensor rrelu(const Tensor& x, const Scalar& lower = 1.0 / 8.0, const Scalar& upper = 1.0 / 3.0,
             bool training = false);
Tensor& rrelu_(Tensor& x, const Scalar& lower = 1.0 / 8.0, const Scalar& upper = 1.0 / 3.0,
               bool training = false);

}  // namespace ember
