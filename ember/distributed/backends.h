// The engines this build has, and the one place that makes a process group by engine name
// (init_process_group, new_group).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ember/distributed/process_group.h"

namespace ember::distributed {

bool is_gloo_available();
bool is_mpi_available();
bool is_nccl_available();
// True for "gloo", "mpi", "nccl" when built with that engine.
bool is_backend_available(const std::string& backend);

// A group over `store` (already prefixed for the group) of `size` processes, this one `rank`.
// `global_ranks` are the members' ranks in the default group (empty: the group is the world);
// MPI builds its communicator from them. Raises ValueError for an unknown name and
// RuntimeError for one this build lacks.
std::shared_ptr<ProcessGroup> make_process_group(const std::string& backend,
                                                 std::shared_ptr<Store> store, int rank, int size,
                                                 const ProcessGroupOptions& options,
                                                 const std::vector<int>& global_ranks = {});

}  // namespace ember::distributed
