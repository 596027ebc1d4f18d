// eval_cpu of the normalization primitives: the kernels of the instruction set the kernel table
// uses (nn_norm_kernels.inc).
#include "ember/backend/cpu/kernel_table.h"
#include "ember/backend/cpu/nn_norm_kernels.h"

namespace ember {
namespace {

const cpu::NormKernels& norm_kernels() {
  static const cpu::NormKernels table = [] {
    switch (cpu::kernels().capability) {
      case cpu::CpuCapability::Avx512:
        return cpu::avx512::norm_kernels();
      case cpu::CpuCapability::Avx2:
        return cpu::avx2::norm_kernels();
      case cpu::CpuCapability::Default:
        break;
    }
    return cpu::generic::norm_kernels();
  }();
  return table;
}

}  // namespace

void LayerNorm::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  norm_kernels().layer_norm(*this, inputs, outputs);
}

void LayerNormBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  norm_kernels().layer_norm_backward(*this, inputs, outputs);
}

void BatchNorm::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  norm_kernels().batch_norm(*this, inputs, outputs);
}

void BatchNormBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  norm_kernels().batch_norm_backward(*this, inputs, outputs);
}

void GroupNorm::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  norm_kernels().group_norm(*this, inputs, outputs);
}

void GroupNormBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  norm_kernels().group_norm_backward(*this, inputs, outputs);
}

}  // namespace ember
