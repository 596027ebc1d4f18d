// The optimizers of the C++ frontend (libtorch's torch/optim.h): #include <ember/ember.h> and use
// ember::optim::SGD, ...
#pragma once

#include "ember/optim/adam.h"
#include "ember/optim/adamw.h"
#include "ember/optim/lbfgs.h"
#include "ember/optim/optimizer.h"
#include "ember/optim/schedulers/schedulers.h"
#include "ember/optim/sgd.h"
