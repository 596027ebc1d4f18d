// ember::distributions as a libtorch user would write a policy-gradient step: a Categorical over
// a linear policy's logits, sample actions, log_prob and entropy into a loss, backward; a Normal
// policy's reparameterised draws; a Bernoulli; seeded draws; and the errors of bad parameters.
// With --print it writes seeded values that python/tests/test_distributions_cpp.py compares with
// ember.distributions (the same C++ math and generator, so the same numbers).
#include <ember/ember.h>

#include <ember/distributions/distributions.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "check.h"

namespace torch = ember;
namespace dist = ember::distributions;

namespace {

void print(const char* name, const torch::Tensor& values) {
  auto flat = values.to(torch::kFloat64).contiguous().reshape({-1});
  std::printf("%s", name);
  for (int64_t i = 0; i < flat.numel(); ++i) std::printf(" %.17g", flat[i].item<double>());
  std::printf("\n");
}

// The values the Python test recomputes: fixed parameters, draws after manual_seed.
void print_reference_values() {
  auto loc = torch::tensor({0.5, -1.0, 2.0}, torch::kFloat64);
  auto scale = torch::tensor({1.0, 0.5, 2.0}, torch::kFloat64);
  dist::Normal normal(loc, scale);
  torch::manual_seed(123);
  print("normal_sample", normal.sample({2}));
  print("normal_log_prob", normal.log_prob(torch::tensor({0.0, 0.0, 0.0}, torch::kFloat64)));
  print("normal_entropy", normal.entropy());
  print("normal_cdf", normal.cdf(torch::tensor({0.0, 0.0, 0.0}, torch::kFloat64)));
  print("normal_icdf", normal.icdf(torch::tensor({0.1, 0.5, 0.9}, torch::kFloat64)));
  auto probs = torch::tensor({{0.2, 0.3, 0.5}, {0.6, 0.3, 0.1}}, torch::kFloat64);
  dist::Categorical categorical(probs);
  torch::manual_seed(123);
  print("categorical_sample", categorical.sample({4}));
  print("categorical_log_prob", categorical.log_prob(torch::tensor({2, 0})));
  print("categorical_entropy", categorical.entropy());
  dist::Bernoulli bernoulli(std::nullopt, torch::tensor({-1.0, 0.0, 2.0}, torch::kFloat64));
  torch::manual_seed(123);
  print("bernoulli_sample", bernoulli.sample({3}));
  print("bernoulli_log_prob", bernoulli.log_prob(torch::tensor({1.0, 0.0, 1.0}, torch::kFloat64)));
  print("bernoulli_entropy", bernoulli.entropy());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--print") == 0) {
    print_reference_values();
    return 0;
  }
  torch::manual_seed(0);

  // REINFORCE's step: log_prob of the sampled actions weighted by returns, minus an entropy bonus.
  torch::nn::Linear policy(4, 2);
  auto observations = torch::randn({8, 4});
  dist::Categorical pi(std::nullopt, policy->forward(observations));
  auto actions = pi.sample();
  CHECK(actions.sizes() == std::vector<int64_t>({8}) && actions.scalar_type() == torch::kLong);
  CHECK(pi.batch_shape() == torch::Shape({8}));
  auto returns = torch::randn({8});
  auto loss = -(pi.log_prob(actions) * returns).mean() - 0.01 * pi.entropy().mean();
  loss.backward();
  CHECK(policy->weight.grad().defined());
  CHECK(torch::allclose(pi.probs().sum(-1), torch::ones({8})));

  // A Gaussian policy: rsample keeps the graph to loc and scale, sample does not.
  auto mean = torch::zeros({3}, torch::requires_grad());
  auto log_std = torch::zeros({3}, torch::requires_grad());
  dist::Normal gaussian(mean, log_std.exp());
  auto draws = gaussian.rsample({5});
  CHECK(draws.sizes() == std::vector<int64_t>({5, 3}));
  draws.sum().backward();
  CHECK(std::abs(mean.grad()[0].item<float>() - 5.0f) < 1e-6f);
  CHECK(!gaussian.sample({2}).requires_grad());
  CHECK(gaussian.has_rsample());

  // Seeded draws repeat, with the default generator and with a private one.
  torch::manual_seed(9);
  auto first = gaussian.sample({4});
  torch::manual_seed(9);
  CHECK(torch::equal(first, gaussian.sample({4})));
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(42);
  auto flips = dist::Bernoulli(torch::full({6}, 0.5)).sample({2}, gen);
  CHECK(flips.sizes() == std::vector<int64_t>({2, 6}));
  CHECK(((flips == 0) | (flips == 1)).all().item<bool>());

  // The math as free functions, as Python's ember.distributions calls it.
  auto lp = dist::normal_log_prob(torch::zeros({1}), torch::ones({1}), torch::zeros({1}));
  CHECK(std::abs(lp.item<float>() + 0.5f * std::log(2.0f * 3.14159265f)) < 1e-6f);

  // Bad parameters are typed errors naming the distribution.
  bool raised = false;
  try {
    dist::Normal(torch::zeros({2}), torch::tensor({1.0f, -1.0f}));
  } catch (const torch::ValueError& error) {
    raised =
        std::string(error.what()).find("[Normal] expected parameter scale") != std::string::npos;
  }
  CHECK(raised);
  raised = false;
  try {
    dist::Categorical(torch::tensor({0.5f, 0.5f}), torch::tensor({0.0f, 0.0f}));
  } catch (const torch::ValueError& error) {
    raised = std::string(error.what()).find("not both") != std::string::npos;
  }
  CHECK(raised);
  return 0;
}
