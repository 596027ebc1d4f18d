// The tuple form of out= (ops/out_multi.h): each *_out writes its outs and returns them, with
// the values of the function; outs are resized, cast (floating results) or refused (an integer
// result into another dtype), and refused when they overlap an input or each other.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/warning.h"
#include "ember/ops/linalg.h"
#include "ember/ops/out_multi.h"
#include "ember/ops/scan.h"
#include "ember/ops/util.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

const std::vector<std::string>& warnings = testing::WarningCapture::captured();

class OutMultiTest : public ::testing::Test {
 protected:
  testing::WarningCapture capture_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(OutMultiTest, SortWritesAndReturnsItsOuts) {
  const Tensor x = tensor_of({3, 1, 2, 6, 5, 4}, {2, 3});
  Tensor values_out = empty({0});
  Tensor indices_out = empty({0}, kInt64);
  auto [written_values, written_indices] = sort_out(values_out, indices_out, x, 1, true);
  EXPECT_TRUE(written_values.is_same(values_out));
  EXPECT_TRUE(written_indices.is_same(indices_out));
  auto [expected_values, expected_indices] = sort(x, 1, true);
  EXPECT_EQ(values(values_out), values(expected_values));
  EXPECT_EQ(values(indices_out), values(expected_indices));
  EXPECT_TRUE(warnings.empty());  // empty outs are resized silently
}

TEST_F(OutMultiTest, EveryTupleOutMatchesItsFunction) {
  const Tensor x = tensor_of({3, 1, 2, 6, 5, 4}, {2, 3});
  Tensor a = empty({0});
  Tensor b = empty({0}, kInt64);
  topk_out(a, b, x, 2);
  EXPECT_EQ(values(a), values(std::get<0>(topk(x, 2))));
  kthvalue_out(a, b, x, 2, 1);
  EXPECT_EQ(values(b), values(std::get<1>(kthvalue(x, 2, 1))));
  median_out(a, b, x, 1, true);
  EXPECT_EQ(a.shape(), Shape({2, 1}));
  nanmedian_out(a, b, x, 0);
  mode_out(a, b, x, 1);
  cummax_out(a, b, x, 1);
  EXPECT_EQ(values(a), values(std::get<0>(cummax(x, 1))));
  cummin_out(a, b, x, 1);
  max_out(a, b, x, 1);
  EXPECT_EQ(values(a), (std::vector<double>{3, 6}));
  min_out(a, b, x, 1);
  EXPECT_EQ(values(b), (std::vector<double>{1, 2}));
  Tensor low = empty({0});
  Tensor high = empty({0});
  aminmax_out(low, high, x);
  EXPECT_EQ(values(low), std::vector<double>{1});
  EXPECT_EQ(values(high), std::vector<double>{6});
  histogram_out(low, high, x, 3);
  EXPECT_EQ(values(low), (std::vector<double>{2, 2, 2}));
  EXPECT_EQ(high.numel(), 4);
}

TEST_F(OutMultiTest, LinalgTupleOuts) {
  const Tensor A = tensor_of({4, 1, 0, 1, 3, 1, 0, 1, 2}, {3, 3}, kFloat64);
  Tensor first = empty({0}, kFloat64);
  Tensor second = empty({0}, kFloat64);
  linalg_slogdet_out(first, second, A);
  EXPECT_EQ(values(first), values(std::get<0>(linalg::slogdet(A))));
  EXPECT_EQ(values(second), values(std::get<1>(linalg::slogdet(A))));
  Tensor info = empty({0}, kInt32);
  linalg_inv_ex_out(first, info, A);
  EXPECT_EQ(values(first), values(linalg::inv(A)));
  EXPECT_EQ(values(info), std::vector<double>{0});
  linalg_cholesky_ex_out(first, info, A);
  EXPECT_EQ(values(first), values(linalg::cholesky(A)));
  linalg_solve_ex_out(first, info, A, A);
  linalg_qr_out(first, second, A);
  EXPECT_EQ(values(second), values(std::get<1>(linalg::qr(A))));
  linalg_eigh_out(first, second, A);
  EXPECT_EQ(values(first), values(std::get<0>(linalg::eigh(A))));
  Tensor third = empty({0}, kFloat64);
  linalg_svd_out(first, second, third, A);
  EXPECT_EQ(values(second), values(std::get<1>(linalg::svd(A))));
  svd_out(first, second, third, A);
  qr_out(first, second, A);
  slogdet_out(first, second, A);
  Tensor rank = empty({0}, kInt64);
  Tensor fourth = empty({0}, kFloat64);
  linalg_lstsq_out(first, second, rank, fourth, A, A);
  EXPECT_EQ(values(first), values(std::get<0>(linalg::lstsq(A, A))));
}

TEST_F(OutMultiTest, NonEmptyOutOfAnotherShapeIsResizedWithAWarning) {
  Tensor values_out = zeros({5});
  Tensor indices_out = zeros({5}, kInt64);
  cummax_out(values_out, indices_out, tensor_of({1, 3, 2}, {3}), 0);
  EXPECT_EQ(values(values_out), (std::vector<double>{1, 3, 3}));
  EXPECT_EQ(values(indices_out), (std::vector<double>{0, 1, 1}));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_TRUE(contains(warnings[0], "was resized"));
}

TEST_F(OutMultiTest, FloatingResultsCastIntegerResultsMustMatch) {
  const Tensor x = tensor_of({3, 1, 2}, {3});
  Tensor wide = empty({0}, kFloat64);
  Tensor indices_out = empty({0}, kInt64);
  sort_out(wide, indices_out, x);  // float32 into float64: the cast rule allows it
  EXPECT_EQ(values(wide), (std::vector<double>{1, 2, 3}));

  Tensor narrow_indices = full({3}, 7, kInt32);
  Tensor values_out = full({3}, 7.0);
  const std::string message = message_of([&] { sort_out(values_out, narrow_indices, x); });
  EXPECT_TRUE(contains(message, "[sort] Expected out tensor 1 to have dtype int64, but got int32"))
      << message;
  EXPECT_EQ(values(values_out), (std::vector<double>{7, 7, 7}));  // nothing written

  Tensor integer_values = empty({0}, kInt64);
  EXPECT_TRUE(contains(message_of([&] { sort_out(integer_values, indices_out, x); }),
                       "can't be cast to the desired output type"));
}

TEST_F(OutMultiTest, OutsMustNotOverlapAnInputOrEachOther) {
  Tensor storage = zeros({7});
  Tensor input = storage.slice(0, 0, 3);
  input.copy_(tensor_of({3, 1, 2}, {3}));
  Tensor shifted = storage.slice(0, 1, 4);
  Tensor indices_out = empty({0}, kInt64);
  EXPECT_TRUE(contains(message_of([&] { sort_out(shifted, indices_out, input); }),
                       "refer to a single memory location"));

  Tensor same = empty({0});
  EXPECT_TRUE(contains(message_of([&] { aminmax_out(same, same, input); }), "are the same tensor"));
  Tensor pair = zeros({3});
  Tensor low = pair.slice(0, 0, 1).view({});
  Tensor high = pair.slice(0, 0, 1).view({});
  EXPECT_TRUE(contains(message_of([&] {
                         aminmax_out(low, high, tensor_of({1, 2}, {2}));
                       }),
                       "out= tensors 0 and 1 refer to a single memory location"));
  Tensor apart = pair.slice(0, 2, 3).view({});
  aminmax_out(low, apart, tensor_of({1, 2}, {2}));
  EXPECT_EQ(values(pair), (std::vector<double>{1, 0, 2}));
}

}  // namespace
}  // namespace ember
