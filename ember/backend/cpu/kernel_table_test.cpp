// The run-time SIMD dispatch (Note [SIMD dispatch]): the kernel tables follow the widest
// instruction set the CPU supports, EMBER_CPU_CAPABILITY narrows them, every table holds its own
// code (not one ISA's copy shared by all), and reductions give bitwise the same result on every
// table the CPU can run.
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cpu/kernel_table.h"
#include "ember/base/error.h"
#include "ember/tensor/storage.h"
#include "ember/tensor/tensor_impl.h"

namespace ember::cpu {
namespace {

bool cpu_has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

bool cpu_has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

CpuCapability widest_by_builtin() {
  if (cpu_has_avx512()) return CpuCapability::Avx512;
  if (cpu_has_avx2()) return CpuCapability::Avx2;
  return CpuCapability::Default;
}

std::vector<CpuCapability> runnable_capabilities() {
  std::vector<CpuCapability> result{CpuCapability::Default};
  if (cpu_has_avx2()) result.push_back(CpuCapability::Avx2);
  if (cpu_has_avx512()) result.push_back(CpuCapability::Avx512);
  return result;
}

Tensor make_tensor(Shape shape, ScalarType dtype) {
  const int64_t numel = numel_of(shape);
  auto storage = Storage::allocate(static_cast<size_t>(numel) * itemsize(dtype), Device());
  Strides strides = contiguous_strides(shape);
  return Tensor(IntrusivePtr<TensorImpl>::make(std::move(storage), 0, std::move(shape),
                                               std::move(strides), dtype));
}

TEST(CpuDispatch, SupportedCapabilityIsTheWidestTheCpuHas) {
  __builtin_cpu_init();
  EXPECT_EQ(supported_capability(), widest_by_builtin());
  EXPECT_EQ(select_capability(nullptr), widest_by_builtin());
  EXPECT_EQ(select_capability(""), widest_by_builtin());
}

TEST(CpuDispatch, OverrideNarrowsAndIsCappedAtTheCpu) {
  EXPECT_EQ(select_capability("default"), CpuCapability::Default);
  EXPECT_EQ(select_capability("avx2"),
            cpu_has_avx2() ? CpuCapability::Avx2 : CpuCapability::Default);
  EXPECT_EQ(select_capability("avx512"), widest_by_builtin());
  EXPECT_THROW(select_capability("avx1024"), ValueError);
  for (CpuCapability capability :
       {CpuCapability::Default, CpuCapability::Avx2, CpuCapability::Avx512}) {
    EXPECT_EQ(parse_capability(capability_name(capability)), capability);
  }
}

TEST(CpuDispatch, KernelsFollowTheEnvironment) {
  EXPECT_EQ(kernels().capability, select_capability(std::getenv("EMBER_CPU_CAPABILITY")));
  if (std::getenv("EMBER_CPU_CAPABILITY") == nullptr) {
    EXPECT_EQ(kernels().capability, widest_by_builtin());
  }
}

// The table is built once, so the override is tested in a fresh process (the threadsafe death
// test style re-executes this binary for the statement).
TEST(CpuDispatchDeathTest, EnvironmentOverrideChoosesTheTable) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("EMBER_CPU_CAPABILITY", "default", 1);
        std::exit(kernels().capability == CpuCapability::Default ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
  if (cpu_has_avx2()) {
    EXPECT_EXIT(
        {
          setenv("EMBER_CPU_CAPABILITY", "avx2", 1);
          std::exit(kernels().capability == CpuCapability::Avx2 ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
  }
}

// Each ISA's loops are compiled in their own namespace: were they one template shared by the
// three objects, the linker would keep a single copy and every table would run the same code.
TEST(CpuDispatch, EveryTableHoldsItsOwnCode) {
  const KernelTable tables[] = {make_kernel_table(CpuCapability::Default),
                                make_kernel_table(CpuCapability::Avx2),
                                make_kernel_table(CpuCapability::Avx512)};
  const int f32 = static_cast<int>(ScalarType::Float32);
  const int sum = static_cast<int>(ReduceOp::Sum);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(tables[i].capability, static_cast<CpuCapability>(i));
    for (int j = i + 1; j < 3; ++j) {
      EXPECT_NE(tables[i].unary[static_cast<int>(UnaryOp::Exp)][f32],
                tables[j].unary[static_cast<int>(UnaryOp::Exp)][f32]);
      EXPECT_NE(tables[i].binary[static_cast<int>(BinaryOp::Add)][f32],
                tables[j].binary[static_cast<int>(BinaryOp::Add)][f32]);
      EXPECT_NE(tables[i].reduce[sum][f32], tables[j].reduce[sum][f32]);
      EXPECT_NE(tables[i].arg_reduce[1][f32], tables[j].arg_reduce[1][f32]);
    }
  }
}

// Lanes, blocks and chunks depend on the shape alone, so every table gives the same bits.
// Covers sum, the 2-norm's sum of squares and argmax.
TEST(CpuDispatch, ReductionsAgreeBitwiseAcrossTables) {
  const int64_t n = 300007;  // several chunks and a ragged tail
  Tensor x = make_tensor(Shape{n}, ScalarType::Float32);
  std::mt19937 generator(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  float* data = x.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) data[i] = normal(generator);
  const Tensor reference_sum = make_tensor(Shape{1}, ScalarType::Float32);
  const Tensor reference_squares = make_tensor(Shape{1}, ScalarType::Float32);
  const Tensor reference_max = make_tensor(Shape{1}, ScalarType::Float32);
  const Tensor reference_index = make_tensor(Shape{1}, ScalarType::Int64);
  const int f32 = static_cast<int>(ScalarType::Float32);
  const KernelTable reference = make_kernel_table(CpuCapability::Default);
  reference.reduce[static_cast<int>(ReduceOp::Sum)][f32](x, reference_sum);
  reference.reduce[static_cast<int>(ReduceOp::SumSquares)][f32](x, reference_squares);
  reference.arg_reduce[1][f32](x, reference_max, reference_index, 0);
  for (CpuCapability capability : runnable_capabilities()) {
    SCOPED_TRACE(std::string(capability_name(capability)));
    const KernelTable table = make_kernel_table(capability);
    const Tensor total = make_tensor(Shape{1}, ScalarType::Float32);
    const Tensor squares = make_tensor(Shape{1}, ScalarType::Float32);
    const Tensor max_value = make_tensor(Shape{1}, ScalarType::Float32);
    const Tensor max_index = make_tensor(Shape{1}, ScalarType::Int64);
    table.reduce[static_cast<int>(ReduceOp::Sum)][f32](x, total);
    table.reduce[static_cast<int>(ReduceOp::SumSquares)][f32](x, squares);
    table.arg_reduce[1][f32](x, max_value, max_index, 0);
    EXPECT_EQ(std::memcmp(total.data_ptr(), reference_sum.data_ptr(), sizeof(float)), 0);
    // Holds only without FMA contraction of the square into the add (-ffp-contract=off).
    EXPECT_EQ(std::memcmp(squares.data_ptr(), reference_squares.data_ptr(), sizeof(float)), 0);
    EXPECT_EQ(*max_value.data_ptr<float>(), *reference_max.data_ptr<float>());
    EXPECT_EQ(*max_index.data_ptr<int64_t>(), *reference_index.data_ptr<int64_t>());
  }
}

}  // namespace
}  // namespace ember::cpu
