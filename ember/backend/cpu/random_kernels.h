// CPU random fills on raw contiguous buffers, the kernels behind the RNG primitives. Element i is
// a pure function of (seed, offset, i), so results are identical for any thread count and match
// a CUDA kernel that uses the same per-element maps from philox.h.
//
// Counter layout: element i of a fill reads Philox block philox_block(seed, offset, i / k), word
// group i % k, where k elements share one block of four 32-bit words:
//   fill_uniform_f32, fill_normal_f32, fill_bernoulli_f32   k = 4, one word per element (normals
//                                                               take words (0,1) and (2,3) as
//                                                               Box-Muller pairs)
//   fill_exponential_f32, fill_cauchy_f32                    k = 4, like fill_uniform_f32
//   fill_uniform_f64, fill_randint_i64                      k = 2, words (2j, 2j+1) as hi:lo
//   fill_exponential_f64, fill_cauchy_f64, fill_geometric_f64, fill_randperm_i64: k = 2, the same
//   fill_normal_f64                                          k = 2, the whole block is one pair
//   fill_log_normal_*                                        exp of fill_normal_*'s values
// The samplers with a variable number of draws per element (poisson, multinomial) give element i
// its own blocks (layout beside each).
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
void fill_exponential_f32(float* out, int64_t n, float lambd, PhiloxState state);
void fill_exponential_f64(double* out, int64_t n, double lambd, PhiloxState state);
void fill_cauchy_f32(float* out, int64_t n, float median, float sigma, PhiloxState state);
void fill_cauchy_f64(double* out, int64_t n, double median, double sigma, PhiloxState state);
void fill_log_normal_f32(float* out, int64_t n, float mean, float stddev, PhiloxState state);
void fill_log_normal_f64(double* out, int64_t n, double mean, double stddev, PhiloxState state);
// 0 < p <= 1.
void fill_geometric_f64(double* out, int64_t n, double p, PhiloxState state);
// A uniformly random permutation of 0..n-1: Fisher-Yates (inside-out) over 64-bit draws.
void fill_randperm_i64(int64_t* out, int64_t n, PhiloxState state);
// out[i] ~ Poisson(rates[i]) for finite rates >= 0. Element i reads blocks i * 2^24 + j, j = 0, 1,
// ... as it needs them (two uniforms per block).
void poisson_f64(const double* rates, double* out, int64_t n, PhiloxState state);
// `rows` rows of `categories` finite weights >= 0 (each row with a positive sum, and for sampling
// without replacement at least `samples` positive weights): out (rows x samples) holds category
// indices. With replacement, sample s of row r inverts the row's cumulative sum at the uniform of
// element r * samples + s; without, the row's `samples` largest keys log(u_c) / w_c (u_c the
// uniform of element r * categories + c) in decreasing order (Efraimidis-Spirakis).
void multinomial_f64(const double* weights, int64_t rows, int64_t categories, int64_t samples,
                     bool replacement, int64_t* out, PhiloxState state);
// out[i] ~ Gamma(alpha[i], 1) for finite alpha > 0: Marsaglia and Tsang's squeeze (2000), with
// alpha < 1 drawn as Gamma(alpha + 1) * u^(1 / alpha). Element i reads its own blocks as
// poisson_f64 does. Results are at least the smallest normal double (never 0).
void standard_gamma_f64(const double* alpha, double* out, int64_t n, PhiloxState state);
// d x / d alpha of x ~ Gamma(alpha, 1) at fixed CDF value (implicit reparameterisation): the
// derivative of the regularized lower incomplete gamma P(alpha, x) w.r.t. alpha over its density,
// from the series P = sum_k x^(alpha+k) e^-x / Gamma(alpha+k+1), each term's derivative being
// itself times (log x - digamma(alpha+k+1)); for alpha >= 1000 the Wilson-Hilferty cube-root
// normal approximation at fixed normal score (relative error O(1/alpha)).
void standard_gamma_grad_f64(const double* alpha, const double* x, double* out, int64_t n);
// out[i] ~ Binomial(count[i], prob[i]) for integral count >= 0 and prob in [0, 1]: inversion
// when count * min(p, 1-p) < 10, else Hormann's BTRS ("The generation of binomial random
// variates", 1993). Element i reads its own blocks as poisson_f64 does.
void binomial_f64(const double* count, const double* prob, double* out, int64_t n,
                  PhiloxState state);

}  // namespace ember::cpu
