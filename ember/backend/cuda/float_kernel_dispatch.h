// The dispatch of the float-only kernels (normalisation, pooling, resampling, layer norm, losses):
// float32 and float64, the dtypes their eval_cpu admits, with 32- or 64-bit offsets where the
// kernel has both.
#pragma once

#include <cstdint>
#include <string_view>

#include "ember/base/error.h"
#include "ember/tensor/dtype.h"

namespace ember::cuda {

// f(dtype tag) with a null pointer to T (float or double); other dtypes raise "[op] has no CUDA
// kernel".
template <typename F>
void visit_float_dtype(std::string_view op, ScalarType dtype, F&& f) {
  if (dtype == ScalarType::Float32) return f(static_cast<float*>(nullptr));
  if (dtype == ScalarType::Float64) return f(static_cast<double*>(nullptr));
  raise_no_kernel(op, "CUDA");
}

// f(dtype tag, index tag), the index tag a null pointer to the offset type (int32_t where
// fits_32bit, else int64_t).
template <typename F>
void visit_float_kernel(std::string_view op, ScalarType dtype, bool fits_32bit, F&& f) {
  visit_float_dtype(op, dtype, [&](auto* dtype_tag) {
    if (fits_32bit) return f(dtype_tag, static_cast<int32_t*>(nullptr));
    f(dtype_tag, static_cast<int64_t*>(nullptr));
  });
}

}  // namespace ember::cuda
