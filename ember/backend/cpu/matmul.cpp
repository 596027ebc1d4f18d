// eval_cpu of Matmul: one GEMM call per matrix of the batch, with each operand's layout passed
// as a transpose flag and leading dimension instead of being copied.
#include "ember/backend/cpu/gemm.h"
#include "ember/base/error.h"
#include "ember/base/strided_walk.h"
#include "ember/ops/primitives.h"

namespace ember {
namespace {

// Every operand has a layout: ops/linalg.cpp copies the others (gemm_operand).
GemmLayout layout_of(const Tensor& t) {
  const std::optional<GemmLayout> layout = gemm_layout(t);
  if (!layout)
    detail::raise<RuntimeError>("[matmul] internal: operand layout is not GEMM-compatible");
  return *layout;
}

template <typename T, typename Scale, typename Gemm>
void batched(const Tensor& a, const Tensor& b, const Tensor& c, Scale alpha, Scale beta,
             Gemm gemm) {
  const int64_t m = c.size(-2), n = c.size(-1), k = a.size(-1);
  const GemmLayout layout_a = layout_of(a);
  const GemmLayout layout_b = layout_of(b);
  // The batch dims, innermost first, with each operand's element strides, walked in C's order.
  SmallVector<StridedDim<3>, 6> batch_dims;
  int64_t batch = 1;
  for (int64_t d = c.dim() - 3; d >= 0; --d) {
    batch_dims.push_back({c.size(d), {a.stride(d), b.stride(d), c.stride(d)}});
    batch *= c.size(d);
  }
  coalesce_dims(batch_dims);
  StridedWalker<3> position(batch_dims, 0);
  for (int64_t index = 0; index < batch; ++index, position.next()) {
    gemm(layout_a.transposed, layout_b.transposed, m, n, k, alpha,
         a.data_ptr<T>() + position.offset(0), layout_a.leading,
         b.data_ptr<T>() + position.offset(1), layout_b.leading, beta,
         c.data_ptr<T>() + position.offset(2), n);
  }
}

}  // namespace

void Matmul::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& a = inputs[0];
  const Tensor& b = inputs[1];
  const Tensor& c = outputs[0];
  const float alpha_f = static_cast<float>(alpha_), beta_f = static_cast<float>(beta_);
  const auto alpha_i = static_cast<int64_t>(alpha_), beta_i = static_cast<int64_t>(beta_);
  switch (c.dtype()) {
    case ScalarType::Float32:
      return batched<float>(a, b, c, alpha_f, beta_f, cpu::gemm_f32);
    case ScalarType::Float64:
      return batched<double>(a, b, c, alpha_, beta_, cpu::gemm_f64);
    case ScalarType::Float16:
      return batched<Half>(a, b, c, alpha_f, beta_f, cpu::gemm_f16);
    case ScalarType::BFloat16:
      return batched<BFloat16>(a, b, c, alpha_f, beta_f, cpu::gemm_bf16);
    case ScalarType::Int64:
      return batched<int64_t>(a, b, c, alpha_i, beta_i, cpu::gemm_i64);
    case ScalarType::Int32:
      return batched<int32_t>(a, b, c, alpha_i, beta_i, cpu::gemm_i32);
    case ScalarType::Int16:
      return batched<int16_t>(a, b, c, alpha_i, beta_i, cpu::gemm_i16);
    case ScalarType::Int8:
      return batched<int8_t>(a, b, c, alpha_i, beta_i, cpu::gemm_i8);
    case ScalarType::UInt8:
      return batched<uint8_t>(a, b, c, alpha_i, beta_i, cpu::gemm_u8);
    case ScalarType::Bool:
      break;
  }
  detail::raise<RuntimeError>("[matmul] not implemented for 'bool'");
}

}  // namespace ember
