"""A recursive network over randomly shaped binary trees: each sample is a new tree, so each
forward pass builds a new graph by ordinary recursion. Leaves hold numbers; a node combines its
children's vectors; the root's vector predicts the sum of the leaves.
Usage: python tree_recursive.py [steps]"""
import random
import sys

import ember as torch


def random_tree(rng, depth=0):
    if depth >= 4 or (depth > 0 and rng.random() < 0.4):
        return rng.uniform(-1, 1)
    return (random_tree(rng, depth + 1), random_tree(rng, depth + 1))


def leaf_sum(tree):
    return tree if isinstance(tree, float) else leaf_sum(tree[0]) + leaf_sum(tree[1])


class TreeNet:
    def __init__(self, size=8):
        self.embed = (torch.randn(size, 1) * 0.5).requires_grad_()
        self.left = (torch.randn(size, size) * (0.5 / size ** 0.5)).requires_grad_()
        self.right = (torch.randn(size, size) * (0.5 / size ** 0.5)).requires_grad_()
        self.bias = torch.zeros(size, 1, requires_grad=True)
        self.readout = (torch.randn(1, size) * 0.1).requires_grad_()

    def parameters(self):
        return [self.embed, self.left, self.right, self.bias, self.readout]

    def encode(self, tree):
        if isinstance(tree, float):
            return self.embed * tree
        return torch.tanh(self.left.mm(self.encode(tree[0])) + self.right.mm(self.encode(tree[1]))
                          + self.bias)

    def __call__(self, tree):
        return self.readout.mm(self.encode(tree)).sum()


def train(steps=1500, learning_rate=0.02, seed=0):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    net = TreeNet()
    losses = []
    for _ in range(steps):
        tree = random_tree(rng)
        loss = (net(tree) - leaf_sum(tree)) ** 2
        loss.backward()
        with torch.no_grad():
            for parameter in net.parameters():
                parameter -= learning_rate * parameter.grad
                parameter.grad = None
        losses.append(loss.item())
    return losses


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    losses = train(steps)
    window = max(1, steps // 10)
    for start in range(0, steps, window):
        chunk = losses[start:start + window]
        mean = sum(chunk) / len(chunk)
        print(f"steps {start:5d}-{start + len(chunk) - 1:5d}  mean loss {mean:.4f}")
