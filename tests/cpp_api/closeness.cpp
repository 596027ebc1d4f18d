// Comparing results as a libtorch test would: torch::allclose with tolerances, isclose's
// elementwise mask with NaN handling, and torch::equal for exact equality of size and values.
#include <ember/ember.h>

#include <limits>
#include <string>

#include "check.h"

namespace torch = ember;

int main() {
  torch::manual_seed(0);
  torch::Tensor a = torch::randn({4, 3});
  torch::Tensor b = a + 1e-7;
  CHECK(torch::allclose(a, b));
  CHECK(a.allclose(b));
  CHECK(!torch::allclose(a, a + 1e-2));
  CHECK(torch::allclose(a, a + 1e-2, /*rtol=*/0, /*atol=*/0.1));
  CHECK(torch::allclose(torch::ones({2, 3}), torch::ones({3})));  // broadcasts

  const double nan = std::numeric_limits<double>::quiet_NaN();
  torch::Tensor with_nan = torch::tensor({1.0, nan});
  torch::Tensor mask = torch::isclose(with_nan, with_nan);
  CHECK(mask.scalar_type() == torch::kBool);
  CHECK(mask[0].item<bool>() && !mask[1].item<bool>());
  CHECK(with_nan.isclose(with_nan, 1e-5, 1e-8, /*equal_nan=*/true).all().item<bool>());

  CHECK(torch::equal(a, a.clone()));
  CHECK(!torch::equal(a, b));
  CHECK(!torch::equal(torch::ones({2, 3}), torch::ones({3})));
  CHECK(a.equal(a));

  try {
    torch::isclose(torch::ones({2}), torch::ones({2}, torch::kDouble));
    CHECK(false);
  } catch (const std::exception& error) {
    CHECK(std::string(error.what()).find("same dtype") != std::string::npos);
  }
  return 0;
}
