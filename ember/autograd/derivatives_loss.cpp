// Gradient rules of the classification losses (derivatives_loss.h), written with public ops so
// that create_graph differentiates them again.
#include "ember/autograd/derivatives_loss.h"

#include "ember/ops/math.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/nn_loss_nll.h"
#include "ember/ops/ops.h"

namespace ember::autograd {
namespace {

// PyTorch's floor of input (1 - input) in binary_cross_entropy's gradient.
constexpr double kBinaryCrossEntropyEpsilon = 1e-12;

}  // namespace

TensorList nll_loss_vjp(const NllLoss& nll, const BackwardContext& c, const Tensor& target,
                        const Tensor& weight, const Tensor& total_weight) {
  return {
      nll_loss_backward(nll.options(), c.grads[0], target, weight, total_weight, c.input_shapes[0]),
      Tensor(), Tensor()};
}

TensorList nll_loss_backward_vjp(const NllLossBackward& backward, const BackwardContext& c,
                                 const Tensor& target, const Tensor& weight) {
  return {nll_loss_canonical(backward.options(), c.grads[0], target, weight), Tensor(), Tensor(),
          Tensor()};
}

TensorList cross_entropy_vjp(const CrossEntropy& cross_entropy, const BackwardContext& c,
                             const Tensor& logits, const Tensor& target, const Tensor& weight,
                             const Tensor& logsumexp, const Tensor& total_weight) {
  return {cross_entropy_backward(cross_entropy, c.grads[0], logits, target, weight, logsumexp,
                                 total_weight),
          Tensor(), Tensor()};
}

TensorList cross_entropy_backward_vjp(const CrossEntropyBackward& backward,
                                      const BackwardContext& c, const Tensor& grad_output,
                                      const Tensor& logits, const Tensor& target,
                                      const Tensor& weight, const Tensor& total_weight) {
  const Tensor& incoming = c.grads[0];  // (N, C, S), like the gradient it differentiates
  const ClassLossOptions& options = backward.options();
  const ScalarType dtype = logits.dtype();
  const int64_t classes = logits.size(1);
  const double smoothing = backward.label_smoothing();
  const double share = classes == 0 ? 0.0 : smoothing / static_cast<double>(classes);
  const Tensor ignored = eq(target, options.ignore_index);
  const Tensor kept = logical_not(ignored).to(dtype);
  const Tensor safe_target = masked_fill(target, ignored, 0);
  // a (N, S) and b (N, C, S) of CrossEntropyBackward, 0 at ignored positions.
  const Tensor target_weight =
      index_select(weight, 0, safe_target.reshape({-1})).reshape(target.sizes()) * kept;
  const Tensor target_part = target_weight * (1 - smoothing);
  const Tensor a = target_part + kept * (sum(weight) * share);
  const Tensor is_target =
      eq(arange(classes, TensorOptions(kInt64)).reshape({1, classes, 1}), safe_target.unsqueeze(1))
          .to(dtype);
  const Tensor b = is_target * target_part.unsqueeze(1) +
                   weight.reshape({1, classes, 1}) * kept.unsqueeze(1) * share;
  const Tensor probabilities = softmax(logits, 1);
  const bool mean = options.reduction == Reduction::Mean;

  TensorList grads(6);
  if (c.needs_input_grad[0]) {
    const Tensor per_position = sum(incoming * (a.unsqueeze(1) * probabilities - b), {1});
    if (options.reduction == Reduction::None) {
      grads[0] = per_position;
    } else {
      grads[0] = mean ? sum(per_position) / total_weight : sum(per_position);
    }
  }
  if (c.needs_input_grad[1]) {
    const Tensor scale = mean ? grad_output / total_weight : grad_output;
    const Tensor weighted = incoming * (scale * a).unsqueeze(1);
    grads[1] = probabilities * (weighted - sum(weighted * probabilities, {1}, true));
  }
  return grads;
}

TensorList binary_cross_entropy_vjp(const BackwardContext& c, const Tensor& input,
                                    const Tensor& target) {
  const Tensor& grad = c.grads[0];
  TensorList grads(2);
  if (c.needs_input_grad[0]) {
    grads[0] = grad * (input - target) / clamp_min(input * (1 - input), kBinaryCrossEntropyEpsilon);
  }
  if (c.needs_input_grad[1]) {
    grads[1] = grad * (log1p(-input) - log(input));
  }
  return grads;
}

}  // namespace ember::autograd
