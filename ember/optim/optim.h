// The optimizers of the C++ frontend (libtorch's torch/optim.h): #include <ember/ember.h> and use
// ember::optim::SGD, ...
#pragma once

#include "ember/optim/optimizer.h"
#include "ember/optim/sgd.h"
