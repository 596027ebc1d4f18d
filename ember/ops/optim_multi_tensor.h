// What every fused optimizer op (ember/ops/optim_<algo>.cpp) shares: the checks of its parameter,
// gradient and state lists, the step counters, and the loop that runs one algorithm's update
// (optim_updates.h) over every element of every parameter, in chunks of all parameters spread over
// the thread pool together (Note [fused optimizer ops] in docs/architecture.md), or, for CUDA
// parameters, the algorithm's CUDA kernel (Note [CUDA optimizer steps]). A parameter whose tensors
// are not contiguous float32/float64 is copied into such buffers and back, so every parameter of
// every algorithm takes the one fused loop. Included only by those files: it holds the loop
// template.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/ops/cuda_optim_kernels.h"
#include "ember/ops/optim_updates.h"
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

// Checks the lists every fused step shares: params are defined floating-point tensors, all on the
// CPU or all on one CUDA device; grads and each used state list hold one tensor per parameter, of
// its shape, dtype and device; each unused state list is empty. Errors read
// `[op] expected ...; got ...`.
void check_lists(std::string_view op, TensorList params, TensorList grads,
                 std::initializer_list<StateList> states);

// Checks that `scalars` (state_steps, or per-parameter scalar state such as NAdam's mu_products)
// holds one floating-point tensor of one element per parameter.
void check_scalars(std::string_view op, std::string_view name, TensorList params,
                   TensorList scalars);

// Adds 1 to each step counter in place (PyTorch's state['step'] += 1) and returns the new counts.
// The counters are CPU tensors, as PyTorch keeps them unless capturable; a counter on a CUDA
// device is read back with one synchronising copy (item), as PyTorch's non-capturable steps do.
std::vector<double> increment_steps(TensorList state_steps);

// Writes `value` into a one-element state tensor (in its own dtype) and returns it as read back.
double store_scalar(const Tensor& scalar, double value);

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
  // Where the arrays live (the parameters' device; the CPU for an empty group).
  Device device() const { return device_; }
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
  Device device_ = Device(DeviceType::CPU);
};

// Elements of one work item: large tensors are split so that every thread gets a share.
inline constexpr int64_t kChunkElements = int64_t{1} << 16;

// Runs one step of `update` (an Update of optim_updates.h, with one Coefficients per parameter)
// over every element range of every parameter, then writes the results back. On the CPU the
// ranges run in parallel when the group holds enough elements to pay for the fork
// (`cost_per_element` scales that threshold the way parallel_for's callers scale their grain);
// CUDA parameters take the algorithm's registered kernel, and raise "[op] has no CUDA kernel"
// without one.
template <typename Update>
void for_each_chunk(std::string_view op, ParamArrays& arrays, const Update& update,
                    const std::vector<typename Update::Coefficients>& coefficients,
                    int64_t cost_per_element = 1) {
  EMBER_CHECK(coefficients.size() == arrays.size(), "[", op, "] expected ", arrays.size(),
              " step coefficients; got ", coefficients.size());
  if (arrays.device().is_cuda()) {
    const CudaOptimKernel kernel = cuda_optim_kernel(Update::kAlgorithm);
    if (kernel == nullptr) raise_no_kernel(op, "CUDA");
    kernel(arrays, &update, coefficients.data());
    arrays.write_back();
    return;
  }
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
  auto run_typed = [&](const Item& work, auto zero) {
    using T = decltype(zero);
    Arrays<T> typed{};
    const auto& pointers = arrays.pointers(work.index);
    for (size_t k = 0; k < kMaxArrays; ++k) typed.data[k] = static_cast<T*>(pointers[k]);
    const typename Update::template Element<T> element(update, coefficients[work.index]);
    for (int64_t i = work.begin; i < work.end; ++i) element(typed, i);
  };
  auto run_items = [&](int64_t first, int64_t last) {
    for (int64_t item = first; item < last; ++item) {
      const Item& work = items[static_cast<size_t>(item)];
      if (arrays.is_double(work.index)) {
        run_typed(work, 0.0);
      } else {
        run_typed(work, 0.0f);
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
