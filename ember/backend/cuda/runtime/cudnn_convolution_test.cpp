// The Convolution CUDA kernel through cuDNN (cudnn_convolution.cpp) against the CPU backend: the
// forward pass (conv1d/2d/3d with groups, stride, padding, dilation and bias), the data gradient
// (conv_transpose, the BackwardData pass) and the weight gradient (the BackwardWeight pass run
// directly), uneven padding in each pass, in float32 with TF32 off and in float64. Needs a CUDA
// device and a build with cuDNN (skipped otherwise).
#include <gtest/gtest.h>

#include <string>

#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/nn_conv.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_conv.h"
#include "ember/tensor/backend_flags.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

bool skip_without_cudnn() {
  return !cuda::is_available() || cuda_kernel(PrimitiveKind::Convolution) == nullptr;
}
constexpr const char* kSkip = "needs a CUDA device and a build with cuDNN";

void expect_close(const Tensor& on_device, const Tensor& expected, const std::string& what) {
  ASSERT_TRUE(on_device.device().is_cuda()) << what;
  ASSERT_EQ(on_device.sizes(), expected.sizes()) << what;
  const double tolerance = expected.dtype() == kFloat64 ? 1e-7 : 1e-4;
  EXPECT_TRUE(allclose(on_device.cpu().to(kFloat64), expected.to(kFloat64), tolerance, tolerance))
      << what;
}

class CudnnConvolution : public ::testing::TestWithParam<ScalarType> {
 protected:
  void SetUp() override {
    if (skip_without_cudnn()) GTEST_SKIP() << kSkip;
    set_allow_tf32_cudnn(false);
  }
  void TearDown() override { set_allow_tf32_cudnn(true); }
  TensorOptions options() const { return TensorOptions(GetParam()); }
};

TEST_P(CudnnConvolution, ForwardMatchesTheCpu) {
  const std::string name(dtype_name(GetParam()));
  const Tensor x1 = randn({2, 4, 19}, options());
  const Tensor w1 = randn({6, 2, 3}, options());
  const Tensor b1 = randn({6}, options());
  expect_close(conv1d(x1.cuda(), w1.cuda(), b1.cuda(), 2, 1, 1, 2), conv1d(x1, w1, b1, 2, 1, 1, 2),
               name + " conv1d groups 2, stride 2, padding 1");

  const Tensor x2 = randn({3, 4, 11, 9}, options());
  const Tensor w2 = randn({5, 4, 3, 2}, options());
  const Tensor b2 = randn({5}, options());
  expect_close(conv2d(x2.cuda(), w2.cuda()), conv2d(x2, w2), name + " conv2d");
  expect_close(conv2d(x2.cuda(), w2.cuda(), b2.cuda(), {2, 1}, {1, 2}, {2, 1}),
               conv2d(x2, w2, b2, {2, 1}, {1, 2}, {2, 1}),
               name + " conv2d stride, padding, dilation per dim, bias");
  const Tensor depthwise = randn({4, 1, 3, 3}, options());
  expect_close(conv2d(x2.cuda(), depthwise.cuda(), std::nullopt, 1, 1, 1, 4),
               conv2d(x2, depthwise, std::nullopt, 1, 1, 1, 4), name + " depthwise conv2d");
  expect_close(conv2d(x2[0].cuda(), w2.cuda()), conv2d(x2[0], w2), name + " unbatched conv2d");

  const Tensor x3 = randn({1, 2, 5, 6, 7}, options());
  const Tensor w3 = randn({3, 2, 2, 3, 2}, options());
  expect_close(conv3d(x3.cuda(), w3.cuda(), std::nullopt, 1, {0, 1, 1}),
               conv3d(x3, w3, std::nullopt, 1, {0, 1, 1}), name + " conv3d");
}

TEST_P(CudnnConvolution, DataGradientMatchesTheCpu) {
  const std::string name(dtype_name(GetParam()));
  const Tensor y = randn({2, 6, 5, 4}, options());
  const Tensor w = randn({6, 2, 3, 3}, options());
  expect_close(conv_transpose2d(y.cuda(), w.cuda(), std::nullopt, 2, 1, 1, 2),
               conv_transpose2d(y, w, std::nullopt, 2, 1, 1, 2),
               name + " conv_transpose2d stride 2, output_padding 1, groups 2");
  const Tensor y1 = randn({2, 4, 7}, options());
  const Tensor w1 = randn({4, 3, 2}, options());
  expect_close(conv_transpose1d(y1.cuda(), w1.cuda(), std::nullopt, 3),
               conv_transpose1d(y1, w1, std::nullopt, 3), name + " conv_transpose1d stride 3");
}

TEST_P(CudnnConvolution, WeightGradientMatchesTheCpu) {
  const std::string name(dtype_name(GetParam()));
  const ConvGeometry geometry{{2, 1}, {1, 2}, {1, 0}, {1, 0}, 2};
  const Tensor x = randn({3, 4, 9, 8}, options());
  const Tensor y = randn({3, 6, 5, 6}, options());
  Tensor expected = empty({6, 2, 3, 2}, options());
  run(Convolution(ConvPass::BackwardWeight, geometry), {x, y}, {expected});
  Tensor actual = empty({6, 2, 3, 2}, options().device(Device(kCUDA)));
  run(Convolution(ConvPass::BackwardWeight, geometry), {x.cuda(), y.cuda()}, {actual});
  expect_close(actual, expected, name + " weight gradient, stride and dilation, groups 2");
}

INSTANTIATE_TEST_SUITE_P(Dtypes, CudnnConvolution, ::testing::Values(kFloat32, kFloat64),
                         [](const ::testing::TestParamInfo<ScalarType>& dtype) {
                           return std::string(dtype_name(dtype.param));
                         });

// One pass of the primitive on the CPU and on the device, from the same operands.
void expect_pass_matches(ConvPass pass, const ConvGeometry& geometry, const Tensor& a,
                         const Tensor& b, const Shape& out_shape, const std::string& what) {
  Tensor expected = empty(out_shape, TensorOptions(a.dtype()));
  run(Convolution(pass, geometry), {a, b}, {expected});
  Tensor actual = empty(out_shape, TensorOptions(a.dtype()).device(Device(kCUDA)));
  run(Convolution(pass, geometry), {a.cuda(), b.cuda()}, {actual});
  expect_close(actual, expected, what);
}

TEST_P(CudnnConvolution, UnevenPaddingMatchesTheCpu) {
  const std::string name(dtype_name(GetParam()));
  // 'same' with an even kernel pads one more element after than before.
  const Tensor x2 = randn({2, 3, 6, 5}, options());
  const Tensor w2 = randn({4, 3, 2, 2}, options());
  expect_close(conv2d(x2.cuda(), w2.cuda(), std::nullopt, 1, "same"),
               conv2d(x2, w2, std::nullopt, 1, "same"), name + " conv2d 'same', even kernel");
  const Tensor x1 = randn({2, 2, 9}, options());
  const Tensor w1 = randn({3, 2, 4}, options());
  expect_close(conv1d(x1.cuda(), w1.cuda(), std::nullopt, 1, "same"),
               conv1d(x1, w1, std::nullopt, 1, "same"), name + " conv1d 'same', kernel 4");

  // Every pass, with a stride on the evenly padded dim.
  const ConvGeometry geometry{{1, 2}, {1, 1}, {0, 1}, {1, 1}, 1};
  const Tensor x = randn({2, 3, 6, 7}, options());
  const Tensor w = randn({4, 3, 2, 3}, options());
  const Tensor y = randn({2, 4, 6, 4}, options());
  expect_pass_matches(ConvPass::Forward, geometry, x, w, y.shape(), name + " uneven forward");
  expect_pass_matches(ConvPass::BackwardData, geometry, y, w, x.shape(),
                      name + " uneven data gradient");
  expect_pass_matches(ConvPass::BackwardWeight, geometry, x, y, w.shape(),
                      name + " uneven weight gradient");
}

TEST(CudnnConvolutionErrors, UnevenPaddingOffTheStrideHasNoKernel) {
  if (skip_without_cudnn()) GTEST_SKIP() << kSkip;
  const ConvGeometry geometry{{2}, {1}, {0}, {1}, 1};
  const Tensor x = randn({1, 2, 8}).cuda();
  const Tensor w = randn({3, 2, 2}).cuda();
  Tensor y = empty({1, 3, 4}, TensorOptions(kFloat32).device(Device(kCUDA)));
  try {
    run(Convolution(ConvPass::Forward, geometry), {x, w}, {y});
    FAIL() << "no error";
  } catch (const NotImplementedError& error) {
    EXPECT_NE(std::string(error.what()).find("has no CUDA kernel"), std::string::npos)
        << error.what();
  }
}

TEST(CudnnConvolutionErrors, EmptyInputGivesZeros) {
  if (skip_without_cudnn()) GTEST_SKIP() << kSkip;
  const Tensor w = randn({3, 0, 2, 2}).cuda();
  const Tensor x = randn({2, 0, 5, 5}).cuda();
  const Tensor y = conv2d(x, w);
  EXPECT_TRUE(equal(y.cpu(), zeros({2, 3, 4, 4})));
}

}  // namespace
}  // namespace ember
