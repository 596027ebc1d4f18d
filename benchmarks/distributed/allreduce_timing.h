// The timing loop and the result line shared by the all_reduce comparison programs
// (allreduce_direct.cpp calls the engines directly, allreduce_ember.cpp calls ember's process
// group, and can alternate it with Gloo called directly in the same processes): all time the
// same loop and print the same line, so run_all.sh can set them side by side.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
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

// Times `iterations` calls of each of `fns`, taking turns call by call (so that load from
// elsewhere, or a scheduling mode the processes fall into, hits each alike), after a few untimed
// ones (connections warm, pages touched), and returns each one's median in seconds: the median,
// not the mean, because other processes share the cores and an unlucky descheduling would move
// a mean by a whole time slice.
template <typename... Fns>
std::array<double, sizeof...(Fns)> median_seconds_each(int iterations, Fns&&... fns) {
  for (int i = 0; i < 3; ++i) {
    (fns(), ...);
  }
  std::array<std::vector<double>, sizeof...(Fns)> seconds;
  for (int i = 0; i < iterations; ++i) {
    size_t which = 0;
    const auto time_one = [&](auto& fn) {
      const auto start = std::chrono::steady_clock::now();
      fn();
      seconds[which++].push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    (time_one(fns), ...);
  }
  std::array<double, sizeof...(Fns)> medians{};
  for (size_t k = 0; k < seconds.size(); ++k) {
    auto middle = seconds[k].begin() + iterations / 2;
    std::nth_element(seconds[k].begin(), middle, seconds[k].end());
    medians[k] = *middle;
  }
  return medians;
}

template <typename Fn>
double median_seconds(int iterations, Fn&& one) {
  return median_seconds_each(iterations, std::forward<Fn>(one))[0];
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
