// eval_cpu of the elementwise primitives: build the plan, pick the loop for the dtype, run.
#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ember/backend/cpu/kernel_table.h"
#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// The unsigned integer of T's size, through which where selects bits (void where none fits).
template <typename T>
using SelectBits = std::conditional_t<
    sizeof(T) == 1, uint8_t,
    std::conditional_t<sizeof(T) == 2, uint16_t,
                       std::conditional_t<sizeof(T) == 4, uint32_t,
                                          std::conditional_t<sizeof(T) == 8, uint64_t, void>>>>;

// take ? x : y without a jump: a data-dependent branch (a relu mask is a coin toss per element)
// costs a misprediction every other element, and the compiler turns a plain ?: back into one.
// Selecting the bits through a mask also keeps every value, NaN payloads included, exact. The
// condition is read as its byte (non-zero: true), which unlike bool widens in vector code.
template <typename T>
T select(uint8_t take, T x, T y) {
  using Bits = SelectBits<T>;
  if constexpr (std::is_void_v<Bits>) {
    return take != 0 ? x : y;
  } else {
    const Bits mask = take != 0 ? static_cast<Bits>(~Bits(0)) : Bits(0);
    const Bits bits = static_cast<Bits>((std::bit_cast<Bits>(x) & mask) |
                                        (std::bit_cast<Bits>(y) & static_cast<Bits>(~mask)));
    return std::bit_cast<T>(bits);
  }
}

// The contiguous forms (x, y each dense or a broadcast scalar: the relu backward's shape) are
// separate instances so that the compiler vectorizes them.
template <typename T, int64_t XStep, int64_t YStep>
void where_contiguous(T* out, const uint8_t* condition, const T* x, const T* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = select(condition[i], x[i * XStep], y[i * YStep]);
}

template <typename T>
void where_loop(char** data, const int64_t* strides, int64_t n, LoopArgs) {
  const auto dense_or_scalar = [](int64_t stride) { return stride == 0 || stride == sizeof(T); };
  if (strides[0] == sizeof(T) && strides[1] == sizeof(bool) && dense_or_scalar(strides[2]) &&
      dense_or_scalar(strides[3])) {
    T* out = reinterpret_cast<T*>(data[0]);
    const auto* condition = reinterpret_cast<const uint8_t*>(data[1]);
    const T* x = reinterpret_cast<const T*>(data[2]);
    const T* y = reinterpret_cast<const T*>(data[3]);
    const bool x_dense = strides[2] != 0;
    const bool y_dense = strides[3] != 0;
    if (x_dense && y_dense) return where_contiguous<T, 1, 1>(out, condition, x, y, n);
    if (y_dense) return where_contiguous<T, 0, 1>(out, condition, x, y, n);
    if (x_dense) return where_contiguous<T, 1, 0>(out, condition, x, y, n);
    return where_contiguous<T, 0, 0>(out, condition, x, y, n);
  }
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t take_x = *reinterpret_cast<const uint8_t*>(data[1] + i * strides[1]);
    const T x = *reinterpret_cast<const T*>(data[2] + i * strides[2]);
    const T y = *reinterpret_cast<const T*>(data[3] + i * strides[3]);
    *reinterpret_cast<T*>(data[0] + i * strides[0]) = select(take_x, x, y);
  }
}

template <typename T>
void add_scaled_loop(char** data, const int64_t* strides, int64_t n, LoopArgs args) {
  const T alpha = *static_cast<const T*>(args.context);
  if (strides[0] == sizeof(T) && strides[1] == sizeof(T) && strides[2] == sizeof(T)) {
    T* out = reinterpret_cast<T*>(data[0]);
    const T* a = reinterpret_cast<const T*>(data[1]);
    const T* b = reinterpret_cast<const T*>(data[2]);
    for (int64_t i = 0; i < n; ++i) out[i] = std::fma(alpha, b[i], a[i]);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    *reinterpret_cast<T*>(data[0] + i * strides[0]) =
        std::fma(alpha, *reinterpret_cast<const T*>(data[2] + i * strides[2]),
                 *reinterpret_cast<const T*>(data[1] + i * strides[1]));
  }
}

template <typename To, typename From>
void cast_loop(char** data, const int64_t* strides, int64_t n, LoopArgs) {
  if (strides[0] == sizeof(To) && strides[1] == sizeof(From)) {
    To* out = reinterpret_cast<To*>(data[0]);
    const From* in = reinterpret_cast<const From*>(data[1]);
    for (int64_t i = 0; i < n; ++i) out[i] = convert<To>(in[i]);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    *reinterpret_cast<To*>(data[0] + i * strides[0]) =
        convert<To>(*reinterpret_cast<const From*>(data[1] + i * strides[1]));
  }
}

template <typename T>
void fill_loop(char** data, const int64_t* strides, int64_t n, LoopArgs args) {
  const T value = *static_cast<const T*>(args.context);
  if (strides[0] == sizeof(T)) {
    T* out = reinterpret_cast<T*>(data[0]);
    for (int64_t i = 0; i < n; ++i) out[i] = value;
    return;
  }
  for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(data[0] + i * strides[0]) = value;
}

struct RangeParameters {
  double start, step;
};

template <typename T>
void range_loop(char** data, const int64_t* strides, int64_t n, LoopArgs args) {
  const auto& range = *static_cast<const RangeParameters*>(args.context);
  for (int64_t i = 0; i < n; ++i) {
    const double value = range.start + static_cast<double>(args.first + i) * range.step;
    *reinterpret_cast<T*>(data[0] + i * strides[0]) = convert<T>(value);
  }
}

}  // namespace

void UnaryPrimitive::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  const Tensor& y = outputs[0];
  ElementwiseLoop loop = cpu::kernels().unary[static_cast<int>(op_)][static_cast<int>(x.dtype())];
  EMBER_CHECK(loop != nullptr, "[", name(), "] not implemented for '", x.dtype(), "'");
  ElementwisePlan({&y, &x}).run(loop, kGrain);
}

void BinaryPrimitive::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& a = inputs[0];
  const Tensor& b = inputs[1];
  const Tensor& y = outputs[0];
  ElementwiseLoop loop = cpu::kernels().binary[static_cast<int>(op_)][static_cast<int>(a.dtype())];
  EMBER_CHECK(loop != nullptr, "[", name(), "] not implemented for '", a.dtype(), "'");
  ElementwisePlan({&y, &a, &b}).run(loop, kGrain);
}

void AddScaled::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& y = outputs[0];
  if (y.dtype() == kFloat32) {
    const float alpha = static_cast<float>(alpha_);
    ElementwisePlan({&y, &inputs[0], &inputs[1]}).run(&add_scaled_loop<float>, kGrain, &alpha);
    return;
  }
  EMBER_CHECK(y.dtype() == kFloat64, "[", name(), "] internal: alpha kernel for '", y.dtype(), "'");
  ElementwisePlan({&y, &inputs[0], &inputs[1]}).run(&add_scaled_loop<double>, kGrain, &alpha_);
}

void Where::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& y = outputs[0];
  ElementwiseLoop loop = visit_dtype(y.dtype(), [](auto tag) -> ElementwiseLoop {
    return &where_loop<typename decltype(tag)::type>;
  });
  ElementwisePlan({&y, &inputs[0], &inputs[1], &inputs[2]}).run(loop, kGrain);
}

void Copy::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& src = inputs[0];
  const Tensor& dst = outputs[0];
  ElementwiseLoop loop = visit_dtype(dst.dtype(), [&](auto to_tag) {
    return visit_dtype(src.dtype(), [](auto from_tag) -> ElementwiseLoop {
      return &cast_loop<typename decltype(to_tag)::type, typename decltype(from_tag)::type>;
    });
  });
  ElementwisePlan({&dst, &src}).run(loop, kGrain);
}

void Fill::eval_cpu(TensorSpan, TensorSpan outputs) const {
  const Tensor& out = outputs[0];
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T value =
        value_.is_floating_point() ? convert<T>(value_.to_double()) : convert<T>(value_.to_int64());
    ElementwisePlan({&out}).run(&fill_loop<T>, kGrain, &value);
  });
}

void Range::eval_cpu(TensorSpan, TensorSpan outputs) const {
  const Tensor& out = outputs[0];
  const RangeParameters range{start_, step_};
  ElementwiseLoop loop = visit_dtype(out.dtype(), [](auto tag) -> ElementwiseLoop {
    return &range_loop<typename decltype(tag)::type>;
  });
  ElementwisePlan({&out}).run(loop, kGrain, &range);
}

}  // namespace ember
