// The shared checks, step counters and buffers of the fused optimizer ops (optim_multi_tensor.h).
#include "ember/ops/optim_multi_tensor.h"

#include "ember/base/error.h"

namespace ember::optim_detail {

namespace {

void check_count(std::string_view op, std::string_view name, size_t count, size_t params) {
  EMBER_CHECK_VALUE(count == params, "[", op, "] expected ", name,
                    " to hold one tensor per parameter (", params, "); got ", count);
}

void check_matches(std::string_view op, std::string_view name, TensorList params,
                   TensorList tensors) {
  check_count(op, name, tensors.size(), params.size());
  for (size_t index = 0; index < params.size(); ++index) {
    const Tensor& param = params[index];
    const Tensor& tensor = tensors[index];
    EMBER_CHECK_VALUE(tensor.defined(), "[", op, "] expected ", name, "[", index,
                      "] to be a tensor; got an undefined tensor");
    EMBER_CHECK_VALUE(tensor.shape() == param.shape(), "[", op, "] expected ", name, "[", index,
                      "] of the parameter's shape ", param.shape(), "; got shape ", tensor.shape());
    EMBER_CHECK_TYPE(tensor.dtype() == param.dtype(), "[", op, "] expected ", name, "[", index,
                     "] of the parameter's dtype ", param.dtype(), "; got ", tensor.dtype());
    EMBER_CHECK_VALUE(tensor.device() == param.device(), "[", op, "] expected ", name, "[", index,
                      "] on the parameter's device ", param.device(), "; got ", tensor.device());
  }
}

}  // namespace

void check_lists(std::string_view op, TensorList params, TensorList grads,
                 std::initializer_list<StateList> states) {
  for (size_t index = 0; index < params.size(); ++index) {
    const Tensor& param = params[index];
    EMBER_CHECK_VALUE(param.defined(), "[", op, "] expected params[", index,
                      "] to be a tensor; got an undefined tensor");
    EMBER_CHECK_TYPE(param.is_floating_point(), "[", op, "] expected params[", index,
                     "] of a floating-point dtype; got ", param.dtype());
    EMBER_CHECK_VALUE(param.device().is_cpu() || param.device().is_cuda(), "[", op,
                      "] expected params[", index, "] on the CPU or a CUDA device; got ",
                      param.device());
    // One step runs on one device. The optimizers do not yet split a group by device (as
    // PyTorch's fused steps do), so a mixed group raises here.
    EMBER_CHECK_VALUE(param.device() == params[0].device(), "[", op, "] expected params[", index,
                      "] on the device of params[0] (", params[0].device(), "); got ",
                      param.device());
  }
  check_matches(op, "grads", params, grads);
  for (const StateList& state : states) {
    if (state.unused_when.empty()) {
      check_matches(op, state.name, params, state.tensors);
    } else {
      EMBER_CHECK_VALUE(state.tensors.empty(), "[", op, "] expected no ", state.name, " ",
                        state.unused_when, "; got ", state.tensors.size());
    }
  }
}

void check_scalars(std::string_view op, std::string_view name, TensorList params,
                   TensorList scalars) {
  check_count(op, name, scalars.size(), params.size());
  for (size_t index = 0; index < scalars.size(); ++index) {
    const Tensor& scalar = scalars[index];
    EMBER_CHECK_VALUE(scalar.defined(), "[", op, "] expected ", name, "[", index,
                      "] to be a tensor; got an undefined tensor");
    EMBER_CHECK_VALUE(scalar.numel() == 1, "[", op, "] expected ", name, "[", index,
                      "] to be a tensor of one element; got shape ", scalar.shape());
    EMBER_CHECK_TYPE(scalar.is_floating_point(), "[", op, "] expected ", name, "[", index,
                     "] of a floating-point dtype; got ", scalar.dtype());
  }
}

std::vector<double> increment_steps(TensorList state_steps) {
  std::vector<double> steps;
  steps.reserve(state_steps.size());
  for (const Tensor& step : state_steps) {
    steps.push_back(store_scalar(step, step.item<double>() + 1.0));
  }
  return steps;
}

double store_scalar(const Tensor& scalar, double value) {
  Tensor target = scalar.detach();
  target.fill_(value);
  return target.item<double>();
}

ParamArrays::ParamArrays(TensorList params, TensorList grads,
                         std::initializer_list<TensorList> states) {
  EMBER_CHECK(states.size() + 2 <= kMaxArrays, "[ParamArrays] expected at most ", kMaxArrays - 2,
              " state lists; got ", states.size());
  const size_t count = params.size();
  originals_.resize(count);
  working_.resize(count);
  pointers_.resize(count);
  numel_.resize(count);
  is_double_.resize(count);
  for (size_t index = 0; index < count; ++index) {
    auto& originals = originals_[index];
    originals[0] = params[index];
    originals[1] = grads[index];
    size_t slot = 2;
    for (TensorList state : states) {
      if (!state.empty()) originals[slot] = state[index];
      ++slot;
    }
    const bool is_double = params[index].dtype() == kDouble;
    const ScalarType compute = is_double ? kDouble : kFloat;
    for (size_t k = 0; k < slot; ++k) {
      const Tensor& tensor = originals[k];
      if (!tensor.defined()) continue;
      const bool in_place = tensor.dtype() == compute && tensor.is_contiguous();
      working_[index][k] = in_place ? tensor.detach() : tensor.detach().to(compute).contiguous();
      pointers_[index][k] = working_[index][k].data_ptr();
    }
    is_double_[index] = is_double;
    numel_[index] = params[index].numel();
    device_ = params[index].device();
    total_numel_ += numel_[index];
  }
}

void ParamArrays::write_back() {
  for (size_t index = 0; index < originals_.size(); ++index) {
    for (size_t k = 0; k < kMaxArrays; ++k) {
      if (k == 1 || !originals_[index][k].defined()) continue;
      Tensor original = originals_[index][k].detach();
      if (working_[index][k].data_ptr() == original.data_ptr()) {
        original.storage()->bump_version();
      } else {
        original.copy_(working_[index][k]);
      }
    }
  }
}

}  // namespace ember::optim_detail
