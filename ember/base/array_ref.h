// ArrayRef<T>: a borrowed (pointer, size) list, as c10::ArrayRef. Functions take it to accept a
// braced list, a std::vector or a std::array without copying; T may be incomplete where it is
// only declared (Tensor::index takes an ArrayRef<indexing::TensorIndex>).
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <vector>

namespace ember {

template <typename T>
class ArrayRef {
 public:
  ArrayRef() = default;
  ArrayRef(const T* data, size_t size) : data_(data), size_(size) {}
  // Borrowing a braced list is safe for the duration of the call it is passed to, which is the
  // only way functions take it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  ArrayRef(std::initializer_list<T> values)  // NOLINT: implicit by design
      : data_(values.begin()), size_(values.size()) {}
#pragma GCC diagnostic pop
  template <typename Allocator>
  ArrayRef(const std::vector<T, Allocator>& values)  // NOLINT
      : data_(values.data()), size_(values.size()) {}
  template <size_t N>
  ArrayRef(const std::array<T, N>& values)  // NOLINT
      : data_(values.data()), size_(N) {}

  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T& front() const { return data_[0]; }
  std::vector<T> vec() const { return std::vector<T>(data_, data_ + size_); }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ember
