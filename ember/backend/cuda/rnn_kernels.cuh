// The recurrent layers on the CUDA device (RnnLayer and RnnLayerBackward, layers and cells): the
// time loop runs on the host with one product per step for the hidden projection (ember::matmul,
// cuBLAS on CUDA tensors; the input projection of all steps is the op layer's, inside igates) and
// one fused gate kernel per step whose body is here, in the vocabulary of kernel_grid.h. rnn.cu
// launches the bodies on the GPU; kernel_emulation_seq_test.cpp runs the same drivers on CPU
// tensors with the emulator and compares with eval_cpu. The workspace rows keep the CPU's layout
// (RnnLayerShape::workspace_layout), so either backend's backward reads either's forward.
#pragma once

#include <cstdint>
#include <vector>

#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/kernel_grid.h"
#include "ember/base/error.h"
#include "ember/elementwise/math.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_rnn.h"
#include "ember/tensor/tensor.h"

namespace ember::cuda {

// One step's gates for its `rows` rows (pointers at the step's first row): the activated gates,
// the new cell state and the step's output, and the workspace row the backward reads. Thread
// (n, j) owns hidden unit j of row n; the copy of h_prev into the workspace runs over (n, k < out).
template <typename T>
struct RnnForwardGates {
  RnnCellKind kind;
  bool projection;
  const T* igates;  // rows x gates: the input projection with b_ih
  const T* hgates;  // rows x gates: h w_hh^T + b_hh
  const T* h;       // rows x out: the state before the step
  T* c;             // rows x hidden: LSTM's cell state, updated in place
  T* ws;            // rows x width
  T* output;        // rows x out
  int64_t rows, hidden, gates, out, width;
  RnnWorkspaceLayout at;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t e = global_thread_x(ctx); e < rows * out; e += grid_threads_x(ctx)) {
      const int64_t n = e / out, k = e % out;
      ws[n * width + at.h_prev + k] = h[e];
    }
    for (int64_t e = global_thread_x(ctx); e < rows * hidden; e += grid_threads_x(ctx)) {
      const int64_t n = e / hidden, j = e % hidden;
      const T* ig = igates + n * gates;
      const T* hg = hgates + n * gates;
      T* w = ws + n * width;
      T* y = output + n * out;
      switch (kind) {
        case RnnCellKind::Lstm: {
          const T i = math::Sigmoid{}(ig[j] + hg[j]);
          const T f = math::Sigmoid{}(ig[hidden + j] + hg[hidden + j]);
          const T g = math::Tanh{}(ig[2 * hidden + j] + hg[2 * hidden + j]);
          const T o = math::Sigmoid{}(ig[3 * hidden + j] + hg[3 * hidden + j]);
          w[j] = i;
          w[hidden + j] = f;
          w[2 * hidden + j] = g;
          w[3 * hidden + j] = o;
          const T c_prev = c[e], c_new = f * c_prev + i * g;
          w[at.c_t + j] = c_new;
          w[at.c_prev + j] = c_prev;
          c[e] = c_new;
          (projection ? w + at.h_raw : y)[j] = math::Tanh{}(c_new)*o;
          break;
        }
        case RnnCellKind::Gru: {
          // The n gate sees r (W_hn h + b_hn), which the workspace keeps for the backward.
          const T r = math::Sigmoid{}(ig[j] + hg[j]);
          const T z = math::Sigmoid{}(ig[hidden + j] + hg[hidden + j]);
          const T hn = hg[2 * hidden + j];
          const T candidate = math::Tanh{}(ig[2 * hidden + j] + r * hn);
          w[j] = r;
          w[hidden + j] = z;
          w[2 * hidden + j] = candidate;
          w[3 * hidden + j] = hn;
          y[j] = candidate + z * (h[n * out + j] - candidate);
          break;
        }
        case RnnCellKind::Tanh:
        case RnnCellKind::Relu: {
          const T pre = ig[j] + hg[j];
          const T value = kind == RnnCellKind::Tanh ? math::Tanh{}(pre) : math::Relu{}(pre);
          y[j] = value;
          w[at.y + j] = value;
          break;
        }
      }
    }
  }
};

// One step's gate gradients from the gradient d of the cell's own output (rows x hidden): grad of
// the gates (gi; GRU's hidden-side ones in gh), of LSTM's cell state (dc, in place) and GRU's
// direct part of dh (d * z; the product with w_hh is added after).
template <typename T>
struct RnnBackwardGates {
  RnnCellKind kind;
  const T* ws;  // rows x width
  const T* d;   // rows x hidden
  T* gi;        // rows x gates
  T* gh;        // rows x gates (GRU)
  T* dc;        // rows x hidden (LSTM)
  T* dh;        // rows x out (GRU)
  int64_t rows, hidden, gates, out, width;
  RnnWorkspaceLayout at;

  template <typename Ctx>
  EMBER_HOST_DEVICE void operator()(Ctx& ctx) const {
    for (int64_t e = global_thread_x(ctx); e < rows * hidden; e += grid_threads_x(ctx)) {
      const int64_t n = e / hidden, j = e % hidden;
      const T* w = ws + n * width;
      const T dj = d[e];
      T* g_row = gi + n * gates;
      switch (kind) {
        case RnnCellKind::Lstm: {
          const T i = w[j], f = w[hidden + j], g = w[2 * hidden + j], o = w[3 * hidden + j];
          const T tc = math::Tanh{}(w[at.c_t + j]);
          const T grad_c = dc[e] + dj * o * (T(1) - tc * tc);
          g_row[3 * hidden + j] = dj * tc * o * (T(1) - o);
          g_row[2 * hidden + j] = grad_c * i * (T(1) - g * g);
          g_row[hidden + j] = grad_c * w[at.c_prev + j] * f * (T(1) - f);
          g_row[j] = grad_c * g * i * (T(1) - i);
          dc[e] = grad_c * f;
          break;
        }
        case RnnCellKind::Gru: {
          T* h_row = gh + n * gates;
          const T r = w[j], z = w[hidden + j], candidate = w[2 * hidden + j];
          const T grad_candidate = dj * (T(1) - z) * (T(1) - candidate * candidate);
          const T grad_z = dj * (w[at.h_prev + j] - candidate) * z * (T(1) - z);
          const T grad_r = grad_candidate * w[3 * hidden + j] * r * (T(1) - r);
          g_row[j] = h_row[j] = grad_r;
          g_row[hidden + j] = h_row[hidden + j] = grad_z;
          g_row[2 * hidden + j] = grad_candidate;
          h_row[2 * hidden + j] = grad_candidate * r;
          dh[n * out + j] = dj * z;
          break;
        }
        case RnnCellKind::Tanh: {
          const T y = w[at.y + j];
          g_row[j] = dj * (T(1) - y * y);
          break;
        }
        case RnnCellKind::Relu:
          g_row[j] = w[at.y + j] > T(0) ? dj : T(0);
          break;
      }
    }
  }
};

namespace rnn_detail {

inline std::vector<int64_t> step_offsets(const std::vector<int64_t>& batch_sizes) {
  std::vector<int64_t> offsets(batch_sizes.size() + 1, 0);
  for (size_t t = 0; t < batch_sizes.size(); ++t) offsets[t + 1] = offsets[t] + batch_sizes[t];
  return offsets;
}

// A detached alias (the kernel's tensors may take part in autograd; the inner ops must record
// nothing), or an undefined tensor.
inline Tensor plain(TensorSpan tensors, bool present, size_t& next) {
  return present ? tensors[next++].detach() : Tensor();
}

// The layer's time loop (RnnLayer's, or a cell's single step): h and c are the running states
// (h_n and c_n when it ends), filled from h0 and c0 first.
template <typename T, typename Launch>
void forward_steps(const RnnLayerShape& op, const Tensor& igates, const Tensor& h0,
                   const Tensor& w_hh, const Tensor& c0, const Tensor& b_hh, const Tensor& w_hr,
                   Tensor output, Tensor h, Tensor ws, Tensor c, Launch&& launch) {
  const int64_t out = h0.size(1), gates = w_hh.size(0);
  const int64_t hidden = gates / rnn_gate_count(op.cell_kind()), width = ws.size(1);
  h.copy_(h0);
  if (op.is_lstm()) c.copy_(c0);
  const RnnWorkspaceLayout at = op.workspace_layout(hidden, out);
  const std::vector<int64_t>& sizes = op.batch_sizes();
  const std::vector<int64_t> offsets = step_offsets(sizes);
  const auto steps = static_cast<int64_t>(sizes.size());
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = op.reverse() ? steps - 1 - s : s;
    const int64_t rows = sizes[static_cast<size_t>(t)], first = offsets[static_cast<size_t>(t)];
    if (rows == 0) continue;
    Tensor h_rows = h.narrow(0, 0, rows);
    Tensor hgates = matmul(h_rows, w_hh.t());
    if (b_hh.defined()) hgates = hgates.add(b_hh);
    hgates = hgates.contiguous();
    launch(elementwise_launch_shape(rows * (hidden > out ? hidden : out), 1),
           RnnForwardGates<T>{op.cell_kind(), op.has_projection(),
                              igates.data_ptr<T>() + first * gates, hgates.data_ptr<T>(),
                              h.data_ptr<T>(), op.is_lstm() ? c.data_ptr<T>() : nullptr,
                              ws.data_ptr<T>() + first * width, output.data_ptr<T>() + first * out,
                              rows, hidden, gates, out, width, at});
    Tensor output_rows = output.narrow(0, first, rows);
    if (op.has_projection()) {
      output_rows.copy_(matmul(ws.narrow(0, first, rows).narrow(1, at.h_raw, hidden), w_hr.t()));
    }
    h_rows.copy_(output_rows);
  }
}

// The layer's backward time loop; grad_output undefined for a cell (only h's gradient arrives).
// dh and dc are the running state gradients (grad_h0, grad_c0 when it ends); grad_b_hh and
// grad_w_hr may be undefined (not wanted).
template <typename T, typename Launch>
void backward_steps(const RnnLayerShape& op, const Tensor& grad_output, const Tensor& grad_h_n,
                    const Tensor& ws, const Tensor& w_hh, const Tensor& grad_c_n,
                    const Tensor& w_hr, Tensor grad_igates, Tensor dh, Tensor grad_w_hh,
                    Tensor grad_b_hh, Tensor dc, Tensor grad_w_hr, Launch&& launch) {
  const bool gru = op.cell_kind() == RnnCellKind::Gru;
  const int64_t out = grad_h_n.size(1), gates = w_hh.size(0), total = grad_igates.size(0);
  const int64_t hidden = gates / rnn_gate_count(op.cell_kind()), width = ws.size(1);
  const TensorOptions options = TensorOptions(ws.dtype()).device(ws.device());
  dh.copy_(grad_h_n);
  if (op.is_lstm()) dc.copy_(grad_c_n);
  // GRU's n gate sees r (W_hn h + b_hn): its hidden-side gradient differs from the input side's.
  const Tensor grad_hgates = gru ? empty({total, gates}, options) : grad_igates;
  // The gradient of each step's output (its h) for all steps: w_hr's gradient is one product.
  const Tensor grad_h_all = empty({total, out}, options);
  const RnnWorkspaceLayout at = op.workspace_layout(hidden, out);
  const std::vector<int64_t>& sizes = op.batch_sizes();
  const std::vector<int64_t> offsets = step_offsets(sizes);
  const auto steps = static_cast<int64_t>(sizes.size());
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = op.reverse() ? s : steps - 1 - s;
    const int64_t rows = sizes[static_cast<size_t>(t)], first = offsets[static_cast<size_t>(t)];
    if (rows == 0) continue;
    Tensor dh_rows = dh.narrow(0, 0, rows);
    Tensor grad_h = grad_h_all.narrow(0, first, rows);
    grad_h.copy_(grad_output.defined() ? dh_rows.add(grad_output.narrow(0, first, rows)) : dh_rows);
    const Tensor d = op.has_projection() ? matmul(grad_h, w_hr).contiguous() : grad_h;
    launch(elementwise_launch_shape(rows * hidden, 1),
           RnnBackwardGates<T>{op.cell_kind(), ws.data_ptr<T>() + first * width, d.data_ptr<T>(),
                               grad_igates.data_ptr<T>() + first * gates,
                               gru ? grad_hgates.data_ptr<T>() + first * gates : nullptr,
                               op.is_lstm() ? dc.data_ptr<T>() : nullptr, dh.data_ptr<T>(), rows,
                               hidden, gates, out, width, at});
    const Tensor into_h = matmul(grad_hgates.narrow(0, first, rows), w_hh);
    dh_rows.copy_(gru ? dh_rows.add(into_h) : into_h);
  }
  if (total == 0) {
    grad_w_hh.fill_(0);
  } else {
    grad_w_hh.copy_(matmul(grad_hgates.t(), ws.narrow(1, at.h_prev, out)));
  }
  if (grad_b_hh.defined()) grad_b_hh.copy_(sum(grad_hgates, {0}));
  if (op.has_projection()) {
    if (total == 0) {
      grad_w_hr.fill_(0);
    } else {
      grad_w_hr.copy_(matmul(grad_h_all.t(), ws.narrow(1, at.h_raw, hidden)));
    }
  }
}

template <typename T, typename Launch>
void layer_forward(const RnnLayer& op, TensorSpan inputs, TensorSpan outputs, Launch&& launch) {
  size_t next = 3;
  const Tensor c0 = plain(inputs, op.is_lstm(), next);
  const Tensor b_hh = plain(inputs, op.has_bias(), next);
  const Tensor w_hr = plain(inputs, op.has_projection(), next);
  forward_steps<T>(op, inputs[0].detach(), inputs[1].detach(), inputs[2].detach(), c0, b_hh, w_hr,
                   outputs[0].detach(), outputs[1].detach(), outputs[2].detach(),
                   op.is_lstm() ? outputs[3].detach() : Tensor(), launch);
}

template <typename T, typename Launch>
void layer_backward(const RnnLayerBackward& op, TensorSpan inputs, TensorSpan outputs,
                    Launch&& launch) {
  size_t next = 4;
  const Tensor grad_c_n = plain(inputs, op.is_lstm(), next);
  const Tensor w_hr = plain(inputs, op.has_projection(), next);
  backward_steps<T>(
      op, inputs[0].detach(), inputs[1].detach(), inputs[2].detach(), inputs[3].detach(), grad_c_n,
      w_hr, outputs[0].detach(), outputs[1].detach(), outputs[2].detach(), outputs[3].detach(),
      op.is_lstm() ? outputs[4].detach() : Tensor(),
      op.has_projection() ? outputs[op.is_lstm() ? 5 : 4].detach() : Tensor(), launch);
}

// One cell step: the input projection (with b_ih), then the layer's step into a scratch state.
template <typename T, typename Launch>
void cell_forward(const RnnLayer& op, TensorSpan inputs, TensorSpan outputs, Launch&& launch) {
  size_t next = 4;
  const Tensor cx = plain(inputs, op.is_lstm(), next);
  const Tensor b_ih = plain(inputs, op.has_bias(), next);
  const Tensor b_hh = plain(inputs, op.has_bias(), next);
  const Tensor hx = inputs[1].detach();
  Tensor igates = matmul(inputs[0].detach(), inputs[2].detach().t());
  if (b_ih.defined()) igates = igates.add(b_ih);
  forward_steps<T>(op, igates.contiguous(), hx, inputs[3].detach(), cx, b_hh, Tensor(),
                   outputs[0].detach(), empty_like(hx), outputs[1].detach(),
                   op.is_lstm() ? outputs[2].detach() : Tensor(), launch);
}

// The step's backward, then the input projection's: grad_input = grad_igates w_ih, grad_w_ih =
// grad_igates^T input, grad_b_ih = grad_igates' column sums.
template <typename T, typename Launch>
void cell_backward(const RnnLayerBackward& op, TensorSpan inputs, TensorSpan outputs,
                   Launch&& launch) {
  const Tensor input = inputs[2].detach(), w_ih = inputs[3].detach(), w_hh = inputs[4].detach();
  const int64_t batch = input.size(0);
  const Tensor grad_igates =
      empty({batch, w_hh.size(0)}, TensorOptions(input.dtype()).device(input.device()));
  size_t next = 4;
  const Tensor grad_cx = plain(outputs, op.is_lstm(), next);
  Tensor grad_b_ih = plain(outputs, op.has_bias(), next);
  const Tensor grad_b_hh = plain(outputs, op.has_bias(), next);
  backward_steps<T>(op, Tensor(), inputs[0].detach(), inputs[1].detach(), w_hh,
                    op.is_lstm() ? inputs[5].detach() : Tensor(), Tensor(), grad_igates,
                    outputs[1].detach(), outputs[3].detach(), grad_b_hh, grad_cx, Tensor(), launch);
  outputs[0].detach().copy_(matmul(grad_igates, w_ih));
  Tensor grad_w_ih = outputs[2].detach();
  if (batch == 0) {
    grad_w_ih.fill_(0);
  } else {
    grad_w_ih.copy_(matmul(grad_igates.t(), input));
  }
  if (grad_b_ih.defined()) grad_b_ih.copy_(sum(grad_igates, {0}));
}

}  // namespace rnn_detail

// RnnLayer's and RnnLayerBackward's float32 and float64 (the dtypes eval_cpu covers).
template <typename Launch>
void run_rnn_layer(const RnnLayer& op, TensorSpan inputs, TensorSpan outputs, Launch&& launch) {
  const ScalarType dtype = inputs[0].dtype();
  if (dtype != kFloat32 && dtype != kFloat64) raise_no_kernel(op.name(), "CUDA");
  if (op.is_cell()) {
    return dtype == kFloat64 ? rnn_detail::cell_forward<double>(op, inputs, outputs, launch)
                             : rnn_detail::cell_forward<float>(op, inputs, outputs, launch);
  }
  return dtype == kFloat64 ? rnn_detail::layer_forward<double>(op, inputs, outputs, launch)
                           : rnn_detail::layer_forward<float>(op, inputs, outputs, launch);
}

template <typename Launch>
void run_rnn_layer_backward(const RnnLayerBackward& op, TensorSpan inputs, TensorSpan outputs,
                            Launch&& launch) {
  const ScalarType dtype = inputs[0].dtype();
  if (dtype != kFloat32 && dtype != kFloat64) raise_no_kernel(op.name(), "CUDA");
  if (op.is_cell()) {
    return dtype == kFloat64 ? rnn_detail::cell_backward<double>(op, inputs, outputs, launch)
                             : rnn_detail::cell_backward<float>(op, inputs, outputs, launch);
  }
  return dtype == kFloat64 ? rnn_detail::layer_backward<double>(op, inputs, outputs, launch)
                           : rnn_detail::layer_backward<float>(op, inputs, outputs, launch);
}

}  // namespace ember::cuda
