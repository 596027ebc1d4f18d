// The CUDA generators: the generator objects and the ops' device checks run without a device;
// the default generators, seeding and the CPU-equal draws need one (those tests skip without it).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

template <typename Call>
std::string runtime_error_of(Call call) {
  try {
    call();
  } catch (const RuntimeError& error) {
    return error.what();
  }
  return "no error";
}

TEST(CudaGenerator, ServesItsDeviceAndDrawsTheCpuStream) {
  Generator cuda_generator = make_generator<CUDAGeneratorImpl>(1, 42);
  Generator cpu_generator = make_generator<CPUGeneratorImpl>(42);
  EXPECT_EQ(cuda_generator.device(), Device(kCUDA, 1));
  EXPECT_EQ(cpu_generator.device(), Device(kCPU));
  EXPECT_EQ(cuda_generator.current_seed(), 42u);
  for (int64_t n : {5, 0, 1000}) {
    const PhiloxState a = cuda_generator.take(n), b = cpu_generator.take(n);
    EXPECT_EQ(a.seed, b.seed);
    EXPECT_EQ(a.offset, b.offset);
  }
  const Tensor state = cuda_generator.get_state();
  Generator copy = make_generator<CUDAGeneratorImpl>(0);
  copy.set_state(state);
  EXPECT_EQ(copy.take(1).offset, cuda_generator.take(1).offset);
  EXPECT_EQ(make_generator<CUDAGeneratorImpl>(0).current_seed(), default_rng_seed_val);
  EXPECT_NE(copy, cuda_generator);
  EXPECT_EQ(Generator(cuda_generator), cuda_generator);
}

TEST(CudaGenerator, AGeneratorMustServeTheTensorsDevice) {
  const Generator cuda_generator = make_generator<CUDAGeneratorImpl>(0);
  const std::string message = runtime_error_of([&] { rand({3}, cuda_generator); });
  EXPECT_NE(message.find("[uniform_] Expected a 'cpu' device type for generator but found 'cuda'"),
            std::string::npos)
      << message;
  Tensor x = zeros({4});
  EXPECT_THROW(x.normal_(0, 1, cuda_generator), RuntimeError);
  EXPECT_THROW(x.random_(0, 5, cuda_generator), RuntimeError);
}

TEST(CudaGenerator, WithoutADeviceSeedingIsSilentAndTheRestSaysWhy) {
  if (cuda::is_available()) GTEST_SKIP() << "a CUDA device is present";
  manual_seed(7);  // seeds the CPU generator and (silently) no CUDA one
  EXPECT_EQ(initial_seed(), 7u);
  cuda::manual_seed(3);
  cuda::manual_seed_all(3);
  for (const std::string& message :
       {runtime_error_of([] { cuda::detail::getDefaultCUDAGenerator(); }),
        runtime_error_of([] { cuda::detail::createCUDAGenerator(0); }),
        runtime_error_of([] { cuda::initial_seed(); })}) {
    EXPECT_NE(message.find("no CUDA device is available"), std::string::npos) << message;
  }
  EXPECT_FALSE(cuda::is_initialized());
}

TEST(CudaGenerator, ManualSeedGivesTheCpuNumbersOnEveryDevice) {
  if (!cuda::is_available()) GTEST_SKIP() << "needs a CUDA device";
  manual_seed(1234);
  const Tensor expected = rand({1001});
  const Tensor expected_ints = randint(-5, 90, {333});
  const Tensor expected_permutation = randperm(50);
  for (int device = 0; device < cuda::device_count(); ++device) {
    EXPECT_EQ(cuda::detail::getDefaultCUDAGenerator(device).device(),
              Device(kCUDA, static_cast<int8_t>(device)));
    manual_seed(1234);
    const TensorOptions on_device =
        TensorOptions().device(Device(kCUDA, static_cast<int8_t>(device)));
    const Tensor actual = rand({1001}, on_device).cpu();
    const Tensor actual_ints = randint(-5, 90, {333}, on_device).cpu();
    const Tensor actual_permutation = randperm(50, on_device);
    EXPECT_EQ(actual_permutation.device(), Device(kCUDA, static_cast<int8_t>(device)));
    EXPECT_TRUE(equal(actual_permutation.cpu(), expected_permutation));
    EXPECT_EQ(std::memcmp(actual.data_ptr(), expected.data_ptr(), expected.nbytes()), 0);
    EXPECT_TRUE(equal(actual_ints, expected_ints));
  }
  cuda::manual_seed_all(99);
  EXPECT_EQ(cuda::initial_seed(), 99u);
}

}  // namespace
}  // namespace ember
