#include "ember/data/streams/stream.h"

#include <cstring>

#include "ember/ops/ops.h"

namespace ember::data::streams {
namespace {

constexpr size_t kReadSize = size_t{64} << 10;
constexpr int kReadTimeoutMs = 50;  // how often the I/O thread checks for a stop
// Free large-record buffers a stream keeps for reuse.
constexpr size_t kPoolBudgetBytes = size_t{64} << 20;

std::chrono::steady_clock::time_point deadline_after(double seconds) {
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(std::max(0.0, seconds)));
}

}  // namespace

OnDisconnect on_disconnect_from_string(const std::string& name) {
  if (name == "reconnect") return OnDisconnect::kReconnect;
  if (name == "raise") return OnDisconnect::kRaise;
  if (name == "end") return OnDisconnect::kEnd;
  detail::raise<ValueError>(
      "[streams.Stream] expected on_disconnect 'reconnect', 'raise' or 'end'; got '", name, "'");
}

Batch make_batch(const Schema& schema, const std::vector<Record>& records) {
  const auto count = static_cast<int64_t>(records.size());
  Batch batch;
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& field = schema.fields()[i];
    std::vector<int64_t> shape{count};
    shape.insert(shape.end(), field.shape.begin(), field.shape.end());
    Tensor tensor = empty(shape, field.dtype);
    auto* out = static_cast<uint8_t*>(tensor.data_ptr());
    const size_t offset = schema.offset(i);
    const size_t nbytes = field.nbytes();
    for (int64_t r = 0; r < count; ++r) {
      std::memcpy(out + r * nbytes, records[r].bytes.data() + offset, nbytes);
    }
    batch.fields.push_back(std::move(tensor));
  }
  batch.timestamps = empty({count}, kFloat64);
  batch.offsets = empty({count}, kInt64);
  auto* times = batch.timestamps.data_ptr<double>();
  auto* offsets = batch.offsets.data_ptr<int64_t>();
  for (int64_t r = 0; r < count; ++r) {
    times[r] = records[r].timestamp;
    offsets[r] = static_cast<int64_t>(records[r].offset);
  }
  return batch;
}

Batch make_batch(const Schema& schema, std::vector<Record>&& records,
                 const std::shared_ptr<RecordPool>& pool) {
  bool aligned = records.size() == 1;
  for (size_t i = 0; aligned && i < schema.size(); ++i) {
    aligned = schema.offset(i) % itemsize(schema.fields()[i].dtype) == 0;
  }
  if (!aligned) {
    Batch batch = make_batch(schema, records);
    if (pool) {
      for (Record& record : records) pool->release(std::move(record.bytes));
    }
    return batch;
  }
  // One record: its buffer becomes the batch's storage, freed (or pooled) with the last field.
  Record& record = records.front();
  std::weak_ptr<RecordPool> owner = pool;
  std::shared_ptr<std::vector<uint8_t>> storage(new std::vector<uint8_t>(std::move(record.bytes)),
                                                [owner](std::vector<uint8_t>* bytes) {
                                                  if (auto alive = owner.lock())
                                                    alive->release(std::move(*bytes));
                                                  delete bytes;
                                                });
  Batch batch;
  for (size_t i = 0; i < schema.size(); ++i) {
    const Field& field = schema.fields()[i];
    std::vector<int64_t> shape{1};
    shape.insert(shape.end(), field.shape.begin(), field.shape.end());
    batch.fields.push_back(from_blob(
        storage->data() + schema.offset(i), shape, [storage](void*) {}, field.dtype));
  }
  batch.timestamps = full({1}, record.timestamp, kFloat64);
  batch.offsets = full({1}, static_cast<int64_t>(record.offset), kInt64);
  return batch;
}

Stream::Stream(Schema schema, std::unique_ptr<Source> source, StreamOptions options)
    : schema_(std::move(schema)),
      options_(std::move(options)),
      buffer_(options_.capacity, options_.backpressure, options_.max_errors, options_.on_malformed,
              std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::duration<double>(std::max(0.0, options_.spin)))),
      pool_(make_record_pool(schema_.record_bytes(), kPoolBudgetBytes)),
      source_(std::move(source)) {
  EMBER_CHECK_VALUE(
      options_.backoff_initial > 0 && options_.backoff_max >= options_.backoff_initial,
      "[streams.Stream] expected 0 < backoff_initial <= backoff_max; got ",
      options_.backoff_initial, " and ", options_.backoff_max);
  make_framer(options_.format, schema_, options_.framing, nullptr, nullptr);  // checks options
  if (source_) {
    io_thread_ = std::thread([this] { run(); });
  } else {
    push_framer_ = new_framer();
  }
}

Stream::Stream(Schema schema, StreamOptions options)
    : Stream(std::move(schema), nullptr, std::move(options)) {}

Stream::~Stream() { close(); }

std::unique_ptr<Stream> Stream::another() const {
  std::unique_ptr<Source> source = source_ ? source_->another() : nullptr;
  EMBER_CHECK(source != nullptr,
              "[streams.Stream] expected a source that another reader can open "
              "again (a tcp or unix client, a subprocess); got ",
              source_ ? source_->describe() : std::string("a push stream"),
              ", whose records reach only this stream: read it in one process (DataLoader "
              "num_workers=0)");
  return std::make_unique<Stream>(schema_, std::move(source), options_);
}

std::unique_ptr<Framer> Stream::new_framer() {
  std::unique_ptr<Framer> framer = make_framer(
      options_.format, schema_, options_.framing,
      [this](std::vector<uint8_t>&& bytes, uint64_t offset) {
        push_framed(std::move(bytes), offset);
      },
      [this](uint64_t offset, std::string reason) {
        buffer_.note_malformed({offset, std::move(reason)});
      });
  if (pool_) framer->set_record_source([pool = pool_] { return pool->acquire(); });
  return framer;
}

void Stream::push_framed(std::vector<uint8_t>&& bytes, uint64_t offset) {
  buffer_.push(Record{std::move(bytes), now_seconds(), offset});
}

void Stream::run() {
  // An unexpected failure (a throwing callback, no memory) ends the stream with its message
  // rather than terminating the process from this thread.
  try {
    read_source();
  } catch (const std::exception& error) {
    source_->close();
    buffer_.close(std::string("[streams] ") + source_->describe() + ": " + error.what());
  }
}

void Stream::read_source() {
  std::vector<uint8_t> chunk(kReadSize);
  std::unique_ptr<Framer> framer = new_framer();
  bool connected = false;
  bool ever_connected = false;
  int64_t failures = 0;
  double backoff = options_.backoff_initial;
  // Waits before the next attempt; false when the stream was stopped meanwhile.
  auto wait_backoff = [&] {
    std::unique_lock lock(stop_mutex_);
    stop_cv_.wait_for(lock, std::chrono::duration<double>(backoff), [&] { return stop_.load(); });
    backoff = std::min(backoff * 2, options_.backoff_max);
    return !stop_;
  };
  auto end_stream = [&](const std::string& why) {
    source_->close();
    // A quiet end only when asked for; giving up on reconnecting is an error.
    if (options_.on_disconnect != OnDisconnect::kEnd) {
      buffer_.close("[streams] " + source_->describe() + ": " + why);
    } else {
      buffer_.close();
    }
  };
  while (!stop_) {
    if (!connected) {
      try {
        source_->open();
      } catch (const StreamDisconnected& error) {
        ++failures;
        const bool give_up = options_.on_disconnect != OnDisconnect::kReconnect ||
                             (options_.max_reconnects >= 0 && failures > options_.max_reconnects);
        if (give_up) {
          end_stream(std::string("the connection could not be made: ") + error.what());
          return;
        }
        if (!wait_backoff()) return;
        continue;
      }
      if (ever_connected) buffer_.note_reconnect();
      connected = ever_connected = true;
      failures = 0;
      backoff = options_.backoff_initial;
    }
    // The rest of a large payload goes from the kernel straight into its record; headers,
    // small records and text go through the chunk (one read holds many of them).
    const std::span<uint8_t> direct =
        source_->message_based() ? std::span<uint8_t>{} : framer->direct_target();
    const bool read_direct = direct.size() >= chunk.size();
    const ReadResult result = read_direct
                                  ? source_->read(direct.data(), direct.size(), kReadTimeoutMs)
                                  : source_->read(chunk.data(), chunk.size(), kReadTimeoutMs);
    if (result.status == ReadStatus::kData) {
      buffer_.note_bytes(result.size);
      if (read_direct) {
        framer->commit_direct(result.size);
      } else {
        framer->feed(chunk.data(), result.size);
      }
      if (source_->message_based()) framer->end_message();
    } else if (result.status == ReadStatus::kEnd) {
      framer->end_message();
      connected = false;
      if (options_.on_disconnect != OnDisconnect::kReconnect) {
        end_stream("the connection ended");
        return;
      }
      source_->close();
    }
  }
}

bool Stream::finished() const { return buffer_.closed() && buffer_.counters().buffered == 0; }

void Stream::raise_if_disconnected() const {
  if (auto error = buffer_.end_error()) throw StreamDisconnected(*error);
}

std::optional<Record> Stream::next(double timeout) {
  std::optional<Record> record = buffer_.pop(deadline_after(timeout));
  if (!record) raise_if_disconnected();
  return record;
}

std::optional<Batch> Stream::next_batch(int64_t size, double timeout) {
  EMBER_CHECK_VALUE(size > 0,
                    "[streams.Stream.next_batch] expected a batch size of at least 1; got ", size);
  std::vector<Record> records;
  buffer_.pop_many(static_cast<size_t>(size), deadline_after(timeout), records);
  if (records.empty()) {
    raise_if_disconnected();
    return std::nullopt;
  }
  return make_batch(schema_, std::move(records), pool_);
}

std::optional<Batch> Stream::next_window(int64_t size, int64_t stride, double timeout) {
  EMBER_CHECK_VALUE(size > 0 && stride > 0,
                    "[streams.Stream.next_window] expected a size and a stride of at least 1; "
                    "got size ",
                    size, " and stride ", stride);
  std::lock_guard lock(window_mutex_);
  // The first window fills all of it (over several calls if they time out); later ones move on
  // by `stride` records.
  const auto full = static_cast<size_t>(size);
  const size_t wanted = window_.size() < full ? full - window_.size() : static_cast<size_t>(stride);
  std::vector<Record> arrived;
  buffer_.pop_many(wanted, deadline_after(timeout), arrived);
  if (arrived.size() < wanted) {
    // Keep what arrived for the next call rather than losing it.
    for (Record& record : arrived) window_.push_back(std::move(record));
    while (window_.size() > static_cast<size_t>(size)) window_.pop_front();
    raise_if_disconnected();
    return std::nullopt;
  }
  for (Record& record : arrived) window_.push_back(std::move(record));
  while (window_.size() > static_cast<size_t>(size)) window_.pop_front();
  if (window_.size() < static_cast<size_t>(size)) return std::nullopt;
  return make_batch(schema_, {window_.begin(), window_.end()});
}

Batch Stream::next_time_window(double duration) {
  EMBER_CHECK_VALUE(duration > 0, "[streams.Stream.next_time_window] expected a duration > 0; got ",
                    duration);
  std::lock_guard lock(window_mutex_);
  const double now = now_seconds();
  // Back to back with the previous window unless the consumer fell a whole window behind.
  const double start = time_window_end_ > now - duration ? time_window_end_ : now;
  time_window_end_ = start + duration;
  std::vector<Record> records;
  buffer_.pop_until(time_window_end_, records);
  if (records.empty()) raise_if_disconnected();
  return make_batch(schema_, std::move(records), pool_);
}

bool Stream::push(const std::vector<double>& values) {
  return buffer_.push(Record{pack_values(schema_, values), now_seconds(), 0});
}

bool Stream::push_record(std::vector<uint8_t> bytes) {
  EMBER_CHECK_VALUE(bytes.size() == schema_.record_bytes(),
                    "[streams.Stream.push_record] expected ", schema_.record_bytes(), " bytes (",
                    schema_.repr(), "); got ", bytes.size());
  return buffer_.push(Record{std::move(bytes), now_seconds(), 0});
}

void Stream::push_frame(const uint8_t* data, size_t size) {
  EMBER_CHECK_VALUE(push_framer_ != nullptr,
                    "[streams.Stream.push_frame] expected a push stream (one without a source); "
                    "this stream reads ",
                    source_ ? source_->describe() : "");
  std::lock_guard lock(push_mutex_);
  buffer_.note_bytes(size);
  push_framer_->feed(data, size);
}

void Stream::close() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stop_) return;
    stop_ = true;
  }
  stop_cv_.notify_all();
  // Wakes an I/O thread blocked on a full buffer; the records already buffered stay readable.
  buffer_.close();
  if (io_thread_.joinable()) io_thread_.join();
  if (source_) source_->close();
}

}  // namespace ember::data::streams
