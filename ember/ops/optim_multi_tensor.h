// What every fused optimizer op (ember/ops/optim_<algo>.cpp) shares: the checks of its parameter,
// gradient and state lists, the step counters, and the loop that runs one algorithm's update over
// every element of every parameter, in chunks of all parameters spread over the thread pool
// together (Note [fused optimizer ops] in docs/architecture.md). A parameter whose tensors are not
// contiguous float32/float64 is copied into such buffers and back, so every parameter of every
// algorithm takes the one fused loop. Included only by those files: it holds the loop template.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "ember/base/parallel.h"
#include "ember/ops/shape.h"
#include "ember/tensor/tensor.h"

namespace ember::optim_detail {

// A list of per-parameter state tensors with the name its errors use ("exp_avgs"). `unused_when`
// is set when an option leaves the list unused ("when momentum is 0"): the list must then be
// empty.
struct StateList {
  std::string_view name;
  TensorList tensors;
  std::string_view unused_when = {};
};

// Checks the lists every fused step shares: params are defined floating-point CPU tensors; grads
// and each used state list hold one tensor per parameter, of its shape, dtype and device; each
// unused state list is empty. Errors read `[op] expected ...; got ...`.
void check_lists(std::string_view op, TensorList params, TensorList grads,
                 std::initializer_list<StateList> states);

// Checks that `scalars` (state_steps, or per-parameter scalar state such as NAdam's mu_products)
// holds one floating-point tensor of one element per parameter.
void check_scalars(std::string_view op, std::string_view name, TensorList params,
                   TensorList scalars);

// Adds 1 to each step counter in place (PyTorch's state['step'] += 1) and returns the new counts.
std::vector<double> increment_steps(TensorList state_steps);

// Writes `value` into a one-element state tensor (in its own dtype) and returns it as read back.
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
  // tensor written in place, as an in-place op does (autograd's check of saved tensors).
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
inline constexpr int64_t kChunkElements = int64_t{1} << 16;

// Runs update.template apply<T>(index, arrays, begin, end) over every element range of every
// parameter (T float or double, arrays as ParamArrays lays them out), then writes the results
// back. The ranges run in parallel when the group holds enough elements to pay for the fork;
// `cost_per_element` scales that threshold the way parallel_for's callers scale their grain.
template <typename Update>
void for_each_chunk(ParamArrays& arrays, const Update& update, int64_t cost_per_element = 1) {
  struct Item {
    size_t index;
    int64_t begin;
    int64_t end;
  };
  std::vector<Item> items;
  for (size_t index = 0; index < arrays.size(); ++index) {
    for (int64_t begin = 0; begin < arrays.numel(index); begin += kChunkElements) {
      items.push_back({index, begin, std::min(arrays.numel(index), begin + kChunkElements)});
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
  if (arrays.total_numel() * std::max<int64_t>(cost_per_element, 1) < kGrain || count < 2) {
    run_items(0, count);
  } else {
    parallel_for(0, count, 1, run_items);
  }
  arrays.write_back();
}

}  // namespace ember::optim_detail
