// The indexing kernels on a device (index.cu, scatter.cu, embedding.cu) against the CPU, and the
// device index-error path (index_error.h): a bad index raises IndexError naming the op at the next
// synchronisation, and the device keeps working afterwards (RELIABILITY.md B7/B24). Every test
// needs a CUDA device and skips without one; the kernel bodies themselves are emulated on the CPU
// in kernel_emulation_index_test.cpp.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/nn_embedding.h"
#include "ember/ops/ops.h"
#include "ember/ops/scatter.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

#define EMBER_NEEDS_CUDA() \
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device"

void expect_index_error(const std::function<void()>& synchronise, const std::string& message) {
  try {
    synchronise();
    FAIL() << "expected an IndexError containing: " << message;
  } catch (const IndexError& error) {
    EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
  }
}

TEST(CudaIndexKernels, MatchTheCpu) {
  EMBER_NEEDS_CUDA();
  manual_seed(14);
  const Tensor x = randn({6, 5});
  const Tensor rows = tensor({int64_t{4}, int64_t{0}, int64_t{-1}, int64_t{4}}, kInt64);
  const Tensor index = randint(0, 6, {4, 5}, kInt64);
  const Tensor src = randn({4, 5});
  const Tensor xd = x.cuda(), rowsd = rows.cuda(), indexd = index.cuda(), srcd = src.cuda();

  const Tensor pick = tensor({int64_t{4}, int64_t{0}, int64_t{5}, int64_t{4}}, kInt64);
  EXPECT_TRUE(equal(index_select(xd, 0, pick.cuda()).cpu(), index_select(x, 0, pick)));
  EXPECT_TRUE(equal(xd.index({rowsd}).cpu(), x.index({rows})));
  EXPECT_TRUE(equal(gather(xd, 0, indexd).cpu(), gather(x, 0, index)));
  EXPECT_TRUE(allclose(scatter_add(xd, 0, indexd, srcd).cpu(), scatter_add(x, 0, index, src)));
  EXPECT_TRUE(equal(scatter_reduce(xd, 0, indexd, srcd, "amax").cpu(),
                    scatter_reduce(x, 0, index, src, "amax")));
  Tensor put = x.clone(), putd = xd.clone();
  const Tensor values = randn({4, 5});
  put.index_put_({std::optional<Tensor>(rows)}, values, /*accumulate=*/true);
  putd.index_put_({std::optional<Tensor>(rowsd)}, values.cuda(), /*accumulate=*/true);
  EXPECT_TRUE(allclose(putd.cpu(), put));

  const Tensor ids = tensor({int64_t{2}, int64_t{0}, int64_t{2}, int64_t{5}}, kInt64);
  EXPECT_TRUE(equal(embedding(xd, ids.cuda()).cpu(), embedding(x, ids)));
  const Tensor grad = randn({4, 3});
  EXPECT_TRUE(allclose(embedding_dense_backward(grad.cuda(), ids.cuda(), 7, 0, true).cpu(),
                       embedding_dense_backward(grad, ids, 7, 0, true)));
}

TEST(CudaIndexKernels, RunOnTheCurrentStream) {
  EMBER_NEEDS_CUDA();
  const cuda::Stream stream = cuda::getStreamFromPool();
  const Tensor x = arange(12, TensorOptions(kFloat32)).reshape({3, 4}).cuda();
  const Tensor index = tensor({int64_t{2}, int64_t{0}}, kInt64).cuda();
  Tensor result;
  {
    cuda::StreamGuard guard(stream);
    result = index_select(x, 0, index);
    stream.synchronize();
  }
  EXPECT_TRUE(equal(result.cpu(), index_select(x.cpu(), 0, index.cpu())));
}

TEST(CudaIndexErrors, RaiseAtTheNextSynchronisationAndLeaveTheDeviceUsable) {
  EMBER_NEEDS_CUDA();
  const Tensor x = randn({5, 3}).cuda();
  const Tensor bad = tensor({int64_t{1}, int64_t{7}}, kInt64).cuda();
  Tensor out = index_select(x, 0, bad);
  expect_index_error([] { cuda::synchronize(); },
                     "[index_select] index 7 is out of bounds for size 5");
  // Cleared: the next synchronisation is quiet, and the device still computes.
  cuda::synchronize();
  EXPECT_TRUE(equal((x + 1).cpu(), x.cpu() + 1));

  const Tensor index = tensor({int64_t{0}, int64_t{-2}}, kInt64).reshape({2, 1}).cuda();
  out = gather(x, 0, index);
  expect_index_error([&] { out.cpu(); }, "[gather] index -2 is out of bounds for size 5");

  const Tensor ids = tensor({int64_t{9}}, kInt64).cuda();
  out = embedding(x, ids);
  expect_index_error([&] { out.sum().item<float>(); },
                     "[embedding] index 9 is out of bounds for size 5");
  EXPECT_NO_THROW(cuda::synchronize());
}

}  // namespace
}  // namespace ember
