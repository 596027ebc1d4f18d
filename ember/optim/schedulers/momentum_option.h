// The momentum CyclicLR and OneCycleLR cycle: a group's "momentum" option (SGD, RMSprop) or the
// first of its "betas" (Adam and its kin), read and written through the options' PyTorch names.
#pragma once

#include "ember/optim/optimizer.h"

namespace ember::optim::detail {

// ValueError when the optimizer's options have neither.
void check_momentum_option(const Optimizer& optimizer);
void set_momentum(OptimizerParamGroup& group, double momentum);

}  // namespace ember::optim::detail
