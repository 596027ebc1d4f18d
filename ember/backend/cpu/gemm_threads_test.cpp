// The thread policy of the float GEMMs: a small product runs on the calling thread (no OpenMP
// team is ever started for it, whatever set_num_threads says), gives the bits a one-thread run
// gives, and leaves the caller's thread count as it was. ctest runs each case in a fresh process,
// so the thread count of /proc/self/task shows whether an OpenMP team was ever started.
#include <gtest/gtest.h>
#include <omp.h>

#include <cstdint>
#include <filesystem>
#include <iterator>
#include <vector>

#include "ember/backend/cpu/gemm.h"
#include "ember/base/half.h"
#include "ember/base/parallel.h"

namespace ember::cpu {
namespace {

int64_t process_threads() {
  const std::filesystem::path tasks = "/proc/self/task";
  return std::distance(std::filesystem::directory_iterator(tasks),
                       std::filesystem::directory_iterator());
}

std::vector<float> ramp(int64_t count) {
  std::vector<float> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) values[i] = static_cast<float>((i * 7) % 13) * 0.25f - 1.5f;
  return values;
}

// C = A(m x k) B(n x k)^T, the layout of a linear layer's forward and weight gradient.
std::vector<float> product(int64_t m, int64_t n, int64_t k) {
  const std::vector<float> a = ramp(m * k);
  const std::vector<float> b = ramp(n * k);
  std::vector<float> c(static_cast<size_t>(m * n));
  gemm_f32(false, true, m, n, k, 1.0f, a.data(), k, b.data(), k, 0.0f, c.data(), n);
  return c;
}

class GemmThreads : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = get_num_threads(); }
  void TearDown() override { set_num_threads(saved_); }

 private:
  int saved_ = 1;
};

TEST_F(GemmThreads, SmallProductsStartNoThreads) {
  if (!std::filesystem::exists("/proc/self/task")) GTEST_SKIP() << "no /proc/self/task";
  set_num_threads(4);
  const int64_t before = process_threads();
  // One sample through a 4-64-2 policy, its weight gradients (k = 1), and a batch-64 layer.
  for (int repeat = 0; repeat < 3; ++repeat) {
    product(1, 64, 4);
    product(1, 2, 64);
    product(64, 2, 1);
    product(64, 4, 1);
    product(64, 64, 64);
  }
  EXPECT_EQ(process_threads(), before);
}

TEST_F(GemmThreads, SmallProductMatchesOneThread) {
  set_num_threads(1);
  const std::vector<float> one = product(64, 64, 64);
  set_num_threads(4);
  EXPECT_EQ(product(64, 64, 64), one);
}

TEST_F(GemmThreads, ThreadCountIsRestored) {
  set_num_threads(3);
  product(64, 2, 1);  // serial for the call
  EXPECT_EQ(get_num_threads(), 3);
  product(128, 128, 128);  // oneDNN's choice
  EXPECT_EQ(get_num_threads(), 3);
  const std::vector<BFloat16> a(8 * 8, BFloat16(1.0f));
  std::vector<BFloat16> c(8 * 8);
  gemm_bf16(false, false, 8, 8, 8, 1.0f, a.data(), 8, a.data(), 8, 0.0f, c.data(), 8);
  EXPECT_EQ(get_num_threads(), 3);
  EXPECT_EQ(static_cast<float>(c[0]), 8.0f);
}

}  // namespace
}  // namespace ember::cpu
