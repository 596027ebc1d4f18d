// Reductions against hand-derived values and a naive double-precision reference: every layout
// (contiguous, transposed, sliced, expanded, zero-size, 0-d), dtype rules, keepdim and dim lists,
// NaN and tie rules, the B6/B9 error messages, float32 accuracy and thread-count independence.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using testing::message_of;
using testing::values;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<int64_t> ints(const Tensor& t) {
  Tensor flat = t.to(kInt64).contiguous();
  return std::vector<int64_t>(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
}

Tensor make(const std::vector<double>& data, IntArrayRef shape, ScalarType dtype = kFloat32) {
  return from_blob_copy(data.data(), shape, kFloat64).to(dtype);
}

// 0, 1, ..., n-1 as a float32 tensor of `shape`.
Tensor iota(IntArrayRef shape, ScalarType dtype = kFloat32) {
  return arange(0, numel_of(shape.to_shape()), 1, TensorOptions(dtype)).reshape(shape);
}

bool bitwise_equal(const Tensor& a, const Tensor& b) {
  Tensor ca = a.contiguous();
  Tensor cb = b.contiguous();
  return ca.dtype() == cb.dtype() && ca.shape() == cb.shape() &&
         std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.nbytes()) == 0;
}

#define EXPECT_ERROR(statement, ErrorType, substring)                            \
  do {                                                                           \
    EXPECT_THROW(statement, ErrorType);                                          \
    EXPECT_NE(message_of([&] { statement; }).find(substring), std::string::npos) \
        << message_of([&] { statement; });                                       \
  } while (0)

// Naive reference: folds x (read in double, row-major) over the dims in `mask`, keepdim layout.
std::vector<double> reference(const Tensor& x, const std::vector<bool>& mask, double identity,
                              double (*fold)(double, double)) {
  const std::vector<double> data = values(x);
  const int64_t ndim = x.dim();
  Shape out_shape;
  for (int64_t d = 0; d < ndim; ++d) out_shape.push_back(mask[d] ? 1 : x.size(d));
  std::vector<double> out(static_cast<size_t>(numel_of(out_shape)), identity);
  Shape index(static_cast<size_t>(ndim), 0);
  for (size_t linear = 0; linear < data.size(); ++linear) {
    int64_t out_index = 0;
    for (int64_t d = 0; d < ndim; ++d)
      out_index = out_index * out_shape[d] + (mask[d] ? 0 : index[d]);
    out[out_index] = fold(out[out_index], data[linear]);
    for (int64_t d = ndim - 1; d >= 0; --d) {
      if (++index[d] < x.size(d)) break;
      index[d] = 0;
    }
  }
  return out;
}

double add(double a, double b) { return a + b; }
double maximum(double a, double b) { return std::isnan(a) || b > a ? b : a; }

void expect_near_all(const std::vector<double>& actual, const std::vector<double>& expected,
                     double relative) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], relative * (1 + std::abs(expected[i]))) << "at " << i;
  }
}

// ---------------------------------------------------------------- sum

TEST(Sum, ContiguousDimsAndKeepdim) {
  Tensor x = iota({2, 3});  // [[0, 1, 2], [3, 4, 5]]
  EXPECT_EQ(x.sum().shape(), Shape({}));
  EXPECT_EQ(x.sum().item<double>(), 15);
  EXPECT_EQ(values(x.sum({0})), (std::vector<double>{3, 5, 7}));
  EXPECT_EQ(values(x.sum({1})), (std::vector<double>{3, 12}));
  EXPECT_EQ(values(x.sum({-1})), (std::vector<double>{3, 12}));
  EXPECT_EQ(x.sum({-1}, true).shape(), Shape({2, 1}));
  EXPECT_EQ(x.sum({0}, true).shape(), Shape({1, 3}));
  EXPECT_EQ(x.sum({0, 1}).item<double>(), 15);
  EXPECT_EQ(x.sum({1, 0}, true).shape(), Shape({1, 1}));
  EXPECT_EQ(sum(x, {}, true).shape(), Shape({1, 1}));
  EXPECT_EQ(x.sum().dtype(), kFloat32);
}

TEST(Sum, MultipleDimsOf3d) {
  Tensor x = iota({2, 3, 4});
  const std::vector<bool> masks[] = {
      {true, false, true}, {true, true, false}, {false, true, true}, {false, true, false}};
  for (const auto& mask : masks) {
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < 3; ++d) {
      if (mask[d]) dims.push_back(d - 3);  // negative dims
    }
    Tensor result = x.sum(dims, true);
    EXPECT_EQ(values(result), reference(x, mask, 0, add));
  }
  // (dims 0 and 2) -> per middle index: sum over a and c of a*12 + b*4 + c.
  EXPECT_EQ(values(x.sum({0, 2})), (std::vector<double>{60, 92, 124}));
}

TEST(Sum, NonContiguousLayouts) {
  Tensor base = iota({3, 4});
  Tensor transposed = base.t();  // (4, 3)
  EXPECT_EQ(values(transposed.sum({0})), (std::vector<double>{6, 22, 38}));
  EXPECT_EQ(values(transposed.sum({1})), (std::vector<double>{12, 15, 18, 21}));
  EXPECT_EQ(transposed.sum().item<double>(), 66);
  Tensor stepped = base.slice(1, 0, std::nullopt, 2);  // columns 0 and 2
  EXPECT_EQ(values(stepped.sum({1})), (std::vector<double>{2, 10, 18}));
  EXPECT_EQ(values(stepped.sum({0})), (std::vector<double>{12, 18}));
  EXPECT_EQ(stepped.sum().item<double>(), 30);
  Tensor narrowed = base.narrow(1, 1, 2);  // columns 1 and 2: rows do not coalesce
  EXPECT_EQ(narrowed.sum().item<double>(), 3 + 11 + 19);
  Tensor expanded = make({1, 2, 3}, {3}).expand({4, 3});  // stride 0 along dim 0
  EXPECT_EQ(values(expanded.sum({0})), (std::vector<double>{4, 8, 12}));
  EXPECT_EQ(values(expanded.sum({1})), (std::vector<double>{6, 6, 6, 6}));
  EXPECT_EQ(expanded.sum().item<double>(), 24);
  Tensor column = make({1, 2}, {2, 1}).expand({2, 5});  // stride 0 along the inner dim
  EXPECT_EQ(values(column.sum({1})), (std::vector<double>{5, 10}));
  EXPECT_EQ(values(column.sum({0})), (std::vector<double>{3, 3, 3, 3, 3}));
}

TEST(Sum, ResultDtypes) {
  const ScalarType integral[] = {kUInt8, kInt8, kInt16, kInt32, kInt64};
  for (ScalarType dtype : integral) {
    Tensor x = iota({2, 3}, dtype);
    EXPECT_EQ(x.sum().dtype(), kInt64) << dtype;
    EXPECT_EQ(x.sum().item<int64_t>(), 15) << dtype;
    EXPECT_EQ(ints(x.sum({0})), (std::vector<int64_t>{3, 5, 7})) << dtype;
    EXPECT_EQ(x.prod({1}).dtype(), kInt64) << dtype;
  }
  Tensor flags = make({1, 0, 1, 1}, {4}, kBool);
  EXPECT_EQ(flags.sum().dtype(), kInt64);
  EXPECT_EQ(flags.sum().item<int64_t>(), 3);
  const ScalarType floating[] = {kFloat16, kBFloat16, kFloat32, kFloat64};
  for (ScalarType dtype : floating) {
    Tensor x = iota({2, 3}, dtype);
    EXPECT_EQ(x.sum().dtype(), dtype);
    EXPECT_EQ(x.sum().item<double>(), 15) << dtype;
    EXPECT_EQ(values(x.sum({1})), (std::vector<double>{3, 12})) << dtype;
  }
}

TEST(Sum, DtypeArgumentCastsFirst) {
  Tensor x = iota({4}, kInt32);
  EXPECT_EQ(x.sum(kFloat32).dtype(), kFloat32);
  EXPECT_EQ(x.sum(kFloat32).item<double>(), 6);
  EXPECT_EQ(x.sum(kInt32).dtype(), kInt32);
  Tensor half = full({3}, 0.5, kFloat16);
  EXPECT_EQ(half.sum(kFloat32).dtype(), kFloat32);
  EXPECT_EQ(half.sum(kFloat64).item<double>(), 1.5);
  // A float -> int cast truncates each element before summing, as in PyTorch.
  EXPECT_EQ(make({1.7, 2.7}, {2}).sum(kInt64).item<int64_t>(), 3);
  // int32 sums wrap in int32 when asked for int32.
  Tensor large = full({2}, 2147483647, kInt32);
  EXPECT_EQ(large.sum(kInt32).item<int64_t>(), -2);
  EXPECT_EQ(large.sum().item<int64_t>(), 4294967294LL);
}

TEST(Sum, HalfAccumulatesInFloat32) {
  // A float16 accumulator would stall at 256 (0.125 is below half an ulp there).
  Tensor x = full({4096}, 0.125, kFloat16);
  EXPECT_EQ(x.sum().item<double>(), 512);
  EXPECT_EQ(full({4096}, 0.125, kBFloat16).sum().item<double>(), 512);
}

TEST(Sum, ZeroSizeAndZeroDim) {
  Tensor empty_rows = zeros({0, 3});
  EXPECT_EQ(empty_rows.sum().item<double>(), 0);
  EXPECT_EQ(empty_rows.sum({0}).shape(), Shape({3}));
  EXPECT_EQ(values(empty_rows.sum({0})), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(empty_rows.sum({1}).shape(), Shape({0}));
  EXPECT_EQ(empty_rows.sum({1}, true).shape(), Shape({0, 1}));
  EXPECT_EQ(zeros({0}, kInt32).sum().dtype(), kInt64);
  Tensor scalar = full({}, 5.0);
  EXPECT_EQ(scalar.sum().shape(), Shape({}));
  EXPECT_EQ(scalar.sum().item<double>(), 5);
  EXPECT_EQ(scalar.sum({0}).item<double>(), 5);
  EXPECT_EQ(scalar.sum({-1}, true).shape(), Shape({}));
}

TEST(Sum, BadDims) {
  Tensor x = iota({2, 3});
  EXPECT_ERROR(x.sum({0, -2}), RuntimeError, "dim 0 appears multiple times in the list of dims");
  EXPECT_ERROR(x.sum({1, 1}), RuntimeError, "[sum] dim 1 appears multiple times");
  EXPECT_ERROR(x.sum({2}), IndexError,
               "Dimension out of range (expected to be in range of [-2, 1]");
  EXPECT_ERROR(x.sum({-3}), IndexError, "but got -3");
  EXPECT_ERROR(full({}, 1.0).sum({1}), IndexError, "Dimension out of range");
  EXPECT_ERROR(x.amax({0, 0}), RuntimeError, "[amax] dim 0 appears multiple times");
}

TEST(Sum, AgainstReferenceOnManyLayouts) {
  manual_seed(7);
  Tensor base = randn({6, 5, 7});
  const Tensor layouts[] = {base, base.permute({2, 0, 1}), base.slice(2, 1, std::nullopt, 2),
                            base.narrow(0, 1, 4).transpose(0, 2),
                            base.select(1, 3).expand({3, 6, 7})};
  for (const Tensor& x : layouts) {
    for (uint32_t bits = 1; bits < (1u << x.dim()); ++bits) {
      std::vector<bool> mask;
      std::vector<int64_t> dims;
      for (int64_t d = 0; d < x.dim(); ++d) {
        mask.push_back(((bits >> d) & 1) != 0);
        if (mask.back()) dims.push_back(d);
      }
      expect_near_all(values(x.sum(dims, true)), reference(x, mask, 0, add), 1e-5);
      EXPECT_EQ(values(x.amax(dims, true)), reference(x, mask, -kInf, maximum));
    }
  }
}

// ---------------------------------------------------------------- accuracy and threads

TEST(Sum, Float32LongSumIsAccurate) {
  const int64_t n = 10000000;
  Tensor x = full({n}, 0.1f);
  const double exact = static_cast<double>(0.1f) * static_cast<double>(n);
  EXPECT_NEAR(x.sum().item<double>(), exact, 1e-5 * exact);
  EXPECT_NEAR(x.mean().item<double>(), static_cast<double>(0.1f), 1e-5 * 0.1);
  // Down a column (dim 0 of (n, 2)) and along rows of a transposed view: both numerically careful.
  Tensor columns = full({n / 2, 2}, 0.1f);
  for (double value : values(columns.sum({0}))) EXPECT_NEAR(value, exact / 2, 1e-5 * exact / 2);
  Tensor rows = full({2, n / 2}, 0.1f).t();
  for (double value : values(rows.sum({0}))) EXPECT_NEAR(value, exact / 2, 1e-5 * exact / 2);
}

TEST(Sum, ResultsDoNotDependOnThreadCount) {
  manual_seed(3);
  Tensor flat = rand({3000017});
  Tensor wide = rand({1024, 2053});
  Tensor tall = rand({70001, 9});
  Tensor grouped = rand({70000, 3, 2});
  const auto run_all = [&] {
    return std::vector<Tensor>{flat.sum(),
                               flat.mean(),
                               wide.sum({0}),
                               wide.sum({1}),
                               wide.t().sum({1}),
                               tall.sum({0}),
                               tall.sum({0, 1}),
                               wide.amax({0}),
                               flat.argmax(),
                               std::get<1>(wide.max(0)),
                               std::get<1>(wide.min(1)),
                               flat.var(),
                               flat.norm(),
                               wide.logsumexp({1}),
                               grouped.sum({0, 2})};
  };
  const int saved = get_num_threads();
  set_num_threads(1);
  const std::vector<Tensor> one = run_all();
  set_num_threads(2);
  const std::vector<Tensor> two = run_all();
  set_num_threads(saved);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i)
    EXPECT_TRUE(bitwise_equal(one[i], two[i])) << "result " << i;
}

TEST(Sum, LargeOuterAndInnerReductionsMatchReference) {
  manual_seed(11);
  Tensor x = randn({300, 700});
  expect_near_all(values(x.sum({0}, true)), reference(x, {true, false}, 0, add), 1e-5);
  expect_near_all(values(x.sum({1}, true)), reference(x, {false, true}, 0, add), 1e-5);
  Tensor y = randn({40, 50, 60}).permute({1, 2, 0});
  expect_near_all(values(y.sum({0, 2}, true)), reference(y, {true, false, true}, 0, add), 1e-5);
  expect_near_all(values(y.sum({1}, true)), reference(y, {false, true, false}, 0, add), 1e-5);
  // Many short rows per output: rows are grouped into chunks that fold in parallel.
  Tensor grouped = randn({70000, 3, 2});
  expect_near_all(values(grouped.sum({0, 2}, true)),
                  reference(grouped, {true, false, true}, 0, add), 1e-5);
  EXPECT_EQ(values(grouped.amax({0, 2}, true)),
            reference(grouped, {true, false, true}, -kInf, maximum));
}

// ---------------------------------------------------------------- mean

TEST(Mean, ValuesAndDtypes) {
  Tensor x = iota({2, 3});
  EXPECT_EQ(x.mean().item<double>(), 2.5);
  EXPECT_EQ(values(x.mean({0})), (std::vector<double>{1.5, 2.5, 3.5}));
  EXPECT_EQ(values(x.mean({1}, true)), (std::vector<double>{1, 4}));
  EXPECT_EQ(x.mean({1}, true).shape(), Shape({2, 1}));
  Tensor half = iota({2, 3}, kFloat16);
  EXPECT_EQ(half.mean().dtype(), kFloat16);
  EXPECT_EQ(half.mean().item<double>(), 2.5);
  EXPECT_EQ(iota({4}, kBFloat16).mean().dtype(), kBFloat16);
  EXPECT_EQ(iota({4}, kInt64).mean(kFloat64).dtype(), kFloat64);
  EXPECT_EQ(iota({4}, kInt64).mean(kFloat64).item<double>(), 1.5);
  EXPECT_EQ(x.t().mean({0}).shape(), Shape({2}));
  EXPECT_EQ(values(x.t().mean({0})), (std::vector<double>{1, 4}));
}

TEST(Mean, IntegerInputsRaise) {
  EXPECT_ERROR(iota({3}, kInt64).mean(), RuntimeError,
               "mean(): could not infer output dtype. Input dtype must be either a floating point "
               "or complex dtype. Got: Long");
  EXPECT_ERROR(iota({3}, kBool).mean(), RuntimeError, "Got: Bool");
  EXPECT_ERROR(iota({3}).mean(kInt32), RuntimeError, "Optional dtype must be either");
}

TEST(Mean, EmptyIsNan) {
  EXPECT_TRUE(std::isnan(zeros({0}).mean().item<double>()));
  Tensor per_column = zeros({0, 2}).mean({0});
  EXPECT_EQ(per_column.shape(), Shape({2}));
  EXPECT_TRUE(std::isnan(values(per_column)[0]));
  EXPECT_EQ(zeros({0, 2}).mean({1}).shape(), Shape({0}));
}

// ---------------------------------------------------------------- prod

TEST(Prod, ValuesDtypesAndEmpty) {
  Tensor x = make({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(x.prod().item<double>(), 720);
  EXPECT_EQ(values(x.prod(0)), (std::vector<double>{4, 10, 18}));
  EXPECT_EQ(values(x.prod(-1, true)), (std::vector<double>{6, 120}));
  EXPECT_EQ(x.prod(1, true).shape(), Shape({2, 1}));
  EXPECT_EQ(values(x.t().prod(1)), (std::vector<double>{4, 10, 18}));
  EXPECT_EQ(make({2, 3}, {2}, kInt8).prod().dtype(), kInt64);
  EXPECT_EQ(make({1, 0, 1}, {3}, kBool).prod().item<int64_t>(), 0);
  EXPECT_EQ(make({2, 3}, {2}, kInt32).prod(kFloat64).dtype(), kFloat64);
  EXPECT_EQ(zeros({0}).prod().item<double>(), 1);
  EXPECT_EQ(values(zeros({0, 2}).prod(0)), (std::vector<double>{1, 1}));
  EXPECT_EQ(full({}, 3.0).prod(0).item<double>(), 3);
  // int64 products wrap around like PyTorch's: 2^62 * 4 = 2^64 = 0.
  Tensor big = make({4611686018427387904.0, 4}, {2}, kInt64);
  EXPECT_EQ(big.prod().item<int64_t>(), 0);
}

// ---------------------------------------------------------------- amax / amin / max / min

TEST(Amax, ValuesDimsAndDtypes) {
  Tensor x = make({3, -1, 7, 2, 9, -5}, {2, 3});
  EXPECT_EQ(x.amax().item<double>(), 9);
  EXPECT_EQ(x.amin().item<double>(), -5);
  EXPECT_EQ(values(x.amax({0})), (std::vector<double>{3, 9, 7}));
  EXPECT_EQ(values(x.amin({1}, true)), (std::vector<double>{-1, -5}));
  EXPECT_EQ(values(x.t().amax({1})), (std::vector<double>{3, 9, 7}));
  const ScalarType dtypes[] = {kUInt8,   kInt8,     kInt16,   kInt32,  kInt64,
                               kFloat16, kBFloat16, kFloat32, kFloat64};
  for (ScalarType dtype : dtypes) {
    Tensor typed = make({3, 1, 7, 2, 9, 5}, {2, 3}, dtype);
    EXPECT_EQ(typed.amax().dtype(), dtype);
    EXPECT_EQ(typed.amax().item<double>(), 9) << dtype;
    EXPECT_EQ(values(typed.amin({0})), (std::vector<double>{2, 1, 5})) << dtype;
    EXPECT_EQ(typed.max().item<double>(), 9) << dtype;
    EXPECT_EQ(typed.min().item<double>(), 1) << dtype;
  }
  Tensor flags = make({0, 1, 0}, {3}, kBool);
  EXPECT_EQ(flags.amax().dtype(), kBool);
  EXPECT_TRUE(flags.amax().item<bool>());
  EXPECT_FALSE(flags.amin().item<bool>());
  EXPECT_EQ(make({-kInf, -kInf}, {2}).amax().item<double>(), -kInf);
}

TEST(Amax, NanPropagates) {
  Tensor x = make({1, kNan, 3, 4, 5, 6}, {2, 3});
  EXPECT_TRUE(std::isnan(x.amax().item<double>()));
  EXPECT_TRUE(std::isnan(x.amin().item<double>()));
  EXPECT_TRUE(std::isnan(x.max().item<double>()));
  const std::vector<double> columns = values(x.amax({0}));
  EXPECT_EQ(columns[0], 4);
  EXPECT_TRUE(std::isnan(columns[1]));
  EXPECT_EQ(columns[2], 6);
  const std::vector<double> rows = values(x.amin({1}));
  EXPECT_TRUE(std::isnan(rows[0]));
  EXPECT_EQ(rows[1], 4);
  // NaN anywhere in a long vectorized run, including the last element.
  Tensor long_run = zeros({5000});
  long_run.narrow(0, 4999, 1).fill_(kNan);
  EXPECT_TRUE(std::isnan(long_run.amax().item<double>()));
  EXPECT_EQ(long_run.argmax().item<int64_t>(), 4999);
  EXPECT_EQ(long_run.argmin().item<int64_t>(), 4999);
}

TEST(Amax, EmptyInputsRaise) {
  Tensor x = zeros({0, 3});
  EXPECT_ERROR(x.amax(), RuntimeError,
               "[amax] Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_ERROR(x.amin({0}), IndexError, "[amin] Expected reduction dim 0 to have non-zero size");
  EXPECT_EQ(x.amax({1}).shape(), Shape({0}));
  EXPECT_ERROR(x.max(), RuntimeError,
               "[max] Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_ERROR(x.min(), RuntimeError, "[min] Expected reduction dim to be specified");
  EXPECT_EQ(full({}, 4.0).amax().item<double>(), 4);
  EXPECT_EQ(full({}, 4.0).amax({0}, true).shape(), Shape({}));
}

TEST(MaxDim, ValuesAndIndices) {
  Tensor x = make({3, 9, 7, 9, 1, 7}, {2, 3});
  auto [values0, indices0] = x.max(0);
  EXPECT_EQ(values(values0), (std::vector<double>{9, 9, 7}));
  EXPECT_EQ(ints(indices0), (std::vector<int64_t>{1, 0, 0}));  // ties: the first index
  auto [values1, indices1] = x.max(1);
  EXPECT_EQ(values(values1), (std::vector<double>{9, 9}));
  EXPECT_EQ(ints(indices1), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(indices1.dtype(), kInt64);
  auto [min_values, min_indices] = x.min(-1, true);
  EXPECT_EQ(min_values.shape(), Shape({2, 1}));
  EXPECT_EQ(values(min_values), (std::vector<double>{3, 1}));
  EXPECT_EQ(ints(min_indices), (std::vector<int64_t>{0, 1}));
  auto [t_values, t_indices] = x.t().max(1);  // transposed: along the original dim 0
  EXPECT_EQ(ints(t_indices), (std::vector<int64_t>{1, 0, 0}));
  Tensor stepped = make({5, 0, 8, 0, 2, 0, 8, 0}, {8}).slice(0, 0, std::nullopt, 2);
  auto [s_values, s_indices] = stepped.max(0);
  EXPECT_EQ(s_values.item<double>(), 8);
  EXPECT_EQ(s_indices.item<int64_t>(), 1);
  Tensor expanded = make({4, 6}, {2, 1}).expand({2, 3});
  EXPECT_EQ(ints(std::get<1>(expanded.max(1))), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(values(std::get<0>(expanded.min(0))), (std::vector<double>{4, 4, 4}));
}

TEST(MaxDim, DtypesNanAndZeroDim) {
  const ScalarType dtypes[] = {kBool,  kUInt8,   kInt8,     kInt16,   kInt32,
                               kInt64, kFloat16, kBFloat16, kFloat32, kFloat64};
  for (ScalarType dtype : dtypes) {
    Tensor typed = make({0, 1, 1, 0}, {2, 2}, dtype);
    auto [maxima, where_max] = typed.max(1);
    EXPECT_EQ(maxima.dtype(), dtype);
    EXPECT_EQ(ints(where_max), (std::vector<int64_t>{1, 0})) << dtype;
    EXPECT_EQ(ints(std::get<1>(typed.min(0))), (std::vector<int64_t>{0, 1})) << dtype;
  }
  Tensor with_nan = make({1, kNan, 5, kNan, 2, 3}, {2, 3});
  auto [nan_values, nan_indices] = with_nan.max(1);
  EXPECT_TRUE(std::isnan(values(nan_values)[0]));
  EXPECT_EQ(ints(nan_indices), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(ints(std::get<1>(with_nan.min(0))), (std::vector<int64_t>{1, 0, 1}));
  auto [scalar_value, scalar_index] = full({}, 2.0).max(0);
  EXPECT_EQ(scalar_value.shape(), Shape({}));
  EXPECT_EQ(scalar_index.item<int64_t>(), 0);
  EXPECT_EQ(std::get<0>(full({}, 2.0).min(-1, true)).shape(), Shape({}));
}

TEST(MaxDim, WideOuterReduction) {
  manual_seed(5);
  Tensor x = randn({257, 300});
  auto [maxima, positions] = x.max(0);
  const std::vector<double> data = values(x);
  const std::vector<int64_t> found = ints(positions);
  const std::vector<double> found_values = values(maxima);
  for (int64_t c = 0; c < 300; ++c) {
    int64_t best = 0;
    for (int64_t r = 1; r < 257; ++r) {
      if (data[r * 300 + c] > data[best * 300 + c]) best = r;
    }
    EXPECT_EQ(found[c], best);
    EXPECT_EQ(found_values[c], data[best * 300 + c]);
  }
}

TEST(MaxDim, EmptyInputs) {
  Tensor x = zeros({0, 3});
  EXPECT_ERROR(x.max(0), IndexError, "[max] Expected reduction dim 0 to have non-zero size");
  EXPECT_ERROR(x.min(-2), IndexError, "[min] Expected reduction dim 0 to have non-zero size");
  auto [maxima, positions] = x.max(1);
  EXPECT_EQ(maxima.shape(), Shape({0}));
  EXPECT_EQ(positions.shape(), Shape({0}));
  EXPECT_ERROR(iota({2}).max(1), IndexError, "Dimension out of range");
}

// ---------------------------------------------------------------- argmax / argmin

TEST(Argmax, AllDimsAndOneDim) {
  Tensor x = make({3, 9, 7, 9, 1, 7}, {2, 3});
  EXPECT_EQ(x.argmax().item<int64_t>(), 1);
  EXPECT_EQ(x.argmin().item<int64_t>(), 4);
  EXPECT_EQ(x.argmax().shape(), Shape({}));
  EXPECT_EQ(x.argmax(std::nullopt, true).shape(), Shape({1, 1}));
  EXPECT_EQ(ints(x.argmax(0)), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(ints(x.argmin(1, true)), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(x.argmin(1, true).shape(), Shape({2, 1}));
  // Row-major order of the transposed view: [[3, 9], [9, 1], [7, 7]].
  EXPECT_EQ(x.t().argmax().item<int64_t>(), 1);
  EXPECT_EQ(x.t().argmin().item<int64_t>(), 3);
  EXPECT_EQ(iota({5}, kInt32).argmax().item<int64_t>(), 4);
  EXPECT_EQ(make({2, 2}, {2}, kFloat16).argmax().item<int64_t>(), 0);
  EXPECT_EQ(full({}, 1.0).argmax().item<int64_t>(), 0);
  EXPECT_EQ(full({}, 1.0).argmax(0).shape(), Shape({}));
  // Long contiguous rows take the two-pass vectorized path; ties still pick the first.
  Tensor row = zeros({1000});
  row.narrow(0, 700, 1).fill_(5.0);
  row.narrow(0, 900, 1).fill_(5.0);
  EXPECT_EQ(row.argmax().item<int64_t>(), 700);
  EXPECT_EQ(row.argmin().item<int64_t>(), 0);
  const ScalarType dtypes[] = {kUInt8, kInt8, kInt32, kInt64, kFloat16, kBFloat16, kFloat64};
  for (ScalarType dtype : dtypes) {
    Tensor typed = row.to(dtype);
    EXPECT_EQ(typed.argmax().item<int64_t>(), 700) << dtype;
    EXPECT_EQ(std::get<0>(typed.max(0)).item<double>(), 5) << dtype;
    EXPECT_EQ(typed.neg_().argmin().item<int64_t>(), dtype == kUInt8 ? 0 : 700) << dtype;
  }
}

TEST(Argmax, Errors) {
  EXPECT_ERROR(make({1, 0}, {2}, kBool).argmax(), RuntimeError,
               "\"argmax_cpu\" not implemented for 'Bool'");
  EXPECT_ERROR(zeros({0, 3}).argmax(), IndexError,
               "[argmax] Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_ERROR(zeros({0, 3}).argmin(0), IndexError,
               "[argmin] Expected reduction dim 0 to have non-zero size");
  EXPECT_EQ(zeros({0, 3}).argmax(1).shape(), Shape({0}));
  EXPECT_ERROR(iota({2, 2}).argmax(2), IndexError, "Dimension out of range");
}

// ---------------------------------------------------------------- var / std

TEST(Var, CorrectionAndDims) {
  Tensor x = make({1, 2, 3, 4}, {4});
  EXPECT_NEAR(x.var().item<double>(), 5.0 / 3.0, 1e-6);
  EXPECT_NEAR(x.var({}, 0).item<double>(), 1.25, 1e-6);
  EXPECT_NEAR(x.std().item<double>(), std::sqrt(5.0 / 3.0), 1e-6);
  EXPECT_NEAR(x.std({0}, 0).item<double>(), std::sqrt(1.25), 1e-6);
  Tensor m = make({1, 2, 3, 4, 6, 8}, {2, 3});
  expect_near_all(values(m.var({1})), {1, 4}, 1e-6);
  expect_near_all(values(m.var({0}, 1, true)), {4.5, 8, 12.5}, 1e-6);
  EXPECT_EQ(m.var({0}, 1, true).shape(), Shape({1, 3}));
  expect_near_all(values(m.t().var({0})), {1, 4}, 1e-6);
  // A large offset does not cancel the variance (two passes).
  Tensor offset = make({1e6 + 1, 1e6 + 2, 1e6 + 3}, {3});
  EXPECT_NEAR(offset.var().item<double>(), 1.0, 1e-6);
  EXPECT_EQ(make({1, 2}, {2}, kFloat16).var().dtype(), kFloat16);
  EXPECT_EQ(make({1, 2}, {2}, kFloat16).var().item<double>(), 0.5);
  EXPECT_EQ(make({1, 2}, {2}, kFloat64).std().dtype(), kFloat64);
}

TEST(Var, FewElementsGiveInfOrNan) {
  EXPECT_TRUE(std::isnan(make({1}, {1}).var().item<double>()));  // 0 / 0
  EXPECT_EQ(make({1, 2}, {2}).var({}, 2).item<double>(), kInf);  // 0.5 / 0
  EXPECT_EQ(make({1, 2}, {2}).var({}, 3).item<double>(), kInf);  // divisor max(0, -1)
  EXPECT_TRUE(std::isnan(zeros({0}).var().item<double>()));
  EXPECT_TRUE(std::isnan(zeros({0}).std().item<double>()));
  EXPECT_NEAR(make({1, 2, 3}, {3}).var({}, 0.5).item<double>(), 2.0 / 2.5, 1e-7);
}

TEST(Var, IntegerInputsRaise) {
  EXPECT_ERROR(iota({3}, kInt64).var(), RuntimeError,
               "[var] std and var only support floating point and complex dtypes");
  EXPECT_ERROR(iota({3}, kInt32).std(), RuntimeError, "[std] std and var only support");
  EXPECT_ERROR(iota({3}).var({0, 0}), RuntimeError, "appears multiple times");
}

// ---------------------------------------------------------------- norm

TEST(Norm, OrdersAndDims) {
  Tensor x = make({3, -4}, {2});
  EXPECT_NEAR(x.norm().item<double>(), 5, 1e-6);
  EXPECT_NEAR(x.norm(1).item<double>(), 7, 1e-6);
  EXPECT_NEAR(x.norm(kInf).item<double>(), 4, 1e-6);
  EXPECT_NEAR(x.norm(-kInf).item<double>(), 3, 1e-6);
  EXPECT_NEAR(x.norm(3).item<double>(), std::cbrt(27.0 + 64.0), 1e-5);
  EXPECT_NEAR(x.norm(0.5).item<double>(), std::pow(std::sqrt(3.0) + 2.0, 2.0), 1e-5);
  EXPECT_NEAR(x.norm(-1).item<double>(), 1.0 / (1.0 / 3 + 1.0 / 4), 1e-6);
  EXPECT_EQ(make({0, 2, 0, -1}, {4}).norm(0).item<double>(), 2);
  Tensor m = make({3, 4, 6, 8}, {2, 2});
  expect_near_all(values(m.norm(2, {1})), {5, 10}, 1e-6);
  expect_near_all(values(m.norm(2, {0}, true)), {std::sqrt(45.0), std::sqrt(80.0)}, 1e-6);
  EXPECT_EQ(m.norm(2, {0}, true).shape(), Shape({1, 2}));
  expect_near_all(values(m.t().norm(1, {-1})), {9, 12}, 1e-6);
  EXPECT_EQ(make({3, 4}, {2}, kFloat16).norm().dtype(), kFloat16);
  EXPECT_EQ(make({3, 4}, {2}, kBFloat16).norm().item<double>(), 5);
  EXPECT_EQ(zeros({0}).norm().item<double>(), 0);
  EXPECT_EQ(zeros({0, 2}).norm(kInf, {1}).shape(), Shape({0}));
}

TEST(Norm, Errors) {
  EXPECT_ERROR(iota({3}, kInt64).norm(), RuntimeError,
               "[norm] Expected a floating point or complex tensor as input. Got Long");
  EXPECT_ERROR(zeros({0}).norm(kInf), RuntimeError,
               "cannot compute the inf norm on an empty tensor because the operation does not "
               "have an identity");
  EXPECT_ERROR(zeros({0, 2}).norm(-1, {0}), RuntimeError,
               "cannot compute the -1 norm on the dimension 0");
  EXPECT_ERROR(zeros({2}).norm(kNan), ValueError, "[norm]");
}

// ---------------------------------------------------------------- logsumexp

TEST(Logsumexp, ValuesAndInfinities) {
  Tensor x = make({1, 2, 3}, {3});
  EXPECT_NEAR(x.logsumexp({0}).item<double>(), std::log(std::exp(1) + std::exp(2) + std::exp(3)),
              1e-5);
  Tensor large = make({1000, 1000, 10, 20}, {2, 2});
  expect_near_all(values(large.logsumexp({1})),
                  {1000 + std::log(2.0), 20 + std::log1p(std::exp(-10))}, 1e-6);
  expect_near_all(values(large.logsumexp({0}, true)),
                  {1000 + std::log1p(std::exp(-990)), 1000 + std::log1p(std::exp(-980))}, 1e-6);
  EXPECT_EQ(large.logsumexp({0}, true).shape(), Shape({1, 2}));
  EXPECT_EQ(make({-kInf, -kInf}, {2}).logsumexp({0}).item<double>(), -kInf);
  EXPECT_EQ(make({kInf, 1}, {2}).logsumexp({0}).item<double>(), kInf);
  EXPECT_TRUE(std::isnan(make({kNan, 1}, {2}).logsumexp({0}).item<double>()));
  EXPECT_NEAR(large.t().logsumexp({}).item<double>(), 1000 + std::log(2.0), 1e-4);
}

TEST(Logsumexp, DtypesAndEmpty) {
  Tensor ints_in = make({0, 0}, {2}, kInt64);
  EXPECT_EQ(ints_in.logsumexp({0}).dtype(), kFloat32);
  EXPECT_NEAR(ints_in.logsumexp({0}).item<double>(), std::log(2.0), 1e-6);
  EXPECT_EQ(make({0, 0}, {2}, kFloat16).logsumexp({0}).dtype(), kFloat16);
  EXPECT_EQ(make({0, 0}, {2}, kFloat64).logsumexp({0}).dtype(), kFloat64);
  Tensor empty_rows = zeros({0, 2});
  EXPECT_EQ(values(empty_rows.logsumexp({0})), (std::vector<double>{-kInf, -kInf}));
  EXPECT_EQ(empty_rows.logsumexp({1}).shape(), Shape({0}));
}

// ---------------------------------------------------------------- all / any

TEST(AllAny, ValuesDimsAndDtypes) {
  Tensor x = make({1, 0, 2, 3}, {2, 2});
  EXPECT_FALSE(x.all().item<bool>());
  EXPECT_TRUE(x.any().item<bool>());
  EXPECT_EQ(x.all().dtype(), kBool);
  EXPECT_EQ(ints(x.all(0)), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(ints(x.all(1, true)), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(x.all(1, true).shape(), Shape({2, 1}));
  EXPECT_EQ(ints(x.t().any(1)), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(ints(zeros({2, 3}).any(-1)), (std::vector<int64_t>{0, 0}));
  EXPECT_TRUE(make({kNan}, {1}).all().item<bool>());  // NaN is non-zero
  EXPECT_TRUE(zeros({0}).all().item<bool>());
  EXPECT_FALSE(zeros({0}).any().item<bool>());
  EXPECT_EQ(make({1, 2}, {2}, kUInt8).all().dtype(), kUInt8);
  EXPECT_EQ(make({1, 2}, {2}, kUInt8).all().item<int64_t>(), 1);
  EXPECT_EQ(make({1, 2}, {2}, kInt32).any().dtype(), kBool);
  EXPECT_EQ(make({0.5}, {1}, kFloat16).all().item<bool>(), true);
  EXPECT_EQ(full({}, 0.0).any(0).shape(), Shape({}));
  EXPECT_ERROR(x.all(2), IndexError, "Dimension out of range");
}

}  // namespace
}  // namespace ember
