// Cat's kernel. The output is contiguous, so each input fills one run of every outer row; a
// contiguous input's run is one memcpy. Work is split over (outer row, input) pairs, so both
// many small inputs and a few large ones spread over the threads; a strided input is copied by
// the elementwise copy kernel into its slice of the output.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "ember/base/parallel.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_shape.h"

namespace ember {
namespace {
constexpr int64_t kShortRun = 32;  // elements below which a run is copied element by element
// Bytes below which the memcpy runs stay on one thread (DESIGN §4: parallel only above a grain
// size). One core's memcpy moves several GB/s and nearly saturates the memory bus, so threads
// gain little on a copy, while each fork/join costs microseconds on an idle machine and
// milliseconds on a loaded one (threads descheduled at the barrier): stacking a DataLoader batch
// (256 MNIST images, 800 KB) forked a team per batch and ran 47x slower than on one thread.
constexpr int64_t kCopyGrainBytes = int64_t{1} << 22;
}  // namespace

void Cat::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& out = outputs[0];
  if (out.numel() == 0) return;
  const Shape& shape = out.shape();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < dim_; ++d) outer *= shape[d];
  for (size_t d = static_cast<size_t>(dim_) + 1; d < shape.size(); ++d) inner *= shape[d];
  const int64_t row = shape[dim_] * inner;
  const auto item = static_cast<int64_t>(out.element_size());
  auto* out_bytes = static_cast<char*>(out.data_ptr());

  // The contiguous inputs' runs: source, width and position within an output row (elements).
  struct Run {
    const char* source;
    int64_t width, position;
  };
  std::vector<Run> runs;
  runs.reserve(inputs.size());
  int64_t position = 0;
  for (const Tensor& input : inputs) {
    const int64_t length = input.shape()[dim_];
    const int64_t width = length * inner;
    if (width > 0 && outer > 0) {
      if (input.is_contiguous()) {
        runs.push_back({static_cast<const char*>(input.data_ptr()), width, position});
      } else {
        Shape slice_shape = shape;
        slice_shape[dim_] = length;
        const Tensor slice(
            IntrusivePtr<TensorImpl>::make(out.storage(), out.storage_offset() + position,
                                           std::move(slice_shape), out.strides(), out.dtype()));
        const Tensor copy_outputs[] = {slice};
        Copy().eval_cpu(TensorSpan(&input, 1), TensorSpan(copy_outputs));
      }
    }
    position += width;
  }
  if (runs.empty()) return;
  const auto count = static_cast<int64_t>(runs.size());
  const int64_t units = outer * count;
  const int64_t average = std::max<int64_t>(1, outer * row / units);
  // Units per thread: the element-gathering loop below follows the elementwise grain, the
  // memcpy runs the copy grain in bytes.
  const int64_t grain = std::max<int64_t>(1, kGrain / average);
  const int64_t copy_grain = std::max<int64_t>(1, kCopyGrainBytes / (average * item));
  bool uniform = runs.size() == inputs.size();
  for (const Run& run : runs) uniform &= run.width == runs[0].width;
  const int64_t uniform_width = uniform ? runs[0].width : 0;
  // Elements of the item's size copied as integers: a short run (stack along a late dim makes
  // runs of one element) costs a load and a store instead of a memcpy call.
  auto copy_units = [&]<typename Word>(Word*) {
    if (uniform_width == 1) {
      // stack along the last dim: each output row gathers one element of every input.
      parallel_for(0, units, grain, [&](int64_t begin, int64_t end) {
        int64_t o = begin / count;
        auto i = static_cast<size_t>(begin % count);
        Word* target = reinterpret_cast<Word*>(out_bytes) + begin;
        for (int64_t unit = begin; unit < end; ++unit) {
          *target++ = reinterpret_cast<const Word*>(runs[i].source)[o];
          if (++i == runs.size()) {
            i = 0;
            ++o;
          }
        }
      });
      return;
    }
    parallel_for(0, units, copy_grain, [&](int64_t begin, int64_t end) {
      int64_t o = begin / count;
      auto i = static_cast<size_t>(begin % count);
      for (int64_t unit = begin; unit < end; ++unit) {
        const Run& run = runs[i];
        auto* target = reinterpret_cast<Word*>(out_bytes) + o * row + run.position;
        const auto* source = reinterpret_cast<const Word*>(run.source) + o * run.width;
        if (run.width >= kShortRun) {
          std::memcpy(target, source, static_cast<size_t>(run.width) * sizeof(Word));
        } else {
          for (int64_t k = 0; k < run.width; ++k) target[k] = source[k];
        }
        if (++i == runs.size()) {
          i = 0;
          ++o;
        }
      }
    });
  };
  switch (item) {
    case 1:
      return copy_units(static_cast<uint8_t*>(nullptr));
    case 2:
      return copy_units(static_cast<uint16_t*>(nullptr));
    case 4:
      return copy_units(static_cast<uint32_t*>(nullptr));
    default:
      return copy_units(static_cast<uint64_t*>(nullptr));
  }
}

}  // namespace ember
