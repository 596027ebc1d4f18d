// Reused record buffers for large records. A fresh 1 MiB std::vector costs an allocation, a
// zero fill and (for a new mapping) page faults: a pass over memory as costly as the copy from
// the kernel. The framer takes its records from here and the stream hands them back once their
// bytes are in a batch (or once a batch that adopted one is freed), so in a steady stream the
// same buffers go round and each byte is written once by the kernel and once into the batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace ember::data::streams {

class RecordPool {
 public:
  // Keeps at most max_kept free buffers of record_bytes each.
  RecordPool(size_t record_bytes, size_t max_kept);

  // A buffer of record_bytes (its contents are stale bytes of an earlier record, or zeros).
  std::vector<uint8_t> acquire();
  // Takes a buffer back; one of another size, or beyond max_kept, is freed.
  void release(std::vector<uint8_t>&& bytes);
  size_t free_count() const;

 private:
  const size_t record_bytes_;
  const size_t max_kept_;
  mutable std::mutex mutex_;
  std::vector<std::vector<uint8_t>> free_;
};

// Records of at least this many bytes go through a pool; below it malloc's caches are as fast.
inline constexpr size_t kPooledRecordBytes = size_t{16} << 10;

// A pool for records of `record_bytes` holding up to about `budget_bytes` (at least two
// buffers), or null for records too small to be worth pooling.
std::shared_ptr<RecordPool> make_record_pool(size_t record_bytes, size_t budget_bytes);

}  // namespace ember::data::streams
