// ember._C._distributions: the C++ math of Normal, Bernoulli and Categorical
// (ember/distributions/functional.h) for python/ember/distributions/, so that the C++ classes and
// the Python classes compute the same values with the same code.
#include "distributions.h"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "convert.h"
#include "ember/distributions/functional.h"

namespace ember::python {

namespace dist = ember::distributions;

void init_distributions(nb::module_& module) {
  nb::module_ m = module.def_submodule("_distributions", "ember.distributions' C++ math.");
  m.def("clamp_probs", &dist::clamp_probs, nb::arg("probs"),
        nb::sig("def clamp_probs(probs) -> Tensor"),
        "probs clamped into [eps, 1 - eps] of their dtype.");
  m.def("probs_to_logits", &dist::probs_to_logits, nb::arg("probs"), nb::arg("is_binary") = false,
        nb::sig("def probs_to_logits(probs, is_binary=False) -> Tensor"),
        "Log-odds (binary) or log-probabilities (categorical) of clamped probs.");
  m.def("logits_to_probs", &dist::logits_to_probs, nb::arg("logits"), nb::arg("is_binary") = false,
        nb::sig("def logits_to_probs(logits, is_binary=False) -> Tensor"),
        "sigmoid(logits) (binary) or softmax over the last dim (categorical).");
  m.def("normal_log_prob", &dist::normal_log_prob, nb::arg("loc"), nb::arg("scale"),
        nb::arg("value"), nb::sig("def normal_log_prob(loc, scale, value) -> Tensor"),
        "log N(value; loc, scale^2).");
  m.def("normal_entropy", &dist::normal_entropy, nb::arg("scale"),
        nb::sig("def normal_entropy(scale) -> Tensor"), "The entropy of N(., scale^2).");
  m.def("normal_cdf", &dist::normal_cdf, nb::arg("loc"), nb::arg("scale"), nb::arg("value"),
        nb::sig("def normal_cdf(loc, scale, value) -> Tensor"),
        "P(X <= value), X ~ N(loc, scale^2).");
  m.def("normal_icdf", &dist::normal_icdf, nb::arg("loc"), nb::arg("scale"), nb::arg("probability"),
        nb::sig("def normal_icdf(loc, scale, probability) -> Tensor"),
        "The quantile of N(loc, scale^2) at probability.");
  m.def(
      "normal_rsample",
      [](const Tensor& loc, const Tensor& scale, const std::vector<int64_t>& shape,
         std::optional<Generator> generator) {
        return dist::normal_rsample(loc, scale, shape, std::move(generator));
      },
      nb::arg("loc"), nb::arg("scale"), nb::arg("shape"), nb::arg("generator") = nb::none(),
      nb::sig("def normal_rsample(loc, scale, shape, generator=None) -> Tensor"),
      "loc + scale * eps, eps ~ N(0, 1) of shape: differentiable in loc and scale.");
  m.def("bernoulli_log_prob", &dist::bernoulli_log_prob, nb::arg("logits"), nb::arg("value"),
        nb::sig("def bernoulli_log_prob(logits, value) -> Tensor"),
        "log p(value) of Bernoulli(logits): -binary_cross_entropy_with_logits.");
  m.def("bernoulli_entropy", &dist::bernoulli_entropy, nb::arg("logits"),
        nb::sig("def bernoulli_entropy(logits) -> Tensor"), "The entropy of Bernoulli(logits).");
  m.def(
      "bernoulli_sample",
      [](const Tensor& probs, const std::vector<int64_t>& shape,
         std::optional<Generator> generator) {
        return dist::bernoulli_sample(probs, shape, std::move(generator));
      },
      nb::arg("probs"), nb::arg("shape"), nb::arg("generator") = nb::none(),
      nb::sig("def bernoulli_sample(probs, shape, generator=None) -> Tensor"),
      "0/1 draws of Bernoulli(probs expanded to shape), in probs' dtype.");
  m.def("categorical_normalize_logits", &dist::categorical_normalize_logits, nb::arg("logits"),
        nb::sig("def categorical_normalize_logits(logits) -> Tensor"),
        "logits - logsumexp(logits, -1): normalised log-probabilities.");
  m.def("categorical_log_prob", &dist::categorical_log_prob, nb::arg("logits"), nb::arg("value"),
        nb::sig("def categorical_log_prob(logits, value) -> Tensor"),
        "log p(value) of Categorical(normalised logits), value broadcast against the batch.");
  m.def("categorical_entropy", &dist::categorical_entropy, nb::arg("logits"), nb::arg("probs"),
        nb::sig("def categorical_entropy(logits, probs) -> Tensor"),
        "-sum(probs * logits) over the last dim, finite where a probability is 0.");
  m.def(
      "categorical_sample",
      [](const Tensor& probs, const std::vector<int64_t>& sample_shape,
         std::optional<Generator> generator) {
        return dist::categorical_sample(probs, sample_shape, std::move(generator));
      },
      nb::arg("probs"), nb::arg("sample_shape"), nb::arg("generator") = nb::none(),
      nb::sig("def categorical_sample(probs, sample_shape, generator=None) -> Tensor"),
      "int64 category indices of shape sample_shape + probs.shape[:-1].");
}

}  // namespace ember::python
