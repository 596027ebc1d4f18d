// eval_cpu of Softmax: the kernel of the instruction set the kernel table uses
// (nn_softmax_kernels.inc).
#include "ember/backend/cpu/kernel_table.h"
#include "ember/backend/cpu/nn_softmax_kernels.h"
#include "ember/ops/primitives_nn.h"

namespace ember {
namespace {

cpu::SoftmaxKernel softmax_kernel_for(cpu::CpuCapability capability) {
  switch (capability) {
    case cpu::CpuCapability::Avx512:
      return &cpu::avx512::softmax_kernel;
    case cpu::CpuCapability::Avx2:
      return &cpu::avx2::softmax_kernel;
    case cpu::CpuCapability::Default:
      return &cpu::generic::softmax_kernel;
  }
  return &cpu::generic::softmax_kernel;
}

}  // namespace

void Softmax::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  static const cpu::SoftmaxKernel kernel = softmax_kernel_for(cpu::kernels().capability);
  kernel(inputs[0], outputs[0], dim_, log_);
}

}  // namespace ember
