// eval_cpu of RnnLayer and RnnLayerBackward: the time loop of one layer and direction with one
// GEMM per step for the hidden projection and the gate math of each step in one pass over its
// rows (parallel over the batch when it is large), forward and backward. The backward turns the
// per-step weight gradients into one GEMM each over all steps, from the workspace rows. A cell
// (is_cell) first projects its input into a scratch igates, and its backward ends with the input
// projection's gradients.
#include <algorithm>
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

std::vector<int64_t> offsets_of(const std::vector<int64_t>& batch_sizes) {
  std::vector<int64_t> offsets(batch_sizes.size() + 1, 0);
  for (size_t t = 0; t < batch_sizes.size(); ++t) offsets[t + 1] = offsets[t] + batch_sizes[t];
  return offsets;
}

// Rows per task so that a task has about kGrain elements of gate math.
int64_t row_grain(int64_t width) {
  return std::max<int64_t>(1, kGrain / std::max<int64_t>(width, 1));
}

// sums[j] = sum over the rows of x (rows, cols)[r, j].
template <typename T>
void column_sums(const T* x, int64_t rows, int64_t cols, T* sums) {
  std::fill(sums, sums + cols, T(0));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < cols; ++j) sums[j] += x[r * cols + j];
  }
}

// The pointers of one layer's forward (RnnLayer's inputs and outputs; RnnCell's with its own
// input projection and scratch state). h is the running state, h_n when the loop ends.
template <typename T>
struct ForwardArgs {
  const T *igates, *h0, *w_hh, *c0, *b_hh, *w_hr;
  int64_t batch, out, gates;
  T *output, *h, *ws, *c;
  int64_t width;
};

template <typename T>
void forward_steps(const RnnLayerShape& op, const ForwardArgs<T>& a) {
  const bool lstm = op.is_lstm();
  const T *igates = a.igates, *w_hh = a.w_hh, *b_hh = a.b_hh, *w_hr = a.w_hr;
  const int64_t batch = a.batch, out = a.out, gates = a.gates, width = a.width;
  const int64_t hidden = gates / rnn_gate_count(op.cell_kind());
  T *output = a.output, *h = a.h, *ws = a.ws, *c = a.c;
  // copy_n, not memcpy: an empty batch has null buffers.
  std::copy_n(a.h0, batch * out, h);
  if (lstm) std::copy_n(a.c0, batch * hidden, c);
  const RnnWorkspaceLayout at = op.workspace_layout(hidden, out);
  const std::vector<int64_t>& sizes = op.batch_sizes();
  const std::vector<int64_t> offsets = offsets_of(sizes);
  std::vector<T> hgates(static_cast<size_t>(batch * gates));
  const auto steps = static_cast<int64_t>(sizes.size());
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = op.reverse() ? steps - 1 - s : s;
    const int64_t rows = sizes[t], first = offsets[t];
    // hgates = h @ w_hh^T + b_hh: the bias rows first, the GEMM accumulating onto them.
    for (int64_t n = 0; b_hh != nullptr && n < rows; ++n) {
      std::memcpy(hgates.data() + n * gates, b_hh, sizeof(T) * gates);
    }
    gemm<T>(false, true, rows, gates, out, h, out, w_hh, out, b_hh ? T(1) : T(0), hgates.data(),
            gates);
    parallel_for(0, rows, row_grain(gates), [&](int64_t begin, int64_t end) {
      for (int64_t n = begin; n < end; ++n) {
        const T* ig = igates + (first + n) * gates;
        const T* hg = hgates.data() + n * gates;
        T* w = ws + (first + n) * width;
        T* y = output + (first + n) * out;
        std::memcpy(w + at.h_prev, h + n * out, sizeof(T) * out);
        auto pre = [&](int64_t j) { return ig[j] + hg[j]; };
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
            // w holds r, z, the n gate's pre-activation, then W_hn h + b_hn; sigmoid and tanh
            // run vectorized over contiguous runs of it.
            const T* h_prev = w + at.h_prev;
            for (int64_t j = 0; j < 2 * hidden; ++j) w[j] = pre(j);
            std::memcpy(w + 3 * hidden, hg + 2 * hidden, sizeof(T) * hidden);
            apply(UnaryOp::Sigmoid, w, w, 2 * hidden);
            for (int64_t j = 0; j < hidden; ++j) {
              w[2 * hidden + j] = ig[2 * hidden + j] + w[j] * w[3 * hidden + j];
            }
            apply(UnaryOp::Tanh, w + 2 * hidden, w + 2 * hidden, hidden);
            for (int64_t j = 0; j < hidden; ++j) {
              const T candidate = w[2 * hidden + j];
              y[j] = candidate + w[hidden + j] * (h_prev[j] - candidate);
            }
            break;
          }
          case RnnCellKind::Tanh:
          case RnnCellKind::Relu:
            for (int64_t j = 0; j < hidden; ++j) y[j] = pre(j);
            apply(op.cell_kind() == RnnCellKind::Tanh ? UnaryOp::Tanh : UnaryOp::Relu, y, y,
                  hidden);
            std::memcpy(w + at.y, y, sizeof(T) * hidden);
            break;
        }
      }
    });
    if (op.has_projection()) {
      gemm<T>(false, true, rows, out, hidden, ws + first * width + at.h_raw, width, w_hr, hidden,
              T(0), output + first * out, out);
    }
    std::copy_n(output + first * out, rows * out, h);
  }
}

// The pointers of one layer's backward (RnnLayerBackward's inputs and outputs, or
// RnnCellBackward's). grad_output may be null (no gradient from the outputs but h_n's); dh is the
// running gradient of the state, grad_h0 when the loop ends; grad_b_hh may be null (not wanted).
template <typename T>
struct BackwardArgs {
  const T *grad_output, *grad_h_n, *ws, *w_hh, *grad_c_n, *w_hr;
  int64_t width, batch, out, gates, total;
  T *grad_igates, *dh, *grad_w_hh, *grad_b_hh, *dc, *grad_w_hr;
};

template <typename T>
void backward_steps(const RnnLayerShape& op, const BackwardArgs<T>& a) {
  const bool lstm = op.is_lstm(), gru = op.cell_kind() == RnnCellKind::Gru;
  const T *grad_output = a.grad_output, *ws = a.ws, *w_hh = a.w_hh, *w_hr = a.w_hr;
  const int64_t width = a.width, batch = a.batch, out = a.out, gates = a.gates, total = a.total;
  const int64_t hidden = gates / rnn_gate_count(op.cell_kind());
  T *grad_igates = a.grad_igates, *dh = a.dh, *grad_w_hh = a.grad_w_hh, *grad_b_hh = a.grad_b_hh;
  T *dc = a.dc, *grad_w_hr = a.grad_w_hr;
  std::copy_n(a.grad_h_n, batch * out, dh);
  if (lstm) std::copy_n(a.grad_c_n, batch * hidden, dc);
  // GRU's n gate sees r (W_hn h + b_hn): its hidden-side gradient differs from the input side's.
  std::vector<T> grad_hgates_store(gru ? static_cast<size_t>(total * gates) : 0);
  T* grad_hgates = gru ? grad_hgates_store.data() : grad_igates;
  // The gradient of each step's output (its h) for all steps: w_hr's gradient is one GEMM.
  std::vector<T> grad_h_all(static_cast<size_t>(total * out));
  std::vector<T> grad_h_raw(op.has_projection() ? static_cast<size_t>(batch * hidden) : 0);
  const RnnWorkspaceLayout at = op.workspace_layout(hidden, out);
  const std::vector<int64_t>& sizes = op.batch_sizes();
  const std::vector<int64_t> offsets = offsets_of(sizes);
  const auto steps = static_cast<int64_t>(sizes.size());
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = op.reverse() ? s : steps - 1 - s;
    const int64_t rows = sizes[t], first = offsets[t];
    T* grad_h = grad_h_all.data() + first * out;
    for (int64_t i = 0; i < rows * out; ++i) {
      grad_h[i] = dh[i] + (grad_output ? grad_output[first * out + i] : T(0));
    }
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
  if (grad_b_hh) column_sums(grad_hgates, total, gates, grad_b_hh);
  if (op.has_projection()) {
    if (total == 0) {
      std::fill(grad_w_hr, grad_w_hr + out * hidden, T(0));
    } else {
      gemm<T>(true, false, out, hidden, total, grad_h_all.data(), out, ws + at.h_raw, width, T(0),
              grad_w_hr, hidden);
    }
  }
}

template <typename T>
const T* optional_input(TensorSpan inputs, bool present, size_t& next) {
  return present ? inputs[next++].data_ptr<T>() : nullptr;
}

template <typename T>
void forward(const RnnLayer& op, TensorSpan inputs, TensorSpan outputs) {
  size_t next = 3;
  const T* c0 = optional_input<T>(inputs, op.is_lstm(), next);
  const T* b_hh = optional_input<T>(inputs, op.has_bias(), next);
  const T* w_hr = optional_input<T>(inputs, op.has_projection(), next);
  forward_steps<T>(
      op, {inputs[0].data_ptr<T>(), inputs[1].data_ptr<T>(), inputs[2].data_ptr<T>(), c0, b_hh,
           w_hr, inputs[1].size(0), inputs[1].size(1), inputs[2].size(0), outputs[0].data_ptr<T>(),
           outputs[1].data_ptr<T>(), outputs[2].data_ptr<T>(),
           op.is_lstm() ? outputs[3].data_ptr<T>() : nullptr, outputs[2].size(1)});
}

template <typename T>
void backward(const RnnLayerBackward& op, TensorSpan inputs, TensorSpan outputs) {
  size_t next = 4;
  const T* grad_c_n = optional_input<T>(inputs, op.is_lstm(), next);
  const T* w_hr = optional_input<T>(inputs, op.has_projection(), next);
  backward_steps<T>(
      op, {inputs[0].data_ptr<T>(), inputs[1].data_ptr<T>(), inputs[2].data_ptr<T>(),
           inputs[3].data_ptr<T>(), grad_c_n, w_hr, inputs[2].size(1), inputs[1].size(0),
           inputs[1].size(1), inputs[3].size(0), inputs[0].size(0), outputs[0].data_ptr<T>(),
           outputs[1].data_ptr<T>(), outputs[2].data_ptr<T>(), outputs[3].data_ptr<T>(),
           op.is_lstm() ? outputs[4].data_ptr<T>() : nullptr,
           op.has_projection() ? outputs[op.is_lstm() ? 5 : 4].data_ptr<T>() : nullptr});
}

// One cell step: the input projection (with b_ih) into a scratch igates, then the layer's step.
template <typename T>
void cell_forward(const RnnLayer& op, TensorSpan inputs, TensorSpan outputs) {
  size_t next = 4;
  const T* cx = optional_input<T>(inputs, op.is_lstm(), next);
  const T* b_ih = optional_input<T>(inputs, op.has_bias(), next);
  const T* b_hh = optional_input<T>(inputs, op.has_bias(), next);
  const int64_t batch = inputs[0].size(0), in = inputs[0].size(1);
  const int64_t hidden = inputs[1].size(1), gates = inputs[3].size(0);
  std::vector<T> igates(static_cast<size_t>(batch * gates), T(0));
  for (int64_t n = 0; b_ih != nullptr && n < batch; ++n) {
    std::memcpy(igates.data() + n * gates, b_ih, sizeof(T) * gates);
  }
  gemm<T>(false, true, batch, gates, in, inputs[0].data_ptr<T>(), in, inputs[2].data_ptr<T>(), in,
          T(1), igates.data(), gates);
  std::vector<T> state(static_cast<size_t>(batch * hidden));
  forward_steps<T>(
      op, {igates.data(), inputs[1].data_ptr<T>(), inputs[3].data_ptr<T>(), cx, b_hh, nullptr,
           batch, hidden, gates, outputs[0].data_ptr<T>(), state.data(), outputs[1].data_ptr<T>(),
           op.is_lstm() ? outputs[2].data_ptr<T>() : nullptr, outputs[1].size(1)});
}

// The step's backward, then the input projection's: grad_input = grad_igates @ w_ih, grad_w_ih =
// grad_igates^T @ input, grad_b_ih = grad_igates' column sums.
template <typename T>
void cell_backward(const RnnLayerBackward& op, TensorSpan inputs, TensorSpan outputs) {
  const T* input = inputs[2].data_ptr<T>();
  const T* w_ih = inputs[3].data_ptr<T>();
  const int64_t batch = inputs[2].size(0), in = inputs[2].size(1);
  const int64_t hidden = inputs[0].size(1), gates = inputs[4].size(0);
  std::vector<T> grad_igates(static_cast<size_t>(batch * gates));
  size_t next = 4;
  T* grad_cx = op.is_lstm() ? outputs[next++].data_ptr<T>() : nullptr;
  T* grad_b_ih = op.has_bias() ? outputs[next++].data_ptr<T>() : nullptr;
  T* grad_b_hh = op.has_bias() ? outputs[next++].data_ptr<T>() : nullptr;
  backward_steps<T>(
      op, {nullptr, inputs[0].data_ptr<T>(), inputs[1].data_ptr<T>(), inputs[4].data_ptr<T>(),
           op.is_lstm() ? inputs[5].data_ptr<T>() : nullptr, nullptr, inputs[1].size(1), batch,
           hidden, gates, batch, grad_igates.data(), outputs[1].data_ptr<T>(),
           outputs[3].data_ptr<T>(), grad_b_hh, grad_cx, nullptr});
  gemm<T>(false, false, batch, in, gates, grad_igates.data(), gates, w_ih, in, T(0),
          outputs[0].data_ptr<T>(), in);
  T* grad_w_ih = outputs[2].data_ptr<T>();
  if (batch == 0) {
    std::fill(grad_w_ih, grad_w_ih + gates * in, T(0));
  } else {
    gemm<T>(true, false, gates, in, batch, grad_igates.data(), gates, input, in, T(0), grad_w_ih,
            in);
  }
  if (grad_b_ih) column_sums(grad_igates.data(), batch, gates, grad_b_ih);
}

}  // namespace

void RnnLayer::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const bool f64 = inputs[0].dtype() == kFloat64;
  if (is_cell()) {
    f64 ? cell_forward<double>(*this, inputs, outputs)
        : cell_forward<float>(*this, inputs, outputs);
  } else {
    f64 ? forward<double>(*this, inputs, outputs) : forward<float>(*this, inputs, outputs);
  }
}

void RnnLayerBackward::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const bool f64 = inputs[0].dtype() == kFloat64;
  if (is_cell()) {
    f64 ? cell_backward<double>(*this, inputs, outputs)
        : cell_backward<float>(*this, inputs, outputs);
  } else {
    f64 ? backward<double>(*this, inputs, outputs) : backward<float>(*this, inputs, outputs);
  }
}

}  // namespace ember
