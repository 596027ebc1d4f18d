// eval_cpu of ScaledDotProductAttention and its backward: the layout of the call (sizes, the
// mask's per-problem offsets and strides), then the kernel of the instruction set the kernel
// table uses (attention_kernels.inc).
#include <vector>

#include "ember/backend/cpu/attention_kernels.h"
#include "ember/backend/cpu/kernel_table.h"
#include "ember/ops/primitives_attention.h"

namespace ember {
namespace {

// The call's sizes, scale, causality and dropout; with a mask (expanded to (batch..., L, S)), the
// offset of each problem's (L, S) slice from the mask's first element in `offsets`, which must
// outlive the returned shape.
template <class Attention>
cpu::AttentionShape attention_shape(const Attention& op, const Tensor& q, const Tensor& k,
                                    const Tensor& v, const Tensor* mask,
                                    std::vector<int64_t>& offsets) {
  cpu::AttentionShape shape{
      q.size(0), q.size(1), k.size(1), q.size(2), v.size(2), op.scale(),     op.is_causal(),
      nullptr,   nullptr,   0,         0,         false,     op.dropout_p(), op.dropout_state()};
  if (mask == nullptr) return shape;
  const int64_t batch_dims = mask->dim() - 2;
  offsets.assign(static_cast<size_t>(shape.batch), 0);
  // Row-major over the batch dims: problem b's offset from problem b - 1's, by carrying.
  std::vector<int64_t> index(static_cast<size_t>(batch_dims), 0);
  for (int64_t b = 1; b < shape.batch; ++b) {
    int64_t offset = offsets[static_cast<size_t>(b - 1)];
    for (int64_t d = batch_dims - 1; d >= 0; --d) {
      offset += mask->stride(d);
      if (++index[static_cast<size_t>(d)] < mask->size(d)) break;
      offset -= mask->stride(d) * mask->size(d);
      index[static_cast<size_t>(d)] = 0;
    }
    offsets[static_cast<size_t>(b)] = offset;
  }
  shape.mask = mask->data_ptr();
  shape.mask_offsets = offsets.data();
  shape.mask_row_stride = mask->stride(-2);
  shape.mask_col_stride = mask->stride(-1);
  shape.mask_is_bool = mask->dtype() == kBool;
  return shape;
}

template <typename Kernels>
const Kernels& for_capability(const Kernels& generic, const Kernels& avx2, const Kernels& avx512) {
  switch (cpu::kernels().capability) {
    case cpu::CpuCapability::Avx512:
      return avx512;
    case cpu::CpuCapability::Avx2:
      return avx2;
    case cpu::CpuCapability::Default:
      return generic;
  }
  return generic;
}

// One ISA's four kernels, as function pointers.
struct AttentionKernels {
  cpu::AttentionForwardKernel<float> forward_f32;
  cpu::AttentionForwardKernel<double> forward_f64;
  cpu::AttentionBackwardKernel<float> backward_f32;
  cpu::AttentionBackwardKernel<double> backward_f64;
};

#define EMBER_ATTENTION_KERNELS(isa)                                                           \
  AttentionKernels {                                                                           \
    &cpu::isa::attention_forward, &cpu::isa::attention_forward, &cpu::isa::attention_backward, \
        &cpu::isa::attention_backward                                                          \
  }

const AttentionKernels& attention_kernels() {
  static const AttentionKernels generic = EMBER_ATTENTION_KERNELS(generic);
  static const AttentionKernels avx2 = EMBER_ATTENTION_KERNELS(avx2);
  static const AttentionKernels avx512 = EMBER_ATTENTION_KERNELS(avx512);
  return for_capability(generic, avx2, avx512);
}
#undef EMBER_ATTENTION_KERNELS

}  // namespace

void ScaledDotProductAttention::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor &q = inputs[0], &k = inputs[1], &v = inputs[2];
  std::vector<int64_t> offsets;
  const cpu::AttentionShape shape =
      attention_shape(*this, q, k, v, has_mask_ ? &inputs[3] : nullptr, offsets);
  const AttentionKernels& kernels = attention_kernels();
  if (q.dtype() == kFloat32) {
    kernels.forward_f32(shape, q.data_ptr<float>(), k.data_ptr<float>(), v.data_ptr<float>(),
                        outputs[0].data_ptr<float>(), outputs[1].data_ptr<float>());
  } else {
    kernels.forward_f64(shape, q.data_ptr<double>(), k.data_ptr<double>(), v.data_ptr<double>(),
                        outputs[0].data_ptr<double>(), outputs[1].data_ptr<double>());
  }
}

void ScaledDotProductAttentionBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor &grad_out = inputs[0], &q = inputs[1], &k = inputs[2], &v = inputs[3];
  const Tensor &out = inputs[4], &lse = inputs[5];
  std::vector<int64_t> offsets;
  const cpu::AttentionShape shape =
      attention_shape(*this, q, k, v, has_mask_ ? &inputs[6] : nullptr, offsets);
  const AttentionKernels& kernels = attention_kernels();
  if (q.dtype() == kFloat32) {
    kernels.backward_f32(shape, grad_out.data_ptr<float>(), q.data_ptr<float>(),
                         k.data_ptr<float>(), v.data_ptr<float>(), out.data_ptr<float>(),
                         lse.data_ptr<float>(), outputs[0].data_ptr<float>(),
                         outputs[1].data_ptr<float>(), outputs[2].data_ptr<float>());
  } else {
    kernels.backward_f64(shape, grad_out.data_ptr<double>(), q.data_ptr<double>(),
                         k.data_ptr<double>(), v.data_ptr<double>(), out.data_ptr<double>(),
                         lse.data_ptr<double>(), outputs[0].data_ptr<double>(),
                         outputs[1].data_ptr<double>(), outputs[2].data_ptr<double>());
  }
}

}  // namespace ember
