// The composite gate math of the LSTM and GRU steps (rnn_gates.h) and the switch between it and
// the fused kernels.
#include "ember/ops/rnn_gates.h"

#include "ember/ops/ops.h"
#include "ember/ops/rnn_ops.h"
#include "ember/ops/shape.h"

namespace ember::detail {
namespace {

thread_local bool fused_rnn_gates = true;

}  // namespace

bool use_fused_rnn_gates() { return fused_rnn_gates; }
void set_use_fused_rnn_gates(bool fused) { fused_rnn_gates = fused; }

std::tuple<Tensor, Tensor> lstm_gates_composite(const Tensor& igates, const Tensor& hgates,
                                                const Tensor& cx) {
  const std::vector<Tensor> g = chunk(add(igates, hgates), 4, 1);
  const Tensor cy = add(mul(sigmoid(g[1]), cx), mul(sigmoid(g[0]), tanh(g[2])));
  return {mul(sigmoid(g[3]), tanh(cy)), cy};
}

Tensor gru_gates_composite(const Tensor& igates, const Tensor& hgates, const Tensor& hx) {
  const std::vector<Tensor> i = chunk(igates, 3, 1);
  const std::vector<Tensor> h = chunk(hgates, 3, 1);
  const Tensor r = sigmoid(add(i[0], h[0]));
  const Tensor z = sigmoid(add(i[1], h[1]));
  const Tensor n = tanh(add(i[2], mul(r, h[2])));
  // (1 - z) n + z h = n + z (h - n)
  return add(n, mul(z, sub(hx, n)));
}

std::tuple<Tensor, Tensor> lstm_gates(const Tensor& igates, const Tensor& hgates,
                                      const Tensor& cx) {
  return lstm_gates_composite(igates, hgates, cx);
}

Tensor gru_gates(const Tensor& igates, const Tensor& hgates, const Tensor& hx) {
  return gru_gates_composite(igates, hgates, hx);
}

}  // namespace ember::detail
