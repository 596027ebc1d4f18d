// The fused steps of Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and ASGD
// (ember/ops/optim_<algo>.h) into ember._C._optim, for python/ember/optim/'s classes. Each runs
// without recording history and writes parameters and states in place.
#include "optim.h"

#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/ops/optim_adadelta.h"
#include "ember/ops/optim_adagrad.h"
#include "ember/ops/optim_adamax.h"
#include "ember/ops/optim_asgd.h"
#include "ember/ops/optim_nadam.h"
#include "ember/ops/optim_radam.h"
#include "ember/ops/optim_rmsprop.h"
#include "ember/ops/optim_rprop.h"

namespace ember::python {

void init_optim_algos(nb::module_& optim) {
  optim.def("_fused_adamax_", &ember::_fused_adamax_, nb::arg("params"), nb::arg("grads"),
            nb::arg("exp_avgs"), nb::arg("exp_infs"), nb::arg("state_steps"), nb::arg("lr"),
            nb::arg("beta1"), nb::arg("beta2"), nb::arg("weight_decay"), nb::arg("eps"),
            nb::arg("maximize"),
            nb::sig("def _fused_adamax_(params, grads, exp_avgs, exp_infs, state_steps, lr, "
                    "beta1, beta2, weight_decay, eps, maximize) -> None"),
            "One Adamax step over every parameter of a group, in place (state_steps "
            "incremented first).");
  optim.def("_fused_nadam_", &ember::_fused_nadam_, nb::arg("params"), nb::arg("grads"),
            nb::arg("exp_avgs"), nb::arg("exp_avg_sqs"), nb::arg("mu_products"),
            nb::arg("state_steps"), nb::arg("lr"), nb::arg("beta1"), nb::arg("beta2"),
            nb::arg("weight_decay"), nb::arg("momentum_decay"), nb::arg("eps"),
            nb::arg("decoupled_weight_decay"), nb::arg("maximize"),
            nb::sig("def _fused_nadam_(params, grads, exp_avgs, exp_avg_sqs, mu_products, "
                    "state_steps, lr, beta1, beta2, weight_decay, momentum_decay, eps, "
                    "decoupled_weight_decay, maximize) -> None"),
            "One NAdam step over every parameter of a group, in place (state_steps incremented "
            "and mu_products multiplied by mu_t first).");
  optim.def("_fused_radam_", &ember::_fused_radam_, nb::arg("params"), nb::arg("grads"),
            nb::arg("exp_avgs"), nb::arg("exp_avg_sqs"), nb::arg("state_steps"), nb::arg("lr"),
            nb::arg("beta1"), nb::arg("beta2"), nb::arg("weight_decay"), nb::arg("eps"),
            nb::arg("decoupled_weight_decay"), nb::arg("maximize"),
            nb::sig("def _fused_radam_(params, grads, exp_avgs, exp_avg_sqs, state_steps, lr, "
                    "beta1, beta2, weight_decay, eps, decoupled_weight_decay, maximize) -> None"),
            "One RAdam step over every parameter of a group, in place (state_steps incremented "
            "first).");
  optim.def("_fused_rmsprop_", &ember::_fused_rmsprop_, nb::arg("params"), nb::arg("grads"),
            nb::arg("square_avgs"), nb::arg("grad_avgs"), nb::arg("momentum_buffer_list"),
            nb::arg("state_steps"), nb::arg("lr"), nb::arg("alpha"), nb::arg("eps"),
            nb::arg("weight_decay"), nb::arg("momentum"), nb::arg("centered"), nb::arg("maximize"),
            nb::sig("def _fused_rmsprop_(params, grads, square_avgs, grad_avgs, "
                    "momentum_buffer_list, state_steps, lr, alpha, eps, weight_decay, momentum, "
                    "centered, maximize) -> None"),
            "One RMSprop step over every parameter of a group, in place (grad_avgs empty "
            "unless centered, momentum_buffer_list empty unless momentum > 0).");
  optim.def("_fused_adagrad_", &ember::_fused_adagrad_, nb::arg("params"), nb::arg("grads"),
            nb::arg("state_sums"), nb::arg("state_steps"), nb::arg("lr"), nb::arg("lr_decay"),
            nb::arg("weight_decay"), nb::arg("eps"), nb::arg("maximize"),
            nb::sig("def _fused_adagrad_(params, grads, state_sums, state_steps, lr, lr_decay, "
                    "weight_decay, eps, maximize) -> None"),
            "One Adagrad step over every parameter of a group, in place (state_steps "
            "incremented first).");
  optim.def("_fused_adadelta_", &ember::_fused_adadelta_, nb::arg("params"), nb::arg("grads"),
            nb::arg("square_avgs"), nb::arg("acc_deltas"), nb::arg("state_steps"), nb::arg("lr"),
            nb::arg("rho"), nb::arg("eps"), nb::arg("weight_decay"), nb::arg("maximize"),
            nb::sig("def _fused_adadelta_(params, grads, square_avgs, acc_deltas, state_steps, "
                    "lr, rho, eps, weight_decay, maximize) -> None"),
            "One Adadelta step over every parameter of a group, in place.");
  optim.def("_fused_rprop_", &ember::_fused_rprop_, nb::arg("params"), nb::arg("grads"),
            nb::arg("prevs"), nb::arg("step_sizes"), nb::arg("state_steps"),
            nb::arg("step_size_min"), nb::arg("step_size_max"), nb::arg("etaminus"),
            nb::arg("etaplus"), nb::arg("maximize"),
            nb::sig("def _fused_rprop_(params, grads, prevs, step_sizes, state_steps, "
                    "step_size_min, step_size_max, etaminus, etaplus, maximize) -> None"),
            "One Rprop step over every parameter of a group, in place.");
  optim.def("_fused_asgd_", &ember::_fused_asgd_, nb::arg("params"), nb::arg("grads"),
            nb::arg("axs"), nb::arg("mus"), nb::arg("etas"), nb::arg("state_steps"),
            nb::arg("lambd"), nb::arg("lr"), nb::arg("t0"), nb::arg("alpha"),
            nb::arg("weight_decay"), nb::arg("maximize"),
            nb::sig("def _fused_asgd_(params, grads, axs, mus, etas, state_steps, lambd, lr, t0, "
                    "alpha, weight_decay, maximize) -> None"),
            "One ASGD step over every parameter of a group, in place (etas and mus then hold "
            "the next step's values).");
}

}  // namespace ember::python
