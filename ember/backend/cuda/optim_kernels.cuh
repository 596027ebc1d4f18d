// The body of the fused optimizer steps' CUDA kernel (Note [CUDA optimizer steps]), in the
// vocabulary of kernel_grid.h: optim.cu launches it on the GPU, kernel_emulation_optim_test.cpp
// runs it in the CPU emulator. One launch covers every parameter of a group (of one compute type):
// a table in device memory lists each parameter's arrays and step coefficients, and the chunks
// the parameters are cut into; each block takes chunks, its threads the chunk's elements, and
// every element runs the algorithm's Element<T> (optim_updates.h), the code the CPU loop runs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_multi_tensor.h"
#include "ember/ops/optim_updates.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

// One parameter: its arrays and its step's coefficients.
template <typename Update, typename T>
struct OptimEntry {
  optim_detail::Arrays<T> arrays;
  typename Update::Coefficients coefficients;
};

// A range of one parameter's elements, the work of one block.
struct OptimChunk {
  int64_t entry;
  int64_t begin;
  int64_t end;
};

// Elements per chunk: enough per thread to amortise building Element<T>, small enough that a
// group of small parameters still spreads over many blocks.
inline constexpr int64_t kOptimChunkElements = 8192;
inline constexpr uint32_t kOptimThreads = 256;
inline constexpr uint32_t kOptimMaxBlocks = 65535;

template <typename Update, typename T>
struct MultiTensorApply {
  Update update;
  const OptimEntry<Update, T>* entries;
  const OptimChunk* chunks;
  int64_t chunk_count;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t c = ctx.block_idx().x; c < chunk_count; c += ctx.grid_dim().x) {
      const OptimChunk chunk = chunks[c];
      const OptimEntry<Update, T>& entry = entries[chunk.entry];
      const typename Update::template Element<T> element(update, entry.coefficients);
      for (int64_t i = chunk.begin + ctx.thread_idx().x; i < chunk.end; i += ctx.block_dim().x) {
        element(entry.arrays, i);
      }
    }
  }
};

// Launches the step over the parameters of `arrays` whose compute type is T: the table (entries,
// then chunks) goes to the arrays' device in one copy and lives until the launch is queued (the
// caching allocator reuses its block only in stream order).
template <typename T, typename Update, typename Launch>
void run_multi_tensor_typed(const optim_detail::ParamArrays& arrays, const Update& update,
                            const typename Update::Coefficients* coefficients,
                            const Launch& launch) {
  using Entry = OptimEntry<Update, T>;
  std::vector<Entry> entries;
  std::vector<OptimChunk> chunks;
  for (size_t index = 0; index < arrays.size(); ++index) {
    if (arrays.is_double(index) != std::is_same_v<T, double> || arrays.numel(index) == 0) {
      continue;
    }
    Entry entry{};
    for (size_t k = 0; k < optim_detail::kMaxArrays; ++k) {
      entry.arrays.data[k] = static_cast<T*>(arrays.pointers(index)[k]);
    }
    entry.coefficients = coefficients[index];
    for (int64_t begin = 0; begin < arrays.numel(index); begin += kOptimChunkElements) {
      chunks.push_back({static_cast<int64_t>(entries.size()), begin,
                        std::min(arrays.numel(index), begin + kOptimChunkElements)});
    }
    entries.push_back(entry);
  }
  if (chunks.empty()) return;
  const size_t entry_bytes = entries.size() * sizeof(Entry);
  const size_t chunk_offset =
      (entry_bytes + alignof(OptimChunk) - 1) / alignof(OptimChunk) * alignof(OptimChunk);
  const size_t total = chunk_offset + chunks.size() * sizeof(OptimChunk);
  Tensor host = empty({static_cast<int64_t>(total)}, TensorOptions(kUInt8));
  auto* bytes = static_cast<unsigned char*>(host.data_ptr());
  std::memcpy(bytes, entries.data(), entry_bytes);
  std::memcpy(bytes + chunk_offset, chunks.data(), chunks.size() * sizeof(OptimChunk));
  const Tensor table = host.to(arrays.device(), kUInt8);
  auto* device_bytes = static_cast<unsigned char*>(table.data_ptr());
  MultiTensorApply<Update, T> body{update, reinterpret_cast<const Entry*>(device_bytes),
                                   reinterpret_cast<const OptimChunk*>(device_bytes + chunk_offset),
                                   static_cast<int64_t>(chunks.size())};
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(
      std::min<int64_t>(static_cast<int64_t>(chunks.size()), kOptimMaxBlocks));
  shape.block.x = kOptimThreads;
  launch(shape, body);
}

// One step of `update` over every parameter of `arrays`: one launch per compute type present.
template <typename Update, typename Launch>
void run_multi_tensor(const optim_detail::ParamArrays& arrays, const Update& update,
                      const typename Update::Coefficients* coefficients, const Launch& launch) {
  run_multi_tensor_typed<float>(arrays, update, coefficients, launch);
  run_multi_tensor_typed<double>(arrays, update, coefficients, launch);
}

}  // namespace ember::cuda
