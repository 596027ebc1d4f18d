// libtorch's torch/nn/utils/convert_parameters.h: parameters as one vector and back. Defined in
// the autograd layer (autograd/nn_convert_parameters.cpp): vector_to_parameters rebinds each
// parameter's data with autograd's set_data, and the Python extension links up to autograd.
#pragma once

#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::nn::utils {

// libtorch's torch::nn::utils::parameters_to_vector: the parameters flattened and concatenated in
// order (differentiable: a cat of views).
Tensor parameters_to_vector(const std::vector<Tensor>& parameters);

// Makes each parameter (the same handle, its autograd state kept) a view of its consecutive slice
// of the 1-D `vec`, reshaped to its shape, as PyTorch rebinds `.data`: nothing is copied, and a
// later write into vec shows in the parameters. vec must hold exactly as many elements as the
// parameters together.
void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters);

}  // namespace ember::nn::utils
