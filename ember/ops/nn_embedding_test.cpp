// embedding, its dedicated gradient kernel, embedding_renorm_ and embedding_bag: values against
// explicit loops, padding_idx and frequency scaling, and every error path.
#include "ember/ops/nn_embedding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

// Row r of the table is (r, 10 + r).
Tensor table() { return tensor_of({0, 10, 1, 11, 2, 12, 3, 13, 4, 14}, {5, 2}, kFloat64); }

Tensor indices(const std::vector<double>& v, IntArrayRef shape) {
  return tensor_of(v, shape, kInt64);
}

TEST(Embedding, LooksUpRowsForAnyIndexShape) {
  EXPECT_EQ(values(embedding(table(), indices({3, 0, 3, 1}, {2, 2}))),
            (std::vector<double>{3, 13, 0, 10, 3, 13, 1, 11}));
  EXPECT_EQ(embedding(table(), indices({}, {0, 3})).shape(), (Shape{0, 3, 2}));
  EXPECT_EQ(values(embedding(table(), indices({4}, {}))), (std::vector<double>{4, 14}));
  EXPECT_EQ(values(embedding(table(), indices({2, 1}, {2}).to(kInt32))),
            (std::vector<double>{2, 12, 1, 11}));
}

TEST(Embedding, DenseBackwardAccumulatesSkipsPaddingAndScales) {
  const Tensor index = indices({1, 3, 1, 0}, {4});
  const Tensor grad = tensor_of({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2}, kFloat64);
  EXPECT_EQ(values(embedding_dense_backward(grad, index, 5, -1, false)),
            (std::vector<double>{7, 8, 6, 8, 0, 0, 3, 4, 0, 0}));
  EXPECT_EQ(values(embedding_dense_backward(grad, index, 5, 1, false)),
            (std::vector<double>{7, 8, 0, 0, 0, 0, 3, 4, 0, 0}));
  EXPECT_EQ(values(embedding_dense_backward(grad, index, 5, -1, true)),
            (std::vector<double>{7, 8, 3, 4, 0, 0, 3, 4, 0, 0}));
  EXPECT_EQ(values(embedding_dense_backward(grad.to(kFloat32), index, 5, -1, false)),
            (std::vector<double>{7, 8, 6, 8, 0, 0, 3, 4, 0, 0}));
}

TEST(Embedding, RenormScalesOnlyTheLookedUpRowsAboveMaxNorm) {
  Tensor weight = tensor_of({3, 4, 0.3, 0.4, 6, 8}, {3, 2}, kFloat64);
  embedding_renorm_(weight, indices({0, 1, 0}, {3}), 1.0, 2.0);
  const std::vector<double> v = values(weight);
  EXPECT_NEAR(v[0], 3 / (5 + 1e-7), 1e-12);
  EXPECT_NEAR(v[1], 4 / (5 + 1e-7), 1e-12);
  EXPECT_EQ(v[2], 0.3);
  EXPECT_EQ(v[4], 6.0);  // not looked up
}

TEST(EmbeddingBag, SumsMeansAndMaximaOfBags) {
  const Tensor input = indices({0, 2, 4, 1, 3}, {5});
  const Tensor offsets = indices({0, 2, 2}, {3});
  EXPECT_EQ(values(embedding_bag(table(), input, offsets, "sum")),
            (std::vector<double>{2, 22, 0, 0, 8, 38}));
  EXPECT_EQ(values(embedding_bag(table(), input, offsets, "mean")),
            (std::vector<double>{1, 11, 0, 0, 8.0 / 3, 38.0 / 3}));
  EXPECT_EQ(values(embedding_bag(table(), input, offsets, "max")),
            (std::vector<double>{2, 12, 0, 0, 4, 14}));
  EXPECT_EQ(values(embedding_bag(table(), input, indices({0, 2, 5}, {3}), "sum", std::nullopt,
                                 /*include_last_offset=*/true)),
            (std::vector<double>{2, 22, 8, 38}));
  const Tensor weights = tensor_of({1, 2, 0.5, 1, 1}, {5}, kFloat64);
  EXPECT_EQ(values(embedding_bag(table(), input, offsets, "sum", weights)),
            (std::vector<double>{4, 34, 0, 0, 6, 31}));
  EXPECT_EQ(values(embedding_bag(table(), input, offsets, "mean", std::nullopt, false, 4)),
            (std::vector<double>{1, 11, 0, 0, 2, 12}));
  EXPECT_EQ(values(embedding_bag(table(), indices({0, 2, 4, 1}, {2, 2}), std::nullopt, "sum")),
            (std::vector<double>{2, 22, 5, 25}));
}

TEST(EmbeddingBag, MaxKeepsTheFirstMaximumOfEachColumn) {
  // Rows [1, 5], [3, 5], [3, 0], [7, 7]; bags {0, 1, 2}, {}, {3, 1}, {0} (gradient:
  // nn_shape_layers_test.cpp).
  const Tensor weight = tensor_of({1, 5, 3, 5, 3, 0, 7, 7}, {4, 2}, kFloat64);
  const Tensor input = indices({0, 1, 2, 3, 1, 0}, {6});
  const auto [output, offset2bag, bag_size, max_indices] =
      _embedding_bag(weight, input, indices({0, 3, 3, 5}, {4}), false, /*mode=*/2);
  EXPECT_EQ(values(output), (std::vector<double>{3, 5, 0, 0, 7, 7, 1, 5}));
  // Ties keep the first row in input order: 3 of rows 1 and 2, 5 of rows 0 and 1.
  EXPECT_EQ(values(max_indices), (std::vector<double>{1, 0, 0, 0, 3, 3, 0, 0}));
  EXPECT_EQ(values(offset2bag), (std::vector<double>{0, 0, 0, 2, 2, 3}));
  EXPECT_EQ(values(bag_size), (std::vector<double>{3, 0, 2, 1}));
}

TEST(EmbeddingBag, TupleFormsOfSumAndMean) {
  const Tensor input = indices({0, 2, 4, 1, 3}, {5});
  const Tensor offsets = indices({0, 2, 2}, {3});
  const auto [sum, sum_offset2bag, sum_bag_size, sum_max_indices] =
      _embedding_bag(table(), input, offsets);
  EXPECT_EQ(values(sum), (std::vector<double>{2, 22, 0, 0, 8, 38}));
  EXPECT_EQ(values(sum_offset2bag), (std::vector<double>{0, 0, 2, 2, 2}));
  EXPECT_EQ(values(sum_bag_size), (std::vector<double>{0, 0, 0}));  // as PyTorch's sum mode
  EXPECT_EQ(values(sum_max_indices), (std::vector<double>{0, 0, 0}));
  const auto [mean, offset2bag, bag_size, max_indices] =
      _embedding_bag(table(), input, offsets, false, /*mode=*/1, false, std::nullopt, false, -1);
  EXPECT_EQ(values(mean), (std::vector<double>{1, 11, 0, 0, 2, 12}));  // row 4 is padding
  EXPECT_EQ(values(bag_size), (std::vector<double>{2, 0, 2}));
  EXPECT_EQ(values(max_indices), values(bag_size));
  EXPECT_EQ(offset2bag.dtype(), kInt64);
  EXPECT_THROW(_embedding_bag(table(), input, offsets, false, 3), ValueError);
  EXPECT_NE(message_of([&] {
              _embedding_bag(table(), input, offsets, false, 3);
            }).find("[embedding_bag] mode has to be 0 (sum), 1 (mean) or 2 (max); got 3"),
            std::string::npos);
}

TEST(Embedding, ErrorsNameTheOpIndexAndSize) {
  EXPECT_THROW(embedding(table(), indices({5}, {1})), IndexError);
  EXPECT_NE(message_of([] { embedding(table(), indices({7}, {1})); }).find("index 7"),
            std::string::npos);
  EXPECT_NE(message_of([] { embedding(table(), indices({-1}, {1})); }).find("5 rows"),
            std::string::npos);
  EXPECT_THROW(embedding(table(), tensor_of({1}, {1})), RuntimeError);
  EXPECT_THROW(embedding(table().reshape({10}), indices({1}, {1})), RuntimeError);
  EXPECT_THROW(embedding(table(), indices({1}, {1}), -1, false, /*sparse=*/true),
               NotImplementedError);
  EXPECT_THROW(embedding_functional(indices({1}, {1}), table(), 5), ValueError);
  const Tensor input = indices({0, 1}, {2});
  EXPECT_THROW(embedding_bag(table(), input, std::nullopt), ValueError);
  EXPECT_THROW(embedding_bag(table(), input.reshape({1, 2}), indices({0}, {1})), ValueError);
  EXPECT_THROW(embedding_bag(table(), input, indices({0}, {1}), "median"), ValueError);
  EXPECT_THROW(embedding_bag(table(), input, indices({1}, {1})), RuntimeError);
  EXPECT_THROW(
      embedding_bag(table(), input, indices({0}, {1}), "mean", tensor_of({1, 1}, {2}, kFloat64)),
      NotImplementedError);
  EXPECT_THROW(
      embedding_bag(table(), input, indices({0}, {1}), "sum", tensor_of({1, 1, 1}, {3}, kFloat64)),
      ValueError);
  EXPECT_THROW(embedding_bag(table(), input.reshape({1, 1, 2}), std::nullopt), ValueError);
  EXPECT_THROW(embedding_bag(table(), input, indices({0}, {1}), "max", std::nullopt, false, -1,
                             /*scale_grad_by_freq=*/true),
               RuntimeError);
}

}  // namespace
}  // namespace ember
