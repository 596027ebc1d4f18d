// scaled_dot_product_attention as a libtorch user writes it: torch::scaled_dot_product_attention
// and F::scaled_dot_product_attention with a causal flag, a bool mask and a scale, then backward.
#include <ember/ember.h>

#include "check.h"

namespace torch = ember;
namespace F = torch::nn::functional;

int main() {
  auto q = torch::randn({2, 4, 16, 8}, torch::requires_grad());
  auto k = torch::randn({2, 4, 24, 8}, torch::requires_grad());
  auto v = torch::randn({2, 4, 24, 6}, torch::requires_grad());

  auto causal = torch::scaled_dot_product_attention(q, k, v, {}, 0.0, /*is_causal=*/true);
  CHECK(causal.sizes() == std::vector<int64_t>({2, 4, 16, 6}));
  auto keep = torch::ones({16, 24}, torch::kBool).tril();
  CHECK(F::scaled_dot_product_attention(q, k, v, keep).allclose(causal, 1e-5, 1e-6));

  auto scaled = F::scaled_dot_product_attention(q, k, v, {}, 0.0, false, 0.25);
  scaled.sum().backward();
  CHECK(q.grad().sizes() == q.sizes() && k.grad().sizes() == k.sizes());
  CHECK(v.grad().sum().item<double>() > 0.0);
  return 0;
}
