// Primitives of the pooling family (see primitives.h for the contract): max and average pooling,
// fixed-window and adaptive, over up to three spatial dims, and average pooling's adjoint.
// Every pooling op of ops/nn_pool.cpp lays its input out as (planes, D, H, W) (1-d and 2-d pools
// lead with size-1 dims) and describes its windows per spatial dim as a PoolWindows table, so one
// kernel serves fixed, dilated, padded, ceil-mode and adaptive windows alike.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "ember/ops/primitive.h"

namespace ember {

// The windows of one spatial dim: output position o reads count[o] input positions first[o],
// first[o] + dilation, ... (all inside the input); extent[o] is its share of the averaging
// divisor (the window's size clipped to the padded input with count_include_pad, else count[o]).
struct PoolAxis {
  int64_t input_size = 1;
  int64_t dilation = 1;
  std::vector<int64_t> first{0};
  std::vector<int64_t> count{1};
  std::vector<int64_t> extent{1};
  int64_t output_size() const { return static_cast<int64_t>(first.size()); }
};

struct PoolWindows {
  std::array<PoolAxis, 3> axes;  // D, H, W
  int64_t divisor_override = 0;  // 0: divide by the product of the axes' extents
};

enum class PoolMode : uint8_t { Max, Avg };

// inputs: x (contiguous (planes, D, H, W), float32 or float64); outputs: y (planes, oD, oH, oW)
// and, for Max, indices (int64, same shape: the flat position d * H * W + h * W + w of each
// maximum in its plane). A NaN in a window is its maximum, as in PyTorch.
class Pool final : public Primitive {
 public:
  EMBER_PRIMITIVE(Pool, Pool)
  Pool(PoolMode mode, std::shared_ptr<const PoolWindows> windows)
      : mode_(mode), windows_(std::move(windows)) {}
  PoolMode mode() const { return mode_; }
  const PoolWindows& windows() const { return *windows_; }
  const std::shared_ptr<const PoolWindows>& shared_windows() const { return windows_; }
  std::string_view name() const override {
    return mode_ == PoolMode::Max ? "max_pool" : "avg_pool";
  }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  PoolMode mode_;
  std::shared_ptr<const PoolWindows> windows_;
};

// Average pooling's adjoint: each output gradient spread evenly (divided by its divisor) over
// its window. inputs: grad_y (contiguous (planes, oD, oH, oW)); outputs: grad_x (planes, D, H,
// W). Linear, so its gradient is Pool(Avg) with the same windows and autograd differentiates it
// to any order.
class AvgPoolBackward final : public Primitive {
 public:
  EMBER_PRIMITIVE(AvgPoolBackward, AvgPoolBackward)
  explicit AvgPoolBackward(std::shared_ptr<const PoolWindows> windows)
      : windows_(std::move(windows)) {}
  const PoolWindows& windows() const { return *windows_; }
  const std::shared_ptr<const PoolWindows>& shared_windows() const { return windows_; }
  std::string_view name() const override { return "avg_pool_backward"; }
  void eval_cpu(TensorSpan inputs, TensorSpan outputs) const override;

 private:
  std::shared_ptr<const PoolWindows> windows_;
};

}  // namespace ember
