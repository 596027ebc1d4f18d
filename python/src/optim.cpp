// ember._C._optim: the fused update ops of ember.optim's algorithms (ember/ops/optim_*.h), one
// init_optim_<algo> per algorithm (optim.h), and SGD's here.
#include "optim.h"

#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/ops/optim_sgd.h"

namespace ember::python {

void init_optim_sgd(nb::module_& optim) {
  optim.def("_fused_sgd_", &ember::_fused_sgd_, nb::arg("params"), nb::arg("grads"),
            nb::arg("momentum_buffers"), nb::arg("lr"), nb::arg("momentum"), nb::arg("dampening"),
            nb::arg("weight_decay"), nb::arg("nesterov"), nb::arg("maximize"),
            nb::arg("is_first_step"),
            nb::sig("def _fused_sgd_(params, grads, momentum_buffers, lr, momentum, dampening, "
                    "weight_decay, nesterov, maximize, is_first_step) -> None"),
            "One SGD step over every parameter of a group, in place and without recording "
            "history (momentum_buffers: one per parameter, or empty without momentum; their "
            "contents are ignored when is_first_step).");
}

void init_optim(nb::module_& module) {
  nb::module_ optim = module.def_submodule("_optim", "ember.optim's fused update ops.");
  init_optim_sgd(optim);
  init_optim_adam(optim);
  init_optim_lbfgs(optim);
  init_optim_schedulers(optim);
  init_optim_algos(optim);
}

}  // namespace ember::python
