// The libtorch-shaped C++ API of tensors and factories: TensorOptions chains, (sizes, options)
// factories, from_blob, tensor({...}), typed element access, to() overloads, IntArrayRef sizes,
// int/list dim overloads of the reductions and scalars on either side of an operator.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/error_testing.h"
#include "ember/ops/ops.h"
#include "tests/test_support.h"

namespace ember {
namespace {

using test_support::contains;
using test_support::error_of;
using testing::values;
using Values = std::vector<double>;

TEST(CppApiOptions, ImplicitChainedAndFree) {
  const TensorOptions from_dtype = kDouble;
  EXPECT_EQ(from_dtype.dtype(), kFloat64);
  EXPECT_EQ(TensorOptions(kCPU).device(), Device(kCPU));
  EXPECT_FALSE(TensorOptions().has_dtype());
  EXPECT_EQ(TensorOptions().dtype(), default_dtype());
  const TensorOptions chained = TensorOptions().dtype(kInt32).device(Device("cpu"));
  EXPECT_EQ(chained.dtype(), kInt32);
  EXPECT_TRUE(chained.has_device());
  EXPECT_FALSE(chained.requires_grad());
  EXPECT_TRUE(dtype(kFloat).requires_grad(true).requires_grad());
  EXPECT_EQ(dtype<int16_t>().dtype(), kInt16);
  EXPECT_EQ(TensorOptions().dtype<double>().dtype(), kFloat64);
  EXPECT_EQ(device(kCPU).dtype(kHalf).dtype(), kFloat16);
  EXPECT_TRUE(requires_grad().requires_grad());
  EXPECT_FALSE(requires_grad(false).requires_grad());
}

TEST(CppApiOptions, DtypeConstants) {
  EXPECT_EQ(kByte, ScalarType::UInt8);
  EXPECT_EQ(kChar, ScalarType::Int8);
  EXPECT_EQ(kShort, ScalarType::Int16);
  EXPECT_EQ(kInt, ScalarType::Int32);
  EXPECT_EQ(kLong, ScalarType::Int64);
  EXPECT_EQ(kHalf, ScalarType::Float16);
  EXPECT_EQ(kBFloat16, ScalarType::BFloat16);
  EXPECT_EQ(kFloat, ScalarType::Float32);
  EXPECT_EQ(kDouble, ScalarType::Float64);
  EXPECT_EQ(kU8, kUInt8);
  EXPECT_EQ(kI16, kInt16);
  EXPECT_EQ(kF64, kFloat64);
}

TEST(CppApiFactories, TakeSizesAndOptions) {
  EXPECT_EQ(empty({2, 3}, kInt32).dtype(), kInt32);
  EXPECT_EQ(zeros({2}, dtype(kDouble).device(kCPU)).dtype(), kFloat64);
  EXPECT_EQ(values(ones(3, kLong)), (Values{1, 1, 1}));  // one size, as c10::IntArrayRef
  EXPECT_EQ(rand({2}, kDouble).dtype(), kFloat64);
  EXPECT_EQ(randn({2}, kHalf).dtype(), kFloat16);
  EXPECT_EQ(normal(0, 1, {4}, kDouble).dtype(), kFloat64);
  EXPECT_EQ(linspace(0, 1, 3, kDouble).dtype(), kFloat64);
  EXPECT_EQ(arange(0, 4, kDouble).dtype(), kFloat64);
  EXPECT_EQ(values(arange(0, 4, kDouble)), (Values{0, 1, 2, 3}));
  EXPECT_EQ(arange(5, kInt).dtype(), kInt32);
  EXPECT_EQ(values(eye(2, kInt)), (Values{1, 0, 0, 1}));
  EXPECT_EQ(eye(2, 3, kDouble).sizes(), (std::vector<int64_t>{2, 3}));
}

TEST(CppApiFactories, FullInfersItsDtypeFromTheValue) {
  EXPECT_EQ(full({2}, 3).dtype(), kInt64);
  EXPECT_EQ(full({2}, true).dtype(), kBool);
  EXPECT_EQ(full({2}, 1.5).dtype(), default_dtype());
  EXPECT_EQ(full({2}, 3, kDouble).dtype(), kFloat64);
  EXPECT_EQ(zeros({2}).dtype(), default_dtype());
}

TEST(CppApiFactories, RandintOverloads) {
  manual_seed(1);
  const Tensor high_only = randint(5, {100});
  EXPECT_EQ(high_only.dtype(), kInt64);
  EXPECT_GE(high_only.min().item<int64_t>(), 0);
  EXPECT_LT(high_only.max().item<int64_t>(), 5);
  const Tensor bounded = randint(10, 12, {100}, kInt32);
  EXPECT_EQ(bounded.dtype(), kInt32);
  EXPECT_GE(bounded.min().item<int>(), 10);
  EXPECT_LT(bounded.max().item<int>(), 12);
  EXPECT_EQ(randint(3, {2}, TensorOptions().device(kCPU)).dtype(), kInt64);
}

TEST(CppApiFactories, LikeTakesOptions) {
  const Tensor x = ones({2, 2}, kInt32);
  EXPECT_EQ(zeros_like(x).dtype(), kInt32);
  EXPECT_EQ(zeros_like(x, kDouble).dtype(), kFloat64);
  EXPECT_EQ(ones_like(x, TensorOptions().device(kCPU)).dtype(), kInt32);
  EXPECT_EQ(values(full_like(x, 7)), (Values{7, 7, 7, 7}));
  EXPECT_EQ(rand_like(x, kDouble).dtype(), kFloat64);
  EXPECT_EQ(randn_like(x.to(kFloat), std::nullopt).dtype(), kFloat32);
}

TEST(CppApiFactories, HonourRequiresGrad) {
  EXPECT_TRUE(zeros({2}, requires_grad()).requires_grad());
  EXPECT_TRUE(ones({2}, dtype(kDouble).requires_grad(true)).requires_grad());
  EXPECT_TRUE(full({2}, 1.5, requires_grad()).requires_grad());
  EXPECT_TRUE(empty({2}, requires_grad()).requires_grad());
  EXPECT_TRUE(rand({2}, requires_grad()).requires_grad());
  EXPECT_TRUE(randn({2}, requires_grad()).requires_grad());
  EXPECT_TRUE(normal(0, 1, {2}, requires_grad()).requires_grad());
  EXPECT_TRUE(arange(0, 3, dtype(kFloat).requires_grad(true)).requires_grad());
  EXPECT_TRUE(linspace(0, 1, 3, requires_grad()).requires_grad());
  EXPECT_TRUE(eye(2, requires_grad()).requires_grad());
  EXPECT_TRUE(zeros_like(ones({2}), requires_grad()).requires_grad());
  EXPECT_TRUE(rand_like(ones({2}), requires_grad()).requires_grad());
  EXPECT_TRUE(tensor({1.0, 2.0}, requires_grad()).requires_grad());
  EXPECT_FALSE(zeros({2}).requires_grad());
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { zeros({2}, dtype(kLong).requires_grad(true)); }),
                       "[zeros] only Tensors of floating point dtype can require gradients"));
  EXPECT_TRUE(
      contains(error_of<RuntimeError>([] { randint(3, {2}, requires_grad()); }), "[randint]"));
}

TEST(CppApiFromBlob, WrapsWithoutCopying) {
  float data[6] = {0, 1, 2, 3, 4, 5};
  Tensor t = from_blob(data, {2, 3});
  EXPECT_EQ(t.dtype(), kFloat32);
  data[4] = 40;
  EXPECT_EQ(t[1][1].item<float>(), 40);
  t[0][0].fill_(-1);
  EXPECT_EQ(data[0], -1);

  int64_t longs[6] = {0, 1, 2, 3, 4, 5};
  const Tensor transposed = from_blob(longs, {3, 2}, {1, 3}, kLong);
  EXPECT_EQ(values(transposed), (Values{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(transposed.data_ptr<int64_t>(), longs);
}

TEST(CppApiFromBlob, RunsTheDeleterWhenTheLastViewDies) {
  double data[4] = {1, 2, 3, 4};
  int calls = 0;
  void* released = nullptr;
  {
    Tensor t = from_blob(
        data, {4},
        [&](void* p) {
          ++calls;
          released = p;
        },
        kDouble);
    Tensor view = t.narrow(0, 1, 2);
    t = Tensor();
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(view[0].item<double>(), 2);
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(released, data);
  {
    Tensor t = from_blob(
        data, {2, 2}, {1, 2}, [&](void*) { ++calls; }, kDouble);
    EXPECT_EQ(values(t), (Values{1, 3, 2, 4}));
  }
  EXPECT_EQ(calls, 2);
}

TEST(CppApiFromBlob, BadStrides) {
  float data[4] = {};
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         from_blob(data, {2, 2}, {1});
                       }),
                       "[from_blob] mismatch in length of strides"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] {
                         from_blob(data, {2, 2}, {-1, 1});
                       }),
                       "[from_blob] negative strides"));
}

TEST(CppApiTensor, DtypesFollowLibtorch) {
  EXPECT_EQ(tensor({1, 2, 3}).dtype(), kInt64);
  EXPECT_EQ(tensor({1.0, 2.0}).dtype(), default_dtype());
  EXPECT_EQ(tensor({1.0f, 2.0f}).dtype(), default_dtype());
  EXPECT_EQ(tensor({true, false}).dtype(), kBool);
  EXPECT_EQ(tensor(3.5).dim(), 0);
  EXPECT_EQ(tensor(3.5).item<double>(), 3.5);
  EXPECT_EQ(tensor(7).dtype(), kInt64);
  EXPECT_EQ(tensor({1, 2}, kDouble).dtype(), kFloat64);
  EXPECT_EQ(tensor(std::vector<float>{1, 2, 3}).dtype(), kFloat32);
  EXPECT_EQ(tensor(std::vector<double>{1, 2}).dtype(), kFloat64);
  EXPECT_EQ(tensor(std::vector<int>{1, 2}).dtype(), kInt32);
  EXPECT_EQ(values(tensor(std::vector<bool>{true, false, true})), (Values{1, 0, 1}));
  EXPECT_EQ(values(tensor(std::vector<float>{1, 2}, kDouble)), (Values{1, 2}));
  EXPECT_EQ(tensor({1, 2}).sizes(), (std::vector<int64_t>{2}));
  EXPECT_EQ(tensor({}).numel(), 0);
}

TEST(CppApiTensor, NestedBraces) {
  const Tensor matrix = tensor({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(matrix.sizes(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(matrix), (Values{1, 2, 3, 4, 5, 6}));
  const Tensor cube = tensor({{{1.5}, {2.5}}});
  EXPECT_EQ(cube.sizes(), (std::vector<int64_t>{1, 2, 1}));
  EXPECT_EQ(cube.dtype(), default_dtype());
  EXPECT_EQ(tensor({{0, 1.5}}).dtype(), default_dtype());  // mixed kinds promote
}

TEST(CppApiTensor, BadInput) {
  EXPECT_TRUE(contains(error_of<ValueError>([] {
                         tensor({{1, 2}, {3}});
                       }),
                       "[tensor] expected all sub-lists to have sizes [2]"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { tensor({300}, kUInt8); }),
                       "[tensor] value cannot be converted to type uint8"));
}

TEST(CppApiElements, ItemAndScalar) {
  const Tensor x = tensor(2.5, kDouble);
  const Scalar s = x.item();
  EXPECT_EQ(s.to<double>(), 2.5);
  EXPECT_EQ(s.toDouble(), 2.5);
  EXPECT_EQ(s.toFloat(), 2.5f);
  EXPECT_EQ(s.toLong(), 2);
  EXPECT_EQ(s.toInt(), 2);
  EXPECT_TRUE(s.toBool());
  EXPECT_TRUE(s.isFloatingPoint());
  EXPECT_EQ(x.item<float>(), 2.5f);
  EXPECT_EQ(tensor(300).item<int16_t>(), 300);
  EXPECT_EQ(tensor(true).item().to<bool>(), true);
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { tensor(300).item<int8_t>(); }),
                       "[item] value cannot be converted to type int8"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] {
                         tensor({1, 2}).item<int64_t>();
                       }),
                       "[item] a Tensor with 2 elements cannot be converted to Scalar"));
}

TEST(CppApiElements, DataPtrChecksTheType) {
  Tensor x = zeros({2}, kFloat);
  x.data_ptr<float>()[1] = 3;
  EXPECT_EQ(x[1].item<float>(), 3);
  EXPECT_EQ(x[1].data_ptr<float>(), x.data_ptr<float>() + 1);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { x.data_ptr<double>(); }),
                       "[data_ptr] expected scalar type float64 but found float32"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([] { ones({1}, kBool).data_ptr<uint8_t>(); }),
                       "[data_ptr] expected scalar type uint8 but found bool"));
}

TEST(CppApiElements, Accessor) {
  Tensor x = arange(6, kDouble).reshape({2, 3});
  const auto a = x.accessor<double, 2>();
  EXPECT_EQ(a.size(0), 2);
  EXPECT_EQ(a.size(1), 3);
  EXPECT_EQ(a.stride(0), 3);
  EXPECT_EQ(a[1][2], 5);
  a[0][1] = 10;
  EXPECT_EQ(x[0][1].item<double>(), 10);
  const Tensor t = x.t();
  const auto transposed = t.accessor<double, 2>();
  EXPECT_EQ(transposed[2][1], 5);
  EXPECT_EQ(transposed[0].size(0), 2);
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { x.accessor<double, 3>(); }),
                       "[accessor] TensorAccessor expected 3 dims but tensor has 2"));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { x.accessor<float, 2>(); }),
                       "[accessor] expected scalar type float32 but found float64"));
}

TEST(CppApiMetadata, OptionsAndConversions) {
  const Tensor x = ones({2, 3}, kInt32);
  EXPECT_EQ(x.options().dtype(), kInt32);
  EXPECT_EQ(x.options().device(), Device(kCPU));
  EXPECT_EQ(zeros({1}, x.options()).dtype(), kInt32);
  EXPECT_EQ(x.to(kDouble).dtype(), kFloat64);
  EXPECT_EQ(x.to(Device(kCPU)).dtype(), kInt32);
  EXPECT_TRUE(x.to(kCPU).is_same(x));
  EXPECT_EQ(x.to(TensorOptions().dtype(kHalf)).dtype(), kFloat16);
  EXPECT_EQ(x.to(Device(kCPU), kByte).dtype(), kUInt8);
  EXPECT_EQ(x.to(zeros({1}, kBool)).dtype(), kBool);
  EXPECT_TRUE(x.to(kInt32).is_same(x));
  EXPECT_FALSE(x.to(kInt32, /*non_blocking=*/false, /*copy=*/true).is_same(x));
  EXPECT_TRUE(contains(error_of<RuntimeError>([&] { x.to(dtype(kFloat).requires_grad(true)); }),
                       "[to] Operators taking TensorOptions cannot take"));
  EXPECT_TRUE(x.defined());
  EXPECT_FALSE(Tensor().defined());
  EXPECT_TRUE(x.is_contiguous());
  EXPECT_FALSE(x.t().is_contiguous());
  EXPECT_EQ(x.scalar_type(), kInt);
  EXPECT_EQ(x.dtype(), kInt);
}

TEST(CppApiMetadata, SizesAndStrides) {
  const Tensor x = zeros({2, 3});
  EXPECT_TRUE(x.sizes() == std::vector<int64_t>({2, 3}));
  EXPECT_TRUE(x.sizes() != std::vector<int64_t>({3, 2}));
  EXPECT_EQ(x.sizes().vec(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(x.sizes()[1], 3);
  EXPECT_EQ(x.sizes().size(), 2u);
  int64_t product = 1;
  for (int64_t size : x.sizes()) product *= size;
  EXPECT_EQ(product, 6);
  const IntArrayRef sizes = x.sizes();
  EXPECT_TRUE(sizes.equals({2, 3}));
  EXPECT_TRUE(x.strides() == std::vector<int64_t>({3, 1}));
  EXPECT_EQ(x.t().strides().vec(), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(x.view(-1).sizes(), (std::vector<int64_t>{6}));
  EXPECT_EQ(x.size(-1), 3);
  EXPECT_EQ(x.dim(), 2);
  EXPECT_EQ(x.numel(), 6);
}

TEST(CppApiReductions, IntAndListDims) {
  const Tensor x = arange(6, kDouble).reshape({2, 3});
  EXPECT_EQ(values(x.sum(1)), (Values{3, 12}));
  EXPECT_EQ(values(sum(x, 1)), (Values{3, 12}));
  EXPECT_EQ(x.sum({0, 1}, true).sizes(), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(x.sum(1, /*keepdim=*/true).sizes(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(ones({2, 2}, kInt).sum(1, true, kDouble).dtype(), kFloat64);
  EXPECT_EQ(values(x.mean(0)), (Values{1.5, 2.5, 3.5}));
  EXPECT_EQ(values(mean(x, -1)), (Values{1, 4}));
  EXPECT_EQ(values(x.amax(1)), (Values{2, 5}));
  EXPECT_EQ(values(x.amin(0)), (Values{0, 1, 2}));
  EXPECT_EQ(values(x.prod(1)), (Values{0, 60}));
  EXPECT_EQ(values(x.argmax(1)), (Values{2, 2}));
  EXPECT_EQ(values(x.argmin(0, true)), (Values{0, 0, 0}));
  EXPECT_EQ(values(x.var(1)), (Values{1, 1}));
  EXPECT_EQ(values(x.std(0, /*correction=*/0)), (Values{1.5, 1.5, 1.5}));
  EXPECT_NEAR(x.norm(2, 1)[0].item<double>(), std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(x.logsumexp(1)[0].item<double>(), std::log(1 + std::exp(1.0) + std::exp(2.0)), 1e-12);
  EXPECT_EQ(values(x.all(1)), (Values{0, 1}));
  EXPECT_EQ(values(x.any(0)), (Values{1, 1, 1}));
  Tensor values_out, indices;
  std::tie(values_out, indices) = x.max(1);
  EXPECT_EQ(values(values_out), (Values{2, 5}));
  EXPECT_EQ(values(indices), (Values{2, 2}));
  auto [low, where] = min(x, 0, /*keepdim=*/true);
  EXPECT_EQ(low.sizes(), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(values(where), (Values{0, 0, 0}));
}

TEST(CppApiOperators, ScalarsOnEitherSide) {
  const Tensor x = tensor({1.0, 2.0});
  EXPECT_EQ(values(2 * x), (Values{2, 4}));
  EXPECT_EQ(values(x * 2.5), (Values{2.5, 5}));
  EXPECT_EQ(values(x / 2), (Values{0.5, 1}));
  EXPECT_EQ(values(1 - x), (Values{0, -1}));
  EXPECT_EQ(values(x + 0.5f), (Values{1.5, 2.5}));
  EXPECT_EQ(values(int64_t{3} - x), (Values{2, 1}));
  EXPECT_EQ(values(x * size_t{2}), (Values{2, 4}));
  EXPECT_EQ(values(4.0 / x), (Values{4, 2}));
  EXPECT_EQ(values(x == 1), (Values{1, 0}));
  EXPECT_EQ(values(x > 1.5), (Values{0, 1}));
  EXPECT_EQ((2 * x).dtype(), kFloat32);  // a scalar does not promote (weak)
  EXPECT_EQ((tensor({1, 2}) * 2).dtype(), kInt64);
  EXPECT_EQ((tensor({1, 2}) * 2.5).dtype(), default_dtype());
}

}  // namespace
}  // namespace ember
