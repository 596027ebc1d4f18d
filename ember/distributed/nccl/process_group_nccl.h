// The NCCL engine (CUDA tensors): the communicator's unique id travels through the store.
#pragma once

#include <memory>

#include "ember/distributed/process_group.h"

namespace ember::distributed {

std::shared_ptr<ProcessGroup> make_nccl_process_group(std::shared_ptr<Store> store, int rank,
                                                      int size, const ProcessGroupOptions& options);

}  // namespace ember::distributed
