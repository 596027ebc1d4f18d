// The bounded buffer between a stream's I/O thread and its consumer: records in arrival order,
// the user's backpressure policy when it is full, the stream's counters and a bounded log of
// malformed frames. One mutex and two condition variables guard everything; the one atomic is a
// copy of the record count that a consumer may poll without the lock for a short spin before
// it sleeps (StreamOptions::spin). Notifications go out only when a sleeper can proceed: a
// consumer waiting for a batch of 4096 is woken once, not once per record.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ember::data::streams {

// What the producer does when the buffer is full.
enum class Backpressure {
  kBlock,       // wait for room (a TCP sender then slows down: the kernel's window fills)
  kDropOldest,  // evict the oldest buffered record (the consumer sees the freshest data)
  kDropNewest,  // discard the arriving record
};
// "block", "drop_oldest", "drop_newest"; ValueError otherwise.
Backpressure backpressure_from_string(const std::string& name);

// One record in the schema's packed layout, with its receive time and its frame's byte offset.
struct Record {
  std::vector<uint8_t> bytes;
  double timestamp = 0;  // seconds since the Unix epoch when the frame was complete
  uint64_t offset = 0;   // byte offset of the frame in the stream (0 for pushed records)
};

struct MalformedFrame {
  uint64_t offset = 0;
  std::string reason;
};

struct Counters {
  uint64_t received = 0;   // well-formed records that arrived (buffered or dropped)
  uint64_t dropped = 0;    // records discarded by the backpressure policy
  uint64_t malformed = 0;  // frames rejected by the framing
  uint64_t bytes = 0;      // bytes read from the source
  uint64_t consumed = 0;   // records handed to the consumer
  uint64_t reconnects = 0;
  size_t buffered = 0;
  // Seconds between the receive and the consumption of the last consumed record.
  double lag = 0;
};

double now_seconds();

class RecordBuffer {
 public:
  // spin: how long a consumer polls for records before it sleeps (zero: it sleeps at once).
  RecordBuffer(size_t capacity, Backpressure policy, size_t max_errors,
               std::function<void(const MalformedFrame&)> on_malformed = nullptr,
               std::chrono::nanoseconds spin = std::chrono::nanoseconds(0));

  // Adds a record under the policy; false when the buffer is closed (the record is discarded).
  bool push(Record&& record);
  // The oldest record, waiting until `deadline`; nullopt on timeout or once closed and empty.
  std::optional<Record> pop(std::chrono::steady_clock::time_point deadline);
  // Waits until `count` records are buffered (or the deadline passes, or the buffer is closed)
  // and moves up to `count` of them into `out`.
  void pop_many(size_t count, std::chrono::steady_clock::time_point deadline,
                std::vector<Record>& out);
  // Moves out the buffered records received before `until` (seconds since the epoch), waiting
  // until a later record arrives, the clock passes `until`, or the buffer is closed.
  void pop_until(double until, std::vector<Record>& out);

  void note_bytes(size_t count);
  void note_malformed(MalformedFrame frame);
  void note_reconnect();
  // Ends the stream: wakes every waiter; an error message makes consumers raise it once empty.
  void close(std::optional<std::string> disconnect_error = std::nullopt);
  bool closed() const;
  // The disconnect error once closed with one and drained.
  std::optional<std::string> end_error() const;

  Counters counters() const;
  std::vector<MalformedFrame> errors() const;

 private:
  void note_consumed(const Record& record);
  // Waits, holding `lock` on return, until `wanted` records are buffered, the buffer is closed,
  // or the deadline passes (false then): a spin without the lock, then a sleep.
  bool wait_for_records(std::unique_lock<std::mutex>& lock, size_t wanted,
                        std::chrono::steady_clock::time_point deadline);
  void wake_producers();
  void publish_count() { available_.store(records_.size(), std::memory_order_release); }

  const size_t capacity_;
  const Backpressure policy_;
  const size_t max_errors_;
  std::function<void(const MalformedFrame&)> on_malformed_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Record> records_;
  std::deque<MalformedFrame> errors_;
  Counters counters_;
  bool closed_ = false;
  std::optional<std::string> disconnect_error_;
  const std::chrono::nanoseconds spin_;
  std::atomic<size_t> available_{0};
  // Sleeping consumers and the fewest records one of them waits for (a push wakes them only
  // then), and producers blocked on a full buffer: notifications nobody waits for are skipped.
  size_t sleeping_consumers_ = 0;
  size_t wake_at_ = SIZE_MAX;
  size_t blocked_producers_ = 0;
};

}  // namespace ember::data::streams
