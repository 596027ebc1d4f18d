// The MPI engine (CPU tensors; Open MPI): ranks and size come from MPI_COMM_WORLD.
#pragma once

#include <memory>
#include <vector>

#include "ember/distributed/process_group.h"

namespace ember::distributed {

// MPI_COMM_WORLD's rank and size, starting MPI if needed: a group over the whole world must have
// them (init_process_group("mpi") takes its rank and world size from here, as PyTorch's MPI
// backend does).
struct MpiWorld {
  int rank = 0;
  int size = 1;
};
MpiWorld mpi_world();

// global_ranks empty: MPI_COMM_WORLD; otherwise a communicator of those world ranks.
std::shared_ptr<ProcessGroup> make_mpi_process_group(std::shared_ptr<Store> store, int rank,
                                                     int size, const ProcessGroupOptions& options,
                                                     const std::vector<int>& global_ranks);

}  // namespace ember::distributed
