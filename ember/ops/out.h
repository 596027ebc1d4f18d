// out=: writing an op's result into a tensor the caller gives (PyTorch's `out=` argument,
// libtorch's `*_out` functions), with one contract for every op (RELIABILITY T10, B23, B17):
//   - out lives on the inputs' device (B5);
//   - the result does not require grad (it does when grad mode is on and a differentiable op
//     has an input that requires grad): out= records no graph, so it refuses rather than
//     silently dropping the history, as PyTorch does; an out that is a leaf requiring grad is
//     refused by the copy (B21) under grad mode;
//   - the result's dtype can be cast to out's (B4; a float result cannot go into an int64 out);
//   - out is resized to the result's shape when they differ: silently when out is empty, with a
//     warning when it held elements (PyTorch's deprecated behaviour, kept for compatibility);
//   - out has no internal overlap (B16) and shares no memory with an input except by being
//     exactly that input (B17);
//   - then the values are copied (cast) into out, written through its strides, and out is
//     returned.
// The op computes its result first and the copy comes second, so an out aliasing an input
// exactly is always well defined. Adding out= to an op: `out_call(op, out, {inputs}, [&] { return
// op(inputs...); })` in C++, and in its binding the helpers of python/src/out.h
// (docs/adding_an_op.md).
#pragma once

#include <optional>
#include <string_view>

#include "ember/base/array_ref.h"
#include "ember/tensor/tensor.h"

namespace ember {

// The check that comes before computing: out is on the inputs' device.
void check_out(std::string_view op, const Tensor& out, ArrayRef<Tensor> inputs);
// The rest of the contract: autograd, cast rule, resize, overlap, copy. Returns out.
Tensor& write_out(std::string_view op, const Tensor& result, Tensor& out, ArrayRef<Tensor> inputs);
// The resize step: out takes `shape`, silently when empty, else with the deprecation warning.
void resize_out(std::string_view op, Tensor& out, const Shape& shape);

// check_out, compute(), write_out.
template <typename Compute>
Tensor& out_call(std::string_view op, Tensor& out, ArrayRef<Tensor> inputs, Compute&& compute) {
  check_out(op, out, inputs);
  return write_out(op, compute(), out, inputs);
}

// ---------------------------------------------------------------- libtorch's *_out functions
// The output comes first, as in libtorch: torch::add_out(out, a, b).
#define EMBER_UNARY_OP(name, Name, rule) Tensor& name##_out(Tensor& out, const Tensor& x);
#include "ember/tensor/unary_ops.def"
#undef EMBER_UNARY_OP
#define EMBER_BINARY_OP(name, Name, rule) \
  Tensor& name##_out(Tensor& out, const Tensor& a, const Tensor& b);
#include "ember/tensor/binary_ops.def"
#undef EMBER_BINARY_OP
Tensor& add_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha);
Tensor& sub_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha);
Tensor& div_out(Tensor& out, const Tensor& a, const Tensor& b,
                std::optional<std::string_view> rounding_mode);
Tensor& where_out(Tensor& out, const Tensor& condition, const Tensor& x, const Tensor& y);
Tensor& clamp_out(Tensor& out, const Tensor& x, std::optional<Scalar> min,
                  std::optional<Scalar> max = std::nullopt);
Tensor& sum_out(Tensor& out, const Tensor& x, IntArrayRef dims = {}, bool keepdim = false,
                std::optional<ScalarType> dtype = std::nullopt);
Tensor& mean_out(Tensor& out, const Tensor& x, IntArrayRef dims = {}, bool keepdim = false,
                 std::optional<ScalarType> dtype = std::nullopt);
Tensor& mm_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor& bmm_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor& mv_out(Tensor& out, const Tensor& mat, const Tensor& vec);
Tensor& dot_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor& outer_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor& addmm_out(Tensor& out, const Tensor& input, const Tensor& mat1, const Tensor& mat2,
                  const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor& index_select_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index);
Tensor& masked_select_out(Tensor& out, const Tensor& self, const Tensor& mask);

}  // namespace ember
