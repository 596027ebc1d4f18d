// The bodies of the classification-loss kernels (NllLoss, CrossEntropy, their backward passes,
// BinaryCrossEntropy; float32 and float64), in the vocabulary of kernel_grid.h: loss.cu launches
// them on the GPU, the kernel-emulation tests run them in the CPU emulator. Inputs are the
// primitives' canonical contiguous (N, C, S) layout: position `row` = n S + s has its C classes
// S elements apart. The forward passes run in one block: each thread takes positions in turn,
// writes their per-position outputs and adds their loss and weight in double (as the CPU's
// reduce_positions), and the block folds the sums for total_weight and the Sum/Mean loss. The
// backward passes and binary cross entropy give each thread positions or elements of their own.
// A target outside [0, C) (the ops layer checks them first) is reported as an IndexError.
#pragma once

#include <cstdint>
#include <limits>

#include "ember/backend/cuda/kernel_grid.h"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/elementwise/math.h"

namespace ember::cuda {

struct ClassLossShape {
  int64_t classes;    // C
  int64_t positions;  // S
  int64_t rows;       // N * S
  int64_t ignore_index;
  bool reduce;  // Sum or Mean: loss is one value
  bool mean;

  // The offset of class 0 of position `row`.
  EMBER_INLINE int64_t start(int64_t row) const {
    return (row / positions) * classes * positions + row % positions;
  }
  // The target of `row`, or -1 when ignored or (reported) out of range.
  template <typename Ctx>
  EMBER_INLINE int64_t target_of(Ctx& ctx, const int64_t* target, int64_t row) const {
    const int64_t t = target[row];
    if (t == ignore_index) return -1;
    if (t < 0 || t >= classes) {
      ctx.report_index_error(t, classes);
      return -1;
    }
    return t;
  }
};

struct LossWeightSums {
  double loss;
  double weight;
};
struct LossWeightFold {
  using Acc = LossWeightSums;
  static EMBER_INLINE Acc fold(Acc a, Acc b) { return Acc{a.loss + b.loss, a.weight + b.weight}; }
};

// Stores total_weight and, for Sum/Mean, the loss, from the block's sums (thread 0).
template <typename T, typename Ctx>
EMBER_INLINE void store_loss_sums(Ctx& ctx, const ClassLossShape& shape, LossWeightSums sums,
                                  T* loss, T* total_weight) {
  sums = block_fold_shared<LossWeightFold>(ctx, sums);
  if (linear_thread_in_block(ctx) != 0) return;
  total_weight[0] = static_cast<T>(sums.weight);
  if (shape.reduce) loss[0] = static_cast<T>(shape.mean ? sums.loss / sums.weight : sums.loss);
}

// The factor of position `row` of a gradient: grad_output's element (None) or its one value, the
// latter divided by total_weight for Mean.
template <typename T>
EMBER_INLINE T loss_grad_scale(const ClassLossShape& shape, const T* grad, const T* total,
                               int64_t row) {
  if (!shape.reduce) return grad[row];
  return shape.mean ? grad[0] / total[0] : grad[0];
}

template <typename T>
struct NllLossForward {
  const T* input;
  const int64_t* target;
  const T* weight;
  T* loss;  // rows values, or one for Sum/Mean
  T* total_weight;
  ClassLossShape shape;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    LossWeightSums sums{0, 0};
    for (int64_t row = linear_thread_in_block(ctx); row < shape.rows; row += ctx.block_dim().x) {
      const int64_t t = shape.target_of(ctx, target, row);
      T value = 0;
      if (t >= 0) {
        const T w = weight[t];
        value = -w * input[shape.start(row) + t * shape.positions];
        sums.weight += static_cast<double>(w);
        sums.loss += static_cast<double>(value);
      }
      if (!shape.reduce) loss[row] = value;
    }
    store_loss_sums(ctx, shape, sums, loss, total_weight);
  }
};

template <typename T>
struct NllLossBackwardPositions {
  const T* grad;
  const int64_t* target;
  const T* weight;
  const T* total_weight;
  T* grad_input;
  ClassLossShape shape;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t row = global_thread_x(ctx); row < shape.rows; row += grid_threads_x(ctx)) {
      const int64_t offset = shape.start(row);
      for (int64_t c = 0; c < shape.classes; ++c) grad_input[offset + c * shape.positions] = T(0);
      const int64_t t = shape.target_of(ctx, target, row);
      if (t < 0) continue;
      grad_input[offset + t * shape.positions] =
          -weight[t] * loss_grad_scale(shape, grad, total_weight, row);
    }
  }
};

template <typename T>
EMBER_INLINE bool is_infinite(T x) {
  return x == x && x - x != x - x;
}

// The log of the sum of exp over one position's classes, the max first (the CPU's
// position_logsumexp: NaN-ignoring max, an infinite max returned as it is).
template <typename T>
EMBER_INLINE T position_logsumexp(const T* logits, int64_t classes, int64_t step) {
  T max = -std::numeric_limits<T>::infinity();
  for (int64_t c = 0; c < classes; ++c) {
    const T x = logits[c * step];
    max = x > max ? x : max;
  }
  if (is_infinite(max)) return max;
  T sum = 0;
  for (int64_t c = 0; c < classes; ++c) sum += math::Exp{}(logits[c * step] - max);
  return max + math::Log{}(sum);
}

template <typename T>
EMBER_INLINE T class_weight_sum(const T* weight, int64_t classes) {
  T sum = 0;
  for (int64_t c = 0; c < classes; ++c) sum += weight[c];
  return sum;
}

template <typename T>
struct CrossEntropyForward {
  const T* logits;
  const int64_t* target;
  const T* weight;
  T* loss;
  T* logsumexp;  // rows values
  T* total_weight;
  ClassLossShape shape;
  T smoothing;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const T share = shape.classes == 0 ? T(0) : smoothing / static_cast<T>(shape.classes);
    const T weight_sum = class_weight_sum(weight, shape.classes);
    const int64_t step = shape.positions;
    LossWeightSums sums{0, 0};
    for (int64_t row = linear_thread_in_block(ctx); row < shape.rows; row += ctx.block_dim().x) {
      const T* x = logits + shape.start(row);
      const T lse = position_logsumexp(x, shape.classes, step);
      logsumexp[row] = lse;
      const int64_t t = shape.target_of(ctx, target, row);
      T value = 0;
      if (t >= 0) {
        const T w = weight[t];
        value = (1 - smoothing) * w * (lse - x[t * step]);
        if (smoothing > 0) {
          T weighted = 0;
          for (int64_t c = 0; c < shape.classes; ++c) weighted += weight[c] * x[c * step];
          value += share * (lse * weight_sum - weighted);
        }
        sums.weight += static_cast<double>(w);
        sums.loss += static_cast<double>(value);
      }
      if (!shape.reduce) loss[row] = value;
    }
    store_loss_sums(ctx, shape, sums, loss, total_weight);
  }
};

// grad = g (a softmax(logits) - b) per position (see CrossEntropyBackward).
template <typename T>
struct CrossEntropyBackwardPositions {
  const T* grad;
  const T* logits;
  const int64_t* target;
  const T* weight;
  const T* logsumexp;
  const T* total_weight;
  T* grad_logits;
  ClassLossShape shape;
  T smoothing;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    const T share = shape.classes == 0 ? T(0) : smoothing / static_cast<T>(shape.classes);
    const T weight_sum = class_weight_sum(weight, shape.classes);
    const int64_t step = shape.positions;
    for (int64_t row = global_thread_x(ctx); row < shape.rows; row += grid_threads_x(ctx)) {
      const int64_t offset = shape.start(row);
      T* g = grad_logits + offset;
      const int64_t t = shape.target_of(ctx, target, row);
      if (t < 0) {
        for (int64_t c = 0; c < shape.classes; ++c) g[c * step] = T(0);
        continue;
      }
      const T scale = loss_grad_scale(shape, grad, total_weight, row);
      const T target_part = (1 - smoothing) * weight[t];
      const T a = scale * (target_part + share * weight_sum);
      const T lse = logsumexp[row];
      const T* x = logits + offset;
      for (int64_t c = 0; c < shape.classes; ++c) {
        T value = a * math::Exp{}(x[c * step] - lse);
        if (smoothing > 0) value -= scale * share * weight[c];
        g[c * step] = value;
      }
      g[t * step] -= scale * target_part;
    }
  }
};

// -(y log x + (1 - y) log(1 - x)), each log clamped at -100.
template <typename T>
struct BinaryCrossEntropyElements {
  const T* input;
  const T* target;
  T* loss;
  int64_t numel;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t i = global_thread_x(ctx); i < numel; i += grid_threads_x(ctx)) {
      const T log_x = math::Log{}(input[i]);
      const T log_complement = math::Log1p{}(-input[i]);
      // std::max's order, as the CPU: a NaN log stays NaN.
      const T clamped_x = log_x < T(-100) ? T(-100) : log_x;
      const T clamped_complement = log_complement < T(-100) ? T(-100) : log_complement;
      loss[i] = (target[i] - 1) * clamped_complement - target[i] * clamped_x;
    }
  }
};

inline LaunchShape loss_positions_shape(int64_t count) {
  const int64_t blocks = (count + kReduceBlockThreads - 1) / kReduceBlockThreads;
  LaunchShape shape;
  shape.grid.x = static_cast<uint32_t>(blocks < kMaxReduceBlocks ? (blocks > 0 ? blocks : 1)
                                                                 : kMaxReduceBlocks);
  shape.block.x = kReduceBlockThreads;
  return shape;
}

// One block, whatever the number of positions: total_weight is always written.
inline LaunchShape loss_forward_shape() {
  LaunchShape shape;
  shape.block.x = kReduceBlockThreads;
  shape.shared_bytes = block_fold_shared_bytes<LossWeightSums>(kReduceBlockThreads);
  return shape;
}

template <typename Body, typename Launch>
void run_loss_forward(const Body& body, Launch&& launch) {
  launch(loss_forward_shape(), body);
}

template <typename Body, typename Launch>
void run_loss_positions(const Body& body, int64_t count, Launch&& launch) {
  if (count == 0) return;
  launch(loss_positions_shape(count), body);
}

}  // namespace ember::cuda
