// The CUDA kernel of the Matmul primitive (mm, bmm, matmul, mv, dot, addmm): cuBLAS's
// strided-batched GEMM over the operands in place (matmul_layout.h: transposed views are read
// with cuBLAS's transpose flag, expanded batch dims with stride 0), on the calling thread's
// current stream. float16 and bfloat16 accumulate in float32; float32 uses TF32 tensor cores only
// when allow_tf32_cublas() (ember/tensor/backend_flags.h) says so. Integer matmul has no CUDA
// kernel, as in PyTorch. A host-API .cpp, so nvcc is not involved.
#include <cublas_v2.h>

#include <cstdint>

#include "ember/backend/cuda/matmul_layout.h"
#include "ember/backend/cuda/runtime/cublas_handle.h"
#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/base/error.h"
#include "ember/ops/cuda_kernels.h"
#include "ember/ops/primitives_linalg.h"
#include "ember/tensor/backend_flags.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {
namespace {

// cuBLAS's element type, accumulation type and the type of alpha and beta for one dtype.
struct GemmTypes {
  cudaDataType data;
  cublasComputeType_t compute;
  bool double_scale;  // alpha and beta are doubles (float64), else floats
};

bool gemm_types(ScalarType dtype, GemmTypes& types) {
  switch (dtype) {
    case ScalarType::Float32:
      types = {CUDA_R_32F, allow_tf32_cublas() ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F,
               false};
      return true;
    case ScalarType::Float64:
      types = {CUDA_R_64F, CUBLAS_COMPUTE_64F, true};
      return true;
    case ScalarType::Float16:
      types = {CUDA_R_16F, CUBLAS_COMPUTE_32F, false};
      return true;
    case ScalarType::BFloat16:
      types = {CUDA_R_16BF, CUBLAS_COMPUTE_32F, false};
      return true;
    default:
      return false;
  }
}

cublasOperation_t operation(const GemmMatrix& matrix) {
  return matrix.transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
}

void matmul_kernel(const Primitive& primitive, TensorSpan inputs, TensorSpan outputs) {
  const auto& matmul = static_cast<const Matmul&>(primitive);
  const Tensor& a = inputs[0];
  const Tensor& b = inputs[1];
  const Tensor& c = outputs[0];
  GemmTypes types{};
  if (!gemm_types(c.dtype(), types)) raise_no_kernel(primitive.name(), "CUDA");
  EMBER_CHECK(a.device() == c.device() && b.device() == c.device(), "[", primitive.name(),
              "] expected every operand on ", c.device(), "; got ", a.device(), " and ",
              b.device());
  if (c.numel() == 0) return;
  const MatmulLayout layout = make_matmul_layout(primitive.name(), a, b, c);

  const double alpha_double = matmul.alpha(), beta_double = matmul.beta();
  const auto alpha_float = static_cast<float>(alpha_double);
  const auto beta_float = static_cast<float>(beta_double);
  const void* alpha = types.double_scale ? static_cast<const void*>(&alpha_double)
                                         : static_cast<const void*>(&alpha_float);
  const void* beta = types.double_scale ? static_cast<const void*>(&beta_double)
                                        : static_cast<const void*>(&beta_float);

  const int device = c.device().index();
  runtime::DeviceScope scope(device);
  cublasHandle_t handle = cublas_handle(device);
  const auto itemsize = static_cast<int64_t>(c.element_size());
  const auto* a_base = static_cast<const char*>(a.data_ptr());
  const auto* b_base = static_cast<const char*>(b.data_ptr());
  auto* c_base = static_cast<char*>(c.data_ptr());
  for_each_gemm_call(layout, [&](int64_t offset_a, int64_t offset_b, int64_t offset_c) {
    EMBER_CUBLAS_CHECK(cublasGemmStridedBatchedEx(
        handle, operation(layout.first), operation(layout.second), static_cast<int>(layout.m),
        static_cast<int>(layout.n), static_cast<int>(layout.k), alpha, b_base + offset_b * itemsize,
        types.data, static_cast<int>(layout.first.leading), layout.first.batch_stride,
        a_base + offset_a * itemsize, types.data, static_cast<int>(layout.second.leading),
        layout.second.batch_stride, beta, c_base + offset_c * itemsize, types.data,
        static_cast<int>(layout.result.leading), layout.result.batch_stride,
        static_cast<int>(layout.batch), types.compute, CUBLAS_GEMM_DEFAULT));
  });
}

const bool registered = [] {
  register_cuda_kernel(PrimitiveKind::Matmul, &matmul_kernel);
  return true;
}();

}  // namespace
}  // namespace ember::cuda
