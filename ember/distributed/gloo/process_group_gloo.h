// The Gloo engine (CPU tensors over TCP): PyTorch's CPU backend.
#pragma once

#include <memory>

#include "ember/distributed/process_group.h"

namespace ember::distributed {

std::shared_ptr<ProcessGroup> make_gloo_process_group(std::shared_ptr<Store> store, int rank,
                                                      int size, const ProcessGroupOptions& options);

}  // namespace ember::distributed
