// Shapes and strides: inline small vectors plus the checked arithmetic every op shares
// (numel overflow, negative sizes, broadcasting, dim wrapping), each with PyTorch's message.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/base/small_vector.h"

namespace ember {

using Shape = SmallVector<int64_t, 6>;
using Strides = SmallVector<int64_t, 6>;

std::string shape_str(const Shape& shape);  // "[2, 3]"

// Product of sizes; throws on a negative size (B8) or when it overflows int64 (B10).
int64_t checked_numel(const Shape& shape, std::string_view op);
int64_t numel_of(const Shape& shape);
Strides contiguous_strides(const Shape& shape);
bool is_contiguous_layout(const Shape& shape, const Strides& strides);

// Wraps a possibly negative dim into [0, ndim); IndexError naming the valid range (B6).
int64_t wrap_dim(int64_t dim, int64_t ndim, std::string_view op);
// NumPy broadcasting of two shapes; RuntimeError naming both sizes and the dim (B1).
Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op);
// Replaces one -1 in a requested shape so that it holds numel elements (view/reshape).
Shape infer_size(const Shape& requested, int64_t numel, std::string_view op);

}  // namespace ember

namespace ember {

// A borrowed list of sizes or dims, as libtorch's c10::IntArrayRef: accepts {2, 3}, a Shape, a
// std::vector<int64_t> or one int64_t (so that `t.sum(1)` means dims {1}).
class IntArrayRef {
 public:
  IntArrayRef() = default;
  IntArrayRef(const int64_t& value) : data_(&value), size_(1) {}  // NOLINT: implicit like c10's
  // Borrowing a braced list is safe for the duration of the call it is passed to, which is
  // the only way ops take it (as c10::IntArrayRef does).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  IntArrayRef(std::initializer_list<int64_t> values)  // NOLINT: implicit by design
      : data_(values.begin()), size_(values.size()) {}
#pragma GCC diagnostic pop
  IntArrayRef(const Shape& values)  // NOLINT
      : data_(values.data()), size_(values.size()) {}
  template <typename Vector, typename = decltype(std::declval<const Vector&>().data())>
  IntArrayRef(const Vector& values)  // NOLINT
      : data_(values.data()), size_(values.size()) {}
  IntArrayRef(const int64_t* data, size_t size) : data_(data), size_(size) {}

  const int64_t* begin() const { return data_; }
  const int64_t* end() const { return data_ + size_; }
  const int64_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t operator[](size_t i) const { return data_[i]; }
  int64_t front() const { return data_[0]; }
  int64_t back() const { return data_[size_ - 1]; }
  Shape to_shape() const { return Shape(data_, data_ + size_); }
  std::vector<int64_t> vec() const { return std::vector<int64_t>(data_, data_ + size_); }
  bool equals(IntArrayRef other) const {
    if (size_ != other.size_) return false;
    for (size_t i = 0; i < size_; ++i) {
      if (data_[i] != other.data_[i]) return false;
    }
    return true;
  }
  // Also compares with a Shape or std::vector<int64_t> through the implicit constructors.
  friend bool operator==(IntArrayRef a, IntArrayRef b) { return a.equals(b); }
  friend bool operator!=(IntArrayRef a, IntArrayRef b) { return !a.equals(b); }

 private:
  const int64_t* data_ = nullptr;
  size_t size_ = 0;
};

// "[2, 3]", for a Shape, Strides or sizes() alike.
std::ostream& operator<<(std::ostream& stream, IntArrayRef sizes);

}  // namespace ember
