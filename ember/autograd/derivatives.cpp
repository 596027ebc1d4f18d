// EVERY gradient rule (DESIGN §4): one case per primitive, each a few lines of public ops, so
// rules are differentiable themselves (create_graph gives higher-order gradients for free).
// Vocabulary: `grad` is dL/d(output), `x`/`a`/`b` the saved inputs, `out` the saved output.
// The switches have no default: a primitive without a rule, or without an entry of what it
// saves, does not compile (-Wswitch); a rule reads saved values only through saved_for<...>(),
// so reading one its entry does not save does not compile either (Note [gradient rules]).
#include "ember/autograd/derivatives.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

#include "ember/autograd/derivatives_attention.h"
#include "ember/autograd/derivatives_linalg.h"
#include "ember/autograd/derivatives_loss.h"
#include "ember/autograd/derivatives_math.h"
#include "ember/autograd/derivatives_nn.h"
#include "ember/autograd/derivatives_nn_conv.h"
#include "ember/autograd/derivatives_nn_embedding.h"
#include "ember/autograd/derivatives_norm.h"
#include "ember/autograd/derivatives_pool.h"
#include "ember/autograd/derivatives_rnn.h"
#include "ember/autograd/derivatives_scan.h"
#include "ember/autograd/derivatives_scatter.h"
#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_nn.h"
#include "ember/ops/primitives_nn_conv.h"
#include "ember/ops/primitives_nn_interp.h"
#include "ember/ops/primitives_shape.h"
#include "ember/ops/random.h"
#include "ember/ops/shape.h"

namespace ember::autograd {
namespace {

constexpr SaveMask kInput0 = 1, kInput1 = 2, kInputs01 = 3, kInput2 = 4;

// What each rule reads of the forward values (SaveMask): one entry per primitive kind, or per op
// for the kinds with one rule per op. Only read values are saved, so memory follows the rules.
constexpr SaveMask saves(UnaryOp op) {
  switch (op) {
    case UnaryOp::Abs:
    case UnaryOp::Log:
    case UnaryOp::Log1p:
    case UnaryOp::Sin:
    case UnaryOp::Cos:
    case UnaryOp::Erf:
    case UnaryOp::Square:
    case UnaryOp::Asin:
    case UnaryOp::Acos:
    case UnaryOp::Atan:
    case UnaryOp::Sinh:
    case UnaryOp::Cosh:
    case UnaryOp::Asinh:
    case UnaryOp::Acosh:
    case UnaryOp::Atanh:
    case UnaryOp::Log2:
    case UnaryOp::Log10:
    case UnaryOp::Erfc:
    case UnaryOp::Lgamma:
    case UnaryOp::Digamma:
    case UnaryOp::Sinc:
      return kInput0;
    case UnaryOp::Tan:
    case UnaryOp::Exp2:
    case UnaryOp::Erfinv:
    case UnaryOp::Exp:
    case UnaryOp::Expm1:
    case UnaryOp::Sqrt:
    case UnaryOp::Rsqrt:
    case UnaryOp::Tanh:
    case UnaryOp::Sigmoid:
    case UnaryOp::Relu:
    case UnaryOp::Reciprocal:
      return kSaveOutputs;
    case UnaryOp::Neg:
    case UnaryOp::Sign:
    case UnaryOp::Floor:
    case UnaryOp::Ceil:
    case UnaryOp::Round:
    case UnaryOp::Trunc:
    case UnaryOp::BitwiseNot:
      return 0;
  }
  return 0;
}

constexpr SaveMask saves(BinaryOp op) {
  switch (op) {
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Remainder:
    case BinaryOp::Pow:
    case BinaryOp::Maximum:
    case BinaryOp::Minimum:
    case BinaryOp::Atan2:
    case BinaryOp::Copysign:
    case BinaryOp::Fmod:
    case BinaryOp::Xlogy:
    case BinaryOp::Polygamma:
    case BinaryOp::ModifiedBesselI:
      return kInputs01;
    case BinaryOp::Hypot:
    case BinaryOp::Logaddexp:
    case BinaryOp::Logaddexp2:
      return kInputs01 | kSaveOutputs;
    case BinaryOp::Heaviside:
      return kInput0;
    case BinaryOp::Gcd:
    case BinaryOp::Lcm:
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::FloorDivide:
    case BinaryOp::DivTrunc:
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge:
    case BinaryOp::LogicalAnd:
    case BinaryOp::LogicalOr:
    case BinaryOp::LogicalXor:
    case BinaryOp::BitwiseAnd:
    case BinaryOp::BitwiseOr:
    case BinaryOp::BitwiseXor:
    case BinaryOp::BitwiseLeftShift:
    case BinaryOp::BitwiseRightShift:
      return 0;
  }
  return 0;
}

constexpr SaveMask saves(ReduceOp op) {
  switch (op) {
    case ReduceOp::SumSquares:
      return kInput0;
    case ReduceOp::Prod:
    case ReduceOp::Amax:
    case ReduceOp::Amin:
      return kInput0 | kSaveOutputs;
    case ReduceOp::Sum:
    case ReduceOp::All:
    case ReduceOp::Any:
      return 0;
  }
  return 0;
}

constexpr SaveMask saves(ScanOp op) {
  switch (op) {
    case ScanOp::Prod:
    case ScanOp::LogSumExp:
      return kInput0 | kSaveOutputs;
    case ScanOp::Max:
    case ScanOp::Min:
      return kSaveOutputs;
    case ScanOp::Sum:
      return 0;
  }
  return 0;
}

// Unary, Binary, Reduce and Scan save per op (above); 0 here makes any read under their kind fail.
constexpr SaveMask saves(PrimitiveKind kind) {
  switch (kind) {
    case PrimitiveKind::ArgReduce:
    case PrimitiveKind::Sort:
    case PrimitiveKind::Topk:
    case PrimitiveKind::Mode:
    case PrimitiveKind::Softmax:
      return kSaveOutputs;
    case PrimitiveKind::Where:
      return kInput0;
    case PrimitiveKind::Matmul:
      return kInputs01;
    case PrimitiveKind::Index:
    case PrimitiveKind::IndexPut:
    case PrimitiveKind::Gather:
    case PrimitiveKind::Scatter:
      return kInput1;
    case PrimitiveKind::ScatterReduce:
      return kInputs01 | kInput2 | kSaveOutputs;
    case PrimitiveKind::LayerNorm:
      return kInputs01 | kSaveOutputs;
    case PrimitiveKind::LayerNormBackward:
      return 0;
    case PrimitiveKind::Convolution:
      return kInputs01;
    case PrimitiveKind::Pool:  // Max: the indices (output 1)
      return kSaveOutputs;
    case PrimitiveKind::AvgPoolBackward:
    case PrimitiveKind::Upsample:
      return 0;
    case PrimitiveKind::Embedding:
    case PrimitiveKind::EmbeddingBackward:
      return kInput1;
    case PrimitiveKind::NllLoss:  // target, weight; total_weight (output 1)
      return kInput1 | kInput2 | kSaveOutputs;
    case PrimitiveKind::NllLossBackward:  // target, weight
      return kInput1 | kInput2;
    case PrimitiveKind::CrossEntropy:  // logits, target, weight; logsumexp and total_weight
      return kInput0 | kInput1 | kInput2 | kSaveOutputs;
    case PrimitiveKind::CrossEntropyBackward:  // all but logsumexp (input 4)
      return kInputs01 | kInput2 | SaveMask{1} << 3 | SaveMask{1} << 5;
    case PrimitiveKind::BinaryCrossEntropy:
      return kInputs01;
    case PrimitiveKind::BatchNorm:
    case PrimitiveKind::GroupNorm:
      return kInputs01 | kSaveOutputs;
    case PrimitiveKind::BatchNormBackward:
    case PrimitiveKind::GroupNormBackward:
      return 0;
    case PrimitiveKind::ScaledDotProductAttention:  // q, k, v, mask; out and lse
      return kInputs01 | kInput2 | SaveMask{1} << 3 | kSaveOutputs;
    case PrimitiveKind::ScaledDotProductAttentionBackward:
      return 0;
    case PrimitiveKind::RnnLayer:  // every input (the composite recomputes) and the workspace
      return SaveMask{0x7F} | kSaveOutputs;
    case PrimitiveKind::RnnLayerBackward:
      return 0;
    case PrimitiveKind::StandardGamma:  // alpha and the sample
      return kInput0 | kSaveOutputs;
    case PrimitiveKind::StandardGammaGrad:
    case PrimitiveKind::Binomial:
      return 0;
    case PrimitiveKind::Unary:
    case PrimitiveKind::Binary:
    case PrimitiveKind::AddScaled:
    case PrimitiveKind::Reduce:
    case PrimitiveKind::Copy:
    case PrimitiveKind::View:
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
    case PrimitiveKind::Cat:
    case PrimitiveKind::Scan:
    case PrimitiveKind::SearchSorted:
    case PrimitiveKind::Lapack:  // per op: derivatives_linalg.cpp
      return 0;
  }
  return 0;
}

// Of what a rule may read (above), what it reads for the gradients a node computes: `needs`
// bit i says input i needs a gradient. The recorder saves only that, as PyTorch does (a * b
// saves a only if b needs a gradient), so an in-place write into a value that no needed
// gradient reads does not make backward fail. Rules read a value only under the same condition.
SaveMask needed_saves(BinaryOp op, SaveMask needs) {
  const SaveMask grad_a = needs & kInput0, grad_b = needs & kInput1;
  if (op == BinaryOp::Mul) return (grad_b ? kInput0 : 0) | (grad_a ? kInput1 : 0);
  if (op == BinaryOp::Div) return kInput1 | (grad_b ? kInput0 : 0);
  if (op == BinaryOp::Remainder || op == BinaryOp::Fmod) return grad_b ? kInputs01 : 0;
  if (op == BinaryOp::Heaviside) return grad_b ? kInput0 : 0;
  return saves(op);
}

// The saved values the rule under case labels `keys` may read: what every one of them saves.
// `actual` is the value switched on; checking it against the labels keeps a rule from naming
// another rule's entry.
template <auto... keys, typename Key>
Saved<(saves(keys) & ...)> saved_for(const BackwardContext& c, Key actual) {
  EMBER_CHECK(((actual == keys) || ...),
              "[backward] internal error: a gradient rule names another rule's saved values");
  return Saved<(saves(keys) & ...)>(c);
}

}  // namespace

Tensor sum_to(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  const int64_t lead = grad.dim() - static_cast<int64_t>(shape.size());
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < grad.dim(); ++d) {
    if (d < lead || (shape[d - lead] == 1 && grad.size(d) != 1)) dims.push_back(d);
  }
  Tensor summed = dims.empty() ? grad : sum(grad, dims, /*keepdim=*/true);
  return summed.reshape(shape);
}

namespace {

Tensor zeros_for(const Tensor& like, const Shape& shape) {
  return zeros(shape, TensorOptions(like.dtype()).device(like.device()));
}

Tensor prod_over(Tensor t, const std::vector<int64_t>& dims) {
  for (int64_t d : dims) t = prod(t, d, /*keepdim=*/true);
  return t;
}

// A mask over `dim` of a tensor of `shape` that is true at position `index`.
Tensor one_hot_along(const Shape& shape, int64_t dim, const Tensor& index) {
  Shape positions_shape(shape.size(), 1);
  positions_shape[dim] = shape[dim];
  Tensor positions = arange(shape[dim]).reshape(positions_shape);
  return eq(positions, index);
}

TensorList unary_vjp(UnaryOp op, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  switch (op) {
    case UnaryOp::Neg:
      return {neg(grad)};
    case UnaryOp::Abs:
      return {grad * sign(saved_for<UnaryOp::Abs>(c, op).input<0>())};
    case UnaryOp::Sign:
    case UnaryOp::Floor:
    case UnaryOp::Ceil:
    case UnaryOp::Round:
    case UnaryOp::Trunc:
      return {zeros_like(grad)};
    case UnaryOp::Exp:
      return {grad * saved_for<UnaryOp::Exp>(c, op).output()};
    case UnaryOp::Log:
      return {grad / saved_for<UnaryOp::Log>(c, op).input<0>()};
    case UnaryOp::Log1p:
      return {grad / (saved_for<UnaryOp::Log1p>(c, op).input<0>() + 1)};
    case UnaryOp::Expm1:
      return {grad * (saved_for<UnaryOp::Expm1>(c, op).output() + 1)};
    case UnaryOp::Sqrt:
      return {grad / (2 * saved_for<UnaryOp::Sqrt>(c, op).output())};
    case UnaryOp::Rsqrt: {
      const Tensor& out = saved_for<UnaryOp::Rsqrt>(c, op).output();
      return {grad * (-0.5) * out * out * out};
    }
    case UnaryOp::Sin:
      return {grad * cos(saved_for<UnaryOp::Sin>(c, op).input<0>())};
    case UnaryOp::Cos:
      return {neg(grad) * sin(saved_for<UnaryOp::Cos>(c, op).input<0>())};
    case UnaryOp::Tanh: {
      const Tensor& out = saved_for<UnaryOp::Tanh>(c, op).output();
      return {grad * (1 - out * out)};
    }
    case UnaryOp::Sigmoid: {
      const Tensor& out = saved_for<UnaryOp::Sigmoid>(c, op).output();
      return {grad * out * (1 - out)};
    }
    case UnaryOp::Relu: {
      // PyTorch's threshold_backward: NaN passes the gradient. Under create_graph the zeros
      // come from `out` (which is 0 there) so that the result keeps a graph through `out`
      // even when `grad` has none (double backward through relu); their gradient is 0.
      const Tensor& out = saved_for<UnaryOp::Relu>(c, op).output();
      if (is_grad_enabled() && out.requires_grad()) return {where(le(out, 0), out * 0, grad)};
      return {where(le(out, 0), 0, grad)};
    }
    case UnaryOp::Erf: {
      const Tensor& x = saved_for<UnaryOp::Erf>(c, op).input<0>();
      return {grad * (2.0 / std::sqrt(std::numbers::pi)) * exp(neg(x * x))};
    }
    case UnaryOp::Reciprocal: {
      const Tensor& out = saved_for<UnaryOp::Reciprocal>(c, op).output();
      return {neg(grad) * out * out};
    }
    case UnaryOp::Square:
      return {grad * 2 * saved_for<UnaryOp::Square>(c, op).input<0>()};
    case UnaryOp::BitwiseNot:
      break;  // integer and bool inputs never require grad (is_differentiable)
    case UnaryOp::Tan: {
      const Tensor& out = saved_for<UnaryOp::Tan>(c, op).output();
      return {grad * (out * out + 1)};
    }
    case UnaryOp::Asin: {
      const Tensor& x = saved_for<UnaryOp::Asin>(c, op).input<0>();
      return {grad * rsqrt(1 - x * x)};
    }
    case UnaryOp::Acos: {
      const Tensor& x = saved_for<UnaryOp::Acos>(c, op).input<0>();
      return {neg(grad) * rsqrt(1 - x * x)};
    }
    case UnaryOp::Atan: {
      const Tensor& x = saved_for<UnaryOp::Atan>(c, op).input<0>();
      return {grad / (x * x + 1)};
    }
    case UnaryOp::Sinh:
      return {grad * cosh(saved_for<UnaryOp::Sinh>(c, op).input<0>())};
    case UnaryOp::Cosh:
      return {grad * sinh(saved_for<UnaryOp::Cosh>(c, op).input<0>())};
    case UnaryOp::Asinh: {
      const Tensor& x = saved_for<UnaryOp::Asinh>(c, op).input<0>();
      return {grad * rsqrt(x * x + 1)};
    }
    case UnaryOp::Acosh: {
      const Tensor& x = saved_for<UnaryOp::Acosh>(c, op).input<0>();
      return {grad * rsqrt(x * x - 1)};
    }
    case UnaryOp::Atanh: {
      const Tensor& x = saved_for<UnaryOp::Atanh>(c, op).input<0>();
      return {grad / (1 - x * x)};
    }
    case UnaryOp::Log2:
      return {grad / (saved_for<UnaryOp::Log2>(c, op).input<0>() * std::numbers::ln2)};
    case UnaryOp::Log10:
      return {grad / (saved_for<UnaryOp::Log10>(c, op).input<0>() * std::numbers::ln10)};
    case UnaryOp::Exp2:
      return {grad * saved_for<UnaryOp::Exp2>(c, op).output() * std::numbers::ln2};
    case UnaryOp::Erfc: {
      const Tensor& x = saved_for<UnaryOp::Erfc>(c, op).input<0>();
      return {grad * (-2.0 / std::sqrt(std::numbers::pi)) * exp(neg(x * x))};
    }
    case UnaryOp::Erfinv: {
      const Tensor& out = saved_for<UnaryOp::Erfinv>(c, op).output();
      return {grad * (std::sqrt(std::numbers::pi) / 2) * exp(out * out)};
    }
    case UnaryOp::Lgamma:
      return {grad * digamma(saved_for<UnaryOp::Lgamma>(c, op).input<0>())};
    case UnaryOp::Digamma:
      return {grad * polygamma(1, saved_for<UnaryOp::Digamma>(c, op).input<0>())};
    case UnaryOp::Sinc:
      return {sinc_backward(grad, saved_for<UnaryOp::Sinc>(c, op).input<0>())};
  }
  return {};
}

TensorList binary_vjp(BinaryOp op, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  Tensor grad_a, grad_b;
  switch (op) {
    case BinaryOp::Add:
      grad_a = grad;
      grad_b = grad;
      break;
    case BinaryOp::Sub:
      grad_a = grad;
      grad_b = neg(grad);
      break;
    case BinaryOp::Mul: {
      const auto saved = saved_for<BinaryOp::Mul>(c, op);
      if (c.needs_input_grad[0]) grad_a = grad * saved.input<1>();
      if (c.needs_input_grad[1]) grad_b = grad * saved.input<0>();
      break;
    }
    case BinaryOp::Div: {
      const auto saved = saved_for<BinaryOp::Div>(c, op);
      const Tensor& a = saved.input<0>();
      const Tensor& b = saved.input<1>();
      if (c.needs_input_grad[0]) grad_a = grad / b;
      if (c.needs_input_grad[1]) grad_b = neg(grad) * a / (b * b);
      break;
    }
    case BinaryOp::FloorDivide:
    case BinaryOp::DivTrunc:
      grad_a = zeros_like(grad);
      grad_b = zeros_like(grad);
      break;
    case BinaryOp::Remainder: {
      const auto saved = saved_for<BinaryOp::Remainder>(c, op);
      grad_a = grad;
      if (c.needs_input_grad[1]) {
        grad_b = neg(grad) * floor_divide(saved.input<0>(), saved.input<1>());
      }
      break;
    }
    case BinaryOp::Pow: {
      const auto saved = saved_for<BinaryOp::Pow>(c, op);
      const Tensor& a = saved.input<0>();
      const Tensor& b = saved.input<1>();
      // d/da a^b = b a^(b-1) (0 where b == 0); d/db a^b = a^b ln a (0 where a == 0 and b >= 0).
      if (c.needs_input_grad[0]) grad_a = where(eq(b, 0), 0, grad * b * pow(a, b - 1));
      if (c.needs_input_grad[1]) {
        grad_b = where(logical_and(eq(a, 0), ge(b, 0)), 0, grad * pow(a, b) * log(a));
      }
      break;
    }
    case BinaryOp::Maximum:
    case BinaryOp::Minimum: {
      const auto saved = saved_for<BinaryOp::Maximum, BinaryOp::Minimum>(c, op);
      const Tensor& a = saved.input<0>();
      const Tensor& b = saved.input<1>();
      // Ties split the gradient evenly, as in PyTorch.
      const Tensor a_wins = op == BinaryOp::Maximum ? gt(a, b) : lt(a, b);
      const Tensor tie = eq(a, b);
      const Tensor half = grad / 2;
      grad_a = where(a_wins, grad, where(tie, half, 0));
      grad_b = where(a_wins, 0, where(tie, half, grad));
      break;
    }
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge:
    case BinaryOp::LogicalAnd:
    case BinaryOp::LogicalOr:
    case BinaryOp::LogicalXor:
    case BinaryOp::BitwiseAnd:
    case BinaryOp::BitwiseOr:
    case BinaryOp::BitwiseXor:
    case BinaryOp::BitwiseLeftShift:
    case BinaryOp::BitwiseRightShift:
    case BinaryOp::Gcd:
    case BinaryOp::Lcm:
      break;
    case BinaryOp::Atan2: {
      const auto saved = saved_for<BinaryOp::Atan2>(c, op);
      const Tensor& a = saved.input<0>();
      const Tensor& b = saved.input<1>();
      const Tensor scale = grad / (a * a + b * b);
      if (c.needs_input_grad[0]) grad_a = scale * b;
      if (c.needs_input_grad[1]) grad_b = neg(scale) * a;
      break;
    }
    case BinaryOp::Hypot:
    case BinaryOp::Logaddexp:
    case BinaryOp::Logaddexp2: {
      const auto saved =
          saved_for<BinaryOp::Hypot, BinaryOp::Logaddexp, BinaryOp::Logaddexp2>(c, op);
      std::tie(grad_a, grad_b) = smooth_max_backward(op, grad, saved.input<0>(), saved.input<1>(),
                                                     saved.output(), c.needs_input_grad);
      break;
    }
    case BinaryOp::Copysign: {
      const auto saved = saved_for<BinaryOp::Copysign>(c, op);
      if (c.needs_input_grad[0])
        grad_a = copysign_backward(grad, saved.input<0>(), saved.input<1>());
      if (c.needs_input_grad[1]) grad_b = zeros_like(grad);
      break;
    }
    case BinaryOp::Fmod: {
      const auto saved = saved_for<BinaryOp::Fmod>(c, op);
      grad_a = grad;
      if (c.needs_input_grad[1]) {
        grad_b = neg(grad) * trunc(saved.input<0>() / saved.input<1>());
      }
      break;
    }
    case BinaryOp::Xlogy: {
      const auto saved = saved_for<BinaryOp::Xlogy>(c, op);
      std::tie(grad_a, grad_b) =
          xlogy_backward(grad, saved.input<0>(), saved.input<1>(), c.needs_input_grad);
      break;
    }
    case BinaryOp::Heaviside:
      // Piecewise constant in input; values passes through where input is 0.
      grad_a = zeros_like(grad);
      if (c.needs_input_grad[1])
        grad_b = where(eq(saved_for<BinaryOp::Heaviside>(c, op).input<0>(), 0), grad, 0);
      break;
    case BinaryOp::Polygamma:
    case BinaryOp::ModifiedBesselI: {
      // The order (input 1) is a 0-d constant; only the argument has a gradient.
      const auto saved = saved_for<BinaryOp::Polygamma, BinaryOp::ModifiedBesselI>(c, op);
      grad_a = order_backward(op, grad, saved.input<0>(), saved.input<1>());
      break;
    }
  }
  TensorList grads(2);
  if (c.needs_input_grad[0] && grad_a.defined()) grads[0] = sum_to(grad_a, c.input_shapes[0]);
  if (c.needs_input_grad[1] && grad_b.defined()) grads[1] = sum_to(grad_b, c.input_shapes[1]);
  return grads;
}

// The dims a keepdim-shaped reduction output folded: size 1 there, larger in the input.
std::vector<int64_t> reduced_dims(const Shape& output, const Shape& input) {
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < static_cast<int64_t>(input.size()); ++d) {
    if (output[d] == 1 && input[d] != 1) dims.push_back(d);
  }
  return dims;
}

TensorList reduce_vjp(const Reduce& reduce, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];  // keepdim-shaped, like the output
  const Shape& shape = c.input_shapes[0];
  switch (reduce.op()) {
    case ReduceOp::Sum:
      return {grad.expand(shape)};
    case ReduceOp::Prod: {
      const auto saved = saved_for<ReduceOp::Prod>(c, reduce.op());
      const Tensor& x = saved.input<0>();
      const Tensor& out = saved.output();
      // d out / d x_i is the product of the other elements: out / x_i where x_i != 0 (which
      // stays differentiable w.r.t. a zero elsewhere), and for the zero element the product of
      // the non-zero ones when it is the only zero, else 0. With two or more zeros the second
      // derivative is not exact (PyTorch uses exclusive cumulative products there).
      const Tensor is_zero = eq(x, 0);
      const std::vector<int64_t> dims = reduced_dims(out.shape(), shape);
      if (dims.empty()) return {grad.expand(shape).clone()};
      const Tensor zeros_count = sum(is_zero, dims, true);
      const Tensor product_of_nonzero = prod_over(where(is_zero, 1, x), dims);
      const Tensor others = where(is_zero, where(eq(zeros_count, 1), product_of_nonzero, 0),
                                  out / where(is_zero, 1, x));
      return {grad * others};
    }
    case ReduceOp::Amax:
    case ReduceOp::Amin: {
      const auto saved = saved_for<ReduceOp::Amax, ReduceOp::Amin>(c, reduce.op());
      const Tensor& x = saved.input<0>();
      const Tensor& out = saved.output();
      const Tensor hits = eq(x, out);
      const std::vector<int64_t> dims = reduced_dims(out.shape(), shape);
      const Tensor count = dims.empty() ? ones_like(out) : sum(hits, dims, true).to(grad.dtype());
      return {where(hits, grad / count, 0)};
    }
    case ReduceOp::All:
    case ReduceOp::Any:
      return {Tensor()};
    case ReduceOp::SumSquares:
      return {grad * saved_for<ReduceOp::SumSquares>(c, reduce.op()).input<0>() * 2};
  }
  return {};
}

TensorList scan_vjp(const Scan& scan, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  const int64_t dim = scan.dim();
  switch (scan.op()) {
    case ScanOp::Sum:
      return {cumsum_backward(grad, dim)};
    case ScanOp::Prod: {
      const auto saved = saved_for<ScanOp::Prod>(c, scan.op());
      return {cumprod_backward(grad, dim, saved.input<0>(), saved.output())};
    }
    case ScanOp::LogSumExp: {
      const auto saved = saved_for<ScanOp::LogSumExp>(c, scan.op());
      return {logcumsumexp_backward(grad, dim, saved.input<0>(), saved.output())};
    }
    case ScanOp::Max:
    case ScanOp::Min: {
      const auto saved = saved_for<ScanOp::Max, ScanOp::Min>(c, scan.op());
      return {scatter_along(grad, dim, saved.output<1>(), c.input_shapes[0])};
    }
  }
  return {};
}

}  // namespace

namespace {

// Whether two elements of a (shape, strides) geometry share a memory slot.
bool overlaps(const Shape& shape, const Strides& strides) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size) of dims with size > 1
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return false;
    if (shape[d] > 1) dims.emplace_back(strides[d], shape[d]);
  }
  std::sort(dims.begin(), dims.end());
  int64_t span = 0;  // the largest offset the smaller-stride dims reach
  for (const auto& [stride, size] : dims) {
    if (stride <= span) return true;
    span += (size - 1) * stride;
  }
  return false;
}

TensorList view_vjp(const View& view, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  const Shape& shape = c.input_shapes[0];
  switch (view.view_kind()) {
    case View::Kind::Reshape:
      return {grad.reshape(shape)};
    case View::Kind::Permute: {
      std::vector<int64_t> inverse(view.dims().size());
      for (size_t i = 0; i < inverse.size(); ++i) inverse[view.dims()[i]] = static_cast<int64_t>(i);
      return {grad.permute(inverse)};
    }
    case View::Kind::Expand:
      return {sum_to(grad, shape)};
    case View::Kind::Select: {
      const Tensor index = scalar_tensor(view.start(), kInt64);
      return {where(one_hot_along(shape, view.dim(), index),
                    grad.unsqueeze(view.dim()).expand(shape), 0)};
    }
    case View::Kind::Slice: {
      const int64_t count = grad.size(view.dim());
      Tensor positions = arange(view.start(), view.start() + count * view.step(), view.step());
      std::vector<std::optional<Tensor>> indices(static_cast<size_t>(view.dim()) + 1);
      indices.back() = positions;
      Tensor result = zeros_for(grad, shape);
      index_put_(result, indices, grad, /*accumulate=*/false);
      return {result};
    }
    case View::Kind::Split: {
      // One join of every piece's gradient (undefined ones arrive as zeros).
      const int64_t dim = view.dim();
      TensorList pieces(c.grads.begin(), c.grads.end());
      if (!view.keep_dim()) {
        for (Tensor& piece : pieces) piece = piece.unsqueeze(dim);
      }
      const std::vector<int64_t>& starts = view.starts();
      const std::vector<int64_t>& lengths = view.lengths();
      bool tiles = true;  // the pieces cover the dim in order, without overlap
      for (size_t i = 0, next = 0; i < starts.size(); next += lengths[i], ++i) {
        tiles &= starts[i] == static_cast<int64_t>(next);
        if (i + 1 == starts.size()) tiles &= static_cast<int64_t>(next) + lengths[i] == shape[dim];
      }
      const Tensor joined = cat(pieces, dim);
      if (tiles) return {joined};
      // tensor_split with decreasing indices: pieces may overlap; their gradients add up.
      TensorList positions;
      for (size_t i = 0; i < starts.size(); ++i) {
        positions.push_back(arange(starts[i], starts[i] + lengths[i]));
      }
      std::vector<std::optional<Tensor>> indices(static_cast<size_t>(dim) + 1);
      indices.back() = cat(positions);
      Tensor result = zeros_for(grad, shape);
      index_put_(result, indices, joined, /*accumulate=*/true);
      return {result};
    }
    case View::Kind::AsStrided: {
      // Scatter into a buffer laid out like the storage both geometries index, then read the
      // input's own geometry back out of it.
      const Strides& input_strides = view.input_strides();
      const int64_t base = std::min(view.offset(), view.input_offset());
      int64_t extent = 1;
      auto grow = [&](const Shape& sizes, const Strides& strides, int64_t offset) {
        int64_t last = offset - base;
        for (size_t d = 0; d < sizes.size(); ++d) {
          if (sizes[d] == 0) return;
          last += (sizes[d] - 1) * strides[d];
        }
        extent = std::max(extent, last + 1);
      };
      grow(grad.shape(), view.strides(), view.offset());
      grow(shape, input_strides, view.input_offset());
      Tensor positions =
          arange(extent).as_strided(grad.shape(), view.strides(), view.offset() - base);
      Tensor buffer = zeros_for(grad, {extent});
      index_put_(buffer, {positions.reshape({-1})}, grad.reshape({-1}), /*accumulate=*/true);
      const int64_t input_offset = view.input_offset() - base;
      if (!overlaps(shape, input_strides)) {
        return {buffer.as_strided(shape, input_strides, input_offset)};
      }
      // Several input elements share a slot (an expanded input): each gets an equal share,
      // so that the input's own rule (Expand: a sum) adds the slot's gradient up only once.
      Tensor count = zeros_for(grad, {extent});
      const Tensor input_positions = arange(extent).as_strided(shape, input_strides, input_offset);
      index_put_(count, {input_positions.reshape({-1})}, ones({numel_of(shape)}, grad.dtype()),
                 /*accumulate=*/true);
      return {buffer.as_strided(shape, input_strides, input_offset) /
              count.as_strided(shape, input_strides, input_offset)};
    }
  }
  return {};
}

}  // namespace

bool is_differentiable(const Primitive& primitive) {
  switch (primitive.kind()) {
    case PrimitiveKind::Unary:
      return static_cast<const UnaryPrimitive&>(primitive).op() != UnaryOp::BitwiseNot;
    case PrimitiveKind::AddScaled:
    case PrimitiveKind::Where:
    case PrimitiveKind::Copy:
    case PrimitiveKind::Matmul:
    case PrimitiveKind::ArgReduce:
    case PrimitiveKind::Index:
    case PrimitiveKind::IndexPut:
    case PrimitiveKind::View:
    case PrimitiveKind::Cat:
    case PrimitiveKind::Scan:
    case PrimitiveKind::Sort:
    case PrimitiveKind::Topk:
    case PrimitiveKind::Mode:
    case PrimitiveKind::Gather:
    case PrimitiveKind::Scatter:
    case PrimitiveKind::ScatterReduce:
    case PrimitiveKind::Softmax:
    case PrimitiveKind::LayerNorm:
    case PrimitiveKind::Convolution:
    case PrimitiveKind::Pool:
    case PrimitiveKind::AvgPoolBackward:
      return true;
    case PrimitiveKind::Upsample:
    case PrimitiveKind::Embedding:
    case PrimitiveKind::EmbeddingBackward:
      return true;
    case PrimitiveKind::NllLoss:
    case PrimitiveKind::NllLossBackward:
    case PrimitiveKind::CrossEntropy:
    case PrimitiveKind::CrossEntropyBackward:
    case PrimitiveKind::BinaryCrossEntropy:
      return true;
    case PrimitiveKind::BatchNorm:
    case PrimitiveKind::GroupNorm:
      return true;
    case PrimitiveKind::BatchNormBackward:
    case PrimitiveKind::GroupNormBackward:
      return false;
    case PrimitiveKind::ScaledDotProductAttention:
      return true;
    case PrimitiveKind::ScaledDotProductAttentionBackward:
      return false;
    case PrimitiveKind::RnnLayer:
      return true;
    case PrimitiveKind::RnnLayerBackward:
      return false;
    case PrimitiveKind::StandardGamma:
      return true;
    case PrimitiveKind::StandardGammaGrad:
    case PrimitiveKind::Binomial:
      return false;
    case PrimitiveKind::Binary:
      return is_differentiable(type_rule(static_cast<const BinaryPrimitive&>(primitive).op()));
    case PrimitiveKind::Reduce: {
      const ReduceOp op = static_cast<const Reduce&>(primitive).op();
      return op != ReduceOp::All && op != ReduceOp::Any;
    }
    case PrimitiveKind::Lapack:
      return lapack_is_differentiable(static_cast<const Lapack&>(primitive));
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
    case PrimitiveKind::SearchSorted:
    case PrimitiveKind::LayerNormBackward:
      return false;
  }
  return false;
}

SaveMask saved_for_backward(const Primitive& primitive, SaveMask needs) {
  switch (primitive.kind()) {
    case PrimitiveKind::Unary:
      return saves(static_cast<const UnaryPrimitive&>(primitive).op());
    case PrimitiveKind::Binary: {
      const BinaryOp op = static_cast<const BinaryPrimitive&>(primitive).op();
      return saves(op) & needed_saves(op, needs);
    }
    case PrimitiveKind::Matmul:
    case PrimitiveKind::Convolution:
      return saves(primitive.kind()) &
             (((needs & kInput1) ? kInput0 : 0) | ((needs & kInput0) ? kInput1 : 0));
    case PrimitiveKind::Reduce:
      return saves(static_cast<const Reduce&>(primitive).op());
    case PrimitiveKind::Scan:
      return saves(static_cast<const Scan&>(primitive).op());
    case PrimitiveKind::Lapack:
      return lapack_saves(static_cast<const Lapack&>(primitive));
    case PrimitiveKind::AddScaled:
    case PrimitiveKind::ArgReduce:
    case PrimitiveKind::Where:
    case PrimitiveKind::Index:
    case PrimitiveKind::IndexPut:
    case PrimitiveKind::Gather:
    case PrimitiveKind::Scatter:
    case PrimitiveKind::ScatterReduce:
    case PrimitiveKind::Copy:
    case PrimitiveKind::View:
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
    case PrimitiveKind::Cat:
    case PrimitiveKind::Sort:
    case PrimitiveKind::Topk:
    case PrimitiveKind::Mode:
    case PrimitiveKind::SearchSorted:
    case PrimitiveKind::Softmax:
    case PrimitiveKind::LayerNorm:
    case PrimitiveKind::LayerNormBackward:
    case PrimitiveKind::AvgPoolBackward:
    case PrimitiveKind::Upsample:
    case PrimitiveKind::Embedding:
    case PrimitiveKind::EmbeddingBackward:
      return saves(primitive.kind());
    case PrimitiveKind::NllLoss:
    case PrimitiveKind::NllLossBackward:
    case PrimitiveKind::CrossEntropy:
    case PrimitiveKind::CrossEntropyBackward:
    case PrimitiveKind::BinaryCrossEntropy:
    case PrimitiveKind::BatchNorm:
    case PrimitiveKind::BatchNormBackward:
    case PrimitiveKind::GroupNorm:
    case PrimitiveKind::GroupNormBackward:
    case PrimitiveKind::RnnLayer:
    case PrimitiveKind::RnnLayerBackward:
    case PrimitiveKind::ScaledDotProductAttention:
    case PrimitiveKind::ScaledDotProductAttentionBackward:
      return saves(primitive.kind());
    case PrimitiveKind::StandardGamma:
    case PrimitiveKind::StandardGammaGrad:
    case PrimitiveKind::Binomial:
      return saves(primitive.kind());
    case PrimitiveKind::Pool:
      return static_cast<const Pool&>(primitive).mode() == PoolMode::Max ? saves(primitive.kind())
                                                                         : 0;
  }
  return 0;
}

bool reads_output(const Primitive& primitive) {
  if (primitive.kind() == PrimitiveKind::IndexPut || primitive.kind() == PrimitiveKind::Scatter) {
    return true;
  }
  return primitive.kind() == PrimitiveKind::Matmul &&
         static_cast<const Matmul&>(primitive).beta() != 0.0;
}

TensorList vjp(const Primitive& primitive, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  switch (primitive.kind()) {
    case PrimitiveKind::Unary:
      return unary_vjp(static_cast<const UnaryPrimitive&>(primitive).op(), c);
    case PrimitiveKind::Binary:
      return binary_vjp(static_cast<const BinaryPrimitive&>(primitive).op(), c);
    case PrimitiveKind::Reduce:
      return reduce_vjp(static_cast<const Reduce&>(primitive), c);
    case PrimitiveKind::AddScaled: {
      const double alpha = static_cast<const AddScaled&>(primitive).alpha();
      TensorList grads(2);
      if (c.needs_input_grad[0]) grads[0] = sum_to(grad, c.input_shapes[0]);
      if (c.needs_input_grad[1]) grads[1] = sum_to(grad * alpha, c.input_shapes[1]);
      return grads;
    }
    case PrimitiveKind::ArgReduce: {
      const auto& arg = static_cast<const ArgReduce&>(primitive);
      const Tensor& indices = saved_for<PrimitiveKind::ArgReduce>(c, primitive.kind()).output<1>();
      return {where(one_hot_along(c.input_shapes[0], arg.dim(), indices), grad, 0)};
    }
    case PrimitiveKind::Where: {
      const Tensor& condition = saved_for<PrimitiveKind::Where>(c, primitive.kind()).input<0>();
      TensorList grads(3);
      if (c.needs_input_grad[1]) grads[1] = sum_to(where(condition, grad, 0), c.input_shapes[1]);
      if (c.needs_input_grad[2]) grads[2] = sum_to(where(condition, 0, grad), c.input_shapes[2]);
      return grads;
    }
    case PrimitiveKind::Copy:
      // A copy across devices sends the gradient back to the source's device (cross-device
      // autograd: the CPU leaf of `x.cuda()` gets a CPU gradient).
      return {sum_to(grad.to(c.input_devices[0], c.input_dtypes[0]), c.input_shapes[0])};
    case PrimitiveKind::Matmul: {
      const auto& matmul_primitive = static_cast<const Matmul&>(primitive);
      const auto saved = saved_for<PrimitiveKind::Matmul>(c, primitive.kind());
      const Tensor& a = saved.input<0>();
      const Tensor& b = saved.input<1>();
      TensorList grads(c.needs_input_grad.size());
      // alpha scales the incoming gradient once (skipped for the common alpha == 1).
      const double alpha = matmul_primitive.alpha();
      const Tensor scaled = alpha == 1.0 ? grad : grad * alpha;
      if (c.needs_input_grad[0]) grads[0] = matmul(scaled, b.transpose(-1, -2));
      if (c.needs_input_grad[1]) grads[1] = matmul(a.transpose(-1, -2), scaled);
      if (grads.size() > 2 && c.needs_input_grad[2]) grads[2] = grad * matmul_primitive.beta();
      return grads;
    }
    case PrimitiveKind::Index: {
      const auto& index_primitive = static_cast<const Index&>(primitive);
      Tensor result = zeros_for(grad, c.input_shapes[0]);
      if (grad.numel() == 0) return {result, Tensor()};  // an empty selection: zeros
      const Tensor& indices = saved_for<PrimitiveKind::Index>(c, primitive.kind()).input<1>();
      run(IndexPut(index_primitive.layout(), /*accumulate=*/true), {grad, indices}, {result});
      return {result, Tensor()};
    }
    case PrimitiveKind::IndexPut: {
      const auto& put = static_cast<const IndexPut&>(primitive);
      const Tensor& indices = saved_for<PrimitiveKind::IndexPut>(c, primitive.kind()).input<1>();
      TensorList grads(3);
      if (c.needs_input_grad[0]) {
        grads[0] = zeros_for(grad, c.input_shapes[0]);
        run(Index("index", put.layout()), {grad, indices}, {grads[0]});
      }
      if (c.needs_input_grad.size() > 2 && c.needs_input_grad[2]) {
        if (put.accumulate()) {
          grads[2] = grad;
        } else {
          grads[2] = grad.clone();
          run(IndexPut(put.layout(), false), {zeros_for(grad, c.input_shapes[0]), indices},
              {grads[2]});
        }
      }
      return grads;
    }
    case PrimitiveKind::View:
      return view_vjp(static_cast<const View&>(primitive), c);
    case PrimitiveKind::Cat: {
      // Each input's gradient is its slice of the output's.
      const int64_t dim = static_cast<const Cat&>(primitive).dim();
      TensorList grads(c.needs_input_grad.size());
      int64_t start = 0;
      for (size_t i = 0; i < grads.size(); ++i) {
        const int64_t length = c.input_shapes[i][dim];
        if (c.needs_input_grad[i]) grads[i] = grad.narrow(dim, start, length);
        start += length;
      }
      return grads;
    }
    case PrimitiveKind::Scan:
      return scan_vjp(static_cast<const Scan&>(primitive), c);
    case PrimitiveKind::Sort:
    case PrimitiveKind::Topk:
    case PrimitiveKind::Mode: {
      const auto saved = saved_for<PrimitiveKind::Sort, PrimitiveKind::Topk, PrimitiveKind::Mode>(
          c, primitive.kind());
      const int64_t dim =
          primitive.kind() == PrimitiveKind::Sort   ? static_cast<const Sort&>(primitive).dim()
          : primitive.kind() == PrimitiveKind::Topk ? static_cast<const Topk&>(primitive).dim()
                                                    : static_cast<const Mode&>(primitive).dim();
      return {scatter_along(grad, dim, saved.output<1>(), c.input_shapes[0])};
    }
    case PrimitiveKind::Gather: {
      const Tensor& index = saved_for<PrimitiveKind::Gather>(c, primitive.kind()).input<1>();
      return gather_vjp(static_cast<const Gather&>(primitive), grad, index, c.input_shapes[0]);
    }
    case PrimitiveKind::Scatter: {
      const Tensor& index = saved_for<PrimitiveKind::Scatter>(c, primitive.kind()).input<1>();
      return scatter_vjp(static_cast<const Scatter&>(primitive), c, index);
    }
    case PrimitiveKind::ScatterReduce: {
      const auto saved = saved_for<PrimitiveKind::ScatterReduce>(c, primitive.kind());
      return scatter_reduce_vjp(static_cast<const ScatterReduce&>(primitive), c, saved.input<0>(),
                                saved.input<1>(), saved.input<2>(), saved.output<0>());
    }
    case PrimitiveKind::Lapack:
      return lapack_vjp(static_cast<const Lapack&>(primitive), c);
    case PrimitiveKind::Softmax: {
      const Tensor& out = saved_for<PrimitiveKind::Softmax>(c, primitive.kind()).output();
      return {softmax_backward(static_cast<const Softmax&>(primitive), grad, out)};
    }
    case PrimitiveKind::LayerNorm: {
      const auto& layer_norm = static_cast<const LayerNorm&>(primitive);
      const auto saved = saved_for<PrimitiveKind::LayerNorm>(c, primitive.kind());
      return layer_norm_vjp(layer_norm, c, saved.input<0>(),
                            layer_norm.has_weight() ? saved.input<1>() : Tensor(),
                            saved.output<1>(), saved.output<2>());
    }
    case PrimitiveKind::Convolution: {
      const auto saved = saved_for<PrimitiveKind::Convolution>(c, primitive.kind());
      return convolution_vjp(static_cast<const Convolution&>(primitive), c, saved.input<0>(),
                             saved.input<1>());
    }
    case PrimitiveKind::Pool: {
      const auto& pool = static_cast<const Pool&>(primitive);
      const auto saved = saved_for<PrimitiveKind::Pool>(c, primitive.kind());
      return pool_vjp(pool, c, pool.mode() == PoolMode::Max ? saved.output<1>() : Tensor());
    }
    case PrimitiveKind::AvgPoolBackward:
      return avg_pool_backward_vjp(static_cast<const AvgPoolBackward&>(primitive), c);
    case PrimitiveKind::Upsample:  // linear: the gradient is the transposed map
      return {run_upsample(static_cast<const Upsample&>(primitive).transposed(), grad)};
    case PrimitiveKind::Embedding: {
      const Tensor& indices = saved_for<PrimitiveKind::Embedding>(c, primitive.kind()).input<1>();
      return embedding_vjp(static_cast<const Embedding&>(primitive), c, indices);
    }
    case PrimitiveKind::EmbeddingBackward: {
      const auto saved = saved_for<PrimitiveKind::EmbeddingBackward>(c, primitive.kind());
      return embedding_backward_vjp(static_cast<const EmbeddingBackward&>(primitive), c,
                                    saved.input<1>());
    }
    case PrimitiveKind::NllLoss: {
      const auto saved = saved_for<PrimitiveKind::NllLoss>(c, primitive.kind());
      return nll_loss_vjp(static_cast<const NllLoss&>(primitive), c, saved.input<1>(),
                          saved.input<2>(), saved.output<1>());
    }
    case PrimitiveKind::NllLossBackward: {
      const auto saved = saved_for<PrimitiveKind::NllLossBackward>(c, primitive.kind());
      return nll_loss_backward_vjp(static_cast<const NllLossBackward&>(primitive), c,
                                   saved.input<1>(), saved.input<2>());
    }
    case PrimitiveKind::CrossEntropy: {
      const auto saved = saved_for<PrimitiveKind::CrossEntropy>(c, primitive.kind());
      return cross_entropy_vjp(static_cast<const CrossEntropy&>(primitive), c, saved.input<0>(),
                               saved.input<1>(), saved.input<2>(), saved.output<1>(),
                               saved.output<2>());
    }
    case PrimitiveKind::CrossEntropyBackward: {
      const auto saved = saved_for<PrimitiveKind::CrossEntropyBackward>(c, primitive.kind());
      return cross_entropy_backward_vjp(static_cast<const CrossEntropyBackward&>(primitive), c,
                                        saved.input<0>(), saved.input<1>(), saved.input<2>(),
                                        saved.input<3>(), saved.input<5>());
    }
    case PrimitiveKind::BinaryCrossEntropy: {
      const auto saved = saved_for<PrimitiveKind::BinaryCrossEntropy>(c, primitive.kind());
      return binary_cross_entropy_vjp(c, saved.input<0>(), saved.input<1>());
    }
    case PrimitiveKind::BatchNorm: {
      const auto& batch_norm = static_cast<const BatchNorm&>(primitive);
      const auto saved = saved_for<PrimitiveKind::BatchNorm>(c, primitive.kind());
      return batch_norm_vjp(batch_norm, c, saved.input<0>(),
                            batch_norm.has_weight() ? saved.input<1>() : Tensor(),
                            saved.output<1>(), saved.output<2>());
    }
    case PrimitiveKind::GroupNorm: {
      const auto& group_norm = static_cast<const GroupNorm&>(primitive);
      const auto saved = saved_for<PrimitiveKind::GroupNorm>(c, primitive.kind());
      return group_norm_vjp(group_norm, c, saved.input<0>(),
                            group_norm.has_weight() ? saved.input<1>() : Tensor(),
                            saved.output<1>(), saved.output<2>());
    }
    case PrimitiveKind::RnnLayer: {
      const auto saved = saved_for<PrimitiveKind::RnnLayer>(c, primitive.kind());
      const auto& layer = static_cast<const RnnLayer&>(primitive);
      const size_t count = c.needs_input_grad.size();
      const std::vector<Tensor> inputs{saved.input<0>(),
                                       saved.input<1>(),
                                       saved.input<2>(),
                                       count > 3 ? saved.input<3>() : Tensor(),
                                       count > 4 ? saved.input<4>() : Tensor(),
                                       count > 5 ? saved.input<5>() : Tensor(),
                                       count > 6 ? saved.input<6>() : Tensor()};
      // The workspace: output 1 of a cell, 2 of a layer.
      return layer.is_cell() ? rnn_cell_vjp(layer, c, inputs, saved.output<1>())
                             : rnn_layer_vjp(layer, c, inputs, saved.output<2>());
    }
    case PrimitiveKind::BatchNormBackward:
    case PrimitiveKind::GroupNormBackward:
      break;
    case PrimitiveKind::ScaledDotProductAttention: {
      const auto& attention = static_cast<const ScaledDotProductAttention&>(primitive);
      const auto saved = saved_for<PrimitiveKind::ScaledDotProductAttention>(c, primitive.kind());
      return attention_vjp(attention, c, saved.input<0>(), saved.input<1>(), saved.input<2>(),
                           attention.has_mask() ? saved.input<3>() : Tensor(), saved.output<0>(),
                           saved.output<1>());
    }
    case PrimitiveKind::ScaledDotProductAttentionBackward:
    case PrimitiveKind::RnnLayerBackward:
      break;
    case PrimitiveKind::StandardGamma: {
      const auto saved = saved_for<PrimitiveKind::StandardGamma>(c, primitive.kind());
      return {grad * _standard_gamma_grad(saved.input<0>(), saved.output<0>())};
    }
    case PrimitiveKind::StandardGammaGrad:
    case PrimitiveKind::Binomial:
      break;
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
    case PrimitiveKind::SearchSorted:
    case PrimitiveKind::LayerNormBackward:
      break;
  }
  detail::raise<RuntimeError>("[", primitive.name(), "] is not differentiable");
}

}  // namespace ember::autograd
