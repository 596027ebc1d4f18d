// What every fused optimizer op (ember/ops/optim_<algo>.cpp) shares: the checks of its tensor
// lists, the split of parameters into those the raw loop updates (float32/float64, every tensor
// of the parameter contiguous) and those the composite updates, and the parallel loop over
// chunks of all of them at once (Note [fused optimizer ops] in docs/architecture.md).
// Included only by those files: it holds templates.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/tensor/tensor.h"

namespace ember::optim_detail {

// One named list of an op's arguments, for the checks and the error messages.
struct NamedList {
  std::string_view name;
  const std::vector<Tensor>* tensors;
};

// Checks that params is a list of defined floating-point tensors and that every other list has
// as many tensors, each of its parameter's shape, dtype and device. `optional` lists may be
// empty instead.
void check_tensor_lists(std::string_view op, const std::vector<Tensor>& params,
                        std::initializer_list<NamedList> lists,
                        std::initializer_list<NamedList> optional_lists = {});

// Checks that state_steps holds one defined single-element tensor per parameter.
void check_state_steps(std::string_view op, const std::vector<Tensor>& params,
                       const std::vector<Tensor>& state_steps);

// Adds 1 to the step counter (a one-element tensor, PyTorch's state['step']) and returns its new
// value: through its data for float32/float64, through fill_ otherwise.
double increment_step(const Tensor& step);

// Whether parameter `index` goes through the raw loop: float32 or float64, and the tensor at
// `index` of every list contiguous (empty lists are skipped).
bool takes_raw_loop(const std::vector<Tensor>& params,
                    std::initializer_list<const std::vector<Tensor>*> lists, size_t index);

// Marks the tensors at `index` of each list as modified in place (autograd's version check).
void bump_versions(std::initializer_list<const std::vector<Tensor>*> lists, size_t index);

// A run of elements of one parameter: the unit of parallel work.
struct Chunk {
  size_t tensor;
  int64_t begin;
  int64_t end;
};

// Cuts the parameters at `indices` into chunks of at most kChunkElements elements each.
inline constexpr int64_t kChunkElements = int64_t{1} << 16;
std::vector<Chunk> chunks_of(const std::vector<Tensor>& params, const std::vector<size_t>& indices);

// Runs body(chunk) over every chunk, in parallel when there are enough elements to pay for the
// fork. `cost_per_element` scales the grain the way parallel_for's callers do.
template <typename Body>
void for_each_chunk(const std::vector<Chunk>& chunks, int64_t total_elements,
                    int64_t cost_per_element, Body&& body) {
  const int64_t count = static_cast<int64_t>(chunks.size());
  const int64_t grain_elements = kGrain / (cost_per_element > 0 ? cost_per_element : 1);
  if (total_elements < grain_elements || count < 2) {
    for (const Chunk& chunk : chunks) body(chunk);
    return;
  }
  parallel_for(0, count, 1, [&](int64_t first, int64_t last) {
    for (int64_t index = first; index < last; ++index) body(chunks[static_cast<size_t>(index)]);
  });
}

// Total elements of the parameters at `indices`.
int64_t total_elements(const std::vector<Tensor>& params, const std::vector<size_t>& indices);

}  // namespace ember::optim_detail
