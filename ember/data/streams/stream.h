// A live stream: a source read by an I/O thread, framed into records of a schema, buffered under
// a backpressure policy, and consumed as records, batches, or count- and time-based windows of
// tensors. Also the in-process push API: a stream without a source that a driver's callback
// feeds with push(). Thread-safe: one producer (the I/O thread, or pushers), any consumers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ember/data/streams/framing.h"
#include "ember/data/streams/record_buffer.h"
#include "ember/data/streams/record_pool.h"
#include "ember/data/streams/schema.h"
#include "ember/data/streams/sources.h"
#include "ember/tensor/tensor.h"

namespace ember::data::streams {

// What the stream does when its source's connection ends or cannot be made.
enum class OnDisconnect {
  kReconnect,  // open the source again, with exponential backoff
  kRaise,      // end the stream; consumers get StreamDisconnected once the buffer is drained
  kEnd,        // end the stream quietly (a finite file or process)
};
// "reconnect", "raise", "end"; ValueError otherwise.
OnDisconnect on_disconnect_from_string(const std::string& name);

struct StreamOptions {
  Format format = Format::kBinary;
  size_t capacity = 1024;
  Backpressure backpressure = Backpressure::kBlock;
  OnDisconnect on_disconnect = OnDisconnect::kReconnect;
  double backoff_initial = 0.05;  // seconds before the first reconnect attempt, doubling
  double backoff_max = 1.0;
  // Consecutive failed attempts before giving up (then StreamDisconnected); -1: never.
  int64_t max_reconnects = -1;
  FramingOptions framing;
  size_t max_errors = 64;  // malformed frames kept in errors() (the oldest are evicted)
  std::function<void(const MalformedFrame&)> on_malformed;  // called on the I/O thread
  // Seconds a consumer waiting for records polls before it sleeps: a record arriving meanwhile
  // reaches it without a futex wakeup, at the cost of a core busy for that long per wait. Off
  // by default: on a machine with more runnable threads than cores the spinning consumer is
  // preempted for whole time slices and its p99 got worse (bench/RESULTS.md, issue 13).
  double spin = 0;
};

// Records as tensors: one (size, *field.shape) tensor per field in schema order, each record's
// bytes copied straight into them, with the receive times (float64) and frame offsets (int64).
struct Batch {
  std::vector<Tensor> fields;
  Tensor timestamps;
  Tensor offsets;
  int64_t size() const { return timestamps.defined() ? timestamps.size(0) : 0; }
};

Batch make_batch(const Schema& schema, const std::vector<Record>& records);
// As above, but a single record whose fields are aligned for their dtypes is adopted: the field
// tensors view its buffer (no copy), which goes back to `pool` (if any) once they are freed.
// The records' buffers that were copied go back to `pool` at once.
Batch make_batch(const Schema& schema, std::vector<Record>&& records,
                 const std::shared_ptr<RecordPool>& pool);

class Stream {
 public:
  // Starts the I/O thread on `source`.
  Stream(Schema schema, std::unique_ptr<Source> source, StreamOptions options = {});
  // A push stream: records come from push(), push_record() and push_frame().
  explicit Stream(Schema schema, StreamOptions options = {});
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  const Schema& schema() const { return schema_; }
  // A new stream of the same schema and options on Source::another() of this stream's source
  // (its own connection or process), for another consumer such as a DataLoader worker.
  // RuntimeError naming the source where none can be had: a push stream, a listener, a tail.
  std::unique_ptr<Stream> another() const;
  // The source's port once it listens (TCP server, UDP); -1 otherwise.
  int port() const { return source_ ? source_->port() : -1; }

  // The next record, waiting at most timeout seconds; nullopt on timeout or at the stream's
  // end (finished() tells which). StreamDisconnected once drained after a raised disconnect.
  std::optional<Record> next(double timeout);
  // Up to `size` records (fewer when the timeout passes or the stream ends); nullopt when none.
  std::optional<Batch> next_batch(int64_t size, double timeout);
  // A sliding window of the last `size` records, moved on by `stride` new records per call.
  std::optional<Batch> next_window(int64_t size, int64_t stride, double timeout);
  // The records received in the next `duration` seconds (tumbling windows back to back; the
  // first starts at the call). Empty batches when nothing arrived.
  Batch next_time_window(double duration);

  // Push API. push() takes every field's values flattened in schema order; push_record() the
  // packed bytes; push_frame() bytes in the stream's format (push streams only). False once the
  // stream is closed.
  bool push(const std::vector<double>& values);
  bool push_record(std::vector<uint8_t> bytes);
  void push_frame(const uint8_t* data, size_t size);

  Counters counters() const { return buffer_.counters(); }
  std::vector<MalformedFrame> errors() const { return buffer_.errors(); }
  bool finished() const;
  // Stops the I/O thread and closes the source; buffered records can still be read.
  void close();

 private:
  void run();
  void read_source();
  void push_framed(std::vector<uint8_t>&& bytes, uint64_t offset);
  std::unique_ptr<Framer> new_framer();
  void raise_if_disconnected() const;

  const Schema schema_;
  const StreamOptions options_;
  RecordBuffer buffer_;
  // Buffers of large records, shared with the batches that adopted one (null for small ones).
  std::shared_ptr<RecordPool> pool_;
  std::unique_ptr<Source> source_;
  std::atomic<bool> stop_{false};
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  std::thread io_thread_;
  std::mutex push_mutex_;
  std::unique_ptr<Framer> push_framer_;
  std::mutex window_mutex_;
  std::deque<Record> window_;
  double time_window_end_ = 0;
};

}  // namespace ember::data::streams
