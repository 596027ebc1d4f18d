// Gradients of issue 8's tensor-API gaps from C++, against hand-derived values and through
// gradcheck/gradgradcheck: masked_fill(_) with a 0-d tensor value, the split family recorded as
// one node (and its pieces refusing in-place writes while recording), scatter_reduce prod's second
// derivative with two zeros in a target, logcumsumexp's second derivative at inputs near +-1000,
// and normal's zero gradients for tensor mean and std.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/grad_mode.h"
#include "ember/autograd/gradcheck.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/ops/scan.h"
#include "ember/ops/scatter.h"
#include "ember/ops/shape.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using autograd::gradcheck;
using autograd::gradgradcheck;
using testing::leaf;
using testing::values;
using Values = std::vector<double>;

Tensor leaf_of(const Values& data, IntArrayRef shape) {
  return tensor(data, kFloat64).reshape(shape).detach().requires_grad_();
}

TEST(ApiGapsGradients, MaskedFillTensorValueGetsTheMaskedSum) {
  const Tensor mask =
      tensor(std::vector<bool>{true, false, true, false, false, true}).reshape({2, 3});
  const Tensor weights = arange(0, 6, 1, TensorOptions(kFloat64)).reshape({2, 3});
  for (bool in_place : {false, true}) {
    const Tensor x = leaf_of({0, 1, 2, 3, 4, 5}, {2, 3});
    const Tensor value = scalar_tensor(2.5, kFloat64).requires_grad_();
    Tensor copy = x.clone();
    const Tensor y = in_place ? copy.masked_fill_(mask, value) : x.masked_fill(mask, value);
    EXPECT_EQ(values(y), (Values{2.5, 1, 2.5, 3, 4, 2.5}));
    (y * weights).sum().backward();
    EXPECT_EQ(values(value.grad()), Values{7.0});
    EXPECT_EQ(values(x.grad()), (Values{0, 1, 0, 3, 4, 0}));
  }
  const auto filled = [&](const std::vector<Tensor>& in) {
    Tensor copy = in[0].clone();
    return masked_fill_(copy, mask, in[1]);
  };
  EXPECT_EQ(gradcheck(filled, {leaf({2, 3}), leaf({})}), "");
  EXPECT_EQ(gradgradcheck(filled, {leaf({2, 3}), leaf({})}), "");
  EXPECT_NE(testing::message_of([&] {
              leaf({2, 3}).masked_fill(mask, ones({1}));
            }).find("only supports a 0-dimensional value tensor"),
            std::string::npos);
  Tensor target = zeros({2, 3});
  EXPECT_THROW(target.masked_fill_(mask, ones({1})), RuntimeError);
  EXPECT_EQ(values(target), Values(6, 0.0));  // nothing written on the failed call
}

TEST(ApiGapsGradients, SplitFamilyIsOneNodeWithTheSumOfPieceGradients) {
  const Tensor x = leaf({6, 2});
  for (const std::vector<Tensor>& pieces :
       {split(x, 2), split(x, std::vector<int64_t>{1, 3, 2}), chunk(x, 4), unbind(x),
        tensor_split(x, 4), tensor_split(x, std::vector<int64_t>{4, 1})}) {
    std::set<const autograd::Node*> nodes;
    for (const Tensor& piece : pieces) nodes.insert(piece.grad_fn().get());
    EXPECT_EQ(nodes.size(), 1u);
  }
  // tensor_split at [4, 1]: rows [0, 4), [4, 4) and [1, 6) - rows 1..3 are in two pieces.
  const std::vector<Tensor> pieces = tensor_split(x, std::vector<int64_t>{4, 1});
  (pieces[0].sum() + pieces[2].sum() * 10.0).backward();
  EXPECT_EQ(values(x.grad()), (Values{1, 1, 11, 11, 11, 11, 11, 11, 10, 10, 10, 10}));
  const auto some_pieces = [](const std::vector<Tensor>& in) {
    const std::vector<Tensor> parts = split(in[0], 2);
    return parts[0] * parts[2];
  };
  EXPECT_EQ(gradgradcheck(some_pieces, {leaf({6, 2})}), "");
}

TEST(ApiGapsGradients, SplitPiecesAreNotWrittenInPlaceWhileRecording) {
  const Tensor x = leaf_of({0, 1, 2, 3, 4, 5}, {6});
  const Tensor y = x * 1.0;
  std::vector<Tensor> pieces = split(y, 3);
  const std::string message = testing::message_of([&] { pieces[1].mul_(2.0); });
  EXPECT_NE(message.find("Output 1 of SplitBackward0 is a view and is being modified inplace"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("[mul"), std::string::npos) << message;
  EXPECT_EQ(values(y), (Values{0, 1, 2, 3, 4, 5}));
  // A view of a piece is refused too; so are unbind's and split_with_sizes' pieces.
  Tensor row = unbind(y.reshape({2, 3}))[0];
  EXPECT_THROW(pieces[0].view({3, 1}).add_(1.0), RuntimeError);
  EXPECT_THROW(row.zero_(), RuntimeError);
  EXPECT_THROW(split(y, std::vector<int64_t>{2, 4})[0].copy_(zeros({2})), RuntimeError);
  // Without recording, the write goes through, bumps the version and leaves the graph alone.
  const uint32_t version = pieces[1].version();
  {
    NoGradGuard no_grad;
    pieces[1].mul_(2.0);
  }
  EXPECT_GT(pieces[1].version(), version);
  EXPECT_EQ(values(y), (Values{0, 1, 2, 6, 8, 10}));
  (pieces[0].sum() + pieces[1].sum() * 10.0).backward();
  EXPECT_EQ(values(x.grad()), (Values{1, 1, 1, 10, 10, 10}));
}

TEST(ApiGapsGradients, TensorSplitPiecesAreSlicesThatMayBeWrittenInPlace) {
  const Tensor x = leaf_of({0, 1, 2, 3, 4, 5}, {6});
  const Tensor y = x * 1.0;
  std::vector<Tensor> pieces = tensor_split(y, 2);
  pieces[1].mul_(3.0);
  EXPECT_EQ(values(y), (Values{0, 1, 2, 9, 12, 15}));
  (y.sum() + pieces[0].sum()).backward();
  EXPECT_EQ(values(x.grad()), (Values{2, 2, 2, 3, 3, 3}));
}

TEST(ApiGapsGradients, ScatterProdSecondDerivativeWithTwoZeros) {
  // out = x * s0 * s1 * s2 with s0 = s1 = 0: d2 out / ds0 ds1 = x * s2 = 15.
  const Tensor x = leaf_of({3}, {1});
  const Tensor s = leaf_of({0, 0, 5}, {3});
  const Tensor index = zeros({3}, kInt64);
  const Tensor out = scatter_reduce(x, 0, index, s, "prod");
  const Tensor grad_s = autograd::grad({out.sum()}, {s}, {}, std::nullopt, true)[0];
  EXPECT_EQ(values(grad_s), (Values{0, 0, 0}));
  const Tensor second = autograd::grad({grad_s.select(0, 0)}, {s})[0];
  EXPECT_EQ(values(second), (Values{0, 15, 0}));
  const auto prod = [&](const std::vector<Tensor>& in) {
    return scatter_reduce(in[0], 0, index, in[1], "prod");
  };
  EXPECT_EQ(gradgradcheck(prod, {x, s}), "");
  EXPECT_EQ(gradgradcheck(prod, {x, leaf_of({0, 0, 0}, {3})}), "");
}

TEST(ApiGapsGradients, LogcumsumexpSecondDerivativeAtLargeInputs) {
  const auto scan = [](const std::vector<Tensor>& in) { return logcumsumexp(in[0], 0); };
  for (const Values& data : {Values{1000, -1000, 999, -998}, Values{-1000, -1001, -999.5, -1000},
                             Values{-1000, 1000, -1000, 1000}}) {
    EXPECT_EQ(gradcheck(scan, {leaf_of(data, {4})}), "");
    EXPECT_EQ(gradgradcheck(scan, {leaf_of(data, {4})}), "");
  }
}

TEST(ApiGapsGradients, NormalRecordsZeroGradientsForTensorMeanAndStd) {
  const Tensor mean = zeros({2, 1}, kFloat64).requires_grad_();
  const Tensor std = ones({3}, kFloat64).requires_grad_();
  const Tensor sample = normal(mean, std);
  ASSERT_TRUE(sample.requires_grad());
  EXPECT_EQ(sample.shape(), (Shape{2, 3}));
  sample.sum().backward();
  EXPECT_EQ(values(mean.grad()), (Values{0, 0}));
  EXPECT_EQ(values(std.grad()), (Values{0, 0, 0}));
  EXPECT_FALSE(normal(zeros({3}), ones({3})).requires_grad());
}

}  // namespace
}  // namespace ember
