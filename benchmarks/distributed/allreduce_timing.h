// The timing loop and the result line shared by the all_reduce comparison programs
// (allreduce_direct.cpp calls the engines directly, allreduce_ember.cpp calls ember's process
// group): both time the same loop and print the same line, so run_all.sh can set them side by
// side.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace allreduce_bench {

// The message sizes of issue 15's goal (1 MB and 64 MB of float32) and how often each is timed:
// fewer iterations for the large one, whose single all_reduce already takes tens of milliseconds.
struct Case {
  size_t bytes;
  int iterations;
};
inline std::vector<Case> cases(int scale) {
  return {{size_t{1} << 20, 200 * scale}, {size_t{64} << 20, 15 * scale}};
}

// Times `iterations` calls of `one` after a few untimed ones (connections warm, pages touched) and
// returns the median in seconds: the median, not the mean, because other processes share the
// cores and an unlucky descheduling would move a mean by a whole time slice.
template <typename Fn>
double median_seconds(int iterations, Fn&& one) {
  for (int i = 0; i < 3; ++i) {
    one();
  }
  std::vector<double> seconds;
  seconds.reserve(static_cast<size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    one();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(seconds.begin(), seconds.begin() + iterations / 2, seconds.end());
  return seconds[static_cast<size_t>(iterations / 2)];
}

// One line per case on rank 0: the payload divided by the median time (the "algorithm bandwidth"
// of nccl-tests, the same for every implementation, so ratios compare like with like).
inline void report(const std::string& engine, const std::string& impl, int world_size,
                   const Case& c, double median) {
  std::printf(
      "allreduce engine=%s impl=%s world_size=%d bytes=%zu iterations=%d median_us=%.1f "
      "gbps=%.3f\n",
      engine.c_str(), impl.c_str(), world_size, c.bytes, c.iterations, median * 1e6,
      static_cast<double>(c.bytes) / median / 1e9);
  std::fflush(stdout);
}

inline int env_int(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

}  // namespace allreduce_bench
