// Adam's and AdamW's fused op (ember/ops/optim_adam.h) into ember._C._optim.
#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/ops/optim_adam.h"
#include "optim.h"

namespace ember::python {

void init_optim_adam(nb::module_& optim) {
  optim.def("_fused_adam_", &ember::_fused_adam_, nb::arg("params"), nb::arg("grads"),
            nb::arg("exp_avgs"), nb::arg("exp_avg_sqs"), nb::arg("max_exp_avg_sqs"),
            nb::arg("state_steps"), nb::arg("lr"), nb::arg("beta1"), nb::arg("beta2"),
            nb::arg("weight_decay"), nb::arg("eps"), nb::arg("amsgrad"), nb::arg("maximize"),
            nb::arg("decoupled_weight_decay"),
            nb::sig("def _fused_adam_(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, "
                    "state_steps, lr, beta1, beta2, weight_decay, eps, amsgrad, maximize, "
                    "decoupled_weight_decay) -> None"),
            "One Adam (AdamW with decoupled_weight_decay) step over every parameter of a group, "
            "in place and without recording history; increments each state_steps tensor first "
            "(max_exp_avg_sqs: one per parameter with amsgrad, else empty).");
}

}  // namespace ember::python
