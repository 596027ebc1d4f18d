#include "ember/distributed/backends.h"

#include "ember/base/error.h"
#ifdef EMBER_HAVE_GLOO
#include "ember/distributed/gloo/process_group_gloo.h"
#endif
#ifdef EMBER_HAVE_MPI
#include "ember/distributed/mpi/process_group_mpi.h"
#endif
#ifdef EMBER_HAVE_NCCL
#include "ember/distributed/nccl/process_group_nccl.h"
#endif

namespace ember::distributed {

bool is_gloo_available() {
#ifdef EMBER_HAVE_GLOO
  return true;
#else
  return false;
#endif
}

bool is_mpi_available() {
#ifdef EMBER_HAVE_MPI
  return true;
#else
  return false;
#endif
}

bool is_nccl_available() {
#ifdef EMBER_HAVE_NCCL
  return true;
#else
  return false;
#endif
}

bool is_backend_available(const std::string& backend) {
  if (backend == "gloo") return is_gloo_available();
  if (backend == "mpi") return is_mpi_available();
  if (backend == "nccl") return is_nccl_available();
  return false;
}

std::shared_ptr<ProcessGroup> make_process_group(const std::string& backend,
                                                 std::shared_ptr<Store> store, int rank, int size,
                                                 const ProcessGroupOptions& options,
                                                 const std::vector<int>& global_ranks) {
  EMBER_CHECK_VALUE(backend == "gloo" || backend == "mpi" || backend == "nccl",
                    "[init_process_group] unknown backend '", backend,
                    "'; expected 'gloo', 'mpi' or 'nccl'");
  EMBER_CHECK(is_backend_available(backend), "[init_process_group] this build of ember has no ",
              backend, " backend (its library was not found when ember was built)");
#ifdef EMBER_HAVE_GLOO
  if (backend == "gloo") return make_gloo_process_group(std::move(store), rank, size, options);
#endif
#ifdef EMBER_HAVE_MPI
  if (backend == "mpi") {
    return make_mpi_process_group(std::move(store), rank, size, options, global_ranks);
  }
#endif
#ifdef EMBER_HAVE_NCCL
  if (backend == "nccl") return make_nccl_process_group(std::move(store), rank, size, options);
#endif
  (void)store;
  (void)rank;
  (void)size;
  (void)options;
  (void)global_ranks;
  detail::raise<RuntimeError>("[init_process_group] no ", backend, " backend in this build");
}

}  // namespace ember::distributed
