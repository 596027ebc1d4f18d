// The util family in C++: the out= contract of ops/out.h (cast rule, resize with a warning,
// overlap, strided write), resize_, clone's memory formats, finfo/iinfo, result_type with
// numbers, the util reductions against hand-derived values, and their error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ember/base/warning.h"
#include "ember/ops/out.h"
#include "ember/ops/util.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::tensor_of;
using testing::values;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

const std::vector<std::string>& warnings = testing::WarningCapture::captured();

// Collects the warnings of one test instead of printing them.
class UtilTest : public ::testing::Test {
 protected:
  testing::WarningCapture capture_;
};

TEST_F(UtilTest, OutWritesReturnsAndCasts) {
  Tensor out = empty({3}, kFloat64);
  Tensor& written = add_out(out, tensor_of({1, 2, 3}, {3}), tensor_of({1, 1, 1}, {3}));
  EXPECT_EQ(&written, &out);
  EXPECT_EQ(values(out), (std::vector<double>{2, 3, 4}));
  EXPECT_TRUE(warnings.empty());
}

TEST_F(UtilTest, OutIsResizedWithAWarningOnlyWhenItHeldElements) {
  Tensor empty_out = empty({0});
  neg_out(empty_out, tensor_of({1, 2}, {2}));
  EXPECT_EQ(empty_out.shape(), Shape({2}));
  EXPECT_TRUE(warnings.empty());
  Tensor full_out = zeros({5});
  neg_out(full_out, tensor_of({1, 2}, {2}));
  EXPECT_EQ(values(full_out), (std::vector<double>{-1, -2}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("An output with one or more elements was resized"), std::string::npos);
}

TEST_F(UtilTest, OutRefusesUncastableDtypesAndOverlap) {
  Tensor longs = zeros({2}, kInt64);
  EXPECT_NE(message_of([&] {
              mul_out(longs, tensor_of({1, 2}, {2}), tensor_of({1, 2}, {2}));
            }).find("[mul] result type float32 can't be cast to the desired output type int64"),
            std::string::npos);
  EXPECT_EQ(values(longs), (std::vector<double>{0, 0}));
  Tensor storage = tensor_of({1, 2, 3, 4}, {4});
  Tensor input = storage.narrow(0, 0, 3);
  Tensor shifted = storage.narrow(0, 1, 3);
  EXPECT_NE(message_of([&] { exp_out(shifted, input); }).find("refer to a single memory location"),
            std::string::npos);
  EXPECT_EQ(values(storage), (std::vector<double>{1, 2, 3, 4}));
  Tensor expanded = zeros({1}).expand({3});
  EXPECT_NE(message_of([&] { exp_out(expanded, input); }).find("more than one element"),
            std::string::npos);
}

TEST_F(UtilTest, OutMayAliasAnInputExactly) {
  Tensor m = tensor_of({1, 2, 3, 4}, {2, 2});
  mm_out(m, m, m);
  EXPECT_EQ(values(m), (std::vector<double>{7, 10, 15, 22}));
}

TEST_F(UtilTest, OutIsWrittenThroughItsStrides) {
  Tensor base = zeros({2, 3});
  Tensor out = base.t();
  sum_out(out, ones({3, 2, 4}), {2});
  EXPECT_EQ(out.strides()[0], 1);
  EXPECT_EQ(values(base), (std::vector<double>(6, 4.0)));
}

TEST_F(UtilTest, ResizeKeepsOrGrowsTheStorage) {
  Tensor t = tensor_of({1, 2, 3, 4}, {4});
  t.resize_({2});
  EXPECT_EQ(values(t), (std::vector<double>{1, 2}));
  t.resize_({2, 3});
  EXPECT_EQ(t.shape(), Shape({2, 3}));
  EXPECT_EQ(values(t).front(), 1.0);
  EXPECT_NE(message_of([&] { t.resize_({-1}); }).find("negative dimension"), std::string::npos);
}

TEST_F(UtilTest, CloneMemoryFormats) {
  Tensor x = arange(0, 24, 1, TensorOptions(kFloat32)).reshape({2, 3, 4});
  Tensor transposed = x.transpose(0, 2);
  EXPECT_EQ(transposed.clone(MemoryFormat::Preserve).strides(), transposed.strides());
  EXPECT_TRUE(transposed.clone(MemoryFormat::Contiguous).is_contiguous());
  // Not dense (every other element): dense strides in the same dim order.
  Tensor sliced = x.slice(2, 0, std::nullopt, 2).transpose(0, 1);
  Tensor kept = sliced.clone(MemoryFormat::Preserve);
  EXPECT_EQ(values(kept), values(sliced));
  EXPECT_EQ(kept.strides().vec(), (std::vector<int64_t>{2, 6, 1}));
  Tensor nchw = arange(0, 24, 1, TensorOptions(kFloat32)).reshape({1, 2, 3, 4});
  Tensor nhwc = nchw.clone(MemoryFormat::ChannelsLast);
  EXPECT_EQ(nhwc.strides().vec(), (std::vector<int64_t>{24, 1, 8, 2}));
  EXPECT_EQ(values(nhwc), values(nchw));
}

TEST_F(UtilTest, FinfoAndIinfoHavePyTorchsValues) {
  EXPECT_EQ(finfo(kFloat16).eps, 0.0009765625);
  EXPECT_EQ(finfo(kFloat16).max, 65504.0);
  EXPECT_EQ(finfo(kFloat16).tiny, 6.103515625e-05);
  EXPECT_DOUBLE_EQ(finfo(kFloat16).resolution, 0.001);
  EXPECT_EQ(finfo(kBFloat16).eps, 0.0078125);
  EXPECT_DOUBLE_EQ(finfo(kBFloat16).max, 3.3895313892515355e+38);
  EXPECT_DOUBLE_EQ(finfo(kBFloat16).resolution, 0.01);
  EXPECT_DOUBLE_EQ(finfo(kFloat32).resolution, 1e-06);
  EXPECT_EQ(finfo(kFloat64).min, -std::numeric_limits<double>::max());
  EXPECT_DOUBLE_EQ(finfo(kFloat64).resolution, 1e-15);
  EXPECT_EQ(iinfo(kInt8).min, -128);
  EXPECT_EQ(iinfo(kUInt8).max, 255);
  EXPECT_EQ(iinfo(kInt64).max, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(iinfo(kInt32).bits, 32);
  EXPECT_NE(message_of([] { finfo(kInt32); }).find("floating point"), std::string::npos);
  EXPECT_NE(message_of([] { iinfo(kBool); }).find("integer"), std::string::npos);
}

TEST_F(UtilTest, ResultTypeWithNumbers) {
  EXPECT_EQ(result_type(ones({2}, kInt32), Scalar(2.5)), kFloat32);
  EXPECT_EQ(result_type(Scalar(2), ones({2}, kInt8)), kInt8);
  EXPECT_EQ(result_type(Scalar(2), Scalar(2.5)), kFloat32);
  EXPECT_EQ(result_type(Scalar(true), Scalar(false)), kBool);
}

TEST_F(UtilTest, DefaultDtypeIsFloat32OrFloat64) {
  set_default_dtype(kFloat64);
  EXPECT_EQ(zeros({2}).dtype(), kFloat64);
  EXPECT_EQ(arange(0, 1, 0.5).dtype(), kFloat64);
  set_default_dtype(kFloat32);
  EXPECT_NE(message_of([] { set_default_dtype(kFloat16); }).find("float32 and float64"),
            std::string::npos);
  EXPECT_EQ(get_default_dtype(), kFloat32);
}

TEST_F(UtilTest, PrintOptionsCanForceScientificNotation) {
  const PrintOptions saved = get_printoptions();
  PrintOptions forced = saved;
  forced.sci_mode = true;
  set_printoptions(forced);
  const std::string scientific = to_string(tensor_of({1.5, 2}, {2}));
  forced.sci_mode = false;
  set_printoptions(forced);
  const std::string fixed = to_string(tensor_of({1e-6, 1}, {2}));
  set_printoptions(saved);
  EXPECT_EQ(scientific, "tensor([1.5000e+00, 2.0000e+00])");
  EXPECT_EQ(fixed, "tensor([0.0000, 1.0000])");
}

TEST_F(UtilTest, Reductions) {
  Tensor x = tensor_of({1, kNan, 3, 4}, {2, 2});
  EXPECT_EQ(values(nansum(x, {1})), (std::vector<double>{1, 7}));
  EXPECT_EQ(values(nanmean(x, {0})), (std::vector<double>{2, 4}));
  auto [low, high] = aminmax(tensor_of({3, -1, 2}, {3}));
  EXPECT_EQ(low.item<float>(), -1.0f);
  EXPECT_EQ(high.item<float>(), 3.0f);
  auto [variance, mean] = var_mean(tensor_of({1, 2, 3, 4}, {4}));
  EXPECT_NEAR(variance.item<double>(), 5.0 / 3.0, 1e-6);
  EXPECT_EQ(mean.item<double>(), 2.5);
  EXPECT_NEAR(std::get<0>(std_mean(tensor_of({1, 3}, {2}), {}, 0)).item<double>(), 1.0, 1e-7);
  EXPECT_NEAR(dist(tensor_of({0, 0}, {2}), tensor_of({3, 4}, {2})).item<double>(), 5.0, 1e-6);
  EXPECT_EQ(dist(tensor_of({0, 0}, {2}), tensor_of({3, 4}, {2}), 1).item<double>(), 7.0);
  EXPECT_EQ(trace(arange(0, 6, 1, TensorOptions(kInt32)).reshape({2, 3})).dtype(), kInt64);
  EXPECT_EQ(trace(arange(0, 6, 1, TensorOptions(kInt32)).reshape({2, 3})).item<int64_t>(), 4);
  Tensor c = cdist(tensor_of({0, 0, 1, 1}, {2, 2}), tensor_of({3, 4}, {1, 2}));
  EXPECT_NEAR(values(c)[0], 5.0, 1e-6);
  EXPECT_NEAR(values(c)[1], std::sqrt(13.0), 1e-6);
  EXPECT_EQ(values(cross(tensor_of({1, 0, 0}, {3}), tensor_of({0, 1, 0}, {3}))),
            (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(values(all(tensor_of({1, 0, 1, 1}, {2, 2}), {0, 1})), (std::vector<double>{0}));
  EXPECT_EQ(values(any(tensor_of({0, 0, 1, 0}, {2, 2}), {1}, true)), (std::vector<double>{0, 1}));
}

TEST_F(UtilTest, ReductionErrorsNameTheOp) {
  EXPECT_NE(message_of([] {
              cross(ones({2, 4}), ones({2, 4}));
            }).find("[cross] no dimension of size 3"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              linalg_cross(ones({3, 2}), ones({3, 2}));
            }).find("[linalg.cross] inputs dimension -1 must have length 3"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              cdist(ones({2, 3}), ones({2, 4}));
            }).find("[cdist] X1 and X2 must have the same number of columns"),
            std::string::npos);
  EXPECT_NE(message_of([] { trace(ones({3})); }).find("[trace] expected a matrix"),
            std::string::npos);
  EXPECT_NE(message_of([] { nanmean(ones({3}, kInt64)); }).find("[nanmean]"), std::string::npos);
  EXPECT_NE(message_of([] { aminmax(ones({0})); }).find("[aminmax]"), std::string::npos);
}

}  // namespace
}  // namespace ember
