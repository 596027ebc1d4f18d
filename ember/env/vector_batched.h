// The batched step of a SyncVectorEnv whose envs are all one built-in environment, each bare or in
// a TimeLimit (what make() builds): one loop over the envs' states kept side by side, writing the
// (N, obs...) observations, rewards and flags directly, with Gymnasium's NEXT_STEP autoreset and
// every env's own np_random, so the results are bit-identical to stepping the envs one by one.
// Between steps the batch holds the states; VectorEnv releases them to the envs before the envs
// are reset or handed out (VectorEnv::envs()).
// See docs/architecture.md, Note [batched vector envs].
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ember/env/env.h"

namespace ember::env {

struct BatchedStepOutputs {
  Tensor& observations;      // (N, obs...), contiguous
  double* rewards;           // N
  bool* terminations;        // N
  bool* truncations;         // N
  const uint8_t* autoreset;  // N: env i resets instead of stepping
};

class BatchedEnvs {
 public:
  virtual ~BatchedEnvs() = default;
  // One step of every env: row i of actions to env i (or a reset where autoreset[i]). A bad action
  // throws the error stepping that env alone would throw, before any env has stepped. The first
  // step after release() reads the envs' states.
  virtual void step(const Tensor& actions, const BatchedStepOutputs& outputs) = 0;
  // Hands the states back: writes the batch's states into the envs (when it holds them), which
  // are then free to be read, reset or changed until the next step.
  virtual void release() = 0;
};

// The batch for envs (each an env with a batched step, bare or in a TimeLimit, all of one type);
// null when the envs are anything else, so that the caller steps them one by one.
std::unique_ptr<BatchedEnvs> make_batched_envs(const std::vector<std::shared_ptr<Env>>& envs);

class TimeLimit;

// An env without its TimeLimit: time_limit is the env when it is exactly a TimeLimit (null
// otherwise) and env what that wraps (the env itself otherwise).
struct WithoutTimeLimit {
  Env* env;
  TimeLimit* time_limit;
};
WithoutTimeLimit without_time_limit(Env& env);

}  // namespace ember::env
