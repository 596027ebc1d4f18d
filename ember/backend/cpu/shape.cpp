// Cat's kernel. The output is contiguous, so each input fills one run of every outer row; a
// contiguous input's run is one memcpy. Work is split over (outer row, input) pairs, so both
// many small inputs and a few large ones spread over the threads; a strided input is copied by
// the elementwise copy kernel into its slice of the output.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ember/base/parallel.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_shape.h"

namespace ember {

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
  parallel_for(0, units, std::max<int64_t>(1, kGrain / average), [&](int64_t begin, int64_t end) {
    for (int64_t unit = begin; unit < end; ++unit) {
      const int64_t o = unit / count;
      const Run& run = runs[static_cast<size_t>(unit % count)];
      std::memcpy(out_bytes + (o * row + run.position) * item, run.source + o * run.width * item,
                  static_cast<size_t>(run.width * item));
    }
  });
}

}  // namespace ember
