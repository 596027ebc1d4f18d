// RandomFill's Multinomial draws on the CUDA device as a composite of ember ops, on the Philox
// elements the CPU kernel (backend/cpu random_kernels.h, multinomial_f64) reads, so one
// PhiloxState draws the CPU's categories up to rounding:
//   with replacement: the uniform of element r * samples + s (a [0, 1) fill plus 2^-54, which is
//     exactly the CPU's uniform in (0, 1)) times the row's total, located in the row's cumulative
//     sums by searchsorted (right side: the first sum above it); a target rounded up to the total
//     takes the row's last category of positive weight. The device's cumsum adds in another order
//     than the CPU's sequential sum, so a target within rounding of a boundary may fall on the
//     other side of it.
//   without replacement (Efraimidis-Spirakis, the exponential race): the `samples` largest keys
//     log(u_c) / w_c, largest first, with -log(u_c) the Exponential(1) fill of element
//     r * categories + c (the CPU's key bit for bit where the device's log is the CPU's), by topk;
//     zero weights never win (-inf keys, and the op layer checks there are enough positive ones).
// Device-neutral: random.cu runs it for CUDA tensors, kernel_emulation_sampling_test.cpp on CPU
// tensors against eval_cpu. It reads no value on the host and records no history.
#pragma once

#include "ember/ops/primitives.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

// weights: contiguous float64 (rows, categories), valid as the op layer checks; out: contiguous
// int64 (rows, samples). fill.a() != 0 samples with replacement.
void multinomial_composite(const RandomFill& fill, const Tensor& weights, const Tensor& out);

}  // namespace ember::cuda
