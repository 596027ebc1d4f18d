// ember::nn::init (libtorch's torch/nn/init.h): the fills are ops, declared in ops/nn_init.h.
#pragma once

#include "ember/ops/nn_init.h"
