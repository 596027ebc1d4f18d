// The shared checks and chunking of the fused optimizer ops (optim_multi_tensor.h).
#include "ember/ops/optim_multi_tensor.h"

#include <algorithm>

namespace ember::optim_detail {

namespace {

void check_list(std::string_view op, const std::vector<Tensor>& params, const NamedList& list) {
  EMBER_CHECK_VALUE(list.tensors->size() == params.size(), "[", op, "] expected ", list.name,
                    " to hold one tensor per parameter (", params.size(), "); got ",
                    list.tensors->size());
  for (size_t index = 0; index < params.size(); ++index) {
    const Tensor& param = params[index];
    const Tensor& tensor = (*list.tensors)[index];
    EMBER_CHECK_VALUE(tensor.defined(), "[", op, "] expected ", list.name, "[", index,
                      "] to be a tensor; got an undefined tensor");
    EMBER_CHECK_VALUE(tensor.shape() == param.shape(), "[", op, "] expected ", list.name, "[",
                      index, "] of the parameter's shape ", param.shape(), "; got shape ",
                      tensor.shape());
    EMBER_CHECK_TYPE(tensor.dtype() == param.dtype(), "[", op, "] expected ", list.name, "[", index,
                     "] of the parameter's dtype ", param.dtype(), "; got ", tensor.dtype());
    EMBER_CHECK_VALUE(tensor.device() == param.device(), "[", op, "] expected ", list.name, "[",
                      index, "] on the parameter's device ", param.device(), "; got ",
                      tensor.device());
  }
}

}  // namespace

void check_tensor_lists(std::string_view op, const std::vector<Tensor>& params,
                        std::initializer_list<NamedList> lists,
                        std::initializer_list<NamedList> optional_lists) {
  for (size_t index = 0; index < params.size(); ++index) {
    EMBER_CHECK_VALUE(params[index].defined(), "[", op, "] expected params[", index,
                      "] to be a tensor; got an undefined tensor");
    EMBER_CHECK_TYPE(params[index].is_floating_point(), "[", op, "] expected params[", index,
                     "] of a floating-point dtype; got ", params[index].dtype());
  }
  for (const NamedList& list : lists) check_list(op, params, list);
  for (const NamedList& list : optional_lists) {
    if (!list.tensors->empty()) check_list(op, params, list);
  }
}

void check_state_steps(std::string_view op, const std::vector<Tensor>& params,
                       const std::vector<Tensor>& state_steps) {
  EMBER_CHECK_VALUE(state_steps.size() == params.size(), "[", op,
                    "] expected state_steps to hold one tensor per parameter (", params.size(),
                    "); got ", state_steps.size());
  for (size_t index = 0; index < state_steps.size(); ++index) {
    EMBER_CHECK_VALUE(state_steps[index].defined() && state_steps[index].numel() == 1, "[", op,
                      "] expected state_steps[", index, "] to be a one-element tensor; got ",
                      state_steps[index].defined() ? "shape " : "an undefined tensor",
                      state_steps[index].defined() ? shape_str(state_steps[index].shape()) : "");
  }
}

double increment_step(const Tensor& step) {
  if (step.dtype() == kFloat) {
    float* value = step.data_ptr<float>();
    *value += 1.0f;
    step.storage()->bump_version();
    return *value;
  }
  if (step.dtype() == kDouble) {
    double* value = step.data_ptr<double>();
    *value += 1.0;
    step.storage()->bump_version();
    return *value;
  }
  const double value = step.item<double>() + 1.0;
  step.detach().fill_(value);
  return value;
}

bool takes_raw_loop(const std::vector<Tensor>& params,
                    std::initializer_list<const std::vector<Tensor>*> lists, size_t index) {
  const ScalarType dtype = params[index].dtype();
  if (dtype != kFloat && dtype != kDouble) return false;
  if (!params[index].is_contiguous()) return false;
  return std::all_of(lists.begin(), lists.end(), [&](const std::vector<Tensor>* list) {
    return list->empty() || (*list)[index].is_contiguous();
  });
}

void bump_versions(std::initializer_list<const std::vector<Tensor>*> lists, size_t index) {
  for (const std::vector<Tensor>* list : lists) {
    if (!list->empty()) (*list)[index].storage()->bump_version();
  }
}

std::vector<Chunk> chunks_of(const std::vector<Tensor>& params,
                             const std::vector<size_t>& indices) {
  std::vector<Chunk> chunks;
  chunks.reserve(indices.size());
  for (const size_t index : indices) {
    const int64_t numel = params[index].numel();
    for (int64_t begin = 0; begin < numel; begin += kChunkElements) {
      chunks.push_back({index, begin, std::min(numel, begin + kChunkElements)});
    }
  }
  return chunks;
}

int64_t total_elements(const std::vector<Tensor>& params, const std::vector<size_t>& indices) {
  int64_t total = 0;
  for (const size_t index : indices) total += params[index].numel();
  return total;
}

}  // namespace ember::optim_detail
