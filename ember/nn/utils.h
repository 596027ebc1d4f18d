// ember::nn::utils (libtorch's torch/nn/utils.h): gradient clipping and parameter vectors.
#pragma once

#include "ember/nn/utils/clip_grad.h"
#include "ember/nn/utils/convert_parameters.h"
#include "ember/ops/nn_utils.h"
// Packed sequences (torch/nn/utils/rnn.h).
#include "ember/nn/utils/rnn.h"
