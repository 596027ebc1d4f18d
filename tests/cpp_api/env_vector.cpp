// ember::env's registry, wrappers and vector envs as a C++ user writes them: make("CartPole-v1")
// with its TimeLimit, a wrapper stack, and 4 CartPoles stepped by SyncVectorEnv and by
// AsyncVectorEnv (worker threads) giving the same results into one reused tensor.
#include <ember/ember.h>

#include <ember/env/registry.h>
#include <ember/env/vector_env.h>
#include <ember/env/wrappers.h>

#include <memory>
#include <string>
#include <vector>

#include "check.h"

namespace env = ember::env;

std::vector<std::shared_ptr<env::Env>> cart_poles(int n) {
  std::vector<std::shared_ptr<env::Env>> envs;
  for (int i = 0; i < n; ++i) envs.push_back(env::make("CartPole-v1", {}, 20));
  return envs;
}

int main() {
  auto cart_pole = env::make("CartPole-v1");
  CHECK(cart_pole->spec() != nullptr && cart_pole->spec()->id == "CartPole-v1");
  CHECK(dynamic_cast<env::TimeLimit*>(cart_pole.get()) != nullptr);

  auto stats = std::make_shared<env::RecordEpisodeStatistics>(
      std::make_shared<env::NormalizeObservation>(cart_pole));
  stats->reset(7);
  env::StepResult result = stats->step(1);
  while (!result.terminated && !result.truncated) result = stats->step(1);
  CHECK(result.info.count("episode/r") == 1);
  CHECK(stats->episode_count() == 1);

  env::SyncVectorEnv sync(cart_poles(4));
  env::AsyncVectorEnv async(cart_poles(4), 2);
  auto sync_reset = sync.reset(3);
  auto async_reset = async.reset(3);
  CHECK(sync_reset.observations.sizes() == ember::IntArrayRef({4, 4}));
  CHECK(sync_reset.observations.equal(async_reset.observations));
  const void* buffer = sync_reset.observations.data_ptr();
  int64_t ended = 0;
  for (int t = 0; t < 100; ++t) {
    ember::Tensor actions = ember::full({4}, t % 2, ember::TensorOptions().dtype(ember::kInt64));
    auto a = sync.step(actions);
    auto b = async.step(actions);
    CHECK(a.observations.equal(b.observations));
    CHECK(a.rewards.equal(b.rewards));
    CHECK(a.observations.data_ptr() == buffer);
    ended += a.truncations.sum().item<int64_t>() + a.terminations.sum().item<int64_t>();
  }
  CHECK(ended >= 4 * 4);  // every env ran several 20-step episodes (NEXT_STEP autoreset)

  bool threw = false;
  try {
    env::make("NoSuchEnv-v0");
  } catch (const ember::ValueError& error) {
    threw = std::string(error.what()).find("[make]") != std::string::npos;
  }
  CHECK(threw);
  return 0;
}
