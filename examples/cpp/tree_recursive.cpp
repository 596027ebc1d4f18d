// A recursive network over randomly shaped binary trees (the C++ twin of
// examples/python/tree_recursive.py): each sample is a new tree and so a new graph, built by
// ordinary recursion. The root's vector predicts the sum of the leaves. Usage:
// tree_recursive [steps]; the exit code says whether it learned.
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <vector>

#include "ember/ember.h"

namespace {

struct Tree {
  double value = 0;  // leaves only
  std::unique_ptr<Tree> left, right;
  bool is_leaf() const { return !left; }
};

std::unique_ptr<Tree> random_tree(std::mt19937& rng, int depth = 0) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto tree = std::make_unique<Tree>();
  if (depth >= 4 || (depth > 0 && uniform(rng) < 0.4)) {
    tree->value = uniform(rng) * 2 - 1;
    return tree;
  }
  tree->left = random_tree(rng, depth + 1);
  tree->right = random_tree(rng, depth + 1);
  return tree;
}

double leaf_sum(const Tree& tree) {
  return tree.is_leaf() ? tree.value : leaf_sum(*tree.left) + leaf_sum(*tree.right);
}

struct TreeNet {
  explicit TreeNet(int64_t size)
      : embed((ember::randn({size, 1}) * 0.5).requires_grad_()),
        left((ember::randn({size, size}) * (0.5 / std::sqrt(size))).requires_grad_()),
        right((ember::randn({size, size}) * (0.5 / std::sqrt(size))).requires_grad_()),
        bias(ember::zeros({size, 1}).requires_grad_()),
        readout((ember::randn({1, size}) * 0.1).requires_grad_()) {}

  ember::Tensor encode(const Tree& tree) const {
    if (tree.is_leaf()) return embed * tree.value;
    return ember::tanh(left.mm(encode(*tree.left)) + right.mm(encode(*tree.right)) + bias);
  }
  ember::Tensor operator()(const Tree& tree) const { return readout.mm(encode(tree)).sum(); }
  std::vector<ember::Tensor> parameters() const { return {embed, left, right, bias, readout}; }

  ember::Tensor embed, left, right, bias, readout;
};

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 1500;
  const double learning_rate = 0.02;
  ember::manual_seed(0);
  std::mt19937 rng(0);
  TreeNet net(8);
  std::vector<double> losses;
  for (int step = 0; step < steps; ++step) {
    const std::unique_ptr<Tree> tree = random_tree(rng);
    ember::Tensor loss = (net(*tree) - leaf_sum(*tree)).pow(2);
    loss.backward();
    {
      ember::autograd::NoGradGuard no_grad;
      for (ember::Tensor parameter : net.parameters()) {
        parameter -= learning_rate * parameter.grad();
        parameter.set_grad(ember::Tensor());
      }
    }
    losses.push_back(loss.item<double>());
  }
  auto mean = [&](size_t begin, size_t end) {
    double total = 0;
    for (size_t i = begin; i < end; ++i) total += losses[i];
    return total / static_cast<double>(end - begin);
  };
  const size_t window = std::min<size_t>(100, losses.size());
  const double first = mean(0, window), last = mean(losses.size() - window, losses.size());
  std::cout << "mean loss: first " << window << " steps " << first << ", last " << window
            << " steps " << last << "\n";
  return last < 0.4 * first ? EXIT_SUCCESS : EXIT_FAILURE;
}
