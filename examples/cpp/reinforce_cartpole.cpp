// REINFORCE on CartPole-v1 in C++: the program of examples/python/reinforce_cartpole.py over
// ember::env and ember::distributions::Categorical. Each episode's log-probabilities are weighted
// by the normalised discounted returns that followed them.
// Usage: reinforce_cartpole [episodes] - stops once the last 20 episodes average 195, and fails
// (exit status 1) unless they average at least 150 by the end.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <numeric>
#include <vector>

#include "ember/distributions/categorical.h"
#include "ember/ember.h"
#include "ember/env/registry.h"

namespace {

constexpr double kGamma = 0.99;
constexpr double kTarget = 195.0;
constexpr double kPass = 150.0;

struct Policy : ember::nn::Module {
  Policy(int64_t observation_size, int64_t num_actions, int64_t hidden = 64) {
    body = register_module("hidden", ember::nn::Linear(observation_size, hidden));
    head = register_module("logits", ember::nn::Linear(hidden, num_actions));
  }
  ember::Tensor forward(const ember::Tensor& observation) {
    return head(ember::tanh(body(observation)));
  }
  ember::nn::Linear body{nullptr}, head{nullptr};
};

// G_t = r_t + gamma * G_{t+1}, normalised to mean 0 and standard deviation 1.
ember::Tensor discounted_returns(const std::vector<double>& rewards) {
  std::vector<double> returns(rewards.size());
  double running = 0.0;
  for (size_t t = rewards.size(); t-- > 0;) {
    running = rewards[t] + kGamma * running;
    returns[t] = running;
  }
  const double n = static_cast<double>(returns.size());
  const double mean = std::accumulate(returns.begin(), returns.end(), 0.0) / n;
  double variance = 0.0;
  for (double value : returns) variance += (value - mean) * (value - mean) / n;
  const double scale = 1.0 / (std::sqrt(variance) + 1e-8);
  ember::Tensor weights = ember::empty({static_cast<int64_t>(returns.size())});
  float* out = weights.data_ptr<float>();
  for (size_t t = 0; t < returns.size(); ++t)
    out[t] = static_cast<float>((returns[t] - mean) * scale);
  return weights;
}

double last_mean(const std::vector<double>& values, size_t count) {
  const size_t n = std::min(count, values.size());
  return std::accumulate(values.end() - static_cast<std::ptrdiff_t>(n), values.end(), 0.0) /
         static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const int episodes = argc > 1 ? std::atoi(argv[1]) : 600;
  ember::manual_seed(0);
  auto env = ember::env::make("CartPole-v1");
  Policy policy(4, 2);
  ember::optim::Adam optimizer(policy.parameters(), ember::optim::AdamOptions(1e-2));
  std::vector<double> episode_returns;
  for (int episode = 0; episode < episodes; ++episode) {
    ember::Tensor observation = episode == 0 ? env->reset(0).observation : env->reset().observation;
    std::vector<ember::Tensor> log_probs;
    std::vector<double> rewards;
    bool done = false;
    while (!done) {
      ember::distributions::Categorical dist(std::nullopt, policy.forward(observation));
      ember::Tensor action = dist.sample();
      log_probs.push_back(dist.log_prob(action));
      ember::env::StepResult step = env->step(action);
      observation = step.observation;
      rewards.push_back(step.reward);
      done = step.terminated || step.truncated;
    }
    ember::Tensor loss = -(ember::stack(log_probs) * discounted_returns(rewards)).sum();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    episode_returns.push_back(std::accumulate(rewards.begin(), rewards.end(), 0.0));
    if (episode % 20 == 0)
      std::cout << "episode " << episode << " return " << episode_returns.back() << " last-20 mean "
                << last_mean(episode_returns, 20) << "\n";
    if (episode_returns.size() >= 20 && last_mean(episode_returns, 20) >= kTarget) break;
  }
  const double result = last_mean(episode_returns, 20);
  std::cout << episode_returns.size() << " episodes, last-20 mean return " << result << "\n";
  return result >= kPass ? EXIT_SUCCESS : EXIT_FAILURE;
}
