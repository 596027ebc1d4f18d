// Closeness and equality of whole tensors (isclose, allclose, equal): composites of the
// elementwise comparisons, with PyTorch's semantics and dtype rules.
#include <limits>

#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember {

Tensor isclose(const Tensor& self, const Tensor& other, double rtol, double atol, bool equal_nan) {
  EMBER_CHECK(self.dtype() == other.dtype(),
              "[isclose] expected input and other to have the same dtype; got ", self.dtype(),
              " and ", other.dtype());
  EMBER_CHECK(self.device() == other.device(),
              "[isclose] expected input and other on the same device; got ", self.device(), " and ",
              other.device());
  EMBER_CHECK(rtol >= 0, "[isclose] rtol must be greater than or equal to zero, but got ", rtol);
  EMBER_CHECK(atol >= 0, "[isclose] atol must be greater than or equal to zero, but got ", atol);
  // The result is a bool mask: no history to record, whatever the inputs require.
  const Tensor a = self.detach();
  const Tensor b = other.detach();
  Tensor close = eq(a, b);
  if (equal_nan && is_floating_point(a.dtype())) {
    close = logical_or(close, logical_and(ne(a, a), ne(b, b)));
  }
  if (rtol == 0 && atol == 0) return close;
  // Integers and bools compare in the default float type, as in PyTorch, so that a - b cannot
  // wrap around (int64 extremes, uint8 100 - 200).
  const bool integral = is_integral(a.dtype(), /*include_bool=*/true);
  const Tensor x = integral ? a.to(default_dtype()) : a;
  const Tensor y = integral ? b.to(default_dtype()) : b;
  const Tensor allowed = add(abs(mul(y, rtol)), atol);
  const Tensor actual = abs(sub(x, y));
  // An infinite difference is never within tolerance, even of an infinite `other`.
  const Tensor within =
      logical_and(lt(actual, std::numeric_limits<double>::infinity()), le(actual, allowed));
  return logical_or(close, within);
}

bool allclose(const Tensor& self, const Tensor& other, double rtol, double atol, bool equal_nan) {
  return all(isclose(self, other, rtol, atol, equal_nan)).item<bool>();
}

bool equal(const Tensor& self, const Tensor& other) {
  EMBER_CHECK(self.device() == other.device(),
              "[equal] expected input and other on the same device; got ", self.device(), " and ",
              other.device());
  if (self.shape() != other.shape()) return false;
  return all(eq(self.detach(), other.detach())).item<bool>();
}

Tensor Tensor::isclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return ember::isclose(*this, other, rtol, atol, equal_nan);
}
bool Tensor::allclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return ember::allclose(*this, other, rtol, atol, equal_nan);
}
bool Tensor::equal(const Tensor& other) const { return ember::equal(*this, other); }

}  // namespace ember
