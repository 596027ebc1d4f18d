// ember::env as the issue writes it: a CartPole reset with a seed, stepped with integer actions
// until it terminates, seeded spaces, and the typed error of an action outside the action space.
#include <ember/ember.h>

#include <ember/env/builtin/cart_pole.h>
#include <ember/env/env.h>

#include <string>

#include "check.h"

int main() {
  ember::env::CartPole env;
  auto [obs, info] = env.reset(42);
  CHECK(obs.sizes() == ember::IntArrayRef({4}));
  CHECK(obs.dtype() == ember::kFloat32);
  CHECK(info.empty());

  double episode_return = 0;
  auto r = env.step(1);
  for (int step = 0; !r.terminated && step < 500; ++step) {
    episode_return += r.reward;
    r = env.step(step % 3 == 0 ? 0 : 1);
  }
  CHECK(r.terminated);
  CHECK(!r.truncated);
  CHECK(episode_return > 0);

  // The same seed gives the same episode; the spaces sample what they contain.
  ember::env::CartPole again;
  auto [obs_again, info_again] = again.reset(42);
  CHECK(obs_again.equal(obs));
  auto space = env.action_space();
  space->seed(0);
  for (int i = 0; i < 10; ++i) CHECK(space->contains(space->sample()));
  CHECK(env.observation_space()->repr().rfind("Box(", 0) == 0);

  bool threw = false;
  try {
    env.reset();
    env.step(5);
  } catch (const ember::ValueError& error) {
    threw = std::string(error.what()).find("[CartPole.step]") != std::string::npos;
  }
  CHECK(threw);
  return 0;
}
