// scaled_dot_product_attention's gradients: the fused kernel's backward against the math
// composite's, and gradcheck / gradgradcheck (float64) of the fused path with masks, is_causal,
// broadcast batch dims and grouped-query heads.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/gradcheck.h"
#include "ember/ops/attention.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::leaf;
using testing::tensor_of;

struct Call {
  Tensor mask = {};
  bool is_causal = false;
  std::optional<double> scale = std::nullopt;
  bool enable_gqa = false;
};

Tensor fused(const std::vector<Tensor>& qkv, const Call& call) {
  return scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], call.mask, 0.0, call.is_causal,
                                      call.scale, call.enable_gqa);
}

Tensor math(const std::vector<Tensor>& qkv, const Call& call) {
  return std::get<0>(_scaled_dot_product_attention_math(
      qkv[0], qkv[1], qkv[2], call.mask, 0.0, call.is_causal, call.scale, call.enable_gqa));
}

void expect_same_gradients(const std::vector<Tensor>& qkv, const Call& call) {
  const Tensor out = fused(qkv, call);
  const Tensor grad_out = randn(out.shape(), TensorOptions(kFloat64));
  const auto fused_grads = autograd::grad({out}, qkv, {grad_out});
  const auto math_grads = autograd::grad({math(qkv, call)}, qkv, {grad_out});
  EXPECT_TRUE(out.allclose(math(qkv, call), 1e-10, 1e-12));
  for (size_t i = 0; i < qkv.size(); ++i) {
    EXPECT_TRUE(fused_grads[i].allclose(math_grads[i], 1e-9, 1e-11)) << "input " << i;
  }
}

TEST(AttentionGradients, FusedMatchesTheMathComposite) {
  expect_same_gradients({leaf({2, 70, 5}), leaf({2, 140, 5}), leaf({2, 140, 3})}, {});
  expect_same_gradients({leaf({1, 2, 130, 4}), leaf({1, 2, 130, 4}), leaf({1, 2, 130, 2})},
                        {.is_causal = true});
  expect_same_gradients({leaf({2, 9, 4}), leaf({1, 6, 4}), leaf({2, 6, 4})},
                        {.mask = tensor_of({1, 0, 1, 1, 0, 1}, {6}, kBool), .scale = 0.3});
  expect_same_gradients({leaf({1, 4, 5, 3}), leaf({1, 2, 6, 3}), leaf({1, 2, 6, 2})},
                        {.mask = leaf({5, 6}).detach(), .enable_gqa = true});
}

TEST(AttentionGradients, GradcheckAndGradgradcheck) {
  const std::vector<Tensor> qkv = {leaf({2, 3, 4}), leaf({2, 5, 4}), leaf({2, 5, 2})};
  const Tensor mask = tensor_of({1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, {3, 5}, kBool);
  for (const Call& call : {Call{}, Call{.is_causal = true}, Call{.mask = mask}}) {
    auto function = [&](const std::vector<Tensor>& inputs) { return fused(inputs, call); };
    EXPECT_EQ(autograd::gradcheck(function, qkv), "");
    EXPECT_EQ(autograd::gradgradcheck(function, qkv), "");
  }
}

}  // namespace
}  // namespace ember
