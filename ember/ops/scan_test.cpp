// The scan family's kernels against naive references: cumsum's blocked long-row path is the
// same for every thread count, radix-sorted long rows equal a stable comparison sort for every
// key width, top-k of one long row split across threads equals a full sort's prefix, and the
// errors name the op.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "ember/ops/scan.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

// Restores the thread count when a test changes it.
struct ThreadCount {
  explicit ThreadCount(int threads) : previous(get_num_threads()) { set_num_threads(threads); }
  ~ThreadCount() { set_num_threads(previous); }
  int previous;
};

Tensor random_integers(int64_t n, int64_t high, ScalarType dtype) {
  Tensor t = empty({n}, kFloat64);
  t.uniform_(0, static_cast<double>(high));
  return floor(t).to(dtype);
}

std::vector<int64_t> stable_order(const std::vector<double>& keys, bool descending) {
  std::vector<int64_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return descending ? keys[a] > keys[b] : keys[a] < keys[b];
  });
  return order;
}

std::vector<int64_t> ints(const Tensor& t) {
  std::vector<int64_t> result;
  for (double v : values(t)) result.push_back(static_cast<int64_t>(v));
  return result;
}

TEST(ScanTest, LongCumsumIsTheSameForEveryThreadCount) {
  Tensor x = empty({300000}, kFloat32);
  x.uniform_(-1, 1);
  std::vector<double> one, two;
  {
    ThreadCount threads(1);
    one = values(cumsum(x, 0));
  }
  {
    ThreadCount threads(2);
    two = values(cumsum(x, 0));
  }
  EXPECT_EQ(one, two);
  const std::vector<double> input = values(x);
  double running = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    running += input[i];
    ASSERT_NEAR(one[i], running, 1e-3) << i;
  }
}

TEST(ScanTest, RadixSortMatchesAStableSortForEveryKeyWidth) {
  for (ScalarType dtype : {kUInt8, kInt16, kInt32, kInt64, kFloat16, kFloat32, kFloat64}) {
    const Tensor x = random_integers(3000, 200, dtype) - (dtype == kUInt8 ? 0 : 100);
    const std::vector<double> keys = values(x);
    for (bool descending : {false, true}) {
      auto [sorted, indices] = sort(x, 0, descending);
      const std::vector<int64_t> expected = stable_order(keys, descending);
      EXPECT_EQ(ints(indices), expected) << dtype;
      const std::vector<double> got = values(sorted);
      for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(got[i], keys[expected[i]]);
    }
  }
}

TEST(ScanTest, TopkOfOneLongRowMatchesTheSortedPrefix) {
  const Tensor x = random_integers(600000, 5000, kFloat32);
  const std::vector<int64_t> expected = stable_order(values(x), /*descending=*/true);
  for (int threads : {1, 2}) {
    ThreadCount count(threads);
    auto [top, indices] = topk(x, 50);
    EXPECT_EQ(ints(indices), std::vector<int64_t>(expected.begin(), expected.begin() + 50));
  }
}

TEST(ScanTest, ModeUniqueAndSearchsorted) {
  auto [value, index] = mode(tensor({3, 1, 1, 3, 2}));
  EXPECT_EQ(value.item<int64_t>(), 1);
  EXPECT_EQ(index.item<int64_t>(), 2);
  auto [unique, inverse, counts] = _unique2(tensor({2, 1, 2}), true, true, true);
  EXPECT_EQ(ints(unique), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ints(inverse), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(ints(counts), (std::vector<int64_t>{1, 2}));
  const Tensor nan = tensor({1.0, std::numeric_limits<double>::quiet_NaN()});
  EXPECT_EQ(searchsorted(nan, tensor({5.0})).item<int64_t>(), 1);
}

TEST(ScanTest, ErrorsNameTheOp) {
  EXPECT_NE(message_of([] { topk(tensor({1.0}), 2); }).find("[topk]"), std::string::npos);
  EXPECT_NE(message_of([] { kthvalue(tensor({1.0}), 0); }).find("[kthvalue]"), std::string::npos);
  EXPECT_NE(message_of([] { bincount(tensor({-1})); }).find("[bincount]"), std::string::npos);
}

}  // namespace
}  // namespace ember
