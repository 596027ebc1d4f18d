// eval_cpu of the classification-loss primitives (primitives_nn_loss.h). Positions (n, s) run in
// parallel; each writes only its own loss and gradient elements, and the reductions add the
// per-position values afterwards on one thread in position order, so every result is the same
// for any thread count. A position's C classes lie S elements apart (contiguous when S = 1).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/parallel.h"
#include "ember/elementwise/fast_math.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/primitives_nn_loss.h"

namespace ember {
namespace {

// exp of x <= 0 (or -inf): the vectorizable float approximation the softmax kernels use.
template <typename T>
T exp_of_nonpositive(T x) {
  if constexpr (std::is_same_v<T, float>) {
    return fast_math::detail::exp_up_to_89(x);
  } else {
    return std::exp(x);
  }
}

// The extents of the canonical (N, C, S) layout.
struct Layout {
  int64_t batch, classes, positions;  // N, C, S
  explicit Layout(const Tensor& input)
      : batch(input.size(0)), classes(input.size(1)), positions(input.size(2)) {}
  int64_t rows() const { return batch * positions; }
  // The offset of class 0 of position `row` (= n S + s).
  int64_t start(int64_t row) const {
    return (row / positions) * classes * positions + row % positions;
  }
};

void require_float(std::string_view op, const Tensor& input) {
  EMBER_CHECK(input.dtype() == kFloat32 || input.dtype() == kFloat64, "[", op,
              "] expected float32 or float64; received ", input.dtype());
}

// Writes loss (per position for None, else the reduction) and total_weight from the per-position
// losses and weights.
template <typename T>
void reduce_positions(const ClassLossOptions& options, const std::vector<T>& losses,
                      const std::vector<T>& weights, const Tensor& loss, const Tensor& total) {
  // Added in double: float32 sums of many positions would lose digits.
  double weight_sum = 0;
  for (T w : weights) weight_sum += w;
  total.data_ptr<T>()[0] = static_cast<T>(weight_sum);
  if (options.reduction == Reduction::None) {
    std::copy(losses.begin(), losses.end(), loss.data_ptr<T>());
    return;
  }
  double loss_sum = 0;
  for (T l : losses) loss_sum += l;
  loss.data_ptr<T>()[0] =
      static_cast<T>(options.reduction == Reduction::Mean ? loss_sum / weight_sum : loss_sum);
}

// The factor of position `row` of a gradient: grad_output's element (None) or its one value, the
// latter divided by total_weight for Mean.
template <typename T>
T grad_scale(const ClassLossOptions& options, const T* grad, const T* total, int64_t row) {
  if (options.reduction == Reduction::None) return grad[row];
  return options.reduction == Reduction::Mean ? grad[0] / total[0] : grad[0];
}

template <typename T>
void nll_forward(const ClassLossOptions& options, TensorSpan inputs, TensorSpan outputs) {
  const Layout layout(inputs[0]);
  const T* x = inputs[0].data_ptr<T>();
  const int64_t* target = inputs[1].data_ptr<int64_t>();
  const T* weight = inputs[2].data_ptr<T>();
  std::vector<T> losses(static_cast<size_t>(layout.rows()));
  std::vector<T> weights(losses.size());
  for (int64_t row = 0; row < layout.rows(); ++row) {
    const int64_t t = target[row];
    if (t == options.ignore_index) continue;
    const T w = weight[t];
    weights[static_cast<size_t>(row)] = w;
    losses[static_cast<size_t>(row)] = -w * x[layout.start(row) + t * layout.positions];
  }
  reduce_positions(options, losses, weights, outputs[0], outputs[1]);
}

template <typename T>
void nll_backward(const ClassLossOptions& options, TensorSpan inputs, const Tensor& grad_input) {
  const Layout layout(grad_input);
  const T* grad = inputs[0].data_ptr<T>();
  const int64_t* target = inputs[1].data_ptr<int64_t>();
  const T* weight = inputs[2].data_ptr<T>();
  const T* total = inputs[3].data_ptr<T>();
  T* out = grad_input.data_ptr<T>();
  std::fill(out, out + grad_input.numel(), T(0));
  for (int64_t row = 0; row < layout.rows(); ++row) {
    const int64_t t = target[row];
    if (t == options.ignore_index) continue;
    out[layout.start(row) + t * layout.positions] =
        -weight[t] * grad_scale(options, grad, total, row);
  }
}

template <typename T>
T larger(T candidate, T current) {
  if constexpr (std::is_same_v<T, float>) {
    return fast_math::detail::select(candidate > current, candidate, current);
  } else {
    return candidate > current ? candidate : current;
  }
}

// Independent accumulators of a contiguous row, so that its max and sum vectorize without
// reassociating the additions (as the softmax kernels do).
constexpr int64_t kLanes = 16;

template <typename T>
T row_max(const T* x, int64_t n) {
  T lanes[kLanes];
  for (T& lane : lanes) lane = -std::numeric_limits<T>::infinity();
  const int64_t body = n - n % kLanes;
  for (int64_t i = 0; i < body; i += kLanes) {
    for (int64_t j = 0; j < kLanes; ++j) lanes[j] = larger(x[i + j], lanes[j]);
  }
  T max = -std::numeric_limits<T>::infinity();
  for (T lane : lanes) max = larger(lane, max);
  for (int64_t i = body; i < n; ++i) max = larger(x[i], max);
  return max;
}

template <typename T>
T row_sum_exp(const T* x, int64_t n, T max) {
  T lanes[kLanes] = {};
  const int64_t body = n - n % kLanes;
  for (int64_t i = 0; i < body; i += kLanes) {
    for (int64_t j = 0; j < kLanes; ++j) lanes[j] += exp_of_nonpositive(x[i + j] - max);
  }
  T sum = 0;
  for (T lane : lanes) sum += lane;
  for (int64_t i = body; i < n; ++i) sum += exp_of_nonpositive(x[i] - max);
  return sum;
}

// The log of the sum of exp over the C classes of one position (stride `step`): max first, so
// that exp never overflows.
template <typename T>
T position_logsumexp(const T* x, int64_t classes, int64_t step) {
  T max = -std::numeric_limits<T>::infinity();
  if (step == 1) {
    max = row_max(x, classes);
  } else {
    for (int64_t c = 0; c < classes; ++c) max = larger(x[c * step], max);
  }
  if (std::isinf(max)) return max;  // all -inf (log 0) or an inf logit
  T sum = 0;
  if (step == 1) {
    sum = row_sum_exp(x, classes, max);
  } else {
    for (int64_t c = 0; c < classes; ++c) sum += exp_of_nonpositive(x[c * step] - max);
  }
  return max + std::log(sum);
}

// Per position: the row's work is about 3 C operations.
int64_t rows_grain(int64_t classes) {
  return std::max<int64_t>(1, kGrain / std::max<int64_t>(4 * classes, 1));
}

template <typename T>
void cross_entropy_forward(const CrossEntropy& op, TensorSpan inputs, TensorSpan outputs) {
  const ClassLossOptions& options = op.options();
  const Layout layout(inputs[0]);
  const T* x = inputs[0].data_ptr<T>();
  const int64_t* target = inputs[1].data_ptr<int64_t>();
  const T* weight = inputs[2].data_ptr<T>();
  T* logsumexp = outputs[1].data_ptr<T>();
  const T smoothing = static_cast<T>(op.label_smoothing());
  const T share = layout.classes == 0 ? T(0) : smoothing / static_cast<T>(layout.classes);
  T weight_sum = 0;
  for (int64_t c = 0; c < layout.classes; ++c) weight_sum += weight[c];
  std::vector<T> losses(static_cast<size_t>(layout.rows()));
  std::vector<T> weights(losses.size());
  parallel_for(0, layout.rows(), rows_grain(layout.classes), [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const T* logits = x + layout.start(row);
      const int64_t step = layout.positions;
      const T lse = position_logsumexp(logits, layout.classes, step);
      logsumexp[row] = lse;
      const int64_t t = target[row];
      if (t == options.ignore_index) continue;
      const T w = weight[t];
      T loss = (1 - smoothing) * w * (lse - logits[t * step]);
      if (smoothing > 0) {
        // sum_c weight[c] (lse - x[c]) = lse sum(weight) - sum_c weight[c] x[c]
        T weighted = 0;
        for (int64_t c = 0; c < layout.classes; ++c) weighted += weight[c] * logits[c * step];
        loss += share * (lse * weight_sum - weighted);
      }
      losses[static_cast<size_t>(row)] = loss;
      weights[static_cast<size_t>(row)] = w;
    }
  });
  reduce_positions(options, losses, weights, outputs[0], outputs[2]);
}

template <typename T>
void cross_entropy_backward(const CrossEntropyBackward& op, TensorSpan inputs,
                            const Tensor& grad_logits) {
  const ClassLossOptions& options = op.options();
  const Layout layout(inputs[1]);
  const T* grad = inputs[0].data_ptr<T>();
  const T* x = inputs[1].data_ptr<T>();
  const int64_t* target = inputs[2].data_ptr<int64_t>();
  const T* weight = inputs[3].data_ptr<T>();
  const T* logsumexp = inputs[4].data_ptr<T>();
  const T* total = inputs[5].data_ptr<T>();
  T* out = grad_logits.data_ptr<T>();
  const T smoothing = static_cast<T>(op.label_smoothing());
  const T share = layout.classes == 0 ? T(0) : smoothing / static_cast<T>(layout.classes);
  T weight_sum = 0;
  for (int64_t c = 0; c < layout.classes; ++c) weight_sum += weight[c];
  parallel_for(0, layout.rows(), rows_grain(layout.classes), [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t offset = layout.start(row);
      const int64_t step = layout.positions;
      const int64_t t = target[row];
      T* g = out + offset;
      if (t == options.ignore_index) {
        for (int64_t c = 0; c < layout.classes; ++c) g[c * step] = 0;
        continue;
      }
      const T scale = grad_scale(options, grad, total, row);
      const T target_part = (1 - smoothing) * weight[t];
      const T a = scale * (target_part + share * weight_sum);
      const T lse = logsumexp[row];
      const T* logits = x + offset;
      if (step == 1) {
        for (int64_t c = 0; c < layout.classes; ++c) {
          g[c] = a * exp_of_nonpositive(logits[c] - lse);
        }
      } else {
        for (int64_t c = 0; c < layout.classes; ++c) {
          g[c * step] = a * exp_of_nonpositive(logits[c * step] - lse);
        }
      }
      if (smoothing > 0) {
        for (int64_t c = 0; c < layout.classes; ++c) g[c * step] -= scale * share * weight[c];
      }
      g[t * step] -= scale * target_part;
    }
  });
}

template <typename T>
void binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& loss) {
  const T* x = input.data_ptr<T>();
  const T* y = target.data_ptr<T>();
  T* out = loss.data_ptr<T>();
  parallel_for(0, input.numel(), kGrain / 8, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const T log_x = std::max(std::log(x[i]), T(-100));
      const T log_complement = std::max(std::log1p(-x[i]), T(-100));
      out[i] = (y[i] - 1) * log_complement - y[i] * log_x;
    }
  });
}

}  // namespace

void NllLoss::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  require_float("nll_loss", inputs[0]);
  if (inputs[0].dtype() == kFloat32) return nll_forward<float>(options_, inputs, outputs);
  nll_forward<double>(options_, inputs, outputs);
}

void NllLossBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  require_float("nll_loss_backward", outputs[0]);
  if (outputs[0].dtype() == kFloat32) return nll_backward<float>(options_, inputs, outputs[0]);
  nll_backward<double>(options_, inputs, outputs[0]);
}

void CrossEntropy::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  require_float("cross_entropy_loss", inputs[0]);
  if (inputs[0].dtype() == kFloat32) return cross_entropy_forward<float>(*this, inputs, outputs);
  cross_entropy_forward<double>(*this, inputs, outputs);
}

void CrossEntropyBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  require_float("cross_entropy_loss_backward", inputs[1]);
  if (inputs[1].dtype() == kFloat32) {
    return cross_entropy_backward<float>(*this, inputs, outputs[0]);
  }
  cross_entropy_backward<double>(*this, inputs, outputs[0]);
}

void BinaryCrossEntropy::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  require_float("binary_cross_entropy", inputs[0]);
  if (inputs[0].dtype() == kFloat32) {
    return binary_cross_entropy<float>(inputs[0], inputs[1], outputs[0]);
  }
  binary_cross_entropy<double>(inputs[0], inputs[1], outputs[0]);
}

}  // namespace ember
