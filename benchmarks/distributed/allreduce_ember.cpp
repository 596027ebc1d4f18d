// ember's side of the all_reduce comparison: the collective through ember's process group
// (ProcessGroup::all_reduce, then Work::wait), the default group made by init_process_group as a
// C++ program makes it. `allreduce_ember gloo [scale]` runs as one of WORLD_SIZE processes with
// the env:// variables (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT; run_all.sh or ember's
// launcher sets them); `allreduce_ember mpi [scale]` runs under `mpirun -np N`. Rank 0 prints the
// same lines as allreduce_direct (allreduce_timing.h). With EMBER_BENCH_GLOO_STORE set (a fresh
// directory), the gloo run alternates ember's call with Gloo's own, call by call, in the same
// processes and prints both (impl=ember-alternating, impl=direct-alternating).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>

#include "allreduce_timing.h"
#include "ember/distributed/distributed.h"
#include "ember/ember.h"
#include "gloo_direct.h"

int main(int argc, char** argv) {
  namespace dist = ember::distributed;
  const std::string engine = argc > 1 ? argv[1] : "";
  const int scale = argc > 2 ? std::atoi(argv[2]) : 1;
  if (engine != "gloo" && engine != "mpi") {
    std::fprintf(stderr, "usage: allreduce_ember gloo|mpi [scale]\n");
    return 2;
  }
  try {
    dist::InitOptions options;
    options.backend = engine;
    options.timeout = std::chrono::seconds(120);
    dist::init_process_group(options);
    const dist::GroupPtr group = dist::default_group();
    // With EMBER_BENCH_GLOO_STORE, Gloo called directly takes turns with ember call by call in
    // these same processes: the comparison least moved by the machine's state.
    const char* store_dir = std::getenv("EMBER_BENCH_GLOO_STORE");
    std::unique_ptr<allreduce_bench::GlooDirect> direct;
    if (engine == "gloo" && store_dir != nullptr) {
      direct =
          std::make_unique<allreduce_bench::GlooDirect>(group->rank(), group->size(), store_dir);
    }
    for (const allreduce_bench::Case& c : allreduce_bench::cases(scale)) {
      ember::Tensor data = ember::zeros({static_cast<int64_t>(c.bytes / sizeof(float))});
      const auto ember_call = [&] { group->all_reduce(data, dist::ReduceOp::Sum)->wait(); };
      if (direct == nullptr) {
        const double median = allreduce_bench::median_seconds(c.iterations, ember_call);
        if (group->rank() == 0) {
          allreduce_bench::report(engine, "ember", group->size(), c, median);
        }
        continue;
      }
      const auto direct_call = [&] {
        direct->all_reduce(data.data_ptr<float>(), static_cast<size_t>(data.numel()));
      };
      const auto medians =
          allreduce_bench::median_seconds_each(c.iterations, ember_call, direct_call);
      if (group->rank() == 0) {
        allreduce_bench::report(engine, "ember-alternating", group->size(), c, medians[0]);
        allreduce_bench::report(engine, "direct-alternating", group->size(), c, medians[1]);
      }
    }
    dist::destroy_process_group();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "allreduce_ember %s: %s\n", engine.c_str(), error.what());
    return 1;
  }
  return 0;
}
