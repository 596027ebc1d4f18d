#include "ember/env/vector_env.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/env/vector_batched.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

// Gymnasium's MultiDiscrete batch: Box(low=start, high=start + nvec - 1) repeated n times, int64.
std::shared_ptr<Space> batch_multi_discrete(const MultiDiscrete& space, int64_t n) {
  const std::vector<int64_t>& nvec = space.nvec();
  const std::vector<int64_t>& start = space.start();
  const auto size = static_cast<int64_t>(nvec.size());
  std::vector<int64_t> low, high;
  low.reserve(static_cast<size_t>(n * size));
  high.reserve(static_cast<size_t>(n * size));
  for (int64_t row = 0; row < n; ++row) {
    for (int64_t i = 0; i < size; ++i) {
      low.push_back(start[i]);
      high.push_back(start[i] + nvec[i] - 1);
    }
  }
  return std::make_shared<Box>(from_blob_copy(low.data(), {n, size}, kInt64),
                               from_blob_copy(high.data(), {n, size}, kInt64), std::nullopt,
                               kInt64);
}

std::shared_ptr<Space> batch_space_of_kind(const std::shared_ptr<Space>& space, int64_t n) {
  if (const auto* box = dynamic_cast<const Box*>(space.get())) {
    auto repeat = [n](const Tensor& bound) {
      std::vector<int64_t> shape{n};
      for (int64_t size : bound.sizes()) shape.push_back(size);
      return bound.unsqueeze(0).expand(shape);
    };
    return std::make_shared<Box>(repeat(box->low()), repeat(box->high()), std::nullopt,
                                 box->dtype());
  }
  if (const auto* discrete = dynamic_cast<const Discrete*>(space.get())) {
    return std::make_shared<MultiDiscrete>(std::vector<int64_t>(n, discrete->n()),
                                           std::vector<int64_t>(n, discrete->start()));
  }
  if (const auto* multi = dynamic_cast<const MultiDiscrete*>(space.get())) {
    return batch_multi_discrete(*multi, n);
  }
  if (const auto* binary = dynamic_cast<const MultiBinary*>(space.get())) {
    std::vector<int64_t> shape{n};
    for (int64_t size : binary->shape()) shape.push_back(size);
    return std::make_shared<Box>(0.0, 1.0, shape, kInt8);
  }
  if (const auto* tuple = dynamic_cast<const TupleSpace*>(space.get())) {
    std::vector<std::shared_ptr<Space>> children;
    for (const auto& child : tuple->spaces()) {
      children.push_back(batch_space(child, n));
      if (children.back() == nullptr) return nullptr;
    }
    return std::make_shared<TupleSpace>(std::move(children));
  }
  if (const auto* dict = dynamic_cast<const DictSpace*>(space.get())) {
    DictSpace::Entries children;
    for (const auto& [key, child] : dict->spaces()) {
      children.emplace_back(key, batch_space(child, n));
      if (children.back().second == nullptr) return nullptr;
    }
    return std::make_shared<DictSpace>(std::move(children));
  }
  return nullptr;
}

}  // namespace

std::shared_ptr<Space> batch_space(const std::shared_ptr<Space>& space, int64_t n) {
  std::shared_ptr<Space> batched = batch_space_of_kind(space, n);
  // Gymnasium's batch_space gives the batch a copy of the space's generator (seeded from entropy
  // first when it has none), so a seeded space's batch samples reproducibly.
  if (batched) batched->set_np_random(space->np_random());
  return batched;
}

VectorEnv::VectorEnv(std::vector<std::shared_ptr<Env>> envs) : envs_(std::move(envs)) {
  EMBER_CHECK_VALUE(!envs_.empty(), "[VectorEnv] expected at least one env; received none");
  for (const auto& env : envs_) {
    EMBER_CHECK_VALUE(env != nullptr, "[VectorEnv] expected envs; received a null env");
  }
  observation_space_ = batch_space(single_observation_space(), num_envs());
  action_space_ = batch_space(single_action_space(), num_envs());
  observations_ = empty_observation_batch(*single_observation_space(), num_envs());
  rewards_ = zeros({num_envs()}, TensorOptions().dtype(kFloat64));
  terminations_ = zeros({num_envs()}, TensorOptions().dtype(kBool));
  truncations_ = zeros({num_envs()}, TensorOptions().dtype(kBool));
  infos_.resize(envs_.size());
  autoreset_.assign(envs_.size(), 0);
}

VectorEnv::~VectorEnv() = default;

const std::vector<std::shared_ptr<Env>>& VectorEnv::envs() const {
  if (batched_) batched_->release();
  return envs_;
}

void VectorEnv::use_batched_step_if_possible() { batched_ = make_batched_envs(envs_); }

void VectorEnv::copy_observation(int64_t index, const Observation& observation, const char* where) {
  if (observations_.is_tensor() && observation.is_tensor()) {
    observations_.select(0, index).copy_(observation);
    return;
  }
  observations_.row(index).copy_from(observation,
                                     std::string(where) + " env " + std::to_string(index));
}

void VectorEnv::reset_one(int64_t index, std::optional<uint64_t> seed, const Info& options) {
  ResetResult result = envs_[index]->reset(seed, options);
  copy_observation(index, result.observation, "VectorEnv.reset");
  infos_[index] = std::move(result.info);
}

void VectorEnv::step_one(int64_t index, const Tensor& action) {
  double reward = 0.0;
  bool terminated = false;
  bool truncated = false;
  if (autoreset_[index]) {
    // NEXT_STEP autoreset: the env that ended last step starts a new episode instead of stepping.
    reset_one(index, std::nullopt, {});
  } else {
    StepResult result = envs_[index]->step(action);
    copy_observation(index, result.observation, "VectorEnv.step");
    reward = result.reward;
    terminated = result.terminated;
    truncated = result.truncated;
    infos_[index] = std::move(result.info);
  }
  rewards_.data_ptr<double>()[index] = reward;
  terminations_.data_ptr<bool>()[index] = terminated;
  truncations_.data_ptr<bool>()[index] = truncated;
}

VectorResetResult VectorEnv::reset(std::optional<uint64_t> seed, const Info& options) {
  std::vector<std::optional<uint64_t>> seeds(envs_.size());
  if (seed) {
    for (size_t i = 0; i < seeds.size(); ++i) seeds[i] = *seed + i;
  }
  return reset(seeds, options);
}

VectorResetResult VectorEnv::reset(const std::vector<std::optional<uint64_t>>& seeds,
                                   const Info& options) {
  EMBER_CHECK(!closed_, "[VectorEnv.reset] expected an open vector env; it was closed");
  EMBER_CHECK_VALUE(seeds.size() == envs_.size(), "[VectorEnv.reset] expected ", envs_.size(),
                    " seeds (one per env); received ", seeds.size());
  if (batched_) batched_->release();
  for_each_env([&](int64_t i) { reset_one(i, seeds[i], options); });
  std::fill(autoreset_.begin(), autoreset_.end(), 0);
  terminations_.zero_();
  truncations_.zero_();
  return {observations_, infos_};
}

VectorStepResult VectorEnv::step(const Tensor& actions) {
  EMBER_CHECK(!closed_, "[VectorEnv.step] expected an open vector env; it was closed");
  EMBER_CHECK_VALUE(actions.dim() >= 1 && actions.size(0) == num_envs(),
                    "[VectorEnv.step] expected actions of shape (", num_envs(),
                    ", ...), one row per env; received shape ", actions.sizes());
  if (batched_) {
    batched_->step(actions,
                   {observations_, rewards_.data_ptr<double>(), terminations_.data_ptr<bool>(),
                    truncations_.data_ptr<bool>(), autoreset_.data()});
    for (Info& info : infos_) {
      if (!info.empty()) info.clear();
    }
  } else {
    for_each_env([&](int64_t i) { step_one(i, actions.select(0, i)); });
  }
  const bool* terminated = terminations_.data_ptr<bool>();
  const bool* truncated = truncations_.data_ptr<bool>();
  for (size_t i = 0; i < envs_.size(); ++i) autoreset_[i] = terminated[i] || truncated[i];
  return {observations_, rewards_, terminations_, truncations_, infos_};
}

void VectorEnv::close() {
  if (closed_) return;
  if (batched_) batched_->release();
  for (const auto& env : envs_) env->close();
  closed_ = true;
}

SyncVectorEnv::SyncVectorEnv(std::vector<std::shared_ptr<Env>> envs) : VectorEnv(std::move(envs)) {
  use_batched_step_if_possible();
}

void SyncVectorEnv::for_each_env(const std::function<void(int64_t)>& work) {
  for (int64_t i = 0; i < num_envs(); ++i) work(i);
}

AsyncVectorEnv::AsyncVectorEnv(std::vector<std::shared_ptr<Env>> envs, int64_t num_workers)
    : VectorEnv(std::move(envs)) {
  EMBER_CHECK_VALUE(num_workers >= 0,
                    "[AsyncVectorEnv] expected num_workers >= 0 (0: one per env, up to the "
                    "cores); received ",
                    num_workers);
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  if (num_workers == 0) num_workers = std::min(num_envs(), cores);
  num_workers_ = std::min(num_workers, num_envs());
  workers_.reserve(static_cast<size_t>(num_workers_));
  for (int64_t w = 0; w < num_workers_; ++w) workers_.emplace_back([this, w] { worker_loop(w); });
}

AsyncVectorEnv::~AsyncVectorEnv() { stop_workers(); }

void AsyncVectorEnv::close() {
  stop_workers();
  VectorEnv::close();
}

void AsyncVectorEnv::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

void AsyncVectorEnv::worker_loop(int64_t worker) {
  uint64_t seen = 0;
  while (true) {
    const std::function<void(int64_t)>* work = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      work = work_;
    }
    std::exception_ptr error;
    try {
      for (int64_t i = worker; i < num_envs(); i += num_workers_) (*work)(i);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (error && !error_) error_ = error;
      if (--pending_ == 0) work_done_.notify_one();
    }
  }
}

void AsyncVectorEnv::for_each_env(const std::function<void(int64_t)>& work) {
  EMBER_CHECK(!workers_.empty(), "[AsyncVectorEnv] expected running workers; it was closed");
  std::unique_lock<std::mutex> lock(mutex_);
  work_ = &work;
  pending_ = static_cast<int64_t>(workers_.size());
  error_ = nullptr;
  ++generation_;
  work_ready_.notify_all();
  work_done_.wait(lock, [&] { return pending_ == 0; });
  work_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace ember::env
