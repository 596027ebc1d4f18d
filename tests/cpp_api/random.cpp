// Random numbers as a libtorch user writes them: a private generator made with make_generator
// (or createCPUGenerator), seeded and locked through its mutex, passed to the factories and the
// in-place samplers; its state saved and restored; the default generator's seed.
#include <ember/ember.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "check.h"

namespace torch = ember;

int main() {
  torch::manual_seed(0);
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(42);
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(7);
  }
  CHECK(gen.current_seed() == 7);
  auto other = torch::detail::createCPUGenerator(7);

  auto a = torch::randn({2, 3}, gen, torch::TensorOptions().dtype(torch::kFloat64));
  auto b = torch::randn({2, 3}, other, torch::kFloat64);
  CHECK(torch::equal(a, b));
  CHECK(torch::rand({4}, gen).min().item<float>() >= 0);
  auto ints = torch::randint(10, {100}, gen);
  CHECK(ints.scalar_type() == torch::kLong && ints.max().item<int64_t>() < 10);
  CHECK(torch::randint(3, 5, {10}, gen, torch::kInt).min().item<int>() >= 3);

  auto perm = torch::randperm(10, gen);
  std::vector<int64_t> sorted(perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + 10);
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 10; ++i) CHECK(sorted[i] == i);

  auto probs = torch::tensor({0.1, 0.0, 0.9});
  auto picks = torch::multinomial(probs, 2, /*replacement=*/false, gen);
  CHECK(picks.size(0) == 2 && (picks != 1).all().item<bool>());
  CHECK(probs.multinomial(5, true, gen).size(0) == 5);

  auto mean = torch::zeros({3});
  auto stddev = torch::ones({3});
  CHECK(torch::normal(mean, stddev, gen).sizes() == std::vector<int64_t>({3}));
  CHECK(torch::normal(2.0, 0.0, {2}, gen).sum().item<double>() == 4.0);
  CHECK(torch::poisson(torch::full({5}, 2.0), gen).min().item<double>() >= 0);
  CHECK(torch::bernoulli(torch::full({5}, 1.0), gen).sum().item<double>() == 5);

  auto state = gen.get_state();
  auto x = torch::empty({1000});
  x.uniform_(-1, 1, gen);
  x.normal_(0, 1, gen);
  x.exponential_(1.5, gen);
  CHECK(x.min().item<float>() > 0);
  auto first = x.clone();
  gen.set_state(state);
  auto y = torch::empty({1000});
  y.uniform_(-1, 1, gen);
  y.normal_(0, 1, gen);
  y.exponential_(1.5, gen);
  CHECK(torch::equal(first, y));
  x.cauchy_(0, 1, gen);
  x.log_normal_(1, 2, gen);
  x.geometric_(0.5, gen);
  CHECK(x.min().item<float>() >= 1);
  x.random_(0, 4, gen);
  CHECK(x.max().item<float>() <= 3);
  x.bernoulli_(0.5, gen);

  // The default generator: a seed, its state, and the overloads without a generator.
  torch::manual_seed(123);
  CHECK(torch::detail::getDefaultCPUGenerator().current_seed() == 123);
  auto saved = torch::detail::getDefaultCPUGenerator().get_state();
  auto c = torch::rand({3});
  auto default_gen = torch::detail::getDefaultCPUGenerator();
  default_gen.set_state(saved);
  CHECK(torch::equal(torch::rand({3}), c));
  CHECK(torch::randperm(4).size(0) == 4);
  CHECK(torch::randint_like(ints, 2).max().item<int64_t>() <= 1);
  return 0;
}
