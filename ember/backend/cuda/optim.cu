// The CUDA kernels of the fused optimizer ops: the multi-tensor step of optim_kernels.cuh,
// registered per algorithm in ops/cuda_optim_kernels.h (Note [CUDA optimizer steps]). Built with
// --fmad=false (ember/CMakeLists.txt): the CPU loop has no fused multiply-adds, so the device's
// steps round as the CPU's do.
#include "ember/backend/cuda/device_launch.cuh"
#include "ember/backend/cuda/optim_kernels.cuh"
#include "ember/ops/cuda_optim_kernels.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember::cuda {
namespace {

template <typename Update>
void optim_kernel(const optim_detail::ParamArrays& arrays, const void* update,
                  const void* coefficients) {
  const DeviceGuard guard(arrays.device().index());
  run_multi_tensor(arrays, *static_cast<const Update*>(update),
                   static_cast<const typename Update::Coefficients*>(coefficients), DeviceLaunch{});
}

template <typename Update>
void register_optim_kernel() {
  register_cuda_optim_kernel(Update::kAlgorithm, &optim_kernel<Update>);
}

const bool registered = [] {
  register_optim_kernel<optim_detail::SgdUpdate>();
  register_optim_kernel<optim_detail::AdamUpdate>();
  register_optim_kernel<optim_detail::AdagradUpdate>();
  register_optim_kernel<optim_detail::AdadeltaUpdate>();
  register_optim_kernel<optim_detail::AdamaxUpdate>();
  register_optim_kernel<optim_detail::ASGDUpdate>();
  register_optim_kernel<optim_detail::NAdamUpdate>();
  register_optim_kernel<optim_detail::RAdamUpdate>();
  register_optim_kernel<optim_detail::RMSpropUpdate>();
  register_optim_kernel<optim_detail::RpropUpdate>();
  return true;
}();

}  // namespace
}  // namespace ember::cuda
