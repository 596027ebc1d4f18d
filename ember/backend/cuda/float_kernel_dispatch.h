// The dispatch of the normalisation, pooling and resampling kernels (norm_kernels.cuh,
// pool_kernels.cuh, upsample_kernels.cuh): float32 and float64, the dtypes their eval_cpu admits,
// each with 32- or 64-bit offsets.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/base/error.h"
#include "ember/tensor/dtype.h"

namespace ember::cuda {

// f(dtype tag, index tag) with null pointers to T (float or double) and to the offset type
// (int32_t where fits_32bit, else int64_t); other dtypes raise "[op] has no CUDA kernel".
template <typename F>
void visit_float_kernel(std::string_view op, ScalarType dtype, bool fits_32bit, F&& f) {
  const auto with_index = [&](auto* dtype_tag) {
    if (fits_32bit) return f(dtype_tag, static_cast<int32_t*>(nullptr));
    f(dtype_tag, static_cast<int64_t*>(nullptr));
  };
  if (dtype == ScalarType::Float32) return with_index(static_cast<float*>(nullptr));
  if (dtype == ScalarType::Float64) return with_index(static_cast<double*>(nullptr));
  raise_no_kernel(op, "CUDA");
}

}  // namespace ember::cuda
