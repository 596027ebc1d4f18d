#include "ember/distributed/work.h"

#include <utility>

#include "ember/distributed/errors.h"

namespace ember::distributed {

Work::Work(std::string op, std::vector<Tensor> outputs)
    : op_(std::move(op)), outputs_(std::move(outputs)) {}

void Work::help_before_waiting() {
  std::function<void()> helper;
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::Done || !wait_helper_) return;
    helper = wait_helper_;
  }
  helper();
}

void Work::set_wait_helper(std::function<void()> helper) {
  std::lock_guard lock(mutex_);
  wait_helper_ = std::move(helper);
}

void Work::wait() {
  help_before_waiting();
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return state_ == State::Done; });
  if (error_) std::rethrow_exception(error_);
}

void Work::wait(Duration timeout) {
  help_before_waiting();
  std::unique_lock lock(mutex_);
  if (!done_.wait_for(lock, timeout, [&] { return state_ == State::Done; })) {
    detail::raise<DistBackendError>("[", op_, "] did not complete within ", timeout.count(),
                                    " ms (Work.wait's timeout)");
  }
  if (error_) std::rethrow_exception(error_);
}

bool Work::is_completed() const {
  std::lock_guard lock(mutex_);
  return state_ == State::Done;
}

bool Work::is_success() const {
  std::lock_guard lock(mutex_);
  return state_ == State::Done && !error_;
}

std::exception_ptr Work::exception() const {
  std::lock_guard lock(mutex_);
  return error_;
}

int Work::source_rank() const {
  std::lock_guard lock(mutex_);
  return source_rank_;
}

void Work::set_source_rank(int rank) {
  std::lock_guard lock(mutex_);
  source_rank_ = rank;
}

void Work::then(std::function<void()> step) {
  std::unique_lock lock(mutex_);
  if (state_ != State::Done) {
    // Pending, or finishing: the finisher runs every step queued before it marks the work done.
    steps_.push_back(std::move(step));
    return;
  }
  if (error_) return;
  lock.unlock();
  try {
    step();
  } catch (...) {
    lock.lock();
    error_ = std::current_exception();
  }
}

void Work::finish(std::exception_ptr error) {
  std::unique_lock lock(mutex_);
  state_ = State::Finishing;
  // Steps run outside the lock (they may queue further steps or read the work's state); the
  // loop takes the ones queued meanwhile too, in order.
  while (!steps_.empty()) {
    std::vector<std::function<void()>> steps;
    steps.swap(steps_);
    if (error) continue;
    lock.unlock();
    for (auto& step : steps) {
      try {
        step();
      } catch (...) {
        error = std::current_exception();
        break;
      }
    }
    lock.lock();
  }
  error_ = error;
  state_ = State::Done;
  lock.unlock();
  done_.notify_all();
}

WorkPtr completed_work(std::string op, std::vector<Tensor> outputs) {
  auto work = std::make_shared<Work>(std::move(op), std::move(outputs));
  work->finish();
  return work;
}

}  // namespace ember::distributed
