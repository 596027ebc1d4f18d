// cuBLAS handles, one per (device, thread) (thread_handles.h), and cuBLAS's errors.
#pragma once

#include <cublas_v2.h>

#include <string_view>

namespace ember::cuda {

// Turns a cuBLAS status into ember's typed errors: CUBLAS_STATUS_ALLOC_FAILED is an
// OutOfMemoryError, anything else a RuntimeError naming the call and cuBLAS's message.
void check_cublas(cublasStatus_t status, std::string_view call);

// The calling thread's handle on `device`, bound to the thread's current stream there (the
// default stream until set). `device` must be current (a runtime::DeviceScope).
cublasHandle_t cublas_handle(int device);

}  // namespace ember::cuda

#define EMBER_CUBLAS_CHECK(call) ::ember::cuda::check_cublas((call), #call)
