#include "ember/tensor/shape.h"

#include <ostream>
#include <sstream>

#include "ember/base/error.h"

namespace ember {

std::string shape_str(const Shape& shape) {
  std::ostringstream stream;
  stream << shape;
  return stream.str();
}

std::ostream& operator<<(std::ostream& stream, IntArrayRef sizes) {
  stream << '[';
  for (size_t i = 0; i < sizes.size(); ++i) stream << (i ? ", " : "") << sizes[i];
  return stream << ']';
}

int64_t checked_numel(const Shape& shape, std::string_view op) {
  int64_t numel = 1;
  bool overflow = false;
  for (int64_t size : shape) {
    EMBER_CHECK(size >= 0, "[", op, "] Trying to create tensor with negative dimension ", size,
                ": ", shape);
    overflow |= __builtin_mul_overflow(numel, size, &numel);
  }
  EMBER_CHECK(!overflow, "[", op, "] Storage size calculation overflowed with sizes=", shape);
  return numel;
}

int64_t numel_of(const Shape& shape) {
  int64_t numel = 1;
  for (int64_t size : shape) numel *= size;
  return numel;
}

Strides contiguous_strides(const Shape& shape) {
  Strides strides(shape.size(), 1);
  int64_t running = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = running;
    running *= shape[i] > 0 ? shape[i] : 1;
  }
  return strides;
}

bool is_contiguous_layout(const Shape& shape, const Strides& strides) {
  int64_t expected = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] == 0) return true;
    if (shape[i] != 1 && strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

int64_t wrap_dim(int64_t dim, int64_t ndim, std::string_view op) {
  const int64_t rank = ndim > 0 ? ndim : 1;  // a 0-d tensor accepts dims -1 and 0
  EMBER_CHECK_INDEX(dim >= -rank && dim < rank, "[", op,
                    "] Dimension out of range (expected to be in range of [", -rank, ", ", rank - 1,
                    "], but got ", dim, ")");
  return dim < 0 ? dim + rank : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op) {
  const size_t ndim = a.size() > b.size() ? a.size() : b.size();
  Shape result(ndim, 1);
  for (size_t i = 0; i < ndim; ++i) {
    const int64_t size_a = i < ndim - a.size() ? 1 : a[i - (ndim - a.size())];
    const int64_t size_b = i < ndim - b.size() ? 1 : b[i - (ndim - b.size())];
    EMBER_CHECK(size_a == size_b || size_a == 1 || size_b == 1, "[", op, "] The size of tensor a (",
                size_a, ") must match the size of tensor b (", size_b,
                ") at non-singleton dimension ", i, "; shapes ", a, " and ", b);
    result[i] = size_a == 1 ? size_b : size_a;
  }
  return result;
}

Shape infer_size(const Shape& requested, int64_t numel, std::string_view op) {
  Shape result = requested;
  int64_t known = 1;
  int64_t inferred_dim = -1;
  for (size_t i = 0; i < requested.size(); ++i) {
    if (requested[i] == -1) {
      EMBER_CHECK(inferred_dim < 0, "[", op, "] only one dimension can be inferred");
      inferred_dim = static_cast<int64_t>(i);
    } else {
      EMBER_CHECK(requested[i] >= 0, "[", op, "] invalid shape dimension ", requested[i]);
      EMBER_CHECK(!__builtin_mul_overflow(known, requested[i], &known), "[", op, "] shape '",
                  requested, "' is invalid for input of size ", numel,
                  " (numel: integer multiplication overflow)");
    }
  }
  if (inferred_dim >= 0) {
    EMBER_CHECK(known != 0 && numel % known == 0, "[", op, "] shape '", requested,
                "' is invalid for input of size ", numel);
    result[inferred_dim] = numel / known;
  } else {
    EMBER_CHECK(known == numel, "[", op, "] shape '", requested, "' is invalid for input of size ",
                numel);
  }
  return result;
}

}  // namespace ember
