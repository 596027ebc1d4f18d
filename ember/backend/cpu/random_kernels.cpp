// CPU random fills: each Philox block is generated once and spread over the k elements it feeds
// (layout in random_kernels.h). Blocks are independent, so any split over threads gives the
// same bits.
#include "ember/backend/cpu/random_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "ember/base/parallel.h"
#include "ember/elementwise/sampling_math.h"

namespace ember::cpu {
namespace {

// Below this many elements a fill finishes faster than the threads wake up.
constexpr int64_t kParallelGrain = int64_t{1} << 16;

// Calls fill(words, first, count) for every block: elements [first, first + count) come from
// `words`; count < per_block only for the last block.
template <class Fill>
void for_each_block(int64_t n, int64_t per_block, PhiloxState state, const Fill& fill) {
  const int64_t blocks = n / per_block + (n % per_block != 0 ? 1 : 0);
  // parallel_for, not an OpenMP pragma with an if clause: a small fill then never enters an
  // OpenMP region at all (an if(false) region still builds a one-thread team).
  parallel_for(0, blocks, kParallelGrain / per_block, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) {
      const int64_t first = b * per_block;
      fill(philox_block(state.seed, state.offset, static_cast<uint64_t>(b)), first,
           std::min(per_block, n - first));
    }
  });
}

// fill(hi, lo) for each element, two words per element (k = 2).
template <class T, class Map>
void fill_pairs(T* out, int64_t n, PhiloxState state, const Map& map) {
  for_each_block(n, 2, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    for (int64_t k = 0; k < count; ++k) out[first + k] = map(words.w[2 * k], words.w[2 * k + 1]);
  });
}

// map(word) for each element, one word per element (k = 4).
template <class T, class Map>
void fill_words(T* out, int64_t n, PhiloxState state, const Map& map) {
  for_each_block(n, 4, state, [=](PhiloxWords words, int64_t first, int64_t count) {
    for (int64_t k = 0; k < count; ++k) out[first + k] = map(words.w[k]);
  });
}

// The uniform in (0, 1) of element `index` under the k = 2 layout.
double element_uniform(PhiloxState state, uint64_t index) {
  const PhiloxWords words = philox_block(state.seed, state.offset, index / 2);
  const uint64_t pair = index % 2;
  return uniform_open01_f64(words.w[2 * pair], words.w[2 * pair + 1]);
}

using sampling::ElementStream;

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

namespace ember::cpu {

void fill_exponential_f32(float* out, int64_t n, float lambd, PhiloxState state) {
  fill_words(out, n, state, [=](uint32_t bits) { return exponential_f32(bits, lambd); });
}

void fill_exponential_f64(double* out, int64_t n, double lambd, PhiloxState state) {
  fill_pairs(out, n, state,
             [=](uint32_t hi, uint32_t lo) { return exponential_f64(hi, lo, lambd); });
}

void fill_cauchy_f32(float* out, int64_t n, float median, float sigma, PhiloxState state) {
  fill_words(out, n, state, [=](uint32_t bits) { return cauchy_f32(bits, median, sigma); });
}

void fill_cauchy_f64(double* out, int64_t n, double median, double sigma, PhiloxState state) {
  fill_pairs(out, n, state,
             [=](uint32_t hi, uint32_t lo) { return cauchy_f64(hi, lo, median, sigma); });
}

void fill_log_normal_f32(float* out, int64_t n, float mean, float stddev, PhiloxState state) {
  fill_normal_f32(out, n, mean, stddev, state);
  for (int64_t i = 0; i < n; ++i) out[i] = std::exp(out[i]);
}

void fill_log_normal_f64(double* out, int64_t n, double mean, double stddev, PhiloxState state) {
  fill_normal_f64(out, n, mean, stddev, state);
  for (int64_t i = 0; i < n; ++i) out[i] = std::exp(out[i]);
}

void fill_geometric_f64(double* out, int64_t n, double p, PhiloxState state) {
  fill_pairs(out, n, state, [=](uint32_t hi, uint32_t lo) { return geometric_f64(hi, lo, p); });
}

void fill_randperm_i64(int64_t* out, int64_t n, PhiloxState state) {
  // First 64 random bits per element (in parallel), then the sequential shuffle: at step i,
  // out[i] still holds its bits while out[0..i) holds a permutation of 0..i-1.
  fill_pairs(out, n, state, [](uint32_t hi, uint32_t lo) {
    return static_cast<int64_t>((static_cast<uint64_t>(hi) << 32) | lo);
  });
  for (int64_t i = 0; i < n; ++i) {
    const auto j = static_cast<int64_t>(
        mul_hi_u64(static_cast<uint64_t>(out[i]), static_cast<uint64_t>(i) + 1));
    out[i] = out[j];
    out[j] = i;
  }
}

void poisson_f64(const double* rates, double* out, int64_t n, PhiloxState state) {
  parallel_for(0, n, 1024, [=](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      ElementStream stream(state, static_cast<uint64_t>(i));
      out[i] = sampling::poisson_sample(rates[i], stream);
    }
  });
}

void multinomial_f64(const double* weights, int64_t rows, int64_t categories, int64_t samples,
                     bool replacement, int64_t* out, PhiloxState state) {
  const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(categories, 1));
  parallel_for(0, rows, grain, [=](int64_t begin, int64_t end) {
    std::vector<double> scratch(static_cast<size_t>(categories));
    std::vector<int64_t> order(static_cast<size_t>(categories));
    for (int64_t r = begin; r < end; ++r) {
      const double* w = weights + r * categories;
      int64_t* row_out = out + r * samples;
      if (replacement) {
        std::partial_sum(w, w + categories, scratch.begin());
        const double total = scratch.back();
        for (int64_t s = 0; s < samples; ++s) {
          const double target =
              element_uniform(state, static_cast<uint64_t>(r * samples + s)) * total;
          // The first cumulative sum above target: its category has a positive weight.
          int64_t found =
              std::upper_bound(scratch.begin(), scratch.end(), target) - scratch.begin();
          // target rounded up to the total: the last category of positive weight.
          if (found == categories) {
            found = categories - 1;
            while (found > 0 && w[found] == 0) --found;
          }
          row_out[s] = found;
        }
        continue;
      }
      for (int64_t c = 0; c < categories; ++c) {
        const double u = element_uniform(state, static_cast<uint64_t>(r * categories + c));
        scratch[c] = w[c] > 0 ? std::log(u) / w[c] : -std::numeric_limits<double>::infinity();
      }
      std::iota(order.begin(), order.end(), int64_t{0});
      std::partial_sort(order.begin(), order.begin() + samples, order.end(),
                        [&](int64_t a, int64_t b) {
                          return scratch[a] > scratch[b] || (scratch[a] == scratch[b] && a < b);
                        });
      std::copy(order.begin(), order.begin() + samples, row_out);
    }
  });
}

void standard_gamma_f64(const double* alpha, double* out, int64_t n, PhiloxState state) {
  parallel_for(0, n, 1024, [=](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      ElementStream stream(state, static_cast<uint64_t>(i));
      out[i] = sampling::gamma_sample(alpha[i], stream);
    }
  });
}

void standard_gamma_grad_f64(const double* alpha, const double* x, double* out, int64_t n) {
  parallel_for(0, n, 256, [=](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = sampling::standard_gamma_grad(alpha[i], x[i]);
  });
}

void binomial_f64(const double* count, const double* prob, double* out, int64_t n,
                  PhiloxState state) {
  parallel_for(0, n, 1024, [=](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      ElementStream stream(state, static_cast<uint64_t>(i));
      out[i] = sampling::binomial_sample(count[i], prob[i], stream);
    }
  });
}

}  // namespace ember::cpu
