// A2C on 8 CartPole-v1 envs stepped together by ember::env::SyncVectorEnv: the program of
// examples/python/a2c_cartpole.py. One network with a policy head and a value head, n-step
// returns and an entropy bonus. The vector env autoresets in Gymnasium's NEXT_STEP mode: the
// step after an episode ends ignores that env's action and returns its first observation with
// reward 0, so that transition is masked out of the loss and no return bootstraps across it.
// Usage: a2c_cartpole [updates] - stops once the last 20 finished episodes average 150, and fails
// (exit status 1) unless they do by the end.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <numeric>
#include <vector>

#include "ember/distributions/categorical.h"
#include "ember/ember.h"
#include "ember/env/registry.h"
#include "ember/env/vector_env.h"

namespace {

constexpr int64_t kEnvs = 8;
constexpr int64_t kSteps = 8;
constexpr double kGamma = 0.99;
constexpr double kEntropyCoef = 0.01;
constexpr double kValueCoef = 0.5;
constexpr double kTarget = 150.0;

struct ActorCritic : ember::nn::Module {
  ActorCritic(int64_t observation_size, int64_t num_actions, int64_t hidden = 64) {
    body = register_module("body", ember::nn::Linear(observation_size, hidden));
    policy = register_module("policy", ember::nn::Linear(hidden, num_actions));
    value = register_module("value", ember::nn::Linear(hidden, 1));
  }
  // (logits, values) for a batch of observations.
  std::pair<ember::Tensor, ember::Tensor> forward(const ember::Tensor& observations) {
    ember::Tensor features = ember::tanh(body(observations));
    return {policy(features), value(features).squeeze(-1)};
  }
  ember::nn::Linear body{nullptr}, policy{nullptr}, value{nullptr};
};

// One rollout's per-step data, row t * kEnvs + i for env i at step t.
struct Rollout {
  std::vector<double> rewards, terminated, truncated, valid;
};

// n-step returns (kSteps, kEnvs); values (kSteps + 1, kEnvs) are V of every observation. After a
// done the next transition is an autoreset: bootstrap from the final observation when truncated,
// from nothing when terminated.
ember::Tensor n_step_returns(const Rollout& rollout, const ember::Tensor& values) {
  const ember::Tensor v = values.to(ember::kFloat64).contiguous();
  const double* value = v.data_ptr<double>();
  ember::Tensor returns = ember::empty({kSteps, kEnvs});
  float* out = returns.data_ptr<float>();
  std::vector<double> running(value + kSteps * kEnvs, value + (kSteps + 1) * kEnvs);
  for (int64_t t = kSteps - 1; t >= 0; --t) {
    for (int64_t i = 0; i < kEnvs; ++i) {
      const int64_t row = t * kEnvs + i;
      if (rollout.truncated[row] != 0.0) running[i] = value[row + kEnvs];
      running[i] = rollout.rewards[row] + kGamma * (1.0 - rollout.terminated[row]) * running[i];
      out[row] = static_cast<float>(running[i]);
    }
  }
  return returns;
}

double last_mean(const std::vector<double>& values, size_t count) {
  const size_t n = std::min(count, values.size());
  if (n == 0) return 0.0;
  return std::accumulate(values.end() - static_cast<std::ptrdiff_t>(n), values.end(), 0.0) /
         static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const int updates = argc > 1 ? std::atoi(argv[1]) : 600;
  ember::manual_seed(0);
  std::vector<std::shared_ptr<ember::env::Env>> envs_list;
  for (int64_t i = 0; i < kEnvs; ++i) envs_list.push_back(ember::env::make("CartPole-v1"));
  ember::env::SyncVectorEnv envs(envs_list);
  ActorCritic model(4, 2);
  ember::optim::Adam optimizer(model.parameters(), ember::optim::AdamOptions(7e-3));
  ember::Tensor observations = envs.reset(0).observations.clone();
  std::vector<bool> autoreset(kEnvs, false);
  std::vector<double> episode_return(kEnvs, 0.0);
  std::vector<double> episode_returns;
  for (int update = 0; update < updates; ++update) {
    std::vector<ember::Tensor> rollout_observations{observations}, actions;
    Rollout rollout;
    for (int64_t t = 0; t < kSteps; ++t) {
      ember::Tensor logits;
      {
        ember::NoGradGuard no_grad;
        logits = model.forward(observations).first;
      }
      ember::Tensor action = ember::distributions::Categorical(std::nullopt, logits).sample();
      ember::env::VectorStepResult step = envs.step(action);
      // The vector env writes every step into the same tensors: keep a copy.
      observations = step.observations.clone();
      const double* reward = step.rewards.data_ptr<double>();
      const bool* terminated = step.terminations.data_ptr<bool>();
      const bool* truncated = step.truncations.data_ptr<bool>();
      for (int64_t i = 0; i < kEnvs; ++i) {
        rollout.valid.push_back(autoreset[i] ? 0.0 : 1.0);
        rollout.rewards.push_back(reward[i]);
        rollout.terminated.push_back(terminated[i] ? 1.0 : 0.0);
        rollout.truncated.push_back(truncated[i] ? 1.0 : 0.0);
        if (!autoreset[i]) episode_return[i] += reward[i];
        autoreset[i] = terminated[i] || truncated[i];
        if (autoreset[i]) {
          episode_returns.push_back(episode_return[i]);
          episode_return[i] = 0.0;
        }
      }
      rollout_observations.push_back(observations);
      actions.push_back(action);
    }
    auto [logits, values] = model.forward(ember::stack(rollout_observations));
    ember::Tensor returns = n_step_returns(rollout, values.detach());
    ember::Tensor mask = ember::empty({kSteps, kEnvs});
    std::copy(rollout.valid.begin(), rollout.valid.end(), mask.data_ptr<float>());
    const double count =
        std::max(1.0, std::accumulate(rollout.valid.begin(), rollout.valid.end(), 0.0));
    ember::distributions::Categorical dist(std::nullopt, logits.narrow(0, 0, kSteps));
    ember::Tensor advantages = returns - values.narrow(0, 0, kSteps);
    ember::Tensor policy_loss =
        -(dist.log_prob(ember::stack(actions)) * advantages.detach() * mask).sum();
    ember::Tensor value_loss = (advantages.pow(2) * mask).sum();
    ember::Tensor entropy = (dist.entropy() * mask).sum();
    ember::Tensor loss = (policy_loss + kValueCoef * value_loss - kEntropyCoef * entropy) / count;
    optimizer.zero_grad();
    loss.backward();
    ember::nn::utils::clip_grad_norm_(model.parameters(), 0.5);
    optimizer.step();
    if (update % 25 == 0)
      std::cout << "update " << update << " episodes " << episode_returns.size() << " last-20 mean "
                << last_mean(episode_returns, 20) << "\n";
    if (episode_returns.size() >= 20 && last_mean(episode_returns, 20) >= kTarget) break;
  }
  envs.close();
  const double result = last_mean(episode_returns, 20);
  std::cout << episode_returns.size() << " episodes, last-20 mean return " << result << "\n";
  return result >= kTarget ? EXIT_SUCCESS : EXIT_FAILURE;
}
