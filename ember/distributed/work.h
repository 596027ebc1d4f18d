// The handle of an operation a process group runs asynchronously (torch.distributed's Work, as
// `async_op=True` returns it). The backend's thread finishes it; callers wait on it.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ember/distributed/types.h"
#include "ember/tensor/tensor.h"

namespace ember::distributed {

class Work {
 public:
  // `op` names the operation in errors ("all_reduce"); `outputs` are what result() returns.
  Work(std::string op, std::vector<Tensor> outputs);
  virtual ~Work() = default;
  Work(const Work&) = delete;
  Work& operator=(const Work&) = delete;

  // Blocks until the operation ends, then rethrows its error if it failed. With a timeout, a
  // still-running operation raises DistBackendError naming the op after `timeout`.
  void wait();
  void wait(Duration timeout);
  bool is_completed() const;
  // True when completed without an error.
  bool is_success() const;
  std::exception_ptr exception() const;
  const std::vector<Tensor>& result() const { return outputs_; }
  const std::string& op() const { return op_; }
  // recv from any source: the rank the message came from, once completed (-1 before).
  int source_rank() const;

  // A step that runs when the operation succeeds, before waiters are released (in the thread
  // that finishes the work); one added after completion runs now, in the caller's thread. A step
  // that throws fails the work with its error. Used for AVG's division and the reducer's copies.
  void then(std::function<void()> step);

  // For backends: marks the work done (null: success), running the steps first. Called once.
  void finish(std::exception_ptr error = nullptr);
  // For backends: wait() calls `helper` before blocking, so that an engine can do the queued
  // work in the waiting thread instead of waking its own (Note [Distributed: process groups and
  // Gloo]); it may return without finishing the work.
  void set_wait_helper(std::function<void()> helper);
  void set_source_rank(int rank);

 private:
  enum class State { Pending, Finishing, Done };
  std::string op_;
  std::vector<Tensor> outputs_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  State state_ = State::Pending;
  std::exception_ptr error_;
  std::vector<std::function<void()>> steps_;
  int source_rank_ = -1;
  std::function<void()> wait_helper_;

  void help_before_waiting();
};

using WorkPtr = std::shared_ptr<Work>;

// A work that is already done (a collective on one rank, an empty tensor list).
WorkPtr completed_work(std::string op, std::vector<Tensor> outputs = {});

}  // namespace ember::distributed
