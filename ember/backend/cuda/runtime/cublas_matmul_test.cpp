// The Matmul CUDA kernel through cuBLAS (cublas_matmul.cpp) against the CPU backend, for every
// dtype it covers and the operand layouts the ops hand it (transposed and sliced views read in
// place, broadcast batches, alpha/beta), with TF32 off (RELIABILITY.md's matmul tolerances); on
// another thread and on a pool stream too. Needs a CUDA device (skipped otherwise); the layout's
// bookkeeping is tested without one in backend/cuda/matmul_layout_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/tensor/backend_flags.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

constexpr const char* kNoDevice = "needs a CUDA device";

// RELIABILITY.md's matmul tolerances for a product of length k (float32: rtol K * 2^-24, doubled
// since both sides round; atol 1e-4 for sums that cancel to near zero).
void expect_close(const Tensor& on_device, const Tensor& expected, const std::string& what,
                  int64_t k = 17) {
  ASSERT_TRUE(on_device.device().is_cuda()) << what;
  ASSERT_EQ(on_device.dtype(), expected.dtype()) << what;
  ASSERT_EQ(on_device.sizes(), expected.sizes()) << what;
  const Tensor actual = on_device.cpu().to(kFloat64);
  const Tensor reference = expected.to(kFloat64);
  double rtol = std::max(1e-5, 2.0 * static_cast<double>(k) / (1 << 24)), atol = 1e-4;
  if (expected.dtype() == kFloat64) rtol = atol = 1e-7;
  if (expected.dtype() == kFloat16) rtol = atol = 1e-2;
  if (expected.dtype() == kBFloat16) rtol = 1.6e-2, atol = 1e-2;
  EXPECT_TRUE(allclose(actual, reference, rtol, atol)) << what;
}

// Every matmul-family op on CPU operands and on their copies on the device (views taken after
// the copy, so the device operands have the same strides).
void check_family(ScalarType dtype) {
  const TensorOptions options(dtype);
  const std::string name = std::string(dtype_name(dtype));
  const Tensor a = randn({6, 9}, options);
  const Tensor b = randn({9, 5}, options);
  const Tensor a_d = a.cuda();
  const Tensor b_d = b.cuda();
  expect_close(mm(a_d, b_d), mm(a, b), name + " mm");
  expect_close(mm(b_d.t(), a_d.t()), mm(b.t(), a.t()), name + " mm of transposes");
  expect_close(mm(a_d.narrow(1, 1, 7), b_d.narrow(0, 2, 7)),
               mm(a.narrow(1, 1, 7), b.narrow(0, 2, 7)), name + " mm of slices");
  const Tensor input = randn({6, 5}, options);
  expect_close(addmm(input.cuda(), a_d, b_d, 0.5, 2.0), addmm(input, a, b, 0.5, 2.0),
               name + " addmm");
  expect_close(addmm(input.cuda().narrow(0, 0, 1), a_d, b_d, 1.0, -1.0),
               addmm(input.narrow(0, 0, 1), a, b, 1.0, -1.0), name + " addmm broadcast input");
  const Tensor v = randn({9}, options);
  expect_close(mv(a_d, v.cuda()), mv(a, v), name + " mv");
  expect_close(dot(v.cuda(), v.cuda()), dot(v, v), name + " dot");

  const Tensor x = randn({4, 6, 9}, options);
  const Tensor y = randn({4, 5, 9}, options);
  const Tensor x_d = x.cuda();
  const Tensor y_d = y.cuda();
  expect_close(bmm(x_d, y_d.transpose(1, 2)), bmm(x, y.transpose(1, 2)), name + " bmm");
  expect_close(matmul(x_d, b_d), matmul(x, b), name + " matmul broadcast b");
  expect_close(matmul(b_d.t(), x_d.transpose(1, 2)), matmul(b.t(), x.transpose(1, 2)),
               name + " matmul broadcast a");
  const Tensor w = randn({3, 1, 9, 2}, options);
  expect_close(matmul(x_d, w.cuda()), matmul(x, w), name + " matmul broadcast batch dims");
  expect_close(matmul(x_d, v.cuda()), matmul(x, v), name + " matmul batch @ vector");
  // A product longer than a tile, with odd sizes.
  const Tensor big_a = randn({67, 301}, options);
  const Tensor big_b = randn({301, 129}, options);
  Tensor expected = mm(big_a.to(kFloat64), big_b.to(kFloat64)).to(dtype);
  expect_close(mm(big_a.cuda(), big_b.cuda()), expected, name + " mm 67x301x129", 301);
}

TEST(CudaMatmul, MatchesTheCpuForEveryFloatingDtype) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  ASSERT_FALSE(allow_tf32_cublas());
  for (ScalarType dtype : {kFloat32, kFloat64, kFloat16, kBFloat16}) check_family(dtype);
}

TEST(CudaMatmul, EmptyAndZeroInnerSizes) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const TensorOptions options(kFloat32);
  EXPECT_EQ(mm(randn({0, 3}, options).cuda(), randn({3, 4}, options).cuda()).sizes(),
            (Shape{0, 4}));
  const Tensor zero_k = mm(randn({2, 0}, options).cuda(), randn({0, 4}, options).cuda());
  EXPECT_TRUE(equal(zero_k.cpu(), zeros({2, 4})));
}

TEST(CudaMatmul, IntegersHaveNoKernel) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor a = ones({2, 2}, TensorOptions(kInt64)).cuda();
  try {
    mm(a, a);
    FAIL() << "no error";
  } catch (const NotImplementedError& error) {
    EXPECT_NE(std::string(error.what()).find("[mm] has no CUDA kernel"), std::string::npos)
        << error.what();
  }
}

TEST(CudaMatmul, RunsOnOtherThreadsAndTheCurrentStream) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor a = randn({33, 17});
  const Tensor b = randn({17, 21});
  const Tensor expected = mm(a, b);
  std::vector<Tensor> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      // Half the threads on a pool stream: the handle follows each thread's current stream.
      if (i % 2 == 1) {
        cuda::StreamGuard guard(cuda::getStreamFromPool());
        results[i] = mm(a.cuda(), b.cuda());
        cuda::getCurrentCUDAStream().synchronize();
      } else {
        results[i] = mm(a.cuda(), b.cuda());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Tensor& result : results) expect_close(result, expected, "threaded mm");
  // A second round reuses the handles the finished threads gave back.
  std::thread again([&] { results[0] = mm(a.cuda(), b.cuda()); });
  again.join();
  expect_close(results[0], expected, "mm on a thread reusing a pooled handle");
}

TEST(CudaMatmul, Tf32IsUsedOnlyWhenAllowed) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  // Inputs whose low mantissa bits matter: TF32 keeps 10 bits, so the products differ from
  // float32's; both stay within TF32's error of the float64 product.
  const Tensor a = randn({64, 256}) * 3.0 + 1.0;
  const Tensor b = randn({256, 64});
  const Tensor exact = mm(a.to(kFloat64), b.to(kFloat64));
  const Tensor full = mm(a.cuda(), b.cuda()).cpu();
  set_float32_matmul_precision("high");
  const Tensor tf32 = mm(a.cuda(), b.cuda()).cpu();
  set_float32_matmul_precision("highest");
  // float32 rounds each of the 256 terms at 2^-24, TF32 each input at 2^-11.
  EXPECT_TRUE(allclose(full.to(kFloat64), exact, 1e-4, 1e-3));
  EXPECT_TRUE(allclose(tf32.to(kFloat64), exact, 5e-2, 1.0));
  const auto major = cuda::get_device_properties().major;
  if (major >= 8) {
    EXPECT_FALSE(equal(full, tf32)) << "TF32 had no effect on an sm_" << major;
  }
}

}  // namespace
}  // namespace ember
