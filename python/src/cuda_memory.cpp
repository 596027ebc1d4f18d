// ember._C._cuda's memory management (ember/tensor/cuda_memory.h) for the thin shells in
// python/ember/cuda.py: statistics of the CUDA caching allocator, empty_cache and the memory
// fraction. A device argument is None (the current device), an index, "cuda:1" or an
// ember.device; without a device every call raises RuntimeError saying why.
#include "cuda_memory.h"

#include <nanobind/stl/map.h>
#include <nanobind/stl/string.h>

#include <string_view>

#include "convert.h"
#include "cuda_bindings.h"
#include "ember/tensor/cuda_memory.h"

namespace ember::python {
namespace {

// Binds a statistic `name(device=None) -> int`.
void def_statistic(nb::module_& cuda_module, const char* name, int64_t (*statistic)(int),
                   const char* signature, const char* doc) {
  cuda_module.def(
      name,
      [statistic, name](nb::handle device) { return statistic(cuda_device_index(device, name)); },
      nb::arg("device") = nb::none(), nb::sig(signature), doc);
}

}  // namespace

void init_cuda_memory(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  // The submodule the runtime's bindings share (def_submodule returns it when it exists).
  nb::module_ cuda_module = module.def_submodule("_cuda");
  def_statistic(cuda_module, "memory_allocated", &cuda::memory_allocated,
                "def memory_allocated(device=None) -> int",
                "Bytes of tensor memory allocated on the device (block sizes, multiples of 512).");
  def_statistic(cuda_module, "max_memory_allocated", &cuda::max_memory_allocated,
                "def max_memory_allocated(device=None) -> int",
                "The peak of memory_allocated since the start or reset_peak_memory_stats().");
  def_statistic(cuda_module, "memory_reserved", &cuda::memory_reserved,
                "def memory_reserved(device=None) -> int",
                "Bytes the caching allocator holds on the device, in use or cached.");
  def_statistic(cuda_module, "max_memory_reserved", &cuda::max_memory_reserved,
                "def max_memory_reserved(device=None) -> int",
                "The peak of memory_reserved since the start or reset_peak_memory_stats().");
  cuda_module.def(
      "reset_peak_memory_stats",
      [](nb::handle device) {
        cuda::reset_peak_memory_stats(cuda_device_index(device, "reset_peak_memory_stats"));
      },
      nb::arg("device") = nb::none(), nb::sig("def reset_peak_memory_stats(device=None) -> None"),
      "Resets the peaks of the device's statistics to their current values.");
  cuda_module.def(
      "memory_stats",
      [](nb::handle device) {
        return cuda::memory_stats(cuda_device_index(device, "memory_stats"));
      },
      nb::arg("device") = nb::none(), nb::sig("def memory_stats(device=None) -> dict[str, int]"),
      "The caching allocator's statistics under PyTorch's names (\"allocated_bytes.all.current\", "
      "\"reserved_bytes.all.peak\", \"num_ooms\", ...).");
  cuda_module.def(
      "memory_summary",
      [](nb::handle device) {
        return cuda::memory_summary(cuda_device_index(device, "memory_summary"));
      },
      nb::arg("device") = nb::none(), nb::sig("def memory_summary(device=None) -> str"),
      "A readable table of the caching allocator's statistics for the device.");
  cuda_module.def("empty_cache", &cuda::empty_cache, nb::sig("def empty_cache() -> None"),
                  "Returns the cached, unused memory of every device to the driver.");
  cuda_module.def(
      "set_per_process_memory_fraction",
      [](double fraction, nb::handle device) {
        cuda::set_per_process_memory_fraction(
            fraction, cuda_device_index(device, "set_per_process_memory_fraction"));
      },
      nb::arg("fraction"), nb::arg("device") = nb::none(),
      nb::sig("def set_per_process_memory_fraction(fraction, device=None) -> None"),
      "Caps the memory this process reserves on the device at fraction * its total memory; "
      "allocations beyond it raise OutOfMemoryError.");
  tensor_class.def("record_stream", &cuda::record_stream, nb::arg("stream"),
                   nb::sig("def record_stream(self, stream) -> None"),
                   "Marks the tensor's CUDA memory as used by work on `stream`: once the tensor "
                   "is freed, the memory is reused only after that work has run.");
}

}  // namespace ember::python
