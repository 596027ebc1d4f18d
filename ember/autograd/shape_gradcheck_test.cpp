// Gradients of the shape family from C++: cat's rule (a narrow per input) and the composites
// built on views, index_select and where, through gradcheck and gradgradcheck.
#include <gtest/gtest.h>

#include <vector>

#include "ember/autograd/gradcheck.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::leaf;

TEST(ShapeGradients, CatAndRearrangements) {
  using autograd::gradcheck;
  using autograd::gradgradcheck;
  const auto joined = [](const std::vector<Tensor>& in) { return cat({in[0], in[1]}, 1); };
  EXPECT_EQ(gradcheck(joined, {leaf({2, 3}), leaf({2, 1})}), "");
  EXPECT_EQ(gradgradcheck(joined, {leaf({2, 3}), leaf({2, 1})}), "");
  const auto rearranged = [](const std::vector<Tensor>& in) {
    return in[0].flip({0}).roll({1}, {1}).tril().diag_embed() + in[0].diagonal().sum();
  };
  EXPECT_EQ(gradcheck(rearranged, {leaf({3, 3})}), "");
  EXPECT_EQ(gradgradcheck(rearranged, {leaf({3, 3})}), "");
}

}  // namespace
}  // namespace ember
