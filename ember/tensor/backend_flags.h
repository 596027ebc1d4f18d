// The process-wide switches of the GPU math libraries, as libtorch's at::globalContext() keeps
// them (allowTF32CuBLAS, allowTF32CuDNN, float32MatmulPrecision) and Python's
// torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 and
// torch.set_float32_matmul_precision expose them. They live in the tensor layer, beside the CUDA
// runtime API, so that a CPU-only build has them too (they only steer CUDA kernels).
#pragma once

#include <string>
#include <string_view>

namespace ember {

// How float32 matrix products on CUDA may round their inner products: kHighest keeps float32
// throughout; kHigh and kMedium let cuBLAS use TF32 tensor cores (10-bit mantissas), as PyTorch's
// CUDA matmul does for both.
enum class Float32MatmulPrecision { kHighest, kHigh, kMedium };

Float32MatmulPrecision float32_matmul_precision();
// "highest", "high" or "medium" (any case); another string leaves the setting alone with a
// warning, as PyTorch does.
void set_float32_matmul_precision(std::string_view precision);
// The setting's name: "highest", "high" or "medium".
std::string get_float32_matmul_precision();

// Whether cuBLAS may use TF32 for float32 products: false by default. The same setting as the
// precision above (true means "high"; setting false restores "highest").
bool allow_tf32_cublas();
void set_allow_tf32_cublas(bool allow);

// Whether cuDNN may use TF32 for float32 convolutions: true by default, as in PyTorch.
bool allow_tf32_cudnn();
void set_allow_tf32_cudnn(bool allow);

}  // namespace ember
