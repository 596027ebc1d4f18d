// EVERY gradient rule (DESIGN §4): one case per primitive, each a few lines of public ops, so
// rules are differentiable themselves (create_graph gives higher-order gradients for free).
// Vocabulary: `grad` is dL/d(output), `x`/`a`/`b` the saved inputs, `out` the saved output.
// The switches have no default: a primitive without a rule does not compile (-Wswitch).
#include "ember/autograd/derivatives.h"

#include <cmath>
#include <numbers>
#include <string_view>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember::autograd {
namespace {

// Sums a broadcast gradient back to the shape of the input it came from.
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
  const Tensor& x = c.inputs[0];
  const Tensor& out = c.outputs[0];
  switch (op) {
    case UnaryOp::Neg:
      return {neg(grad)};
    case UnaryOp::Abs:
      return {grad * sign(x)};
    case UnaryOp::Sign:
    case UnaryOp::Floor:
    case UnaryOp::Ceil:
    case UnaryOp::Round:
    case UnaryOp::Trunc:
      return {zeros_like(grad)};
    case UnaryOp::Exp:
      return {grad * out};
    case UnaryOp::Log:
      return {grad / x};
    case UnaryOp::Log1p:
      return {grad / (x + 1)};
    case UnaryOp::Expm1:
      return {grad * (out + 1)};
    case UnaryOp::Sqrt:
      return {grad / (2 * out)};
    case UnaryOp::Rsqrt:
      return {grad * (-0.5) * out * out * out};
    case UnaryOp::Sin:
      return {grad * cos(x)};
    case UnaryOp::Cos:
      return {neg(grad) * sin(x)};
    case UnaryOp::Tanh:
      return {grad * (1 - out * out)};
    case UnaryOp::Sigmoid:
      return {grad * out * (1 - out)};
    case UnaryOp::Relu:
      return {where(gt(out, 0), grad, 0)};
    case UnaryOp::Erf:
      return {grad * (2.0 / std::sqrt(std::numbers::pi)) * exp(neg(x * x))};
    case UnaryOp::Reciprocal:
      return {neg(grad) * out * out};
    case UnaryOp::Square:
      return {grad * 2 * x};
  }
  return {};
}

TensorList binary_vjp(BinaryOp op, const BackwardContext& c) {
  const Tensor& grad = c.grads[0];
  const Tensor& a = c.inputs[0];
  const Tensor& b = c.inputs[1];
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
    case BinaryOp::Mul:
      if (c.needs_input_grad[0]) grad_a = grad * b;
      if (c.needs_input_grad[1]) grad_b = grad * a;
      break;
    case BinaryOp::Div:
      if (c.needs_input_grad[0]) grad_a = grad / b;
      if (c.needs_input_grad[1]) grad_b = neg(grad) * a / (b * b);
      break;
    case BinaryOp::FloorDivide:
    case BinaryOp::DivTrunc:
      grad_a = zeros_like(grad);
      grad_b = zeros_like(grad);
      break;
    case BinaryOp::Remainder:
      grad_a = grad;
      if (c.needs_input_grad[1]) grad_b = neg(grad) * floor_divide(a, b);
      break;
    case BinaryOp::Pow:
      // d/da a^b = b a^(b-1) (0 where b == 0); d/db a^b = a^b ln a (0 where a == 0 and b >= 0).
      if (c.needs_input_grad[0]) grad_a = where(eq(b, 0), 0, grad * b * pow(a, b - 1));
      if (c.needs_input_grad[1]) {
        grad_b = where(logical_and(eq(a, 0), ge(b, 0)), 0, grad * pow(a, b) * log(a));
      }
      break;
    case BinaryOp::Maximum:
    case BinaryOp::Minimum: {
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
      break;
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
      const Tensor& x = c.inputs[0];
      const Tensor& out = c.outputs[0];
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
      const Tensor& x = c.inputs[0];
      const Tensor& out = c.outputs[0];
      const Tensor hits = eq(x, out);
      const std::vector<int64_t> dims = reduced_dims(out.shape(), shape);
      const Tensor count = dims.empty() ? ones_like(out) : sum(hits, dims, true).to(grad.dtype());
      return {where(hits, grad / count, 0)};
    }
    case ReduceOp::All:
    case ReduceOp::Any:
      return {Tensor()};
    case ReduceOp::SumSquares:
      return {grad * c.inputs[0] * 2};
  }
  return {};
}

}  // namespace

namespace {

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
      return {buffer.as_strided(shape, input_strides, view.input_offset() - base)};
    }
  }
  return {};
}

Tensor allocate_like_shape(const Tensor& like, const Shape& shape) {
  return zeros_for(like, shape);
}

// Comparisons and logical ops (TypeRule Comparison/Logical in binary_ops.def) give bools.
bool has_bool_result(BinaryOp op) {
  constexpr auto is_bool_rule = [](std::string_view rule) {
    return rule == "Comparison" || rule == "Logical";
  };
  constexpr bool kBoolResult[] = {
#define EMBER_BINARY_OP(name, Name, rule) is_bool_rule(#rule),
#define EMBER_BINARY_KERNEL_ONLY(name, Name, rule) is_bool_rule(#rule),
#include "ember/elementwise/binary_ops.def"
#undef EMBER_BINARY_OP
#undef EMBER_BINARY_KERNEL_ONLY
  };
  return kBoolResult[static_cast<int>(op)];
}

}  // namespace

bool is_differentiable(const Primitive& primitive) {
  switch (primitive.kind()) {
    case PrimitiveKind::Unary:
    case PrimitiveKind::Where:
    case PrimitiveKind::Copy:
    case PrimitiveKind::Matmul:
    case PrimitiveKind::ArgReduce:
    case PrimitiveKind::Index:
    case PrimitiveKind::IndexPut:
    case PrimitiveKind::View:
      return true;
    case PrimitiveKind::Binary:
      return !has_bool_result(static_cast<const BinaryPrimitive&>(primitive).op());
    case PrimitiveKind::Reduce: {
      const ReduceOp op = static_cast<const Reduce&>(primitive).op();
      return op != ReduceOp::All && op != ReduceOp::Any;
    }
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
      return false;
  }
  return false;
}

SaveMask saved_for_backward(const Primitive& primitive) {
  constexpr SaveMask kInput0 = 1, kInput1 = 2, kBoth = 3;
  switch (primitive.kind()) {
    case PrimitiveKind::Unary:
      switch (static_cast<const UnaryPrimitive&>(primitive).op()) {
        case UnaryOp::Abs:
        case UnaryOp::Log:
        case UnaryOp::Log1p:
        case UnaryOp::Sin:
        case UnaryOp::Cos:
        case UnaryOp::Erf:
        case UnaryOp::Square:
          return kInput0;
        case UnaryOp::Exp:
        case UnaryOp::Expm1:
        case UnaryOp::Sqrt:
        case UnaryOp::Rsqrt:
        case UnaryOp::Tanh:
        case UnaryOp::Sigmoid:
        case UnaryOp::Relu:
        case UnaryOp::Reciprocal:
          return kSaveOutputs;
        default:
          return 0;
      }
    case PrimitiveKind::Binary:
      switch (static_cast<const BinaryPrimitive&>(primitive).op()) {
        case BinaryOp::Add:
        case BinaryOp::Sub:
        case BinaryOp::FloorDivide:
        case BinaryOp::DivTrunc:
          return 0;
        default:
          return kBoth;
      }
    case PrimitiveKind::Reduce:
      switch (static_cast<const Reduce&>(primitive).op()) {
        case ReduceOp::Sum:
          return 0;
        case ReduceOp::SumSquares:
          return kInput0;
        case ReduceOp::Prod:
        case ReduceOp::Amax:
        case ReduceOp::Amin:
        case ReduceOp::All:
        case ReduceOp::Any:
          return kInput0 | kSaveOutputs;
      }
      return kInput0 | kSaveOutputs;
    case PrimitiveKind::ArgReduce:
      return kSaveOutputs;
    case PrimitiveKind::Where:
      return kInput0;
    case PrimitiveKind::Matmul:
      return kBoth;
    case PrimitiveKind::Index:
    case PrimitiveKind::IndexPut:
      return kInput1;
    case PrimitiveKind::Copy:
    case PrimitiveKind::View:
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
      return 0;
  }
  return 0;
}

bool reads_output(const Primitive& primitive) {
  if (primitive.kind() == PrimitiveKind::IndexPut) return true;
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
    case PrimitiveKind::ArgReduce: {
      const auto& arg = static_cast<const ArgReduce&>(primitive);
      const Tensor& indices = c.outputs[1];
      return {where(one_hot_along(c.input_shapes[0], arg.dim(), indices), grad, 0)};
    }
    case PrimitiveKind::Where: {
      const Tensor& condition = c.inputs[0];
      TensorList grads(3);
      if (c.needs_input_grad[1]) grads[1] = sum_to(where(condition, grad, 0), c.input_shapes[1]);
      if (c.needs_input_grad[2]) grads[2] = sum_to(where(condition, 0, grad), c.input_shapes[2]);
      return grads;
    }
    case PrimitiveKind::Copy:
      return {sum_to(grad.to(c.input_dtypes[0]), c.input_shapes[0])};
    case PrimitiveKind::Matmul: {
      const auto& matmul_primitive = static_cast<const Matmul&>(primitive);
      const Tensor& a = c.inputs[0];
      const Tensor& b = c.inputs[1];
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
      Tensor result = allocate_like_shape(grad, c.input_shapes[0]);
      run(IndexPut(index_primitive.layout(), /*accumulate=*/true), {grad, c.inputs[1]}, {result});
      return {result, Tensor()};
    }
    case PrimitiveKind::IndexPut: {
      const auto& put = static_cast<const IndexPut&>(primitive);
      TensorList grads(3);
      if (c.needs_input_grad[0]) {
        grads[0] = allocate_like_shape(grad, c.input_shapes[0]);
        run(Index("index", put.layout()), {grad, c.inputs[1]}, {grads[0]});
      }
      if (c.needs_input_grad.size() > 2 && c.needs_input_grad[2]) {
        if (put.accumulate()) {
          grads[2] = grad;
        } else {
          grads[2] = grad.clone();
          run(IndexPut(put.layout(), false),
              {allocate_like_shape(grad, c.input_shapes[0]), c.inputs[1]}, {grads[2]});
        }
      }
      return grads;
    }
    case PrimitiveKind::View:
      return view_vjp(static_cast<const View&>(primitive), c);
    case PrimitiveKind::Fill:
    case PrimitiveKind::Range:
    case PrimitiveKind::RandomFill:
    case PrimitiveKind::CountNonzero:
    case PrimitiveKind::Nonzero:
      break;
  }
  detail::raise<RuntimeError>("[", primitive.name(), "] is not differentiable");
}

}  // namespace ember::autograd
