// Datasets and transforms of the C++ data API: TensorDataset, a custom Dataset, get_batch,
// map with Stack, Normalize, Lambda and TensorLambda, and their error paths.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/data/data.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember::data {
namespace {

using test_support::contains;
using test_support::error_of;
using testing::values;

// Example i: data [i, i], target i.
struct PairDataset : datasets::Dataset<PairDataset> {
  explicit PairDataset(size_t count) : n(count) {}
  Example<> get(size_t index) override {
    const auto i = static_cast<double>(index);
    return {testing::tensor_of({i, i}, {2}), testing::tensor_of({i}, {}, kInt64)};
  }
  std::optional<size_t> size() const override { return n; }
  size_t n;
};

TEST(TensorDataset, RowsAreExamples) {
  datasets::TensorDataset dataset(arange(6, kFloat32).reshape({3, 2}));
  EXPECT_EQ(dataset.size().value(), 3u);
  EXPECT_EQ(values(dataset.get(1).data), (std::vector<double>{2, 3}));
  const std::vector<TensorExample> batch = dataset.get_batch(std::vector<size_t>{2, 0});
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(values(batch[0].data), (std::vector<double>{4, 5}));
}

TEST(TensorDataset, FromAVectorOfTensorsStacksThem) {
  datasets::TensorDataset dataset(std::vector<Tensor>{zeros({2}), ones({2})});
  EXPECT_EQ(dataset.size().value(), 2u);
  EXPECT_EQ(values(dataset.get(1).data), (std::vector<double>{1, 1}));
}

TEST(TensorDataset, IndexOutOfRangeIsIndexError) {
  datasets::TensorDataset dataset(zeros({3, 2}));
  const std::string message = error_of<IndexError>([&] { dataset.get(3); });
  EXPECT_TRUE(contains(message,
                       "[TensorDataset] expected an index below the dataset's size 3; "
                       "got 3"))
      << message;
}

TEST(TensorDataset, ZeroDimensionalTensorIsValueError) {
  EXPECT_TRUE(contains(error_of<ValueError>([] { datasets::TensorDataset(zeros({})); }),
                       "at least one dimension"));
}

TEST(MapDataset, StackCollatesDataAndTargets) {
  auto dataset = PairDataset(5).map(transforms::Stack<>());
  EXPECT_EQ(dataset.size().value(), 5u);
  const Example<> batch = dataset.get_batch(std::vector<size_t>{1, 3});
  EXPECT_EQ(batch.data.shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values(batch.data), (std::vector<double>{1, 1, 3, 3}));
  EXPECT_EQ(batch.target.dtype(), kInt64);
  EXPECT_EQ(values(batch.target), (std::vector<double>{1, 3}));
}

TEST(MapDataset, StackOfTensorExamples) {
  auto dataset = datasets::TensorDataset(arange(4, kFloat32).reshape({4, 1}))
                     .map(transforms::Stack<TensorExample>());
  const TensorExample batch = dataset.get_batch(std::vector<size_t>{3, 2});
  EXPECT_EQ(values(batch.data), (std::vector<double>{3, 2}));
}

TEST(MapDataset, StackOfAnEmptyBatchIsValueError) {
  auto dataset = PairDataset(2).map(transforms::Stack<>());
  EXPECT_TRUE(contains(error_of<ValueError>([&] { dataset.get_batch(std::vector<size_t>{}); }),
                       "[transforms::Stack] expected a batch of at least one example"));
}

TEST(MapDataset, TransformsChainInOrder) {
  auto dataset = PairDataset(3)
                     .map(transforms::Lambda<Example<>>([](Example<> example) {
                       example.target = example.target + 10;
                       return example;
                     }))
                     .map(transforms::TensorLambda<>([](Tensor data) { return data * 2; }))
                     .map(transforms::Normalize<>(1.0, 2.0))
                     .map(transforms::Stack<>());
  const Example<> batch = dataset.get_batch(std::vector<size_t>{2});
  EXPECT_EQ(values(batch.data), (std::vector<double>{1.5, 1.5}));  // (2 * 2 - 1) / 2
  EXPECT_EQ(values(batch.target), (std::vector<double>{12}));
}

TEST(Normalize, PerChannelMeanAndStddev) {
  transforms::Normalize<> normalize({1.0, 2.0}, {2.0, 4.0});
  const Tensor image = ones({2, 1, 2}) * 3;
  EXPECT_EQ(values(normalize(image)), (std::vector<double>{1, 1, 0.25, 0.25}));
}

TEST(Normalize, MismatchedCountsAreValueError) {
  EXPECT_TRUE(contains(error_of<ValueError>([] {
                         transforms::Normalize<>({1.0, 2.0}, {1.0});
                       }),
                       "as many means as standard deviations; got 2 and 1"));
}

}  // namespace
}  // namespace ember::data
