#include "ember/base/parallel.h"

#include <omp.h>

#include <algorithm>
#include <exception>

#include "ember/base/error.h"

namespace ember {

int get_num_threads() { return omp_get_max_threads(); }

void set_num_threads(int threads) {
  EMBER_CHECK_VALUE(threads > 0, "[set_num_threads] expected a positive thread count; got ",
                    threads);
  omp_set_num_threads(threads);
}

bool in_parallel_region() { return omp_in_parallel() != 0; }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  FunctionRef<void(int64_t, int64_t)> body) {
  const int64_t range = end - begin;
  if (range <= 0) return;
  const int max_threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const int64_t useful =
      std::min<int64_t>(max_threads, (range + grain - 1) / std::max<int64_t>(grain, 1));
  if (useful <= 1) {
    body(begin, end);
    return;
  }
  // An exception may not cross an OpenMP region: keep the first and rethrow it afterwards.
  std::exception_ptr failure;
#pragma omp parallel num_threads(static_cast <int>(useful))
  {
    const int64_t threads = omp_get_num_threads();
    const int64_t chunk = (range + threads - 1) / threads;
    const int64_t chunk_begin = begin + omp_get_thread_num() * chunk;
    const int64_t chunk_end = std::min(end, chunk_begin + chunk);
    if (chunk_begin < chunk_end) {
      try {
        body(chunk_begin, chunk_end);
      } catch (...) {
#pragma omp critical(ember_parallel_for_failure)
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ember
