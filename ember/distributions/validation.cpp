#include "ember/distributions/validation.h"

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::distributions {

void check_parameter(const Tensor& satisfied, std::string_view distribution,
                     std::string_view parameter, std::string_view constraint) {
  NoGradGuard no_grad;
  EMBER_CHECK_VALUE(all(satisfied).item<bool>(), "[", distribution, "] expected parameter ",
                    parameter, " (Tensor of shape ", shape_str(satisfied.shape()),
                    ") to satisfy the constraint ", constraint, "; received invalid values");
}

}  // namespace ember::distributions
