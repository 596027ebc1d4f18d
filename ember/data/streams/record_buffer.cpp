#include "ember/data/streams/record_buffer.h"

#include <algorithm>
#include <thread>

#include "ember/base/error.h"

namespace ember::data::streams {

Backpressure backpressure_from_string(const std::string& name) {
  if (name == "block") return Backpressure::kBlock;
  if (name == "drop_oldest") return Backpressure::kDropOldest;
  if (name == "drop_newest") return Backpressure::kDropNewest;
  detail::raise<ValueError>(
      "[streams.Stream] expected backpressure 'block', 'drop_oldest' or 'drop_newest'; got '", name,
      "'");
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

RecordBuffer::RecordBuffer(size_t capacity, Backpressure policy, size_t max_errors,
                           std::function<void(const MalformedFrame&)> on_malformed,
                           std::chrono::nanoseconds spin)
    : capacity_(capacity),
      policy_(policy),
      max_errors_(max_errors),
      on_malformed_(std::move(on_malformed)),
      spin_(spin) {
  EMBER_CHECK_VALUE(capacity > 0, "[streams.Stream] expected a capacity of at least 1; got 0");
}

bool RecordBuffer::push(Record&& record) {
  std::unique_lock lock(mutex_);
  if (closed_) return false;
  ++counters_.received;
  if (records_.size() >= capacity_) {
    if (policy_ == Backpressure::kDropNewest) {
      ++counters_.dropped;
      return true;
    }
    if (policy_ == Backpressure::kDropOldest) {
      records_.pop_front();
      ++counters_.dropped;
    } else {
      ++blocked_producers_;
      not_full_.wait(lock, [&] { return closed_ || records_.size() < capacity_; });
      --blocked_producers_;
      if (closed_) return false;
    }
  }
  records_.push_back(std::move(record));
  publish_count();
  if (sleeping_consumers_ > 0 && records_.size() >= wake_at_) not_empty_.notify_all();
  return true;
}

bool RecordBuffer::wait_for_records(std::unique_lock<std::mutex>& lock, size_t wanted,
                                    std::chrono::steady_clock::time_point deadline) {
  if (closed_ || records_.size() >= wanted) return true;
  if (spin_.count() > 0) {
    lock.unlock();
    const auto spin_end = std::min(deadline, std::chrono::steady_clock::now() + spin_);
    while (available_.load(std::memory_order_acquire) < wanted &&
           std::chrono::steady_clock::now() < spin_end) {
      std::this_thread::yield();
    }
    lock.lock();
    if (closed_ || records_.size() >= wanted) return true;
  }
  ++sleeping_consumers_;
  wake_at_ = std::min(wake_at_, wanted);
  const bool ready =
      not_empty_.wait_until(lock, deadline, [&] { return closed_ || records_.size() >= wanted; });
  // The last sleeper forgets the threshold; one left by an earlier sleeper only wakes others
  // early, and they sleep again.
  if (--sleeping_consumers_ == 0) wake_at_ = SIZE_MAX;
  return ready;
}

void RecordBuffer::wake_producers() {
  if (blocked_producers_ > 0) not_full_.notify_all();
}

void RecordBuffer::note_consumed(const Record& record) {
  ++counters_.consumed;
  counters_.lag = now_seconds() - record.timestamp;
}

std::optional<Record> RecordBuffer::pop(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  wait_for_records(lock, 1, deadline);
  if (records_.empty()) return std::nullopt;
  Record record = std::move(records_.front());
  records_.pop_front();
  publish_count();
  note_consumed(record);
  wake_producers();
  return record;
}

void RecordBuffer::pop_many(size_t count, std::chrono::steady_clock::time_point deadline,
                            std::vector<Record>& out) {
  std::unique_lock lock(mutex_);
  // A batch larger than the buffer can never be buffered whole: take what fits, repeatedly.
  while (out.size() < count) {
    const size_t wanted = std::min(count - out.size(), capacity_);
    const bool ready = wait_for_records(lock, wanted, deadline);
    const size_t take = std::min(wanted, records_.size());
    for (size_t i = 0; i < take; ++i) {
      out.push_back(std::move(records_.front()));
      records_.pop_front();
      note_consumed(out.back());
    }
    publish_count();
    if (take > 0) wake_producers();
    if (!ready || closed_) return;
  }
}

void RecordBuffer::pop_until(double until, std::vector<Record>& out) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(std::max(0.0, until - now_seconds())));
  while (true) {
    while (!records_.empty() && records_.front().timestamp < until) {
      out.push_back(std::move(records_.front()));
      records_.pop_front();
      note_consumed(out.back());
    }
    publish_count();
    wake_producers();
    if (!records_.empty() || closed_) return;
    if (!wait_for_records(lock, 1, deadline) && records_.empty()) return;
  }
}

void RecordBuffer::note_bytes(size_t count) {
  std::lock_guard lock(mutex_);
  counters_.bytes += count;
}

void RecordBuffer::note_malformed(MalformedFrame frame) {
  {
    std::lock_guard lock(mutex_);
    ++counters_.malformed;
    if (max_errors_ > 0) {
      if (errors_.size() >= max_errors_) errors_.pop_front();
      errors_.push_back(frame);
    }
  }
  // Outside the lock: the callback may read the counters.
  if (on_malformed_) on_malformed_(frame);
}

void RecordBuffer::note_reconnect() {
  std::lock_guard lock(mutex_);
  ++counters_.reconnects;
}

void RecordBuffer::close(std::optional<std::string> disconnect_error) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  disconnect_error_ = std::move(disconnect_error);
  not_empty_.notify_all();
  not_full_.notify_all();
}

bool RecordBuffer::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::optional<std::string> RecordBuffer::end_error() const {
  std::lock_guard lock(mutex_);
  if (!closed_ || !records_.empty()) return std::nullopt;
  return disconnect_error_;
}

Counters RecordBuffer::counters() const {
  std::lock_guard lock(mutex_);
  Counters counters = counters_;
  counters.buffered = records_.size();
  return counters;
}

std::vector<MalformedFrame> RecordBuffer::errors() const {
  std::lock_guard lock(mutex_);
  return {errors_.begin(), errors_.end()};
}

}  // namespace ember::data::streams
