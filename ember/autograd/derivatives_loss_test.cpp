// The classification-loss primitives against the composites they replaced
// (ember::detail::nll_loss_composite / cross_entropy_composite): values and gradients on
// contiguous, non-contiguous, K-dim, unbatched and empty inputs, every reduction, weight,
// ignore_index and label_smoothing, float32 and float64; gradcheck and gradgradcheck of the
// fused rules; binary_cross_entropy's finite gradient at 0 and 1 (PyTorch's values).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/gradcheck.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::leaf;
using testing::values;

constexpr int64_t kIgnore = -100;

// Class indices for `shape` that cycle through [0, classes); with `ignore`, every third is
// kIgnore.
Tensor class_targets(IntArrayRef shape, int64_t classes, bool ignore) {
  int64_t count = 1;
  for (int64_t extent : shape) count *= extent;
  std::vector<double> data(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    data[static_cast<size_t>(i)] =
        ignore && i % 3 == 1 ? kIgnore : static_cast<double>((i * 7 + 3) % classes);
  }
  return testing::tensor_of(data, shape, kInt64);
}

struct Case {
  std::string name;
  Tensor input;  // requires grad
  Tensor target;
};

// The layouts every comparison runs on, of `dtype`.
std::vector<Case> layouts(ScalarType dtype, bool ignore) {
  const auto input = [&](IntArrayRef shape) { return randn(shape, dtype).requires_grad_(); };
  std::vector<Case> cases;
  cases.push_back({"contiguous", input({6, 5}), class_targets({6}, 5, ignore)});
  // (5, 6) transposed: the classes of a sample lie 6 elements apart.
  Tensor base = randn({5, 6}, dtype).requires_grad_();
  cases.push_back({"non-contiguous", base.t(), class_targets({6}, 5, ignore)});
  cases.push_back({"k-dim", input({2, 4, 3, 2}), class_targets({2, 3, 2}, 4, ignore)});
  cases.push_back({"unbatched", input({7}), class_targets({}, 7, false)});
  cases.push_back({"empty-batch", input({0, 4}), class_targets({0}, 4, ignore)});
  return cases;
}

void expect_close(const Tensor& actual, const Tensor& expected, const std::string& what) {
  const bool single = actual.dtype() == kFloat32;
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  EXPECT_TRUE(allclose(actual, expected, single ? 1e-5 : 1e-10, single ? 1e-5 : 1e-12, true))
      << what << "\nfused " << values(actual).size() << " values, first "
      << (actual.numel() ? values(actual)[0] : 0.0) << " vs "
      << (expected.numel() ? values(expected)[0] : 0.0);
}

// The loss and its gradient w.r.t. `input` (for a fixed random upstream gradient).
std::pair<Tensor, Tensor> loss_and_grad(const Tensor& loss, const Tensor& input) {
  const Tensor upstream = full_like(loss, 0.75).detach();
  if (input.numel() == 0 && !loss.requires_grad()) {
    // The composite records no history on an empty input (gather of nothing); its gradient
    // would be zeros of the input's shape.
    return {loss, zeros_like(input)};
  }
  const Tensor grad = autograd::grad({loss}, {input}, {upstream})[0];
  return {loss.detach(), grad};
}

const std::vector<int64_t> kReductions = {Reduction::None, Reduction::Mean, Reduction::Sum};

TEST(FusedNllLoss, MatchesTheComposite) {
  manual_seed(3);
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    for (bool ignore : {false, true}) {
      for (const Case& c : layouts(dtype, ignore)) {
        const int64_t classes = c.input.size(c.input.dim() == 1 ? 0 : 1);
        Tensor weight = rand({classes}, dtype) + 0.5;
        for (const std::optional<Tensor>& w : {std::optional<Tensor>(), std::optional(weight)}) {
          for (int64_t reduction : kReductions) {
            const std::string what = c.name + (w ? " weight" : "") + (ignore ? " ignore" : "") +
                                     " reduction " + std::to_string(reduction) + " " +
                                     std::string(dtype_name(dtype));
            SCOPED_TRACE(what);
            const auto fused =
                loss_and_grad(nll_loss(c.input, c.target, w, reduction, kIgnore), c.input);
            const auto composite = loss_and_grad(
                detail::nll_loss_composite(c.input, c.target, w, reduction, kIgnore), c.input);
            expect_close(fused.first, composite.first, "loss: " + what);
            expect_close(fused.second, composite.second, "grad: " + what);
          }
        }
      }
    }
  }
}

TEST(FusedCrossEntropy, MatchesTheComposite) {
  manual_seed(4);
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    for (bool ignore : {false, true}) {
      for (const Case& c : layouts(dtype, ignore)) {
        const int64_t classes = c.input.size(c.input.dim() == 1 ? 0 : 1);
        Tensor weight = rand({classes}, dtype) + 0.5;
        for (const std::optional<Tensor>& w : {std::optional<Tensor>(), std::optional(weight)}) {
          for (double smoothing : {0.0, 0.3}) {
            for (int64_t reduction : kReductions) {
              const std::string what = c.name + (w ? " weight" : "") + (ignore ? " ignore" : "") +
                                       " smoothing " + std::to_string(smoothing) + " reduction " +
                                       std::to_string(reduction) + " " +
                                       std::string(dtype_name(dtype));
              SCOPED_TRACE(what);
              const auto fused = loss_and_grad(
                  cross_entropy_loss(c.input, c.target, w, reduction, kIgnore, smoothing), c.input);
              const auto composite =
                  loss_and_grad(detail::cross_entropy_composite(c.input, c.target, w, reduction,
                                                                kIgnore, smoothing),
                                c.input);
              expect_close(fused.first, composite.first, "loss: " + what);
              expect_close(fused.second, composite.second, "grad: " + what);
            }
          }
        }
      }
    }
  }
}

TEST(FusedCrossEntropy, StableForLargeLogits) {
  // log_softmax of [1000, 0]: the fused pass subtracts the max first, as the composite does.
  const Tensor logits = testing::tensor_of({1000, 0, 0, -1000}, {2, 2}, kFloat32);
  const Tensor target = testing::tensor_of({1, 1}, {2}, kInt64);
  EXPECT_EQ(values(cross_entropy_loss(logits, target, std::nullopt, Reduction::None)),
            (std::vector<double>{1000, 1000}));
}

TEST(FusedLossGradients, GradcheckAndGradgradcheck) {
  using autograd::gradcheck;
  using autograd::gradgradcheck;
  manual_seed(5);
  const Tensor target = class_targets({3, 2}, 4, true);
  const Tensor weight = rand({4}, kFloat64) + 0.5;
  for (int64_t reduction : kReductions) {
    const auto nll = [&](const std::vector<Tensor>& in) {
      return nll_loss(in[0], target, weight, reduction, kIgnore);
    };
    EXPECT_EQ(gradcheck(nll, {leaf({3, 4, 2})}), "") << reduction;
    EXPECT_EQ(gradgradcheck(nll, {leaf({3, 4, 2})}), "") << reduction;
    const auto cross_entropy = [&](const std::vector<Tensor>& in) {
      return cross_entropy_loss(in[0], target, weight, reduction, kIgnore, 0.2);
    };
    EXPECT_EQ(gradcheck(cross_entropy, {leaf({3, 4, 2})}), "") << reduction;
    EXPECT_EQ(gradgradcheck(cross_entropy, {leaf({3, 4, 2})}), "") << reduction;
  }
  const auto transposed = [&](const std::vector<Tensor>& in) {
    return cross_entropy_loss(in[0].t(), class_targets({3}, 4, false));
  };
  EXPECT_EQ(gradgradcheck(transposed, {leaf({4, 3})}), "");
}

TEST(BinaryCrossEntropyGradient, FiniteAtZeroAndOneAsPyTorch) {
  // PyTorch 1.13: grad input (x - y) / max(x (1 - x), 1e-12); grad target log(1 - x) - log(x).
  const Tensor x = testing::tensor_of({0, 1, 0, 1, 0.3}, {5}, kFloat64).requires_grad_();
  const Tensor y = testing::tensor_of({1, 0, 0, 1, 0.6}, {5}, kFloat64).requires_grad_();
  const Tensor loss = binary_cross_entropy(x, y, std::nullopt, Reduction::Sum);
  const auto grads = autograd::grad({loss}, {x, y});
  const std::vector<double> grad_input = values(grads[0]);
  EXPECT_DOUBLE_EQ(grad_input[0], -1e12);
  EXPECT_DOUBLE_EQ(grad_input[1], 1e12);
  EXPECT_EQ(grad_input[2], 0.0);
  EXPECT_EQ(grad_input[3], 0.0);
  EXPECT_NEAR(grad_input[4], -0.3 / 0.21, 1e-12);
  const std::vector<double> grad_target = values(grads[1]);
  EXPECT_NEAR(grad_target[4], std::log(0.7 / 0.3), 1e-12);
  EXPECT_TRUE(std::isinf(grad_target[0]) && grad_target[0] > 0);
  EXPECT_NEAR(loss.item<double>(), 200 - (0.6 * std::log(0.3) + 0.4 * std::log(0.7)), 1e-12);
  const auto bce = [](const std::vector<Tensor>& in) {
    return binary_cross_entropy(sigmoid(in[0]), sigmoid(in[1]));
  };
  EXPECT_EQ(autograd::gradgradcheck(bce, {leaf({2, 3}), leaf({2, 3})}), "");
}

}  // namespace
}  // namespace ember
