// Index keys, libtorch's at::indexing: t.index({Slice(), 0}) is Python's t[:, 0] and
// t.index_put_({mask}, 0) is t[mask] = 0. The rules for keys live here once; Python's
// __getitem__/__setitem__ (python/src/indexing.cpp) only turn Python objects into TensorIndex.
// Ints, slices, None, Ellipsis and bools are basic indices, applied as views from the left; tensors
// (integer positions or bool masks) are advanced indices, applied afterwards by ember::index (a
// copy) or ember::index_put_ (written through the view), as in Python.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "ember/base/array_ref.h"
#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::indexing {

// Declared before None and Ellipsis: after them, its enumerators of those names trip -Wshadow.
enum class TensorIndexType { None, Ellipsis, Integer, Boolean, Slice, Tensor };

// The bounds an omitted slice start or stop stands for (they clamp to the dim's size).
inline constexpr int64_t INDEX_MIN = std::numeric_limits<int64_t>::min();
inline constexpr int64_t INDEX_MAX = std::numeric_limits<int64_t>::max();

// Python's None in a key: a new dim of size 1. std::nullopt's type, as in libtorch.
inline constexpr std::nullopt_t None = std::nullopt;

// Python's `...`: as many full slices as the dims the other indices leave.
struct EllipsisIndexType final {
  EllipsisIndexType() = default;
};
inline constexpr EllipsisIndexType Ellipsis = EllipsisIndexType();

// Python's start:stop:step; an omitted bound is the whole dim. A step of zero is a ValueError
// here, a negative one when the slice is applied (tensors have no negative strides).
class Slice final {
 public:
  Slice(std::optional<int64_t> start = std::nullopt,  // NOLINT: implicit like libtorch
        std::optional<int64_t> stop = std::nullopt, std::optional<int64_t> step = std::nullopt)
      : step_(step.value_or(1)) {
    EMBER_CHECK_VALUE(step_ != 0, "slice step cannot be zero");
    start_ = start.value_or(step_ < 0 ? INDEX_MAX : 0);
    stop_ = stop.value_or(step_ < 0 ? INDEX_MIN : INDEX_MAX);
  }
  int64_t start() const { return start_; }
  int64_t stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  int64_t start_ = 0;
  int64_t stop_ = INDEX_MAX;
  int64_t step_ = 1;
};

// One entry of a key, built implicitly from what a libtorch user writes in the braced list.
class TensorIndex final {
 public:
  TensorIndex(std::nullopt_t) : type_(TensorIndexType::None) {}         // NOLINT: implicit
  TensorIndex(EllipsisIndexType) : type_(TensorIndexType::Ellipsis) {}  // NOLINT
  // "..." only, libtorch's other spelling of Ellipsis; any other string is a ValueError.
  TensorIndex(const char* str);  // NOLINT
  TensorIndex(int64_t integer)   // NOLINT
      : integer_(integer), type_(TensorIndexType::Integer) {}
  TensorIndex(int integer) : TensorIndex(static_cast<int64_t>(integer)) {}  // NOLINT
  // A template so that pointers and other integers never convert to a bool index.
  template <typename T, typename = std::enable_if_t<std::is_same_v<T, bool>>>
  TensorIndex(T boolean) : boolean_(boolean), type_(TensorIndexType::Boolean) {}  // NOLINT
  TensorIndex(Slice slice) : slice_(slice), type_(TensorIndexType::Slice) {}      // NOLINT
  TensorIndex(Tensor tensor)                                                      // NOLINT
      : tensor_(std::move(tensor)), type_(TensorIndexType::Tensor) {}

  TensorIndexType type() const { return type_; }
  bool is_none() const { return type_ == TensorIndexType::None; }
  bool is_ellipsis() const { return type_ == TensorIndexType::Ellipsis; }
  bool is_integer() const { return type_ == TensorIndexType::Integer; }
  bool is_boolean() const { return type_ == TensorIndexType::Boolean; }
  bool is_slice() const { return type_ == TensorIndexType::Slice; }
  bool is_tensor() const { return type_ == TensorIndexType::Tensor; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  int64_t integer_ = 0;
  bool boolean_ = false;
  Slice slice_;
  Tensor tensor_;
  TensorIndexType type_;
};

// self[indices]: a view when every index is basic, else a copy (Tensor::index calls it).
Tensor get_item(const Tensor& self, ArrayRef<TensorIndex> indices);
// self[indices] = value, written into self (Tensor::index_put_ calls these). A tensor value
// broadcasts to the indexed shape (leading size-1 dims of it are ignored) and is cast to self's
// dtype under the in-place rule; a Scalar value is converted to self's dtype.
void set_item(const Tensor& self, ArrayRef<TensorIndex> indices, const Tensor& value);
void set_item(const Tensor& self, ArrayRef<TensorIndex> indices, const Scalar& value);

}  // namespace ember::indexing
