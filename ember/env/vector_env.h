// Vector environments: N copies of an env stepped together, Gymnasium 1.x's VectorEnv with its
// default autoreset mode NEXT_STEP (the step after an episode ends resets that env and returns
// its first observation with reward 0 and both flags false). Observations, rewards and flags are
// written into tensors allocated once, so the results of every call share the same storage:
// clone what must outlive the next step.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ember/env/env.h"

namespace ember::env {

class BatchedEnvs;

struct VectorResetResult {
  Observation observations;  // (N, obs...) for each leaf of the observation space
  std::vector<Info> infos;   // one per env
};

struct VectorStepResult {
  Observation observations;  // (N, obs...) for each leaf of the observation space
  Tensor rewards;            // float64 (N)
  Tensor terminations;       // bool (N)
  Tensor truncations;        // bool (N)
  std::vector<Info> infos;
};

// Gymnasium's batch_space: the space of n stacked samples (Box: bounds repeated; Discrete:
// MultiDiscrete; MultiDiscrete and MultiBinary: an int Box with a leading dimension n; Tuple and
// Dict: of their batched children); null for a space kind it does not know.
std::shared_ptr<Space> batch_space(const std::shared_ptr<Space>& space, int64_t n);

class VectorEnv {
 public:
  explicit VectorEnv(std::vector<std::shared_ptr<Env>> envs);
  virtual ~VectorEnv();
  VectorEnv(const VectorEnv&) = delete;
  VectorEnv& operator=(const VectorEnv&) = delete;

  // Resets every env; env i is seeded with seed + i when a seed is given.
  VectorResetResult reset(std::optional<uint64_t> seed = std::nullopt, const Info& options = {});
  // One seed per env (nullopt leaves that env's generator as it is).
  VectorResetResult reset(const std::vector<std::optional<uint64_t>>& seeds,
                          const Info& options = {});
  // actions: (N, action...) - row i goes to env i.
  VectorStepResult step(const Tensor& actions);
  virtual void close();

  int64_t num_envs() const { return static_cast<int64_t>(envs_.size()); }
  std::shared_ptr<Space> single_observation_space() const { return envs_[0]->observation_space(); }
  std::shared_ptr<Space> single_action_space() const { return envs_[0]->action_space(); }
  // The batched spaces (batch_space of the single ones; null where there is none).
  std::shared_ptr<Space> observation_space() const { return observation_space_; }
  std::shared_ptr<Space> action_space() const { return action_space_; }
  // The envs, holding their current states (a batched step hands them back first).
  const std::vector<std::shared_ptr<Env>>& envs() const;
  // Whether step runs the batched loop (ember/env/vector_batched.h) instead of each env's step.
  bool batched() const { return batched_ != nullptr; }

 protected:
  // Runs work(i) for every env index, in order or in parallel.
  virtual void for_each_env(const std::function<void(int64_t)>& work) = 0;
  // Steps the envs in one batched loop from now on when they have one (one built-in env type,
  // each bare or in a TimeLimit).
  void use_batched_step_if_possible();

 private:
  // Writes an env's observation into row index of the batch (a structured one leaf by leaf).
  void copy_observation(int64_t index, const Observation& observation, const char* where);
  void reset_one(int64_t index, std::optional<uint64_t> seed, const Info& options);
  void step_one(int64_t index, const Tensor& action);

  std::vector<std::shared_ptr<Env>> envs_;
  std::shared_ptr<Space> observation_space_;
  std::shared_ptr<Space> action_space_;
  Observation observations_;
  Tensor rewards_;
  Tensor terminations_;
  Tensor truncations_;
  std::vector<Info> infos_;
  std::vector<uint8_t> autoreset_;
  // Mutable: envs() hands the batch's states back to the envs.
  mutable std::unique_ptr<BatchedEnvs> batched_;
  bool closed_ = false;
};

// Steps the envs one after another on the calling thread; envs that all are one built-in env
// (each bare or in a TimeLimit, as make() builds them) step in one batched loop instead.
class SyncVectorEnv : public VectorEnv {
 public:
  explicit SyncVectorEnv(std::vector<std::shared_ptr<Env>> envs);

 protected:
  void for_each_env(const std::function<void(int64_t)>& work) override;
};

// Steps the envs in parallel on worker threads (env i on worker i % num_workers); the calling
// thread waits for all of them. An exception in a worker is rethrown on the calling thread.
class AsyncVectorEnv : public VectorEnv {
 public:
  explicit AsyncVectorEnv(std::vector<std::shared_ptr<Env>> envs, int64_t num_workers = 0);
  ~AsyncVectorEnv() override;
  void close() override;

 protected:
  void for_each_env(const std::function<void(int64_t)>& work) override;

 private:
  void worker_loop(int64_t worker);
  void stop_workers();

  int64_t num_workers_ = 0;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  const std::function<void(int64_t)>* work_ = nullptr;
  uint64_t generation_ = 0;
  int64_t pending_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace ember::env
