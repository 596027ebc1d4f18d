// The loss functions of torch.nn (issue 9) with libtorch's signatures: ember::mse_loss(input,
// target, reduction), ember::nll_loss, ember::cross_entropy_loss, ... Each reduces its
// elementwise (or per-sample) loss as `reduction` says: Reduction::None (the unreduced loss),
// Reduction::Mean or Reduction::Sum. Most are composites differentiated through the ops they are
// built from; nll_loss, cross_entropy_loss (class indices) and binary_cross_entropy run
// primitives (primitives_nn_loss.h). nn.functional and the loss modules of both languages only
// forward to them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ember/ops/ops.h"

namespace ember {

// libtorch's at::Reduction: the int64_t `reduction` argument of the losses.
namespace Reduction {
enum Reduction : int64_t { None = 0, Mean = 1, Sum = 2 };
}  // namespace Reduction

// PyTorch's reduction strings ("none", "mean", "sum") as the enum; `op` names the loss in the
// ValueError an unknown string raises.
int64_t reduction_from_string(std::string_view op, std::string_view reduction);

// |input - target| and (input - target)^2; input and target broadcast.
Tensor l1_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean);
Tensor mse_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean);
// 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (beta = 0: the L1 loss), d = input - target.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      int64_t reduction = Reduction::Mean, double beta = 1.0);
// 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta); delta > 0.
Tensor huber_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean,
                  double delta = 1.0);

// The negative log-likelihood of class indices: input (C), (N, C) or (N, C, d1, ..., dk) holds
// log-probabilities, target (), (N) or (N, d1, ..., dk) int64 class indices in [0, C) or
// ignore_index. weight (C) rescales each class; Mean divides by the summed weight of the
// targets that are not ignored.
Tensor nll_loss(const Tensor& input, const Tensor& target,
                const std::optional<Tensor>& weight = std::nullopt,
                int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
// log_softmax over the class dim (dim 1, or 0 for an input of one dim) then nll_loss, fused for
// class indices: one pass per position computes the logsumexp and the loss, without the
// log_softmax tensor, and the gradient (softmax - target distribution) times the position's
// scale is one more pass. A floating target holds class probabilities of input's shape instead
// (a composite; ignore_index does not apply).
// label_smoothing in [0, 1] mixes the target with the uniform distribution.
Tensor cross_entropy_loss(const Tensor& input, const Tensor& target,
                          const std::optional<Tensor>& weight = std::nullopt,
                          int64_t reduction = Reduction::Mean, int64_t ignore_index = -100,
                          double label_smoothing = 0.0);

// The composites nll_loss and cross_entropy_loss ran as before their primitives (log_softmax,
// gather, sums): the references the fused kernels are tested against.
namespace detail {
Tensor nll_loss_composite(const Tensor& input, const Tensor& target,
                          const std::optional<Tensor>& weight = std::nullopt,
                          int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
Tensor cross_entropy_composite(const Tensor& input, const Tensor& target,
                               const std::optional<Tensor>& weight = std::nullopt,
                               int64_t reduction = Reduction::Mean, int64_t ignore_index = -100,
                               double label_smoothing = 0.0);
}  // namespace detail

// -weight (target log(input) + (1 - target) log(1 - input)), each log clamped at -100; input in
// [0, 1] and of target's shape. The gradient is PyTorch's, finite at 0 and 1:
// weight (input - target) / max(input (1 - input), 1e-12).
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const std::optional<Tensor>& weight = std::nullopt,
                            int64_t reduction = Reduction::Mean);
// binary_cross_entropy(sigmoid(input), target) computed stably from the logits; pos_weight
// (broadcast along the last dim) weights the positive term.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const std::optional<Tensor>& weight = std::nullopt,
                                        const std::optional<Tensor>& pos_weight = std::nullopt,
                                        int64_t reduction = Reduction::Mean);

// target (log(target) - input), input holding log-probabilities (target too with log_target).
Tensor kl_div(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean,
              bool log_target = false);
// torch.nn.functional.kl_div's reductions: "none", "mean", "sum" and "batchmean" (the sum
// divided by the batch size input.size(0)).
Tensor kl_div(const Tensor& input, const Tensor& target, std::string_view reduction,
              bool log_target = false);
// exp(input) - target input (log_input) or input - target log(input + eps); full adds Stirling's
// approximation of log(target!) where target > 1.
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input = true,
                        bool full = false, double eps = 1e-8, int64_t reduction = Reduction::Mean);
// 0.5 (log(max(var, eps)) + (input - target)^2 / max(var, eps)) (+ 0.5 log(2 pi) with full); var
// has input's shape, or input's without the last dim, or that with a last dim of 1. The clamp
// is not differentiated (PyTorch's), so var's gradient is that of the unclamped formula.
Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         bool full = false, double eps = 1e-6, int64_t reduction = Reduction::Mean);

// max(0, -target (input1 - input2) + margin), target of 1 and -1.
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           double margin = 0.0, int64_t reduction = Reduction::Mean);
// input where target is 1, max(0, margin - input) where it is -1.
Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, double margin = 1.0,
                            int64_t reduction = Reduction::Mean);
// 1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1; the cosine
// over the last dim of (N, D) or (D) inputs.
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             double margin = 0.0, int64_t reduction = Reduction::Mean);
// max(0, margin + d(anchor, positive) - d(anchor, negative)), d the p-norm of the difference
// (+ eps) over the last dim; swap takes d(positive, negative) where it is smaller.
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           double margin = 1.0, double p = 2, double eps = 1e-6, bool swap = false,
                           int64_t reduction = Reduction::Mean);
// log(1 + exp(-target input)), target of 1 and -1.
Tensor soft_margin_loss(const Tensor& input, const Tensor& target,
                        int64_t reduction = Reduction::Mean);
// The mean over the classes (last dim) of the logistic loss of each label (target 0 or 1).
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const std::optional<Tensor>& weight = std::nullopt,
                                   int64_t reduction = Reduction::Mean);
// The multi-class hinge loss of (N, C) or (C) scores and class indices: the sum over the other
// classes j of weight[y] max(0, margin - x[y] + x[j])^p, divided by C; p is 1 or 2.
Tensor multi_margin_loss(const Tensor& input, const Tensor& target, const Scalar& p = 1,
                         const Scalar& margin = 1,
                         const std::optional<Tensor>& weight = std::nullopt,
                         int64_t reduction = Reduction::Mean);
// The multi-label hinge loss: target (of input's shape) lists class indices, ended by the first
// -1; the sum over listed j and unlisted k of max(0, 1 - (x[j] - x[k])), divided by C.
Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                              int64_t reduction = Reduction::Mean);

// The connectionist temporal classification loss: the negative log-likelihood of each target
// sequence summed over its alignments with the frames of log_probs (T, N, C) (or (T, C)), by the
// alpha recursion in log space. targets: (N, S) padded or the concatenated (sum(target_lengths))
// sequences, integer class indices other than blank; input_lengths <= T. Mean divides each loss
// by its target length before the batch mean; an impossible alignment costs inf (0 with
// zero_infinity). The gradient is the true derivative w.r.t. log_probs (gradcheck holds for any
// log_probs). PyTorch's kernel returns that plus exp(log_probs[t, n, :]) g[n] at every frame
// t < input_lengths[n], g[n] being sample n's upstream gradient (1 / (target_length N) of the
// loss's for Mean); checked against PyTorch 1.13 to 1e-9 on (5, 2, 4) log_softmax inputs with
// every reduction. PyTorch's kernel assumes log_probs = log_softmax(logits): the extra term is
// then softmax times a per-frame constant, which log_softmax's backward maps to zero, so both
// give the same logits gradient (the one training uses); the log_probs gradients differ by it.
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank = 0,
                int64_t reduction = Reduction::Mean, bool zero_infinity = false);
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                IntArrayRef target_lengths, int64_t blank = 0, int64_t reduction = Reduction::Mean,
                bool zero_infinity = false);

}  // namespace ember
