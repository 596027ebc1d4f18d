// A binary Tree-LSTM over randomly shaped trees (the C++ twin of examples/python/tree_lstm.py):
// every sample is a new tree and every forward pass a new graph built by recursion. A leaf runs
// an LSTMCell on its number from a zero state; an inner node gates its children's (h, c) with a
// forget gate per child. The root's h predicts the sum of the leaves. Usage: tree_lstm [steps];
// the exit code says whether it learned (mean loss of the last 100 steps below 40% of the
// first 100).
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <tuple>
#include <vector>

#include "ember/ember.h"

namespace nn = ember::nn;

struct Tree {
  double value = 0.0;  // a leaf's number
  std::unique_ptr<Tree> left, right;
  bool is_leaf() const { return left == nullptr; }
  double leaf_sum() const { return is_leaf() ? value : left->leaf_sum() + right->leaf_sum(); }
};

std::unique_ptr<Tree> random_tree(std::mt19937& rng, int depth = 0) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto tree = std::make_unique<Tree>();
  if (depth >= 4 || (depth > 0 && uniform(rng) < 0.4)) {
    tree->value = 2.0 * uniform(rng) - 1.0;
  } else {
    tree->left = random_tree(rng, depth + 1);
    tree->right = random_tree(rng, depth + 1);
  }
  return tree;
}

struct TreeLSTMImpl : nn::Module {
  explicit TreeLSTMImpl(int64_t hidden)
      : leaf(register_module("leaf", nn::LSTMCell(1, hidden))),
        gates(register_module("gates", nn::Linear(2 * hidden, 5 * hidden))),
        readout(register_module("readout", nn::Linear(hidden, 1))) {}

  std::tuple<ember::Tensor, ember::Tensor> encode(const Tree& tree) {
    if (tree.is_leaf()) return leaf(ember::full({1, 1}, tree.value));
    const auto [h_l, c_l] = encode(*tree.left);
    const auto [h_r, c_r] = encode(*tree.right);
    const std::vector<ember::Tensor> g = gates(ember::cat({h_l, h_r}, 1)).chunk(5, 1);
    const ember::Tensor c = ember::sigmoid(g[0]) * ember::tanh(g[4]) + ember::sigmoid(g[1]) * c_l +
                            ember::sigmoid(g[2]) * c_r;
    return {ember::sigmoid(g[3]) * ember::tanh(c), c};
  }

  ember::Tensor forward(const Tree& tree) { return readout(std::get<0>(encode(tree))).sum(); }

  nn::LSTMCell leaf;
  nn::Linear gates;
  nn::Linear readout;
};

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 1000;
  ember::manual_seed(0);
  std::mt19937 rng(0);
  auto model = std::make_shared<TreeLSTMImpl>(16);
  ember::optim::Adam optimizer(model->parameters(), ember::optim::AdamOptions(0.01));
  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    const auto tree = random_tree(rng);
    const ember::Tensor loss = (model->forward(*tree) - tree->leaf_sum()).pow(2);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push_back(loss.item<double>());
  }
  const size_t window = std::min<size_t>(100, losses.size());
  double first = 0, last = 0;
  for (size_t i = 0; i < window; ++i) {
    first += losses[i] / static_cast<double>(window);
    last += losses[losses.size() - window + i] / static_cast<double>(window);
  }
  std::cout << "mean loss: first " << window << " steps " << first << ", last " << window
            << " steps " << last << "\n";
  return last < 0.4 * first ? EXIT_SUCCESS : EXIT_FAILURE;
}
