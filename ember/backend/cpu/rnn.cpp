// eval_cpu of RnnLayer and RnnLayerBackward: the time loop of one layer and direction with one
// GEMM per step for the hidden projection and the gate math of each step in one pass over its
// rows (parallel over the batch when it is large), forward and backward. The backward turns the
// per-step weight gradients into one GEMM each over all steps, from the workspace rows.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "ember/backend/cpu/gemm.h"
#include "ember/backend/cpu/kernel_table.h"
#include "ember/base/parallel.h"
#include "ember/ops/primitives_rnn.h"

namespace ember {
namespace {

// C = A @ op(B) + beta C with row-major strides; empty products leave C as beta * C would.
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
          const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  if constexpr (std::is_same_v<T, float>) {
    cpu::gemm_f32(trans_a, trans_b, m, n, k, 1.0F, a, lda, b, ldb, beta, c, ldc);
  } else {
    cpu::gemm_f64(trans_a, trans_b, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
  }
}

// y = op(x) over n contiguous elements (y may be x) by the vectorized elementwise loop of the
// kernel table.
template <typename T>
void apply(UnaryOp op, const T* x, T* y, int64_t n) {
  constexpr ScalarType dtype = std::is_same_v<T, float> ? kFloat32 : kFloat64;
  const ElementwiseLoop loop = cpu::kernels().unary[static_cast<int>(op)][static_cast<int>(dtype)];
  char* data[2] = {reinterpret_cast<char*>(y), reinterpret_cast<char*>(const_cast<T*>(x))};
  const int64_t strides[2] = {sizeof(T), sizeof(T)};
  loop(data, strides, n, LoopArgs{nullptr, 0});
}

template <typename T>
T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

// Where each part of a workspace row starts (RnnLayerShape::workspace_size).
struct WorkspaceLayout {
  int64_t h_prev, c_t, c_prev, h_raw, y;
};

WorkspaceLayout layout_of(const RnnLayerShape& shape, int64_t hidden, int64_t out) {
  switch (shape.cell_kind()) {
    case RnnCellKind::Lstm:
      return {6 * hidden, 4 * hidden, 5 * hidden, 6 * hidden + out, 0};
    case RnnCellKind::Gru:
      return {4 * hidden, 0, 0, 0, 0};
    case RnnCellKind::Tanh:
    case RnnCellKind::Relu:
      break;
  }
  return {0, 0, 0, 0, out};
}

std::vector<int64_t> offsets_of(const std::vector<int64_t>& batch_sizes) {
  std::vector<int64_t> offsets(batch_sizes.size() + 1, 0);
  for (size_t t = 0; t < batch_sizes.size(); ++t) offsets[t + 1] = offsets[t] + batch_sizes[t];
  return offsets;
}

// Rows per task so that a task has about kGrain elements of gate math.
int64_t row_grain(int64_t width) {
  return std::max<int64_t>(1, kGrain / std::max<int64_t>(width, 1));
}

template <typename T>
void forward(const RnnLayer& op, TensorSpan inputs, TensorSpan outputs) {
  const bool lstm = op.is_lstm();
  size_t next = 3;
  const T* igates = inputs[0].data_ptr<T>();
  const T* w_hh = inputs[2].data_ptr<T>();
  const T* c0 = lstm ? inputs[next++].data_ptr<T>() : nullptr;
  const T* b_hh = op.has_bias() ? inputs[next++].data_ptr<T>() : nullptr;
  const T* w_hr = op.has_projection() ? inputs[next++].data_ptr<T>() : nullptr;
  const int64_t batch = inputs[1].size(0), out = inputs[1].size(1);
  const int64_t gates = inputs[2].size(0), hidden = gates / rnn_gate_count(op.cell_kind());
  T* output = outputs[0].data_ptr<T>();
  T* h = outputs[1].data_ptr<T>();  // the running state, h_n when the loop ends
  T* ws = outputs[2].data_ptr<T>();
  const int64_t width = outputs[2].size(1);
  T* c = lstm ? outputs[3].data_ptr<T>() : nullptr;
  std::memcpy(h, inputs[1].data_ptr<T>(), sizeof(T) * batch * out);
  if (lstm) std::memcpy(c, c0, sizeof(T) * batch * hidden);
  const WorkspaceLayout at = layout_of(op, hidden, out);
  const std::vector<int64_t>& sizes = op.batch_sizes();
  const std::vector<int64_t> offsets = offsets_of(sizes);
  std::vector<T> hgates(static_cast<size_t>(batch * gates));
  const auto steps = static_cast<int64_t>(sizes.size());
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = op.reverse() ? steps - 1 - s : s;
    const int64_t rows = sizes[t], first = offsets[t];
    gemm<T>(false, true, rows, gates, out, h, out, w_hh, out, T(0), hgates.data(), gates);
    parallel_for(0, rows, row_grain(gates), [&](int64_t begin, int64_t end) {
      for (int64_t n = begin; n < end; ++n) {
        const T* ig = igates + (first + n) * gates;
        const T* hg = hgates.data() + n * gates;
        T* w = ws + (first + n) * width;
        T* y = output + (first + n) * out;
        std::memcpy(w + at.h_prev, h + n * out, sizeof(T) * out);
        auto pre = [&](int64_t j) { return ig[j] + hg[j] + (b_hh ? b_hh[j] : T(0)); };
        switch (op.cell_kind()) {
          case RnnCellKind::Lstm: {
            T* cell = c + n * hidden;
            T* h_raw = op.has_projection() ? w + at.h_raw : y;
            for (int64_t j = 0; j < gates; ++j) w[j] = pre(j);
            apply(UnaryOp::Sigmoid, w, w, 2 * hidden);
            apply(UnaryOp::Tanh, w + 2 * hidden, w + 2 * hidden, hidden);
            apply(UnaryOp::Sigmoid, w + 3 * hidden, w + 3 * hidden, hidden);
            for (int64_t j = 0; j < hidden; ++j) {
              const T c_prev = cell[j], c_new = w[hidden + j] * c_prev + w[j] * w[2 * hidden + j];
              w[at.c_t + j] = c_new;
              w[at.c_prev + j] = c_prev;
              cell[j] = c_new;
            }
            apply(UnaryOp::Tanh, w + at.c_t, h_raw, hidden);
            for (int64_t j = 0; j < hidden; ++j) h_raw[j] *= w[3 * hidden + j];
            break;
          }
          case RnnCellKind::Gru: {
            const T* h_prev = w + at.h_prev;
            for (int64_t j = 0; j < hidden; ++j) {
              const T r = sigmoid(pre(j)), z = sigmoid(pre(hidden + j));
              const T hn = hg[2 * hidden + j] + (b_hh ? b_hh[2 * hidden + j] : T(0));
              const T candidate = std::tanh(ig[2 * hidden + j] + r * hn);
              w[j] = r;
              w[hidden + j] = z;
              w[2 * hidden + j] = candidate;
              w[3 * hidden + j] = hn;
              y[j] = candidate + z * (h_prev[j] - candidate);
            }
            break;
          }
          case RnnCellKind::Tanh:
            for (int64_t j = 0; j < hidden; ++j) w[at.y + j] = y[j] = std::tanh(pre(j));
            break;
          case RnnCellKind::Relu:
            for (int64_t j = 0; j < hidden; ++j) w[at.y + j] = y[j] = std::max(pre(j), T(0));
            break;
        }
      }
    });
    if (op.has_projection()) {
      gemm<T>(false, true, rows, out, hidden, ws + first * width + at.h_raw, width, w_hr, hidden,
              T(0), output + first * out, out);
    }
    std::memcpy(h, output + first * out, sizeof(T) * rows * out);
  }
}

template <typename T>
void backward(const RnnLayerBackward& op, TensorSpan inputs, TensorSpan outputs) {
  const bool lstm = op.is_lstm(), gru = op.cell_kind() == RnnCellKind::Gru;
  const T* grad_output = inputs[0].data_ptr<T>();
  const T* ws = inputs[2].data_ptr<T>();
  const int64_t width = inputs[2].size(1);
  const T* w_hh = inputs[3].data_ptr<T>();
  size_t next = 4;
  const T* grad_c_n = lstm ? inputs[next++].data_ptr<T>() : nullptr;
  const T* w_hr = op.has_projection() ? inputs[next++].data_ptr<T>() : nullptr;
  const int64_t batch = inputs[1].size(0), out = inputs[1].size(1);
  const int64_t gates = inputs[3].size(0), hidden = gates / rnn_gate_count(op.cell_kind());
  const int64_t total = inputs[0].size(0);
  T* grad_igates = outputs[0].data_ptr<T>();
  T* dh = outputs[1].data_ptr<T>();  // running, grad_h0 when the loop ends
  T* grad_w_hh = outputs[2].data_ptr<T>();
  T* grad_b_hh = outputs[3].data_ptr<T>();
  T* dc = lstm ? outputs[4].data_ptr<T>() : nullptr;
  T* grad_w_hr = op.has_projection() ? outputs[lstm ? 5 : 4].data_ptr<T>() : nullptr;
  std::memcpy(dh, inputs[1].data_ptr<T>(), sizeof(T) * batch * out);
  if (lstm) std::memcpy(dc, grad_c_n, sizeof(T) * batch * hidden);
  // GRU's n gate sees r (W_hn h + b_hn): its hidden-side gradient differs from the input side's.
  std::vector<T> grad_hgates_store(gru ? static_cast<size_t>(total * gates) : 0);
  T* grad_hgates = gru ? grad_hgates_store.data() : grad_igates;
  // The gradient of each step's output (its h) for all steps: w_hr's gradient is one GEMM.
  std::vector<T> grad_h_all(static_cast<size_t>(total * out));
  std::vector<T> grad_h_raw(op.has_projection() ? static_cast<size_t>(batch * hidden) : 0);
  const WorkspaceLayout at = layout_of(op, hidden, out);
  const std::vector<int64_t>& sizes = op.batch_sizes();
  const std::vector<int64_t> offsets = offsets_of(sizes);
  const auto steps = static_cast<int64_t>(sizes.size());
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = op.reverse() ? s : steps - 1 - s;
    const int64_t rows = sizes[t], first = offsets[t];
    T* grad_h = grad_h_all.data() + first * out;
    for (int64_t i = 0; i < rows * out; ++i) grad_h[i] = dh[i] + grad_output[first * out + i];
    const T* grad_cell_out = grad_h;  // the gradient of the cell's own h (before w_hr)
    if (op.has_projection()) {
      gemm<T>(false, false, rows, hidden, out, grad_h, out, w_hr, hidden, T(0), grad_h_raw.data(),
              hidden);
      grad_cell_out = grad_h_raw.data();
    }
    parallel_for(0, rows, row_grain(gates), [&](int64_t begin, int64_t end) {
      for (int64_t n = begin; n < end; ++n) {
        const T* w = ws + (first + n) * width;
        const T* d = grad_cell_out + n * hidden;
        T* gi = grad_igates + (first + n) * gates;
        switch (op.cell_kind()) {
          case RnnCellKind::Lstm: {
            T* cell = dc + n * hidden;
            // tanh(c_t), into the row's gate gradients until they are written
            T* tanh_c = gi;
            apply(UnaryOp::Tanh, w + at.c_t, tanh_c, hidden);
            for (int64_t j = hidden - 1; j >= 0; --j) {
              const T i = w[j], f = w[hidden + j], g = w[2 * hidden + j], o = w[3 * hidden + j];
              const T tc = tanh_c[j];
              const T grad_c = cell[j] + d[j] * o * (T(1) - tc * tc);
              gi[3 * hidden + j] = d[j] * tc * o * (T(1) - o);
              gi[2 * hidden + j] = grad_c * i * (T(1) - g * g);
              gi[hidden + j] = grad_c * w[at.c_prev + j] * f * (T(1) - f);
              gi[j] = grad_c * g * i * (T(1) - i);
              cell[j] = grad_c * f;
            }
            break;
          }
          case RnnCellKind::Gru: {
            T* gh = grad_hgates + (first + n) * gates;
            const T* h_prev = w + at.h_prev;
            for (int64_t j = 0; j < hidden; ++j) {
              const T r = w[j], z = w[hidden + j], candidate = w[2 * hidden + j];
              const T grad_candidate = d[j] * (T(1) - z) * (T(1) - candidate * candidate);
              const T grad_z = d[j] * (h_prev[j] - candidate) * z * (T(1) - z);
              const T grad_r = grad_candidate * w[3 * hidden + j] * r * (T(1) - r);
              gi[j] = gh[j] = grad_r;
              gi[hidden + j] = gh[hidden + j] = grad_z;
              gi[2 * hidden + j] = grad_candidate;
              gh[2 * hidden + j] = grad_candidate * r;
              dh[n * out + j] = d[j] * z;
            }
            break;
          }
          case RnnCellKind::Tanh:
            for (int64_t j = 0; j < hidden; ++j) {
              const T y = w[at.y + j];
              gi[j] = d[j] * (T(1) - y * y);
            }
            break;
          case RnnCellKind::Relu:
            for (int64_t j = 0; j < hidden; ++j) gi[j] = w[at.y + j] > T(0) ? d[j] : T(0);
            break;
        }
      }
    });
    gemm<T>(false, false, rows, out, gates, grad_hgates + first * gates, gates, w_hh, out,
            gru ? T(1) : T(0), dh, out);
  }
  if (total == 0) {
    std::fill(grad_w_hh, grad_w_hh + gates * out, T(0));
  } else {
    gemm<T>(true, false, gates, out, total, grad_hgates, gates, ws + at.h_prev, width, T(0),
            grad_w_hh, out);
  }
  std::fill(grad_b_hh, grad_b_hh + gates, T(0));
  for (int64_t r = 0; r < total; ++r) {
    for (int64_t j = 0; j < gates; ++j) grad_b_hh[j] += grad_hgates[r * gates + j];
  }
  if (op.has_projection()) {
    if (total == 0) {
      std::fill(grad_w_hr, grad_w_hr + out * hidden, T(0));
    } else {
      gemm<T>(true, false, out, hidden, total, grad_h_all.data(), out, ws + at.h_raw, width, T(0),
              grad_w_hr, hidden);
    }
  }
}

}  // namespace

void RnnLayer::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  if (inputs[0].dtype() == kFloat64) {
    forward<double>(*this, inputs, outputs);
  } else {
    forward<float>(*this, inputs, outputs);
  }
}

void RnnLayerBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  if (inputs[0].dtype() == kFloat64) {
    backward<double>(*this, inputs, outputs);
  } else {
    backward<float>(*this, inputs, outputs);
  }
}

}  // namespace ember
