// CPU random fills on raw contiguous buffers, the kernels behind the RNG primitives. Element i is
// a pure function of (seed, offset, i), so results are identical for any thread count and match
// a CUDA kernel that uses the same per-element maps from philox.h.
//
// Counter layout: element i of a fill reads Philox block philox_block(seed, offset, i / k), word
// group i % k, where k elements share one block of four 32-bit words:
//   fill_uniform_f32, fill_normal_f32, fill_bernoulli_f32   k = 4, one word per element (normals
//                                                               take words (0,1) and (2,3) as
//                                                               Box-Muller pairs)
//   fill_uniform_f64, fill_randint_i64                      k = 2, words (2j, 2j+1) as hi:lo
//   fill_normal_f64                                          k = 2, the whole block is one pair
// The offset is the high half of the counter, so each offset owns 2^64 blocks and one fill of any
// size consumes exactly one offset: advance by counters_used(n) before the next fill.
//
// Preconditions, checked by the op layer rather than here: n >= 0; finite low <= high (and finite
// high - low for float64); stddev >= 0; low < high for randint. p outside [0, 1] saturates.
#pragma once

#include <cstdint>

#include "ember/base/philox.h"

namespace ember::cpu {

void fill_uniform_f32(float* out, int64_t n, float low, float high, PhiloxState state);
void fill_uniform_f64(double* out, int64_t n, double low, double high, PhiloxState state);
void fill_normal_f32(float* out, int64_t n, float mean, float stddev, PhiloxState state);
void fill_normal_f64(double* out, int64_t n, double mean, double stddev, PhiloxState state);
void fill_bernoulli_f32(float* out, int64_t n, double p, PhiloxState state);
void fill_randint_i64(int64_t* out, int64_t n, int64_t low, int64_t high, PhiloxState state);

}  // namespace ember::cpu
