// Bindings of the losses (ember/ops/nn_loss.h) in ember._C._nn. They take PyTorch's reduction
// strings; ember.nn.functional wraps them to add the legacy size_average/reduce arguments.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string_view.h>

#include "convert.h"
#include "ember/ops/nn_loss.h"
#include "nn.h"

namespace ember::python {

void init_nn_loss(nb::module_& nn_module) {
  using OptionalTensor = std::optional<Tensor>;
  // Losses of (input, target, reduction).
#define EMBER_PAIR_LOSS(name, doc)                                                  \
  nn_module.def(                                                                    \
      #name,                                                                        \
      [](const Tensor& input, const Tensor& target, std::string_view reduction) {   \
        return ember::name(input, target, reduction_from_string(#name, reduction)); \
      },                                                                            \
      nb::arg("input"), nb::arg("target"), nb::arg("reduction") = "mean",           \
      nb::sig("def " #name "(input, target, reduction='mean') -> Tensor"), doc);
  EMBER_PAIR_LOSS(l1_loss, "The mean (or sum) absolute difference |input - target|.")
  EMBER_PAIR_LOSS(mse_loss, "The mean (or sum) squared difference (input - target)^2.")
  EMBER_PAIR_LOSS(soft_margin_loss, "The logistic loss log(1 + exp(-target * input)).")
  EMBER_PAIR_LOSS(multilabel_margin_loss,
                  "The multi-label hinge loss of scores and lists of class indices ended by -1.")
#undef EMBER_PAIR_LOSS

  nn_module.def(
      "smooth_l1_loss",
      [](const Tensor& input, const Tensor& target, std::string_view reduction, double beta) {
        return smooth_l1_loss(input, target, reduction_from_string("smooth_l1_loss", reduction),
                              beta);
      },
      nb::arg("input"), nb::arg("target"), nb::arg("reduction") = "mean", nb::arg("beta") = 1.0,
      nb::sig("def smooth_l1_loss(input, target, reduction='mean', beta=1.0) -> Tensor"),
      "Squared error below beta, absolute error above it.");
  nn_module.def(
      "huber_loss",
      [](const Tensor& input, const Tensor& target, std::string_view reduction, double delta) {
        return huber_loss(input, target, reduction_from_string("huber_loss", reduction), delta);
      },
      nb::arg("input"), nb::arg("target"), nb::arg("reduction") = "mean", nb::arg("delta") = 1.0,
      nb::sig("def huber_loss(input, target, reduction='mean', delta=1.0) -> Tensor"),
      "Squared error below delta, delta-scaled absolute error above it.");
  nn_module.def(
      "nll_loss",
      [](const Tensor& input, const Tensor& target, const OptionalTensor& weight,
         int64_t ignore_index, std::string_view reduction) {
        return nll_loss(input, target, weight, reduction_from_string("nll_loss", reduction),
                        ignore_index);
      },
      nb::arg("input"), nb::arg("target"), nb::arg("weight") = nb::none(),
      nb::arg("ignore_index") = -100, nb::arg("reduction") = "mean",
      nb::sig("def nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean') "
              "-> Tensor"),
      "The negative log-likelihood loss of log-probabilities and class indices.");
  nn_module.def(
      "cross_entropy",
      [](const Tensor& input, const Tensor& target, const OptionalTensor& weight,
         int64_t ignore_index, std::string_view reduction, double label_smoothing) {
        return cross_entropy_loss(input, target, weight,
                                  reduction_from_string("cross_entropy", reduction), ignore_index,
                                  label_smoothing);
      },
      nb::arg("input"), nb::arg("target"), nb::arg("weight") = nb::none(),
      nb::arg("ignore_index") = -100, nb::arg("reduction") = "mean",
      nb::arg("label_smoothing") = 0.0,
      nb::sig("def cross_entropy(input, target, weight=None, ignore_index=-100, "
              "reduction='mean', label_smoothing=0.0) -> Tensor"),
      "The cross-entropy of logits and class indices or class probabilities.");
  nn_module.def(
      "binary_cross_entropy",
      [](const Tensor& input, const Tensor& target, const OptionalTensor& weight,
         std::string_view reduction) {
        return binary_cross_entropy(input, target, weight,
                                    reduction_from_string("binary_cross_entropy", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("weight") = nb::none(),
      nb::arg("reduction") = "mean",
      nb::sig("def binary_cross_entropy(input, target, weight=None, reduction='mean') -> Tensor"),
      "The binary cross-entropy of probabilities (each log clamped at -100).");
  nn_module.def(
      "binary_cross_entropy_with_logits",
      [](const Tensor& input, const Tensor& target, const OptionalTensor& weight,
         std::string_view reduction, const OptionalTensor& pos_weight) {
        return binary_cross_entropy_with_logits(
            input, target, weight, pos_weight,
            reduction_from_string("binary_cross_entropy_with_logits", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("weight") = nb::none(),
      nb::arg("reduction") = "mean", nb::arg("pos_weight") = nb::none(),
      nb::sig("def binary_cross_entropy_with_logits(input, target, weight=None, "
              "reduction='mean', pos_weight=None) -> Tensor"),
      "The binary cross-entropy of logits, computed stably.");
  nn_module.def(
      "kl_div",
      [](const Tensor& input, const Tensor& target, std::string_view reduction, bool log_target) {
        return kl_div(input, target, reduction, log_target);
      },
      nb::arg("input"), nb::arg("target"), nb::arg("reduction") = "mean",
      nb::arg("log_target") = false,
      nb::sig("def kl_div(input, target, reduction='mean', log_target=False) -> Tensor"),
      "The Kullback-Leibler divergence of target from input (log-probabilities).");
  nn_module.def(
      "poisson_nll_loss",
      [](const Tensor& input, const Tensor& target, bool log_input, bool full, double eps,
         std::string_view reduction) {
        return poisson_nll_loss(input, target, log_input, full, eps,
                                reduction_from_string("poisson_nll_loss", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("log_input") = true, nb::arg("full") = false,
      nb::arg("eps") = 1e-8, nb::arg("reduction") = "mean",
      nb::sig("def poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-08, "
              "reduction='mean') -> Tensor"),
      "The negative log-likelihood of target under a Poisson distribution of rate input.");
  nn_module.def(
      "gaussian_nll_loss",
      [](const Tensor& input, const Tensor& target, const Tensor& var, bool full, double eps,
         std::string_view reduction) {
        return gaussian_nll_loss(input, target, var, full, eps,
                                 reduction_from_string("gaussian_nll_loss", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("var"), nb::arg("full") = false,
      nb::arg("eps") = 1e-6, nb::arg("reduction") = "mean",
      nb::sig("def gaussian_nll_loss(input, target, var, full=False, eps=1e-06, "
              "reduction='mean') -> Tensor"),
      "The negative log-likelihood of target under a Gaussian of mean input and variance var.");
  nn_module.def(
      "margin_ranking_loss",
      [](const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
         std::string_view reduction) {
        return margin_ranking_loss(input1, input2, target, margin,
                                   reduction_from_string("margin_ranking_loss", reduction));
      },
      nb::arg("input1"), nb::arg("input2"), nb::arg("target"), nb::arg("margin") = 0.0,
      nb::arg("reduction") = "mean",
      nb::sig("def margin_ranking_loss(input1, input2, target, margin=0.0, reduction='mean') "
              "-> Tensor"),
      "max(0, -target * (input1 - input2) + margin).");
  nn_module.def(
      "hinge_embedding_loss",
      [](const Tensor& input, const Tensor& target, double margin, std::string_view reduction) {
        return hinge_embedding_loss(input, target, margin,
                                    reduction_from_string("hinge_embedding_loss", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("margin") = 1.0, nb::arg("reduction") = "mean",
      nb::sig("def hinge_embedding_loss(input, target, margin=1.0, reduction='mean') -> Tensor"),
      "input where target is 1, max(0, margin - input) where it is -1.");
  nn_module.def(
      "cosine_embedding_loss",
      [](const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
         std::string_view reduction) {
        return cosine_embedding_loss(input1, input2, target, margin,
                                     reduction_from_string("cosine_embedding_loss", reduction));
      },
      nb::arg("input1"), nb::arg("input2"), nb::arg("target"), nb::arg("margin") = 0.0,
      nb::arg("reduction") = "mean",
      nb::sig("def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction='mean') "
              "-> Tensor"),
      "1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1.");
  nn_module.def(
      "triplet_margin_loss",
      [](const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin,
         double p, double eps, bool swap, std::string_view reduction) {
        return triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                   reduction_from_string("triplet_margin_loss", reduction));
      },
      nb::arg("anchor"), nb::arg("positive"), nb::arg("negative"), nb::arg("margin") = 1.0,
      nb::arg("p") = 2.0, nb::arg("eps") = 1e-6, nb::arg("swap") = false,
      nb::arg("reduction") = "mean",
      nb::sig("def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, "
              "eps=1e-06, swap=False, reduction='mean') -> Tensor"),
      "max(0, margin + d(anchor, positive) - d(anchor, negative)), d the p-norm distance.");
  nn_module.def(
      "multilabel_soft_margin_loss",
      [](const Tensor& input, const Tensor& target, const OptionalTensor& weight,
         std::string_view reduction) {
        return multilabel_soft_margin_loss(
            input, target, weight, reduction_from_string("multilabel_soft_margin_loss", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("weight") = nb::none(),
      nb::arg("reduction") = "mean",
      nb::sig("def multilabel_soft_margin_loss(input, target, weight=None, reduction='mean') "
              "-> Tensor"),
      "The logistic loss of each label, averaged over the classes.");
  nn_module.def(
      "multi_margin_loss",
      [](const Tensor& input, const Tensor& target, double p, double margin,
         const OptionalTensor& weight, std::string_view reduction) {
        return multi_margin_loss(input, target, p, margin, weight,
                                 reduction_from_string("multi_margin_loss", reduction));
      },
      nb::arg("input"), nb::arg("target"), nb::arg("p") = 1, nb::arg("margin") = 1.0,
      nb::arg("weight") = nb::none(), nb::arg("reduction") = "mean",
      nb::sig("def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, "
              "reduction='mean') -> Tensor"),
      "The multi-class hinge loss of scores and class indices.");
  nn_module.def(
      "ctc_loss",
      [](const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
         const Tensor& target_lengths, int64_t blank, std::string_view reduction,
         bool zero_infinity) {
        return ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                        reduction_from_string("ctc_loss", reduction), zero_infinity);
      },
      nb::arg("log_probs"), nb::arg("targets"), nb::arg("input_lengths"), nb::arg("target_lengths"),
      nb::arg("blank") = 0, nb::arg("reduction") = "mean", nb::arg("zero_infinity") = false,
      nb::sig("def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, "
              "reduction='mean', zero_infinity=False) -> Tensor"),
      "The connectionist temporal classification loss of log_probs (T, N, C).");
}

}  // namespace ember::python
