// The losses of torch.nn (see nn_loss.h): composites of existing ops, except nll_loss,
// cross_entropy of class indices and binary_cross_entropy, which validate here and run their
// primitives (nn_loss_nll.cpp). Validation happens before any op or kernel reads an index: a
// class index out of range raises an IndexError naming it and both shapes.
#include "ember/ops/nn_loss.h"

#include <cmath>
#include <numbers>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/math.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_distance.h"
#include "ember/ops/nn_loss_nll.h"
#include "ember/ops/scatter.h"

namespace ember {
namespace {

void check_reduction(std::string_view op, int64_t reduction) {
  EMBER_CHECK_VALUE(
      reduction == Reduction::None || reduction == Reduction::Mean || reduction == Reduction::Sum,
      "[", op, "] expected reduction None (0), Mean (1) or Sum (2); received ", reduction);
}

Tensor reduce(const Tensor& loss, int64_t reduction) {
  if (reduction == Reduction::Mean) {
    return loss.mean();
  }
  return reduction == Reduction::Sum ? loss.sum() : loss;
}

void check_floating(std::string_view op, std::string_view name, const Tensor& tensor) {
  EMBER_CHECK(tensor.is_floating_point(), "[", op, "] expected a floating-point ", name,
              "; received ", name, " of dtype ", tensor.dtype(), " and shape ", tensor.sizes());
}

void check_same_shape(std::string_view op, const Tensor& input, const Tensor& target) {
  EMBER_CHECK_VALUE(input.sizes() == target.sizes(), "[", op, "] expected target of input's shape ",
                    input.sizes(), "; received target of shape ", target.sizes());
}

// A class-index target: int64, of the shape that input (C), (N, C) or (N, C, d1, ..., dk) asks.
void check_class_target(std::string_view op, const Tensor& input, const Tensor& target) {
  EMBER_CHECK(input.dim() >= 1, "[", op,
              "] expected input of shape (C), (N, C) or (N, C, d1, ..., dk); received input of "
              "shape ",
              input.sizes());
  EMBER_CHECK(target.dtype() == kInt64, "[", op,
              "] expected class indices of dtype int64; received target of dtype ", target.dtype(),
              " and shape ", target.sizes());
  Shape expected = input.sizes().to_shape();
  expected.erase(input.dim() == 1 ? 0 : 1);
  EMBER_CHECK(target.sizes() == IntArrayRef(expected), "[", op, "] expected target of shape ",
              shape_str(expected), " for input of shape ", input.sizes(),
              "; received target of shape ", target.sizes());
}

// Every index of `target` lies in [0, classes) or is `allowed` (ignore_index, a list's end).
void check_class_range(std::string_view op, const Tensor& input, const Tensor& target,
                       int64_t classes, std::optional<int64_t> allowed) {
  Tensor bad = (target < 0) | (target >= classes);
  if (allowed) {
    bad = bad & (target != *allowed);
  }
  if (!bad.any().item<bool>()) {
    return;
  }
  const auto index = target.masked_select(bad).flatten().select(0, 0).item<int64_t>();
  detail::raise<IndexError>("[", op, "] Target ", index, " is out of bounds: expected class ",
                            "indices in [0, ", classes, ")", allowed ? " or " : "",
                            allowed ? std::to_string(*allowed) : "", "; received target of shape ",
                            target.sizes(), " for input of shape ", input.sizes());
}

void check_class_weight(std::string_view op, const std::optional<Tensor>& weight, int64_t classes) {
  if (!weight) {
    return;
  }
  check_floating(op, "weight", *weight);
  EMBER_CHECK(weight->dim() == 1 && weight->size(0) == classes, "[", op,
              "] expected a weight of shape [", classes,
              "] (one per class); received weight of "
              "shape ",
              weight->sizes());
}

// The class dim of a classification input: 1, or 0 for an input (C) without a batch dim.
int64_t class_dim(const Tensor& input) { return input.dim() == 1 ? 0 : 1; }

// weight (C) viewed to broadcast along input's class dim.
Tensor class_weight_view(const Tensor& weight, const Tensor& input) {
  Shape shape(static_cast<size_t>(input.dim()), 1);
  shape[static_cast<size_t>(class_dim(input))] = weight.size(0);
  return weight.view(shape);
}

// -log(sigmoid(x)) = log(1 + exp(-x)), stable and smooth at 0.
Tensor softplus_of_negative(const Tensor& x) { return logaddexp(zeros_like(x), -x); }

void check_nll_arguments(std::string_view op, const Tensor& input, const Tensor& target,
                         const std::optional<Tensor>& weight, int64_t reduction) {
  check_reduction(op, reduction);
  check_class_target(op, input, target);
  check_floating(op, "input", input);
  check_class_weight(op, weight, input.size(class_dim(input)));
}

// check_class_range over the contiguous int64 `indices` on the host, in one pass: the fused
// kernels read input[t] at each index, so none may escape [0, C) unless it is ignore_index.
void check_class_indices(std::string_view op, const Tensor& input, const Tensor& indices,
                         int64_t ignore_index) {
  // A CUDA target is not read here: the loss kernels report a bad class through the device's
  // index-error slot, raised at the next synchronisation (Note [CUDA indexing]).
  if (!indices.device().is_cpu()) return;
  const int64_t classes = input.size(class_dim(input));
  const int64_t* data = indices.data_ptr<int64_t>();
  for (int64_t i = 0; i < indices.numel(); ++i) {
    if (data[i] != ignore_index && (data[i] < 0 || data[i] >= classes)) {
      detail::raise<IndexError>("[", op, "] Target ", data[i],
                                " is out of bounds: expected class indices in [0, ", classes,
                                ") or ", ignore_index, "; received target of shape ",
                                indices.sizes(), " for input of shape ", input.sizes());
    }
  }
}

void check_cross_entropy_arguments(const Tensor& input, const std::optional<Tensor>& weight,
                                   int64_t reduction, double label_smoothing) {
  check_reduction("cross_entropy_loss", reduction);
  EMBER_CHECK(label_smoothing >= 0 && label_smoothing <= 1,
              "[cross_entropy_loss] expected label_smoothing in [0, 1]; received ",
              label_smoothing);
  check_floating("cross_entropy_loss", "input", input);
  EMBER_CHECK(input.dim() >= 1,
              "[cross_entropy_loss] expected input of shape (C), (N, C) or (N, C, d1, ..., dk); "
              "received input of shape ",
              input.sizes());
  check_class_weight("cross_entropy_loss", weight, input.size(class_dim(input)));
}

// cross_entropy with class probabilities of input's shape (a composite: no kernel of its own).
Tensor cross_entropy_of_probabilities(const Tensor& input, const Tensor& target,
                                      const std::optional<Tensor>& weight, int64_t reduction,
                                      double label_smoothing) {
  const int64_t dim = class_dim(input);
  const int64_t classes = input.size(dim);
  EMBER_CHECK(target.sizes() == input.sizes(),
              "[cross_entropy_loss] expected class probabilities of input's shape ", input.sizes(),
              "; received target of shape ", target.sizes());
  Tensor smoothed = target;
  if (label_smoothing > 0) {
    smoothed = target * (1 - label_smoothing) + label_smoothing / static_cast<double>(classes);
  }
  Tensor products = log_softmax(input, dim) * smoothed;
  if (weight) {
    products = products * class_weight_view(*weight, input);
  }
  if (reduction == Reduction::None) {
    return -products.sum({dim});
  }
  const Tensor total = -products.sum();
  if (reduction == Reduction::Sum) {
    return total;
  }
  const double samples =
      classes == 0 ? 0.0 : static_cast<double>(input.numel()) / static_cast<double>(classes);
  return total / samples;
}

}  // namespace

int64_t reduction_from_string(std::string_view op, std::string_view reduction) {
  if (reduction == "none") {
    return Reduction::None;
  }
  if (reduction == "mean") {
    return Reduction::Mean;
  }
  EMBER_CHECK_VALUE(reduction == "sum", "[", op,
                    "] expected reduction 'none', 'mean' or 'sum'; received '", reduction, "'");
  return Reduction::Sum;
}

Tensor l1_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target},
                             [&](const auto& in) { return l1_loss(in[0], in[1], reduction); });
  }
  check_reduction("l1_loss", reduction);
  return reduce((input - target).abs(), reduction);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target},
                             [&](const auto& in) { return mse_loss(in[0], in[1], reduction); });
  }
  check_reduction("mse_loss", reduction);
  const Tensor difference = input - target;
  return reduce(difference * difference, reduction);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, int64_t reduction, double beta) {
  if (autocast::active()) {
    return autocast::float32({input, target}, [&](const auto& in) {
      return smooth_l1_loss(in[0], in[1], reduction, beta);
    });
  }
  check_reduction("smooth_l1_loss", reduction);
  EMBER_CHECK(beta >= 0, "[smooth_l1_loss] expected beta >= 0; received beta ", beta);
  if (beta == 0) {
    return l1_loss(input, target, reduction);
  }
  const Tensor distance = (input - target).abs();
  return reduce(where(distance < beta, distance * distance * (0.5 / beta), distance - 0.5 * beta),
                reduction);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, int64_t reduction, double delta) {
  if (autocast::active()) {
    return autocast::float32({input, target}, [&](const auto& in) {
      return huber_loss(in[0], in[1], reduction, delta);
    });
  }
  check_reduction("huber_loss", reduction);
  EMBER_CHECK(delta > 0, "[huber_loss] expected delta > 0; received delta ", delta);
  const Tensor distance = (input - target).abs();
  return reduce(
      where(distance < delta, distance * distance * 0.5, (distance - 0.5 * delta) * delta),
      reduction);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                int64_t reduction, int64_t ignore_index) {
  if (autocast::active()) {
    return autocast::float32({input, target, weight.value_or(Tensor())}, [&](const auto& in) {
      return nll_loss(in[0], in[1], in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt,
                      reduction, ignore_index);
    });
  }
  check_nll_arguments("nll_loss", input, target, weight, reduction);
  if (weight && weight->requires_grad()) {  // the primitives give weight no gradient
    return detail::nll_loss_composite(input, target, weight, reduction, ignore_index);
  }
  const Tensor indices = target.contiguous();
  check_class_indices("nll_loss", input, indices, ignore_index);
  return detail::fused_nll_loss(input, indices, weight, reduction, ignore_index);
}

namespace detail {

Tensor nll_loss_composite(const Tensor& input, const Tensor& target,
                          const std::optional<Tensor>& weight, int64_t reduction,
                          int64_t ignore_index) {
  check_nll_arguments("nll_loss", input, target, weight, reduction);
  check_class_range("nll_loss", input, target, input.size(class_dim(input)), ignore_index);
  const Tensor kept = target != ignore_index;
  const Tensor safe_target = target.masked_fill(logical_not(kept), 0);
  const Tensor picked =
      input.movedim(class_dim(input), -1).gather(-1, safe_target.unsqueeze(-1)).squeeze(-1);
  Tensor target_weight = kept.to(input.dtype());
  if (weight) {
    target_weight = where(kept, weight->index_select(0, safe_target.flatten()).view(target.sizes()),
                          zeros_like(target_weight));
  }
  // PyTorch skips ignored positions: 0 there even where the input is NaN or inf.
  const Tensor loss = where(kept, -picked * target_weight, zeros_like(target_weight));
  if (reduction == Reduction::Mean) {
    return loss.sum() / target_weight.sum();
  }
  return reduce(loss, reduction);
}

}  // namespace detail

Tensor cross_entropy_loss(const Tensor& input, const Tensor& target,
                          const std::optional<Tensor>& weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing) {
  if (autocast::active()) {
    return autocast::float32({input, target, weight.value_or(Tensor())}, [&](const auto& in) {
      return cross_entropy_loss(in[0], in[1],
                                in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt,
                                reduction, ignore_index, label_smoothing);
    });
  }
  check_cross_entropy_arguments(input, weight, reduction, label_smoothing);
  if (target.is_floating_point()) {
    return cross_entropy_of_probabilities(input, target, weight, reduction, label_smoothing);
  }
  if (weight && weight->requires_grad()) {  // the primitives give weight no gradient
    return detail::cross_entropy_composite(input, target, weight, reduction, ignore_index,
                                           label_smoothing);
  }
  check_class_target("cross_entropy_loss", input, target);
  const Tensor indices = target.contiguous();
  check_class_indices("cross_entropy_loss", input, indices, ignore_index);
  return detail::fused_cross_entropy(input, indices, weight, reduction, ignore_index,
                                     label_smoothing);
}

namespace detail {

Tensor cross_entropy_composite(const Tensor& input, const Tensor& target,
                               const std::optional<Tensor>& weight, int64_t reduction,
                               int64_t ignore_index, double label_smoothing) {
  check_cross_entropy_arguments(input, weight, reduction, label_smoothing);
  if (target.is_floating_point()) {
    return cross_entropy_of_probabilities(input, target, weight, reduction, label_smoothing);
  }
  const int64_t dim = class_dim(input);
  const int64_t classes = input.size(dim);
  const Tensor log_probabilities = log_softmax(input, dim);
  const Tensor nll = nll_loss_composite(log_probabilities, target, weight, reduction, ignore_index);
  if (label_smoothing == 0) {
    return nll;
  }
  const Tensor ignored = target == ignore_index;
  Tensor smooth = weight ? -(log_probabilities * class_weight_view(*weight, input)).sum({dim})
                         : -log_probabilities.sum({dim});
  smooth = smooth.masked_fill(ignored, 0);
  if (reduction == Reduction::Mean) {
    const Tensor kept = logical_not(ignored);
    const Tensor denominator =
        weight ? weight->index_select(0, target.masked_select(kept).flatten()).sum()
               : kept.sum().to(input.dtype());
    smooth = smooth.sum() / denominator;
  } else {
    smooth = reduce(smooth, reduction);
  }
  return nll * (1 - label_smoothing) + smooth * (label_smoothing / static_cast<double>(classes));
}

}  // namespace detail

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const std::optional<Tensor>& weight, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target, weight.value_or(Tensor())}, [&](const auto& in) {
      return binary_cross_entropy(
          in[0], in[1], in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt, reduction);
    });
  }
  check_reduction("binary_cross_entropy", reduction);
  check_floating("binary_cross_entropy", "input", input);
  check_same_shape("binary_cross_entropy", input, target);
  const bool in_range = ((input >= 0) & (input <= 1)).all().item<bool>();
  EMBER_CHECK(in_range,
              "[binary_cross_entropy] expected every element of input between 0 and 1; "
              "received input of shape ",
              input.sizes(), " with elements outside");
  Tensor loss = detail::binary_cross_entropy_elementwise(input, target);
  if (weight) {
    loss = loss * *weight;
  }
  return reduce(loss, reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const std::optional<Tensor>& weight,
                                        const std::optional<Tensor>& pos_weight,
                                        int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32(
        {input, target, weight.value_or(Tensor()), pos_weight.value_or(Tensor())},
        [&](const auto& in) {
          return binary_cross_entropy_with_logits(
              in[0], in[1], in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt,
              in[3].defined() ? std::optional<Tensor>(in[3]) : std::nullopt, reduction);
        });
  }
  check_reduction("binary_cross_entropy_with_logits", reduction);
  check_floating("binary_cross_entropy_with_logits", "input", input);
  check_same_shape("binary_cross_entropy_with_logits", input, target);
  Tensor log_sigmoid_weight = softplus_of_negative(input);
  if (pos_weight) {
    log_sigmoid_weight = log_sigmoid_weight * ((*pos_weight - 1) * target + 1);
  }
  Tensor loss = (1 - target) * input + log_sigmoid_weight;
  if (weight) {
    loss = loss * *weight;
  }
  return reduce(loss, reduction);
}

Tensor kl_div(const Tensor& input, const Tensor& target, int64_t reduction, bool log_target) {
  if (autocast::active()) {
    return autocast::float32({input, target}, [&](const auto& in) {
      return kl_div(in[0], in[1], reduction, log_target);
    });
  }
  check_reduction("kl_div", reduction);
  const Tensor loss =
      log_target ? target.exp() * (target - input) : xlogy(target, target) - target * input;
  return reduce(loss, reduction);
}

Tensor kl_div(const Tensor& input, const Tensor& target, std::string_view reduction,
              bool log_target) {
  if (reduction != "batchmean") {
    return kl_div(input, target, reduction_from_string("kl_div", reduction), log_target);
  }
  const Tensor total = kl_div(input, target, Reduction::Sum, log_target);
  return input.dim() == 0 ? total : total / static_cast<double>(input.size(0));
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full,
                        double eps, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target}, [&](const auto& in) {
      return poisson_nll_loss(in[0], in[1], log_input, full, eps, reduction);
    });
  }
  check_reduction("poisson_nll_loss", reduction);
  Tensor loss = log_input ? input.exp() - target * input : input - target * (input + eps).log();
  if (full) {
    const Tensor stirling =
        xlogy(target, target) - target + (target * (2 * std::numbers::pi)).log() * 0.5;
    loss = loss + stirling.masked_fill(target <= 1, 0);
  }
  return reduce(loss, reduction);
}

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var, bool full,
                         double eps, int64_t reduction) {
  check_reduction("gaussian_nll_loss", reduction);
  Tensor variance = var;
  if (var.sizes() != input.sizes()) {
    const IntArrayRef input_leading(input.sizes().data(), input.sizes().size() - 1);
    const bool without_last = input.dim() >= 1 && var.sizes() == input_leading;
    const bool last_one = input.dim() >= 1 && var.dim() == input.dim() && var.size(-1) == 1 &&
                          IntArrayRef(var.sizes().data(), var.sizes().size() - 1) == input_leading;
    EMBER_CHECK_VALUE(without_last || last_one,
                      "[gaussian_nll_loss] expected var of input's shape ", input.sizes(),
                      ", of it without the last dim, or with a last dim of 1; received var of "
                      "shape ",
                      var.sizes());
    if (without_last) {
      variance = var.unsqueeze(-1);
    }
  }
  EMBER_CHECK_VALUE(!(var < 0).any().item<bool>(),
                    "[gaussian_nll_loss] expected var >= 0; received var of shape ", var.sizes(),
                    " with negative entries");
  // PyTorch clamps var under no_grad: the clamp moves the value but not the gradient.
  variance = variance + (variance.clamp_min(eps) - variance).detach();
  const Tensor difference = input - target;
  Tensor loss = (variance.log() + difference * difference / variance) * 0.5;
  if (full) {
    loss = loss + 0.5 * std::log(2 * std::numbers::pi);
  }
  return reduce(loss, reduction);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           double margin, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input1, input2, target}, [&](const auto& in) {
      return margin_ranking_loss(in[0], in[1], in[2], margin, reduction);
    });
  }
  check_reduction("margin_ranking_loss", reduction);
  EMBER_CHECK(input1.dim() == input2.dim() && input1.dim() == target.dim(),
              "[margin_ranking_loss] expected input1, input2 and target of the same number of "
              "dims; received shapes ",
              input1.sizes(), ", ", input2.sizes(), " and ", target.sizes());
  return reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction);
}

Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, double margin,
                            int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target}, [&](const auto& in) {
      return hinge_embedding_loss(in[0], in[1], margin, reduction);
    });
  }
  check_reduction("hinge_embedding_loss", reduction);
  const Tensor margin_part = where(target != 1, (margin - input).clamp_min(0), zeros_like(input));
  const Tensor input_part = where(target != -1, input, zeros_like(input));
  return reduce(margin_part + input_part, reduction);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             double margin, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input1, input2, target}, [&](const auto& in) {
      return cosine_embedding_loss(in[0], in[1], in[2], margin, reduction);
    });
  }
  check_reduction("cosine_embedding_loss", reduction);
  EMBER_CHECK(input1.sizes() == input2.sizes() && (input1.dim() == 1 || input1.dim() == 2) &&
                  target.dim() == input1.dim() - 1 &&
                  (target.dim() == 0 || target.size(0) == input1.size(0)),
              "[cosine_embedding_loss] expected inputs of one shape (N, D) or (D) and target "
              "(N) or (); received input1 ",
              input1.sizes(), ", input2 ", input2.sizes(), " and target ", target.sizes());
  constexpr double kEpsilon = 1e-12;  // PyTorch's, keeping the magnitudes nonzero
  const Tensor dot = (input1 * input2).sum({-1});
  const Tensor magnitude1 = (input1 * input1).sum({-1}) + kEpsilon;
  const Tensor magnitude2 = (input2 * input2).sum({-1}) + kEpsilon;
  const Tensor cosine = dot / (magnitude1 * magnitude2).sqrt();
  const Tensor zeros = zeros_like(cosine);
  const Tensor positive = where(target == 1, 1 - cosine, zeros);
  const Tensor negative = where(target == -1, (cosine - margin).clamp_min(0), zeros);
  return reduce(positive + negative, reduction);
}

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           double margin, double p, double eps, bool swap, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({anchor, positive, negative}, [&](const auto& in) {
      return triplet_margin_loss(in[0], in[1], in[2], margin, p, eps, swap, reduction);
    });
  }
  check_reduction("triplet_margin_loss", reduction);
  EMBER_CHECK(anchor.dim() == positive.dim() && anchor.dim() == negative.dim(),
              "[triplet_margin_loss] expected anchor, positive and negative of the same number "
              "of dims; received shapes ",
              anchor.sizes(), ", ", positive.sizes(), " and ", negative.sizes());
  const Tensor positive_distance = pairwise_distance(anchor, positive, p, eps);
  Tensor negative_distance = pairwise_distance(anchor, negative, p, eps);
  if (swap) {
    negative_distance = minimum(negative_distance, pairwise_distance(positive, negative, p, eps));
  }
  return reduce((positive_distance - negative_distance + margin).clamp_min(0), reduction);
}

Tensor soft_margin_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32(
        {input, target}, [&](const auto& in) { return soft_margin_loss(in[0], in[1], reduction); });
  }
  check_reduction("soft_margin_loss", reduction);
  return reduce(softplus_of_negative(target * input), reduction);
}

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const std::optional<Tensor>& weight, int64_t reduction) {
  check_reduction("multilabel_soft_margin_loss", reduction);
  check_floating("multilabel_soft_margin_loss", "input", input);
  EMBER_CHECK(input.dim() >= 1,
              "[multilabel_soft_margin_loss] expected input of shape (C) or "
              "(N, C); received input of shape ",
              input.sizes());
  Tensor loss = target * softplus_of_negative(input) + (1 - target) * softplus_of_negative(-input);
  if (weight) {
    loss = loss * *weight;
  }
  return reduce(loss.sum({-1}) / static_cast<double>(input.size(-1)), reduction);
}

Tensor multi_margin_loss(const Tensor& input, const Tensor& target, const Scalar& p,
                         const Scalar& margin, const std::optional<Tensor>& weight,
                         int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target, weight.value_or(Tensor())}, [&](const auto& in) {
      return multi_margin_loss(in[0], in[1], p, margin,
                               in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt,
                               reduction);
    });
  }
  check_reduction("multi_margin_loss", reduction);
  const double order = p.to_double();
  EMBER_CHECK(order == 1 || order == 2, "[multi_margin_loss] expected p 1 or 2; received p ",
              order);
  check_floating("multi_margin_loss", "input", input);
  EMBER_CHECK((input.dim() == 1 || input.dim() == 2) && input.size(-1) > 0,
              "[multi_margin_loss] expected input of shape (C) or (N, C) with C > 0; "
              "received input of shape ",
              input.sizes());
  check_class_target("multi_margin_loss", input, target);
  const int64_t classes = input.size(-1);
  check_class_weight("multi_margin_loss", weight, classes);
  check_class_range("multi_margin_loss", input, target, classes, std::nullopt);

  const Tensor index = target.unsqueeze(-1);
  // PyTorch's kernel adds a term only where it is positive, so a NaN term counts as 0.
  const Tensor terms = input - input.gather(-1, index) + margin.to_double();
  Tensor hinge = where(terms > 0, terms, zeros_like(terms));
  if (order == 2) {
    hinge = hinge * hinge;
  }
  if (weight) {
    hinge = hinge * weight->index_select(0, target.flatten()).view(index.sizes());
  }
  const Tensor is_target = arange(classes, TensorOptions(kInt64)) == index;
  const Tensor loss = hinge.masked_fill(is_target, 0).sum({-1}) / static_cast<double>(classes);
  return reduce(loss, reduction);
}

Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  if (autocast::active()) {
    return autocast::float32({input, target}, [&](const auto& in) {
      return multilabel_margin_loss(in[0], in[1], reduction);
    });
  }
  check_reduction("multilabel_margin_loss", reduction);
  check_floating("multilabel_margin_loss", "input", input);
  EMBER_CHECK((input.dim() == 1 || input.dim() == 2) && input.size(-1) > 0,
              "[multilabel_margin_loss] expected input of shape (C) or (N, C) with C > 0; "
              "received input of shape ",
              input.sizes());
  EMBER_CHECK(target.dtype() == kInt64,
              "[multilabel_margin_loss] expected target of dtype int64; received target of "
              "dtype ",
              target.dtype(), " and shape ", target.sizes());
  EMBER_CHECK(target.sizes() == input.sizes(),
              "[multilabel_margin_loss] expected target of input's shape ", input.sizes(),
              "; received target of shape ", target.sizes());
  const int64_t classes = input.size(-1);
  check_class_range("multilabel_margin_loss", input, target, classes, -1);
  // The listed labels are those before the first -1 of each row.
  const Tensor listed = (target >= 0).to(kInt64).cumprod(-1) == 1;
  // How often each class is listed (PyTorch counts a repeated label twice).
  const Tensor safe_labels = target.masked_fill(logical_not(listed), 0);
  const Tensor counts = zeros_like(input).scatter_add(-1, safe_labels, listed.to(input.dtype()));
  const Tensor unlisted = (counts == 0).to(input.dtype());
  // hinge[..., j, k] = max(0, 1 - (x[j] - x[k])) for listed j and unlisted k.
  // PyTorch's kernel adds only positive terms of counted pairs (a NaN or inf elsewhere is not
  // read).
  const Tensor terms = 1 - (input.unsqueeze(-1) - input.unsqueeze(-2));
  const Tensor pair_weight = counts.unsqueeze(-1) * unlisted.unsqueeze(-2);
  const Tensor counted = (terms > 0) & (pair_weight > 0);
  const Tensor hinge = where(counted, terms * pair_weight, zeros_like(terms));
  return reduce(hinge.sum({-2, -1}) / static_cast<double>(classes), reduction);
}

}  // namespace ember
