// The device side of IndexError (RELIABILITY.md B7/B24): an indexing kernel that meets an index out
// of range records it in its device's IndexErrorSlot (kernel_grid.h), skips the element and runs
// on, so the CUDA context stays healthy (a device-side assert would poison it for the rest of the
// process). The host reads the slot at the next synchronisation point (ember::cuda::synchronize,
// a stream's or event's synchronize, a blocking copy such as item() or .cpu()) and raises the
// IndexError there, naming the op, the index and the bound, after clearing the slot.
#pragma once

#include <string_view>

#include "ember/backend/cuda/kernel_grid.h"

namespace ember::cuda::runtime {

// The slot of `device`, in mapped pinned memory (the device pointer), allocated at first use.
IndexErrorSlot* index_error_slot(int device);

// A small number that stands for `op` in a slot: the kernel writes it, the host's message reads
// the name back.
unsigned int intern_op_name(std::string_view op);

// Raises IndexError for a report in `device`'s slot (clearing it first), or for a report in any
// device's slot with -1. Call after a synchronisation that covers the launches concerned.
void raise_reported_index_error(int device);

}  // namespace ember::cuda::runtime
