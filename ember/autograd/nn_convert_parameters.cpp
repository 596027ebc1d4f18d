// parameters_to_vector and vector_to_parameters (ember/nn/utils/convert_parameters.h), defined in
// the autograd layer beside set_data, which the Python extension links without the nn layer.
#include "ember/nn/utils/convert_parameters.h"

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::nn::utils {

Tensor parameters_to_vector(const std::vector<Tensor>& parameters) {
  EMBER_CHECK_VALUE(!parameters.empty(),
                    "[parameters_to_vector] expected at least one parameter; got none");
  std::vector<Tensor> flat;
  flat.reserve(parameters.size());
  for (const Tensor& parameter : parameters) {
    EMBER_CHECK(parameter.device() == parameters.front().device(),
                "[parameters_to_vector] expected all parameters on one device; got ",
                parameters.front().device(), " and ", parameter.device());
    flat.push_back(parameter.reshape({-1}));
  }
  return cat(flat);
}

void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters) {
  EMBER_CHECK_VALUE(vec.dim() == 1, "[vector_to_parameters] expected a 1-D vec; got shape ",
                    vec.shape());
  int64_t total = 0;
  for (const Tensor& parameter : parameters) total += parameter.numel();
  EMBER_CHECK_VALUE(vec.numel() == total, "[vector_to_parameters] vec has ", vec.numel(),
                    " elements but the ", parameters.size(), " parameters hold ", total,
                    "; expected equal counts");
  // As PyTorch's `param.data = vec[a:b].view_as(param).data`: each parameter becomes a view of
  // its slice of vec (the same handle, so modules keep it), nothing is copied.
  int64_t offset = 0;
  for (const Tensor& parameter : parameters) {
    const int64_t count = parameter.numel();
    parameter.set_data(vec.detach().narrow(0, offset, count).view_as(parameter));
    offset += count;
  }
}

}  // namespace ember::nn::utils
