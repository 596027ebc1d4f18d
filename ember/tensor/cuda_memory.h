// torch.cuda's memory management over the CUDA caching allocator (docs/architecture.md, Note
// [CUDA caching allocator]). `device` -1 is the current device. Without the CUDA backend or a
// device every call raises check_device_available's RuntimeError saying why.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ember/tensor/cuda_runtime.h"

namespace ember {
class Tensor;
}

namespace ember::cuda {

// Bytes of tensor memory handed out on `device` (block sizes, multiples of 512 bytes).
int64_t memory_allocated(int device = -1);
// Their peak since the program started or reset_peak_memory_stats.
int64_t max_memory_allocated(int device = -1);
// Bytes the allocator holds from the device, in use or cached.
int64_t memory_reserved(int device = -1);
int64_t max_memory_reserved(int device = -1);
void reset_peak_memory_stats(int device = -1);
// The allocator's statistics under torch.cuda.memory_stats's names
// ("allocated_bytes.all.current", "num_ooms", ...).
std::map<std::string, int64_t> memory_stats(int device = -1);
// A readable table of the statistics.
std::string memory_summary(int device = -1);
// Returns the cached, unused memory of every device to the driver (other processes can use it;
// tensors keep theirs).
void empty_cache();
// Caps the memory this process reserves on `device` at fraction * its total memory; allocations
// beyond it raise OutOfMemoryError. ValueError unless 0 <= fraction <= 1.
void set_per_process_memory_fraction(double fraction, int device = -1);
// Marks `tensor`'s memory as used by work on `stream`: once the tensor dies, its memory is reused
// only after that work (queued until then) has run (PyTorch's Tensor.record_stream).
void record_stream(const Tensor& tensor, const Stream& stream);

}  // namespace ember::cuda
