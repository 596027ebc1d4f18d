// Elementwise math as a libtorch program writes it: trigonometric and special functions, the
// composites (lerp, addcmul, nan_to_num, logit), the predicates, and the bitwise operators on
// integer tensors.
#include <ember/ember.h>

#include <cmath>
#include <limits>

#include "check.h"

namespace torch = ember;

int main() {
  torch::Tensor x = torch::linspace(-0.9, 0.9, 7);
  CHECK(torch::allclose(torch::sin(torch::asin(x)), x, 1e-5, 1e-6));
  CHECK(torch::allclose(torch::tanh(torch::atanh(x)), x, 1e-5, 1e-6));
  CHECK(torch::allclose(torch::atan2(x, torch::ones_like(x)), torch::atan(x)));
  CHECK(
      torch::allclose(x.cosh() * x.cosh() - x.sinh() * x.sinh(), torch::ones_like(x), 1e-5, 1e-5));
  CHECK(torch::allclose(torch::log2(torch::exp2(x)), x, 1e-5, 1e-6));
  CHECK(torch::allclose(torch::erfinv(torch::erf(x)), x, 1e-4, 1e-5));
  CHECK(torch::allclose(torch::lgamma(torch::tensor({5.0})), torch::tensor({std::log(24.0)})));

  torch::Tensor a = torch::zeros({3});
  torch::Tensor b = torch::full({3}, 4.0);
  CHECK(torch::allclose(torch::lerp(a, b, 0.25), torch::ones({3})));
  CHECK(torch::allclose(a.addcmul(b, b, 0.5), torch::full({3}, 8.0)));
  const double inf = std::numeric_limits<double>::infinity();
  torch::Tensor specials = torch::tensor({inf, -inf, std::nan("")});
  CHECK(torch::equal(specials.nan_to_num(0.0, 1.0, -1.0), torch::tensor({1.0f, -1.0f, 0.0f})));
  CHECK(torch::equal(specials.isinf(), torch::tensor({true, true, false})));
  CHECK(torch::equal(torch::isnan(specials), torch::tensor({false, false, true})));
  CHECK(std::abs(torch::logit(torch::tensor({0.5})).item<float>()) < 1e-7);

  torch::Tensor i = torch::tensor({12, 5});
  torch::Tensor j = torch::tensor({10, 3});
  CHECK(torch::equal(i & j, torch::tensor({8, 1})));
  CHECK(torch::equal(i | j, torch::tensor({14, 7})));
  CHECK(torch::equal(i ^ j, torch::tensor({6, 6})));
  CHECK(torch::equal(~i, torch::tensor({-13, -6})));
  CHECK(torch::equal(i % 4, torch::tensor({0, 1})));
  CHECK(torch::equal(torch::gcd(i, j), torch::tensor({2, 1})));
  i &= j;
  CHECK(torch::equal(i, torch::tensor({8, 1})));
  return 0;
}
