// Primitives of the classification losses (see primitives.h for the contract): nll_loss,
// the fused cross_entropy of class indices, their gradients, and the elementwise binary cross
// entropy. The op functions (ops/nn_loss_nll.cpp) validate the targets before any kernel runs,
// so every kernel reads only indices in [0, C) or skips ignore_index. Inputs come in the
// canonical layout (N, C, S): S = d1 * ... * dk, 1 for (N, C) and (C) inputs.
#pragma once

#include <cstdint>

#include "ember/ops/primitive.h"

namespace ember {

// The parameters nll_loss and cross_entropy share: reduction (Reduction::None/Mean/Sum) and the
// target value whose positions count for nothing.
struct ClassLossOptions {
  int64_t reduction;
  int64_t ignore_index;
};

// inputs: input (contiguous (N, C, S) log-probabilities, float32 or float64), target (contiguous
// int64 (N, S)), weight (contiguous (C), input's dtype); outputs: loss ((N, S) for None, () for
// Mean and Sum), total_weight () (the summed weight of the targets not ignored).
// loss[n, s] = -weight[t] input[n, t, s] with t = target[n, s]; Mean divides the sum by
// total_weight.
class NllLoss final : public Primitive {
 public:
  EMBER_PRIMITIVE(NllLoss, NllLoss)
  explicit NllLoss(ClassLossOptions options) : options_(options) {}
  const ClassLossOptions& options() const { return options_; }
  std::string_view name() const override { return "nll_loss"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ClassLossOptions options_;
};

// inputs: grad_output (of NllLoss's loss), target, weight, total_weight (NllLoss's inputs 1, 2
// and output 1); outputs: grad_input (N, C, S), zero except -weight[t] grad (/ total_weight for
// Mean) at each target not ignored.
class NllLossBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(NllLossBackward, NllLossBackward)
  explicit NllLossBackward(ClassLossOptions options) : options_(options) {}
  const ClassLossOptions& options() const { return options_; }
  std::string_view name() const override { return "nll_loss_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ClassLossOptions options_;
};

// cross_entropy of logits and class indices in one pass per position, without the
// log_softmax tensor. inputs: logits (contiguous (N, C, S), float32 or float64), target
// (contiguous int64 (N, S)), weight (contiguous (C)); outputs: loss ((N, S) or ()), logsumexp
// (N, S), total_weight (). With l = logsumexp - logits (= -log_softmax), eps = label_smoothing:
// loss[n, s] = (1 - eps) weight[t] l[t] + eps / C sum_c weight[c] l[c], 0 where ignored.
class CrossEntropy final : public Primitive {
 public:
  EMBER_PRIMITIVE(CrossEntropy, CrossEntropy)
  CrossEntropy(ClassLossOptions options, double label_smoothing)
      : options_(options), label_smoothing_(label_smoothing) {}
  const ClassLossOptions& options() const { return options_; }
  double label_smoothing() const { return label_smoothing_; }
  std::string_view name() const override { return "cross_entropy_loss"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ClassLossOptions options_;
  double label_smoothing_;
};

// inputs: grad_output, logits, target, weight, logsumexp, total_weight; outputs: grad_logits
// (N, C, S) = g (a softmax(logits) - b) in one pass, with g = grad_output (/ total_weight for
// Mean, 0 where ignored), a = (1 - eps) weight[t] + eps / C sum(weight) and
// b[c] = (1 - eps) weight[t] [c == t] + eps / C weight[c].
class CrossEntropyBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(CrossEntropyBackward, CrossEntropyBackward)
  CrossEntropyBackward(ClassLossOptions options, double label_smoothing)
      : options_(options), label_smoothing_(label_smoothing) {}
  const ClassLossOptions& options() const { return options_; }
  double label_smoothing() const { return label_smoothing_; }
  std::string_view name() const override { return "cross_entropy_loss_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  ClassLossOptions options_;
  double label_smoothing_;
};

// inputs: input (probabilities in [0, 1]), target, both contiguous of one shape and floating
// dtype; outputs: -(target log(input) + (1 - target) log(1 - input)) elementwise, each log
// clamped at -100 (PyTorch's). Its own primitive for PyTorch's gradient, finite at 0 and 1:
// (input - target) / max(input (1 - input), 1e-12).
class BinaryCrossEntropy final : public Primitive {
 public:
  EMBER_PRIMITIVE(BinaryCrossEntropy, BinaryCrossEntropy)
  std::string_view name() const override { return "binary_cross_entropy"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;
};

}  // namespace ember
