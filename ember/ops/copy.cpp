// copy_ (broadcasting, casting, overlap-checked), clone, to(), and the in-place rules every
// in-place op shares: the casting rule (B4) and the memory-overlap checks (B16, B17).
#include <algorithm>

#include "ember/base/error.h"
#include "ember/ops/device_copy.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember {

// Whether the elements of t occupy a dense block with no two sharing memory, in some dim order.
bool is_non_overlapping_and_dense(const Tensor& t) {
  if (t.dim() == 1) return t.shape()[0] < 2 || t.strides()[0] == 1;
  SmallVector<int64_t, 6> order(static_cast<size_t>(t.dim()), 0);
  for (int64_t d = 0; d < t.dim(); ++d) order[d] = d;
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    if (t.shape()[a] < 2) return false;
    if (t.shape()[b] < 2) return true;
    return t.strides()[a] < t.strides()[b];
  });
  int64_t expected = 1;
  for (int64_t d : order) {
    const int64_t size = t.shape()[d];
    if (size == 1) continue;
    if (t.strides()[d] != expected) return false;
    expected *= size;
  }
  return true;
}

void check_inplace_cast(std::string_view op, ScalarType from, ScalarType to) {
  EMBER_CHECK(can_cast(from, to), "[", op, "] result type ", from,
              " can't be cast to the desired output type ", to);
}

void check_no_internal_overlap(std::string_view op, const Tensor& written) {
  if (written.numel() == 0) return;  // (2, 0) has stride 0 in dim 0 but no elements
  for (int64_t d = 0; d < written.dim(); ++d) {
    EMBER_CHECK(written.shape()[d] < 2 || written.strides()[d] != 0, "[", op,
                "] unsupported operation: more than one element of the written-to tensor refers "
                "to a single memory location. Please clone() the tensor before performing the "
                "operation.");
  }
}

void check_no_partial_overlap(std::string_view op, const Tensor& written, const Tensor& input) {
  if (written.numel() == 0 || input.numel() == 0) return;
  if (written.storage().get() != input.storage().get()) return;
  // Only dense layouts are decided, as in PyTorch: other overlaps are too costly to detect.
  if (!is_non_overlapping_and_dense(written) || !is_non_overlapping_and_dense(input)) return;
  const char* written_begin = static_cast<const char*>(written.data_ptr());
  const char* input_begin = static_cast<const char*>(input.data_ptr());
  const char* written_end = written_begin + written.nbytes();
  const char* input_end = input_begin + input.nbytes();
  if (written_begin == input_begin && written_end == input_end &&
      written.strides() == input.strides()) {
    return;  // exact aliasing (x.add_(x)) is well defined
  }
  EMBER_CHECK(written_end <= input_begin || input_end <= written_begin, "[", op,
              "] unsupported operation: some elements of the input tensor and the written-to "
              "tensor refer to a single memory location. Please clone() the tensor before "
              "performing the operation.");
}

// A source on another device is allowed, as PyTorch's copy_: it moves to the destination's
// device first (`to`, which records the transfer, so its gradient goes back to the source's
// device), and the cast and broadcast happen there.
Tensor& copy_(Tensor& dst, const Tensor& src) {
  const Shape broadcast = broadcast_shapes(dst.shape(), src.shape(), "copy_");
  EMBER_CHECK(broadcast == dst.shape(), "[copy_] the source of shape ", src.shape(),
              " cannot be broadcast to the destination of shape ", dst.shape());
  if (dst.numel() == 0) return dst;
  check_no_internal_overlap("copy_", dst);
  if (src.device() != dst.device()) {
    run(Copy(), {to(src, dst.device(), std::nullopt, /*non_blocking=*/false, false)}, {dst});
    return dst;
  }
  check_no_partial_overlap("copy_", dst, src);
  if (!dst.is_same(src)) run(Copy(), {src}, {dst});
  return dst;
}

Tensor clone(const Tensor& self) {
  Tensor result = empty(self.shape(), TensorOptions(self.dtype()).device(self.device()));
  run_unless_empty(Copy("clone"), {self}, {result});
  return result;
}

Tensor to(const Tensor& self, std::optional<Device> device, std::optional<ScalarType> dtype,
          bool copy) {
  return to(self, device, dtype, /*non_blocking=*/false, copy);
}

}  // namespace ember
