// The primitive paths of nll_loss, cross_entropy and binary_cross_entropy (nn_loss_nll.h): the
// inputs viewed in the canonical layout (N, C, S), the outputs allocated, the primitive run.
// Half-precision inputs compute in float32 and round the result once.
#include "ember/ops/nn_loss_nll.h"

#include "ember/ops/dispatch.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

bool has_kernel(ScalarType dtype) { return dtype == kFloat32 || dtype == kFloat64; }

// (C) -> (1, C, 1); (N, C, d1, ..., dk) -> (N, C, d1 ... dk), contiguous.
Tensor canonical_input(const Tensor& input) {
  if (input.dim() == 1) {
    return input.contiguous().reshape({1, input.size(0), 1});
  }
  int64_t positions = 1;
  for (int64_t d = 2; d < input.dim(); ++d) positions *= input.size(d);
  return input.contiguous().reshape({input.size(0), input.size(1), positions});
}

Tensor class_weights(const std::optional<Tensor>& weight, const Tensor& input) {
  const TensorOptions options = TensorOptions(input.dtype()).device(input.device());
  return weight ? weight->to(input.dtype()).contiguous() : ones({input.size(1)}, options);
}

Shape loss_shape(int64_t reduction, const Tensor& target) {
  return reduction == Reduction::None ? target.sizes().to_shape() : Shape{};
}

}  // namespace

namespace detail {

Tensor fused_nll_loss(const Tensor& input, const Tensor& indices,
                      const std::optional<Tensor>& weight, int64_t reduction,
                      int64_t ignore_index) {
  if (!has_kernel(input.dtype())) {
    const std::optional<Tensor> wide_weight =
        weight ? std::optional<Tensor>(weight->to(kFloat32)) : std::nullopt;
    return fused_nll_loss(input.to(kFloat32), indices, wide_weight, reduction, ignore_index)
        .to(input.dtype());
  }
  const Tensor x = canonical_input(input);
  const Tensor loss =
      nll_loss_canonical({reduction, ignore_index}, x, indices.reshape({x.size(0), x.size(2)}),
                         class_weights(weight, x));
  return loss.reshape(loss_shape(reduction, indices));
}

Tensor fused_cross_entropy(const Tensor& input, const Tensor& indices,
                           const std::optional<Tensor>& weight, int64_t reduction,
                           int64_t ignore_index, double label_smoothing) {
  if (!has_kernel(input.dtype())) {
    const std::optional<Tensor> wide_weight =
        weight ? std::optional<Tensor>(weight->to(kFloat32)) : std::nullopt;
    return fused_cross_entropy(input.to(kFloat32), indices, wide_weight, reduction, ignore_index,
                               label_smoothing)
        .to(input.dtype());
  }
  const Tensor x = canonical_input(input);
  const Tensor target = indices.reshape({x.size(0), x.size(2)});
  const TensorOptions options = TensorOptions(x.dtype()).device(x.device());
  Tensor loss =
      empty(reduction == Reduction::None ? Shape{x.size(0), x.size(2)} : Shape{}, options);
  Tensor logsumexp = empty({x.size(0), x.size(2)}, options);
  Tensor total_weight = empty({}, options);
  run(CrossEntropy({reduction, ignore_index}, label_smoothing),
      {x, target, class_weights(weight, x)}, {loss, logsumexp, total_weight});
  return loss.reshape(loss_shape(reduction, indices));
}

Tensor binary_cross_entropy_elementwise(const Tensor& input, const Tensor& target) {
  if (!has_kernel(input.dtype())) {
    return binary_cross_entropy_elementwise(input.to(kFloat32), target.to(kFloat32))
        .to(input.dtype());
  }
  Tensor loss =
      empty(input.sizes().to_shape(), TensorOptions(input.dtype()).device(input.device()));
  run_unless_empty(BinaryCrossEntropy(),
                   {input.contiguous(), target.to(input.dtype()).contiguous()}, {loss});
  return loss;
}

}  // namespace detail

Tensor nll_loss_canonical(ClassLossOptions options, const Tensor& input, const Tensor& target,
                          const Tensor& weight) {
  const TensorOptions tensor_options = TensorOptions(input.dtype()).device(input.device());
  Tensor loss = empty(options.reduction == Reduction::None ? target.sizes().to_shape() : Shape{},
                      tensor_options);
  Tensor total_weight = empty({}, tensor_options);
  run(NllLoss(options), {input.contiguous(), target, weight}, {loss, total_weight});
  return loss;
}

Tensor nll_loss_backward(ClassLossOptions options, const Tensor& grad_output, const Tensor& target,
                         const Tensor& weight, const Tensor& total_weight,
                         IntArrayRef input_shape) {
  Tensor grad_input =
      empty(input_shape, TensorOptions(grad_output.dtype()).device(grad_output.device()));
  run(NllLossBackward(options), {grad_output.contiguous(), target, weight, total_weight},
      {grad_input});
  return grad_input;
}

Tensor cross_entropy_backward(const CrossEntropy& forward, const Tensor& grad_output,
                              const Tensor& logits, const Tensor& target, const Tensor& weight,
                              const Tensor& logsumexp, const Tensor& total_weight) {
  Tensor grad_logits =
      empty(logits.sizes().to_shape(), TensorOptions(logits.dtype()).device(logits.device()));
  run(CrossEntropyBackward(forward.options(), forward.label_smoothing()),
      {grad_output.contiguous(), logits, target, weight, logsumexp, total_weight}, {grad_logits});
  return grad_logits;
}

}  // namespace ember
