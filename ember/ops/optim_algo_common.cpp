// The shared checks and buffers of the fused optimizer steps (optim_algo_common.h).
#include "ember/ops/optim_algo_common.h"

#include "ember/base/error.h"

namespace ember::optim_algo {

namespace {

void check_matches(const char* op, const char* name, size_t index, const Tensor& tensor,
                   const Tensor& param) {
  EMBER_CHECK(tensor.defined(), "[", op, "] expected ", name, "[", index,
              "] to be a tensor; got an undefined tensor");
  EMBER_CHECK(tensor.shape() == param.shape() && tensor.dtype() == param.dtype() &&
                  tensor.device() == param.device(),
              "[", op, "] expected ", name, "[", index, "] to match params[", index, "] (shape ",
              param.shape(), ", dtype ", param.dtype(), ", device ", param.device(),
              "); got shape ", tensor.shape(), ", dtype ", tensor.dtype(), ", device ",
              tensor.device());
}

void check_count(const char* op, const char* name, size_t count, size_t params) {
  EMBER_CHECK(count == params, "[", op, "] expected one tensor in ", name, " per parameter (",
              params, "); got ", count);
}

}  // namespace

void check_lists(const char* op, TensorList params, TensorList grads,
                 std::initializer_list<StateList> states, TensorList state_steps) {
  check_count(op, "grads", grads.size(), params.size());
  for (size_t index = 0; index < params.size(); ++index) {
    const Tensor& param = params[index];
    EMBER_CHECK(param.defined(), "[", op, "] expected params[", index,
                "] to be a tensor; got an undefined tensor");
    EMBER_CHECK(param.is_floating_point(), "[", op,
                "] expected floating-point parameters; got params[", index, "] of dtype ",
                param.dtype());
    EMBER_CHECK(param.device().is_cpu(), "[", op, "] has no kernel for params[", index, "] on ",
                param.device());
    check_matches(op, "grads", index, grads[index], param);
  }
  for (const StateList& state : states) {
    if (state.optional && state.tensors.empty()) continue;
    check_count(op, state.name, state.tensors.size(), params.size());
    for (size_t index = 0; index < params.size(); ++index) {
      check_matches(op, state.name, index, state.tensors[index], params[index]);
    }
  }
  check_count(op, "state_steps", state_steps.size(), params.size());
  check_scalars(op, "state_steps", params, state_steps);
}

void check_scalars(const char* op, const char* name, TensorList params, TensorList scalars) {
  check_count(op, name, scalars.size(), params.size());
  for (size_t index = 0; index < scalars.size(); ++index) {
    const Tensor& scalar = scalars[index];
    EMBER_CHECK(scalar.defined(), "[", op, "] expected ", name, "[", index,
                "] to be a tensor; got an undefined tensor");
    EMBER_CHECK(scalar.numel() == 1 && scalar.is_floating_point(), "[", op, "] expected ", name,
                "[", index, "] to be a floating-point tensor of one element; got shape ",
                scalar.shape(), " of dtype ", scalar.dtype());
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

}  // namespace ember::optim_algo
