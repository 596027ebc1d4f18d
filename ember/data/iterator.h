// The input iterator of a data loader (libtorch's torch::data::Iterator): each increment asks the
// loader for its next batch; the end is the iterator without one.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <utility>

namespace ember::data {

template <typename Batch>
class Iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Batch;
  using difference_type = std::ptrdiff_t;
  using pointer = Batch*;
  using reference = Batch&;

  // The end.
  Iterator() = default;
  // The first batch of `next` (an end iterator when there is none).
  explicit Iterator(std::function<std::optional<Batch>()> next) : next_(std::move(next)) {
    batch_ = next_();
  }

  Batch& operator*() { return *batch_; }
  Batch* operator->() { return &*batch_; }
  Iterator& operator++() {
    batch_ = next_();
    return *this;
  }
  // Iterators compare equal only when both are at the end.
  bool operator==(const Iterator& other) const { return !batch_ && !other.batch_; }
  bool operator!=(const Iterator& other) const { return !(*this == other); }

 private:
  std::function<std::optional<Batch>()> next_;
  std::optional<Batch> batch_;
};

}  // namespace ember::data
