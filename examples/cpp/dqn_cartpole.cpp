// DQN (Mnih et al. 2015) on CartPole-v1 with ember::env::ReplayBuffer: the same agent as
// examples/python/dqn_cartpole.py. An epsilon-greedy MLP Q-network acts, every transition goes
// into the buffer, and each step trains on a uniform batch towards
// r + gamma * max_a' Q_target(s', a') (zero after a termination, not after a truncation) with the
// Huber loss and Adam; the target network copies the online one every 250 steps. Checks that the
// mean return of the last 10 episodes is far above random play's ~22.
// Usage: dqn_cartpole [steps] [threshold]
#include <cstdlib>
#include <iostream>
#include <memory>
#include <numeric>
#include <vector>

#include "ember/ember.h"
#include "ember/env/registry.h"
#include "ember/env/replay_buffer.h"

struct QNetworkImpl : ember::nn::Module {
  QNetworkImpl(int64_t obs_size, int64_t actions, int64_t hidden)
      : fc1(register_module("fc1", ember::nn::Linear(obs_size, hidden))),
        fc2(register_module("fc2", ember::nn::Linear(hidden, hidden))),
        out(register_module("out", ember::nn::Linear(hidden, actions))) {}

  ember::Tensor forward(const ember::Tensor& x) {
    return out->forward(ember::relu(fc2->forward(ember::relu(fc1->forward(x)))));
  }

  ember::nn::Linear fc1;
  ember::nn::Linear fc2;
  ember::nn::Linear out;
};

// target's parameters become copies of source's.
void copy_parameters(QNetworkImpl& target, QNetworkImpl& source) {
  ember::NoGradGuard no_grad;
  std::vector<ember::Tensor> to = target.parameters();
  std::vector<ember::Tensor> from = source.parameters();
  for (size_t i = 0; i < to.size(); ++i) to[i].copy_(from[i]);
}

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 6000;
  const double threshold = argc > 2 ? std::atof(argv[2]) : 100.0;
  const int64_t batch_size = 64, learning_starts = 500, epsilon_steps = 3000, target_every = 250;
  const double gamma = 0.99, final_epsilon = 0.02;
  ember::manual_seed(0);
  std::shared_ptr<ember::env::Env> env = ember::env::make("CartPole-v1");
  const int64_t obs_size = 4, actions = 2;
  auto online = std::make_shared<QNetworkImpl>(obs_size, actions, 64);
  auto target = std::make_shared<QNetworkImpl>(obs_size, actions, 64);
  copy_parameters(*target, *online);
  ember::optim::Adam optimizer(online->parameters(), ember::optim::AdamOptions(1e-3));
  ember::env::ReplayBuffer buffer(10000, ember::env::transition_fields({obs_size}));
  ember::Generator sampler = ember::make_generator<ember::CPUGeneratorImpl>(0);

  ember::Tensor obs = env->reset(0).observation;
  std::vector<double> returns;
  double episode_return = 0.0;
  for (int step = 0; step < steps; ++step) {
    const double epsilon = std::max(final_epsilon, 1.0 - static_cast<double>(step) / epsilon_steps);
    int64_t action = 0;
    if (ember::rand({1}, sampler, ember::kFloat64).item<double>() < epsilon) {
      action = ember::randint(0, actions, {1}, sampler, ember::kInt64).item<int64_t>();
    } else {
      ember::NoGradGuard no_grad;
      action = online->forward(obs.unsqueeze(0)).argmax(1).item<int64_t>();
    }
    ember::env::StepResult result = env->step(action);
    buffer.add({{"obs", obs},
                {"action", ember::full({}, action, ember::kInt64)},
                {"reward", ember::full({}, result.reward)},
                {"next_obs", result.observation},
                {"done", ember::full({}, result.terminated, ember::kBool)}});
    episode_return += result.reward;
    obs = result.observation;
    if (result.terminated || result.truncated) {
      returns.push_back(episode_return);
      if (returns.size() % 10 == 0) {
        std::cout << "step " << step << "  episode " << returns.size() << "  return "
                  << episode_return << "\n";
      }
      obs = env->reset().observation;
      episode_return = 0.0;
    }

    if (step >= learning_starts) {
      ember::env::ReplayBatch batch = buffer.sample(batch_size, sampler);
      ember::Tensor goal;
      {
        ember::NoGradGuard no_grad;
        ember::Tensor next_q = std::get<0>(target->forward(batch.at("next_obs")).max(1));
        ember::Tensor not_done = 1.0 - batch.at("done").to(ember::kFloat32);
        goal = batch.at("reward") + gamma * not_done * next_q;
      }
      ember::Tensor q =
          online->forward(batch.at("obs")).gather(1, batch.at("action").unsqueeze(1)).squeeze(1);
      ember::Tensor loss = ember::nn::functional::smooth_l1_loss(q, goal);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    if (step % target_every == 0) copy_parameters(*target, *online);
  }
  const size_t last = std::min<size_t>(10, returns.size());
  const double mean =
      last == 0 ? 0.0 : std::accumulate(returns.end() - last, returns.end(), 0.0) / last;
  std::cout << returns.size() << " episodes; mean return of the last " << last << ": " << mean
            << "\n";
  if (!(mean > threshold)) {
    std::cerr << "dqn_cartpole did not learn: mean return " << mean << " <= " << threshold << "\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
