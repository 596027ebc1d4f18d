// The baseline of the all_reduce comparison: the same collective called directly through the
// engine, with no ember in the process. `allreduce_direct gloo [scale]` runs as one of WORLD_SIZE
// processes (RANK, WORLD_SIZE and EMBER_BENCH_GLOO_STORE, a fresh directory for gloo's
// FileStore rendezvous, from the environment; run_all.sh starts them); `allreduce_direct mpi
// [scale]` runs under `mpirun -np N`. Rank 0 prints one line per message size
// (allreduce_timing.h), as allreduce_ember does for ember's process group.
#include <mpi.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "allreduce_timing.h"
#include "gloo_direct.h"

namespace {

using allreduce_bench::Case;

void run_gloo(int scale) {
  const int rank = allreduce_bench::env_int("RANK", -1);
  const int size = allreduce_bench::env_int("WORLD_SIZE", -1);
  const char* store_dir = std::getenv("EMBER_BENCH_GLOO_STORE");
  if (rank < 0 || size < 1 || store_dir == nullptr) {
    throw std::runtime_error(
        "allreduce_direct gloo needs RANK, WORLD_SIZE, EMBER_BENCH_GLOO_STORE");
  }
  allreduce_bench::GlooDirect gloo(rank, size, store_dir);
  for (const Case& c : allreduce_bench::cases(scale)) {
    std::vector<float> data(c.bytes / sizeof(float), 0.0f);
    const double median = allreduce_bench::median_seconds(
        c.iterations, [&] { gloo.all_reduce(data.data(), data.size()); });
    if (rank == 0) {
      allreduce_bench::report("gloo", "direct", size, c, median);
    }
  }
}

void check_mpi(int code, const char* what) {
  if (code != MPI_SUCCESS) {
    throw std::runtime_error(std::string("allreduce_direct: ") + what + " failed");
  }
}

void run_mpi(int scale) {
  int provided = 0;
  check_mpi(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  int rank = 0;
  int size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (const Case& c : allreduce_bench::cases(scale)) {
    std::vector<float> data(c.bytes / sizeof(float), 0.0f);
    const double median = allreduce_bench::median_seconds(c.iterations, [&] {
      check_mpi(MPI_Allreduce(MPI_IN_PLACE, data.data(), static_cast<int>(data.size()), MPI_FLOAT,
                              MPI_SUM, MPI_COMM_WORLD),
                "MPI_Allreduce");
    });
    if (rank == 0) {
      allreduce_bench::report("mpi", "direct", size, c, median);
    }
  }
  MPI_Finalize();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string engine = argc > 1 ? argv[1] : "";
  const int scale = argc > 2 ? std::atoi(argv[2]) : 1;
  try {
    if (engine == "gloo") {
      run_gloo(scale);
    } else if (engine == "mpi") {
      run_mpi(scale);
    } else {
      std::fprintf(stderr, "usage: allreduce_direct gloo|mpi [scale]\n");
      return 2;
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "allreduce_direct %s: %s\n", engine.c_str(), error.what());
    return 1;
  }
  return 0;
}
