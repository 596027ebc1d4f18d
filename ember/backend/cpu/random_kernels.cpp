// CPU random fills: each Philox block is generated once and spread over the k elements it feeds
// (layout in random_kernels.h). Blocks are independent, so any split over threads gives the
// same bits.
#include "ember/backend/cpu/random_kernels.h"

#include <algorithm>

namespace ember::cpu {
namespace {

// Below this many elements a fill finishes faster than the threads wake up.
constexpr int64_t kParallelGrain = int64_t{1} << 16;

// Calls fill(words, first, count) for every block: elements [first, first + count) come from
// `words`; count < per_block only for the last block.
template <class Fill>
void for_each_block(int64_t n, int64_t per_block, PhiloxState state, const Fill& fill) {
  const int64_t blocks = n / per_block + (n % per_block != 0 ? 1 : 0);
#pragma omp parallel for schedule(static) if (n >= kParallelGrain)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t first = b * per_block;
    fill(philox_block(state.seed, state.offset, static_cast<uint64_t>(b)), first,
         std::min(per_block, n - first));
  }
}

}  // namespace

void fill_uniform_f32(float* out, int64_t n, float low, float high, PhiloxState state) {
  for_each_block(n, 4, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    for (int64_t k = 0; k < count; ++k) out[first + k] = uniform_f32(words.w[k], low, high);
  });
}

void fill_uniform_f64(double* out, int64_t n, double low, double high, PhiloxState state) {
  for_each_block(n, 2, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    for (int64_t k = 0; k < count; ++k) {
      out[first + k] = uniform_f64(words.w[2 * k], words.w[2 * k + 1], low, high);
    }
  });
}

void fill_normal_f32(float* out, int64_t n, float mean, float stddev, PhiloxState state) {
  for_each_block(n, 4, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    const FloatPair a = normal_pair_f32(words.w[0], words.w[1]);
    const FloatPair b = normal_pair_f32(words.w[2], words.w[3]);
    const float z[4] = {a.first, a.second, b.first, b.second};
    for (int64_t k = 0; k < count; ++k) out[first + k] = mean + stddev * z[k];
  });
}

void fill_normal_f64(double* out, int64_t n, double mean, double stddev, PhiloxState state) {
  for_each_block(n, 2, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    const DoublePair pair = normal_pair_f64(words);
    out[first] = mean + stddev * pair.first;
    if (count > 1) out[first + 1] = mean + stddev * pair.second;
  });
}

void fill_bernoulli_f32(float* out, int64_t n, double p, PhiloxState state) {
  for_each_block(n, 4, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    for (int64_t k = 0; k < count; ++k) out[first + k] = bernoulli_f32(words.w[k], p);
  });
}

void fill_randint_i64(int64_t* out, int64_t n, int64_t low, int64_t high, PhiloxState state) {
  for_each_block(n, 2, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    for (int64_t k = 0; k < count; ++k) {
      out[first + k] = randint_i64(words.w[2 * k], words.w[2 * k + 1], low, high);
    }
  });
}

}  // namespace ember::cpu
