#include "ember/data/streams/record_pool.h"

#include <algorithm>

namespace ember::data::streams {

RecordPool::RecordPool(size_t record_bytes, size_t max_kept)
    : record_bytes_(record_bytes), max_kept_(max_kept) {}

std::vector<uint8_t> RecordPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      std::vector<uint8_t> bytes = std::move(free_.back());
      free_.pop_back();
      return bytes;
    }
  }
  return std::vector<uint8_t>(record_bytes_);
}

void RecordPool::release(std::vector<uint8_t>&& bytes) {
  if (bytes.size() != record_bytes_) return;
  std::lock_guard lock(mutex_);
  if (free_.size() < max_kept_) free_.push_back(std::move(bytes));
}

size_t RecordPool::free_count() const {
  std::lock_guard lock(mutex_);
  return free_.size();
}

std::shared_ptr<RecordPool> make_record_pool(size_t record_bytes, size_t budget_bytes) {
  if (record_bytes < kPooledRecordBytes) return nullptr;
  return std::make_shared<RecordPool>(record_bytes,
                                      std::max<size_t>(2, budget_bytes / record_bytes));
}

}  // namespace ember::data::streams
