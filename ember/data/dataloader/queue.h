// The blocking queue between a data loader and its worker threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace ember::data::detail {

template <typename T>
class Queue {
 public:
  void push(T value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      values_.push_back(std::move(value));
    }
    ready_.notify_one();
  }

  // Moves the oldest value into `out`, waiting for one; false (out untouched) when `timeout`
  // passes first.
  bool pop(T& out, std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto has_value = [this] { return !values_.empty(); };
    if (timeout) {
      if (!ready_.wait_for(lock, *timeout, has_value)) return false;
    } else {
      ready_.wait(lock, has_value);
    }
    out = std::move(values_.front());
    values_.pop_front();
    return true;
  }

  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    values_.clear();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> values_;
};

}  // namespace ember::data::detail
