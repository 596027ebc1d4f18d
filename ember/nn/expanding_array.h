// libtorch's torch::ExpandingArray<D>: D int64_t sizes given as one value (repeated D times) or
// as D values, so that `ReflectionPad2dOptions(1)` and `ReflectionPad2dOptions({1, 2, 0, 1})`
// both read as in libtorch.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "ember/base/error.h"

namespace ember {

template <size_t D>
class ExpandingArray {
 public:
  ExpandingArray(int64_t value) { values_.fill(value); }  // NOLINT: implicit as libtorch's
  ExpandingArray(std::initializer_list<int64_t> values) : ExpandingArray(std::vector(values)) {}
  ExpandingArray(const std::vector<int64_t>& values) {  // NOLINT: implicit as libtorch's
    EMBER_CHECK_VALUE(values.size() == D, "Expected ", D, " values, but got ", values.size());
    for (size_t i = 0; i < D; ++i) values_[i] = values[i];
  }
  const int64_t* data() const { return values_.data(); }
  size_t size() const { return D; }
  int64_t operator[](size_t i) const { return values_[i]; }
  const int64_t* begin() const { return values_.data(); }
  const int64_t* end() const { return values_.data() + D; }
  std::vector<int64_t> vec() const { return {values_.begin(), values_.end()}; }

 private:
  std::array<int64_t, D> values_{};
};

}  // namespace ember
