#include "ember/backend/cuda/runtime/cublas_handle.h"

#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/backend/cuda/runtime/thread_handles.h"
#include "ember/base/error.h"

namespace ember::cuda {
namespace {

cublasHandle_t create_cublas_handle() {
  cublasHandle_t handle = nullptr;
  EMBER_CUBLAS_CHECK(cublasCreate(&handle));
  return handle;
}

}  // namespace

void check_cublas(cublasStatus_t status, std::string_view call) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  if (status == CUBLAS_STATUS_ALLOC_FAILED) {
    ember::detail::raise<OutOfMemoryError>("[cublas] ", call,
                                           " failed: ", cublasGetStatusString(status));
  }
  ember::detail::raise<RuntimeError>("[cublas] ", call, " failed: ", cublasGetStatusName(status),
                                     " (", cublasGetStatusString(status), ")");
}

cublasHandle_t cublas_handle(int device) {
  const cublasHandle_t handle = thread_handle(device, &create_cublas_handle);
  // Every call: the thread's current stream may have changed since the last one. (This also
  // resets cuBLAS's workspace to the handle's default one.)
  EMBER_CUBLAS_CHECK(
      cublasSetStream(handle, static_cast<cudaStream_t>(runtime::current_stream(device))));
  return handle;
}

}  // namespace ember::cuda
