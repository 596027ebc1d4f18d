// ember._C._ddp: what ember.nn.parallel.DistributedDataParallel calls. The bucketing, hooks and
// averaging are the C++ Reducer's; the Python class only wires a module to it.
#include "distributed_reducer.h"

#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/vector.h>

#include "ember/distributed/ddp.h"
#include "ember/distributed/reducer.h"

namespace nb = nanobind;

namespace ember::python {

void init_distributed_reducer(nb::module_& module) {
  using distributed::ProcessGroup;
  using distributed::Reducer;
  nb::module_ ddp = module.def_submodule("_ddp", "DistributedDataParallel's C++ reducer");
  ddp.def("compute_bucket_assignment_by_size", &distributed::compute_bucket_assignment_by_size,
          nb::arg("params"), nb::arg("bucket_cap_bytes") = distributed::kDefaultBucketCapBytes,
          nb::arg("first_bucket_cap_bytes") = distributed::kDefaultFirstBucketCapBytes,
          "Parameter indices grouped into buckets, in reverse registration order.");
  ddp.def(
      "broadcast_from_rank0",
      [](const std::shared_ptr<ProcessGroup>& group, const std::vector<Tensor>& tensors) {
        nb::gil_scoped_release release;
        nn::parallel::broadcast_from_rank0(*group, tensors);
      },
      nb::arg("process_group"), nb::arg("tensors"),
      "Makes every rank's tensors rank 0's, in place.");
  ddp.attr("DEFAULT_FIRST_BUCKET_BYTES") = distributed::kDefaultFirstBucketCapBytes;
  nb::class_<Reducer>(ddp, "Reducer", "Averages gradients across a process group in buckets.")
      .def(nb::init<std::vector<Tensor>, std::vector<std::vector<size_t>>,
                    std::shared_ptr<ProcessGroup>, bool, bool>(),
           nb::arg("params"), nb::arg("bucket_indices"), nb::arg("process_group"),
           nb::arg("find_unused_parameters") = false, nb::arg("gradient_as_bucket_view") = false)
      .def("prepare_for_backward", &Reducer::prepare_for_backward,
           nb::arg("outputs") = std::vector<Tensor>{})
      .def("_set_require_grad_sync", &Reducer::set_require_grad_sync, nb::arg("require"))
      .def_prop_ro("require_grad_sync", &Reducer::require_grad_sync)
      .def_prop_ro("bucket_indices", &Reducer::bucket_indices)
      .def("bucket_buffer", &Reducer::bucket_buffer, nb::arg("bucket"))
      .def_prop_ro("grads_ready_at_launch", &Reducer::grads_ready_at_launch);
}

}  // namespace ember::python
