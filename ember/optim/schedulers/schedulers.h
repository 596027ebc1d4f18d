// The learning-rate schedulers of the C++ frontend (libtorch's torch/optim/schedulers/).
#pragma once

#include "ember/optim/schedulers/composite_schedulers.h"
#include "ember/optim/schedulers/cyclic_schedulers.h"
#include "ember/optim/schedulers/epoch_schedulers.h"
#include "ember/optim/schedulers/lr_scheduler.h"
#include "ember/optim/schedulers/reduce_on_plateau_scheduler.h"
