// ember's autograd benchmarks from C++ (bench/RESULTS_autograd.md; budgets in PERFORMANCE.md):
// the per-op cost of a tiny op with and without graph recording, a 4-op graph forward + backward,
// the seed two-layer net trained with autograd, an LSTM cell written from ops (per token) and a
// binary Tree-LSTM over random trees (per node). One thread throughout: below the grain size no op
// forks anyway, and two-thread figures collapse whenever anything else runs on the machine. The
// same cases from Python, beside PyTorch, are in benchmarks/python/compare_torch_autograd.py.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "ember/ember.h"

namespace {

void one_thread(const benchmark::State&) { ember::set_num_threads(1); }

// ------------------------------------------------------------------ per-op overhead
// x + y on 1-element tensors. requires_grad(x) = range(0): with 1 the op records an AddBackward0
// node (and the result's autograd metadata), which the next iteration's assignment frees.
void tiny_add(benchmark::State& state) {
  const ember::Tensor x = ember::ones({1}).requires_grad_(state.range(0) != 0);
  const ember::Tensor y = ember::ones({1});
  if ((x + y).requires_grad() != x.requires_grad()) {
    state.SkipWithError("x + y is not recorded: is the autograd layer linked?");
    return;
  }
  for (auto _ : state) {
    ember::Tensor z = x + y;
    benchmark::DoNotOptimize(z.data_ptr());
  }
  state.SetLabel(state.range(0) != 0 ? "recorded (x requires grad)" : "no tensor requires grad");
}
BENCHMARK(tiny_add)->Arg(0)->Arg(1)->Setup(one_thread);

// x requires grad, but the op runs under NoGradGuard (entered once, outside the loop).
void tiny_add_no_grad_mode(benchmark::State& state) {
  const ember::Tensor x = ember::ones({1}).requires_grad_();
  const ember::Tensor y = ember::ones({1});
  ember::autograd::NoGradGuard no_grad;
  for (auto _ : state) {
    ember::Tensor z = x + y;
    benchmark::DoNotOptimize(z.data_ptr());
  }
}
BENCHMARK(tiny_add_no_grad_mode)->Setup(one_thread);

// ------------------------------------------------------------------ 4-op graph
// ((a * b + c).tanh().sum()).backward() with a and b requiring grad; their grads are reset each
// iteration so that every graph starts alike. range(0): side (1 means shape {1}).
void four_op_graph(benchmark::State& state) {
  const int64_t side = state.range(0);
  const std::vector<int64_t> shape = side == 1 ? std::vector<int64_t>{1} : std::vector{side, side};
  ember::manual_seed(0);
  const ember::Tensor a = ember::randn(shape).requires_grad_();
  const ember::Tensor b = ember::randn(shape).requires_grad_();
  const ember::Tensor c = ember::randn(shape);
  for (auto _ : state) {
    ((a * b + c).tanh().sum()).backward();
    a.set_grad(ember::Tensor());
    b.set_grad(ember::Tensor());
  }
}
BENCHMARK(four_op_graph)->Arg(1)->Arg(16)->Setup(one_thread)->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------------ seed net with autograd
// The seed's two_layer_autograd step (N=64, 1000->100->10): loss, backward, SGD under no_grad,
// grads zeroed in place.
void two_layer_autograd(benchmark::State& state) {
  const int64_t N = 64, D_in = 1000, H = 100, D_out = 10;
  ember::manual_seed(0);
  const ember::Tensor x = ember::randn({N, D_in});
  const ember::Tensor y = ember::randn({N, D_out});
  ember::Tensor w1 = ember::randn({D_in, H}).requires_grad_();
  ember::Tensor w2 = ember::randn({H, D_out}).requires_grad_();
  w1.set_grad(ember::zeros({D_in, H}));
  w2.set_grad(ember::zeros({H, D_out}));
  const double learning_rate = 1e-6;
  for (auto _ : state) {
    ember::Tensor loss = (x.mm(w1).clamp(0).mm(w2) - y).pow(2).sum();
    loss.backward();
    ember::autograd::NoGradGuard no_grad;
    w1 -= learning_rate * w1.grad();
    w2 -= learning_rate * w2.grad();
    w1.grad().zero_();
    w2.grad().zero_();
  }
}
BENCHMARK(two_layer_autograd)
    ->Setup(one_thread)
    ->MinWarmUpTime(0.2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------------ LSTM cell from ops
// torch.nn.LSTMCell's gates from ops (one mm per operand into 4*hidden columns, narrowed into
// i, f, g, o), batch 1, input = hidden = range(0), over 20 tokens; every hidden state feeds a
// linear readout summed into the loss (a tagger's shape); one backward per sequence.
// per_token is the figure to compare with the 45 us budget.
constexpr int kTokens = 20;

void lstm_sequence(benchmark::State& state) {
  const int64_t hid = state.range(0);
  const double scale = 1.0 / std::sqrt(static_cast<double>(hid));
  ember::manual_seed(0);
  const ember::Tensor w_ih = (ember::randn({hid, 4 * hid}) * scale).requires_grad_();
  const ember::Tensor w_hh = (ember::randn({hid, 4 * hid}) * scale).requires_grad_();
  const ember::Tensor bias = ember::zeros({1, 4 * hid}).requires_grad_();
  const ember::Tensor w_out = (ember::randn({hid, 1}) * scale).requires_grad_();
  const std::vector<ember::Tensor> params{w_ih, w_hh, bias, w_out};
  std::vector<ember::Tensor> tokens;
  for (int t = 0; t < kTokens; ++t) tokens.push_back(ember::randn({1, hid}));

  for (auto _ : state) {
    ember::Tensor h = ember::zeros({1, hid});
    ember::Tensor c = ember::zeros({1, hid});
    ember::Tensor loss;
    for (const ember::Tensor& x : tokens) {
      ember::Tensor gates = x.mm(w_ih) + h.mm(w_hh) + bias;
      ember::Tensor i = ember::sigmoid(gates.narrow(1, 0, hid));
      ember::Tensor f = ember::sigmoid(gates.narrow(1, hid, hid));
      ember::Tensor g = ember::tanh(gates.narrow(1, 2 * hid, hid));
      ember::Tensor o = ember::sigmoid(gates.narrow(1, 3 * hid, hid));
      c = f * c + i * g;
      h = o * ember::tanh(c);
      ember::Tensor score = h.mm(w_out).sum();
      loss = loss.defined() ? loss + score : score;
    }
    loss.backward();
    for (const ember::Tensor& param : params) param.set_grad(ember::Tensor());
  }
  // Seconds per token (printed with an SI prefix: "45u" is 45 us).
  state.counters["per_token"] = benchmark::Counter(
      kTokens, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(lstm_sequence)
    ->Arg(128)
    ->Arg(16)
    ->Setup(one_thread)
    ->MinWarmUpTime(0.2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------------ Tree-LSTM
// A binary Tree-LSTM (Tai et al. 2015), hidden 64, over 64 fixed random binary trees of 8-16
// leaves (15-31 nodes), one forward + backward per tree; an iteration runs all 64 trees.
struct Tree {
  int left = -1, right = -1;  // children's indices in Forest::nodes; -1 for a leaf
  int leaf = -1;              // a leaf's index into the tree's inputs
};

struct Forest {
  std::vector<std::vector<Tree>> trees;  // each tree's nodes, root last
  std::vector<std::vector<ember::Tensor>> inputs;
  int64_t node_count = 0;
};

int build_tree(std::mt19937& rng, int leaves, std::vector<Tree>& nodes, int& next_leaf) {
  Tree tree;
  if (leaves == 1) {
    tree.leaf = next_leaf++;
  } else {
    const int left = std::uniform_int_distribution<int>(1, leaves - 1)(rng);
    tree.left = build_tree(rng, left, nodes, next_leaf);
    tree.right = build_tree(rng, leaves - left, nodes, next_leaf);
  }
  nodes.push_back(tree);
  return static_cast<int>(nodes.size()) - 1;
}

void tree_lstm(benchmark::State& state) {
  const int64_t hid = 64;
  const double scale = 1.0 / std::sqrt(static_cast<double>(hid));
  ember::manual_seed(0);
  const ember::Tensor w_leaf = (ember::randn({hid, 3 * hid}) * scale).requires_grad_();
  const ember::Tensor b_leaf = ember::zeros({1, 3 * hid}).requires_grad_();
  const ember::Tensor u_left = (ember::randn({hid, 5 * hid}) * scale).requires_grad_();
  const ember::Tensor u_right = (ember::randn({hid, 5 * hid}) * scale).requires_grad_();
  const ember::Tensor b_node = ember::zeros({1, 5 * hid}).requires_grad_();
  const ember::Tensor w_out = (ember::randn({hid, 1}) * scale).requires_grad_();
  const std::vector<ember::Tensor> params{w_leaf, b_leaf, u_left, u_right, b_node, w_out};

  Forest forest;
  std::mt19937 rng(0);
  for (int t = 0; t < 64; ++t) {
    std::vector<Tree> nodes;
    int leaves = 0;
    build_tree(rng, std::uniform_int_distribution<int>(8, 16)(rng), nodes, leaves);
    forest.node_count += static_cast<int64_t>(nodes.size());
    std::vector<ember::Tensor> inputs;
    for (int l = 0; l < leaves; ++l) inputs.push_back(ember::randn({1, hid}));
    forest.trees.push_back(std::move(nodes));
    forest.inputs.push_back(std::move(inputs));
  }

  std::vector<std::pair<ember::Tensor, ember::Tensor>> states;  // (h, c) per node
  for (auto _ : state) {
    for (size_t t = 0; t < forest.trees.size(); ++t) {
      const std::vector<Tree>& nodes = forest.trees[t];
      states.assign(nodes.size(), {});
      for (size_t n = 0; n < nodes.size(); ++n) {  // children precede their parent
        const Tree& node = nodes[n];
        if (node.leaf >= 0) {
          ember::Tensor gates = forest.inputs[t][node.leaf].mm(w_leaf) + b_leaf;
          ember::Tensor i = ember::sigmoid(gates.narrow(1, 0, hid));
          ember::Tensor o = ember::sigmoid(gates.narrow(1, hid, hid));
          ember::Tensor u = ember::tanh(gates.narrow(1, 2 * hid, hid));
          ember::Tensor c = i * u;
          states[n] = {o * ember::tanh(c), c};
          continue;
        }
        const auto& [h_left, c_left] = states[node.left];
        const auto& [h_right, c_right] = states[node.right];
        ember::Tensor gates = h_left.mm(u_left) + h_right.mm(u_right) + b_node;
        ember::Tensor i = ember::sigmoid(gates.narrow(1, 0, hid));
        ember::Tensor f_left = ember::sigmoid(gates.narrow(1, hid, hid));
        ember::Tensor f_right = ember::sigmoid(gates.narrow(1, 2 * hid, hid));
        ember::Tensor o = ember::sigmoid(gates.narrow(1, 3 * hid, hid));
        ember::Tensor u = ember::tanh(gates.narrow(1, 4 * hid, hid));
        ember::Tensor c = i * u + f_left * c_left + f_right * c_right;
        states[n] = {o * ember::tanh(c), c};
      }
      states.back().first.mm(w_out).sum().backward();
      for (const ember::Tensor& param : params) param.set_grad(ember::Tensor());
    }
  }
  // Seconds per node (printed with an SI prefix: "35u" is 35 us).
  state.counters["per_node"] = benchmark::Counter(
      static_cast<double>(forest.node_count),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(tree_lstm)
    ->Setup(one_thread)
    ->MinWarmUpTime(0.2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
