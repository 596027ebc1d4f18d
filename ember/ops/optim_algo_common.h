// The multi-tensor machinery behind the fused optimizer steps of Adamax, NAdam, RAdam, RMSprop,
// Adagrad, Adadelta, Rprop and ASGD (ember/ops/optim_<algo>.cpp): the checks of the parameter,
// gradient and state lists, the step counters, and the loop that runs one algorithm's update over
// every element of every parameter, in chunks spread over the thread pool. Included only by those
// files (it holds the loop template). SGD, Adam and AdamW (h-optim's optim_multi_tensor.h) take
// non-contiguous and reduced-precision parameters through their composite instead; this file
// copies them into float32/float64 buffers, so every parameter takes the one fused loop.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "ember/base/parallel.h"
#include "ember/ops/shape.h"
#include "ember/tensor/tensor.h"

namespace ember::optim_algo {

// A list of per-parameter state tensors with the name its errors use ("exp_avgs"). An optional
// list is empty when its option is off (RMSprop's momentum_buffer_list without momentum).
struct StateList {
  const char* name;
  TensorList tensors;
  bool optional = false;
};

// Checks the arguments every fused step shares: grads and each non-empty state list hold one
// tensor per parameter, of the parameter's shape, dtype and device; every tensor is floating
// point; state_steps (when given) holds one single-element tensor per parameter.
void check_lists(const char* op, TensorList params, TensorList grads,
                 std::initializer_list<StateList> states, TensorList state_steps);

// Checks that `scalars` (per-parameter scalar state such as NAdam's mu_products) holds one
// single-element floating-point tensor per parameter.
void check_scalars(const char* op, const char* name, TensorList params, TensorList scalars);

// Adds 1 to each step counter in place (PyTorch's state['step'] += 1) and returns the new counts.
std::vector<double> increment_steps(TensorList state_steps);

// Writes `value` into a single-element state tensor (in its own dtype) and returns it as read back.
double store_scalar(const Tensor& scalar, double value);

// Up to this many arrays per parameter: the parameter, its gradient and its states.
inline constexpr size_t kMaxArrays = 6;

// The arrays of one group's parameters as contiguous buffers of one compute type each (double for
// float64 parameters, float otherwise): index 0 the parameter, 1 the gradient, then the state
// lists in order (a null pointer for an empty list). A tensor already contiguous in the compute
// type is used in place; any other is copied into a buffer that write_back() copies back (the
// gradient is only read).
class ParamArrays {
 public:
  ParamArrays(TensorList params, TensorList grads, std::initializer_list<TensorList> states);
  size_t size() const { return originals_.size(); }
  int64_t numel(size_t index) const { return numel_[index]; }
  bool is_double(size_t index) const { return is_double_[index]; }
  const std::array<void*, kMaxArrays>& pointers(size_t index) const { return pointers_[index]; }
  int64_t total_numel() const { return total_numel_; }
  // Copies the buffers back into the tensors they stand for and bumps the version of every
  // tensor written in place, as an in-place op does.
  void write_back();

 private:
  std::vector<std::array<Tensor, kMaxArrays>> originals_;
  std::vector<std::array<Tensor, kMaxArrays>> working_;
  std::vector<std::array<void*, kMaxArrays>> pointers_;
  std::vector<int64_t> numel_;
  std::vector<bool> is_double_;
  int64_t total_numel_ = 0;
};

// torch.lerp's rounding: self + weight * (end - self), from the far end for weights of 0.5 and up.
template <typename T>
inline T lerp_value(T self, T end, T weight) {
  return weight < T(0.5) ? self + weight * (end - self) : end - (end - self) * (T(1) - weight);
}

// The gradient an update uses: negated for maximize, plus weight_decay * param (L2 penalty).
template <typename T>
inline T effective_grad(T grad, T param, bool maximize, T weight_decay) {
  const T sign_corrected = maximize ? -grad : grad;
  return weight_decay != T(0) ? sign_corrected + weight_decay * param : sign_corrected;
}

// Elements of one work item: large tensors are split so that every thread gets a share.
inline constexpr int64_t kChunk = int64_t{1} << 15;

// Runs update.template apply<T>(index, arrays, begin, end) over every element range of every
// parameter (T float or double, arrays as ParamArrays lays them out), in parallel when the group
// is large, then writes the results back.
template <typename Update>
void for_each_chunk(ParamArrays& arrays, const Update& update) {
  struct Item {
    size_t index;
    int64_t begin;
    int64_t end;
  };
  std::vector<Item> items;
  for (size_t index = 0; index < arrays.size(); ++index) {
    for (int64_t begin = 0; begin < arrays.numel(index); begin += kChunk) {
      items.push_back({index, begin, std::min(arrays.numel(index), begin + kChunk)});
    }
  }
  auto run_items = [&](int64_t first, int64_t last) {
    for (int64_t item = first; item < last; ++item) {
      const Item& work = items[static_cast<size_t>(item)];
      const auto& pointers = arrays.pointers(work.index);
      if (arrays.is_double(work.index)) {
        std::array<double*, kMaxArrays> typed{};
        for (size_t k = 0; k < kMaxArrays; ++k) typed[k] = static_cast<double*>(pointers[k]);
        update.template apply<double>(work.index, typed, work.begin, work.end);
      } else {
        std::array<float*, kMaxArrays> typed{};
        for (size_t k = 0; k < kMaxArrays; ++k) typed[k] = static_cast<float*>(pointers[k]);
        update.template apply<float>(work.index, typed, work.begin, work.end);
      }
    }
  };
  const auto count = static_cast<int64_t>(items.size());
  if (arrays.total_numel() < kGrain) {
    run_items(0, count);
  } else {
    parallel_for(0, count, 1, run_items);
  }
  arrays.write_back();
}

}  // namespace ember::optim_algo
