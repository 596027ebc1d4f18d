"""A binary Tree-LSTM (Tai et al. 2015) over randomly shaped trees: every sample is a new tree,
so every forward pass builds a new graph by recursion. A leaf runs an nn.LSTMCell on its number
from a zero state; an inner node gates its two children's (h, c) LSTM-style, with a forget
gate per child: c = i * u + f_l * c_l + f_r * c_r, h = o * tanh(c). The root's h predicts the
sum of the leaves. Usage: python tree_lstm.py [steps]"""
import random
import sys

import ember as torch
from ember import nn


def random_tree(rng, depth=0):
    if depth >= 4 or (depth > 0 and rng.random() < 0.4):
        return rng.uniform(-1, 1)
    return (random_tree(rng, depth + 1), random_tree(rng, depth + 1))


def leaf_sum(tree):
    return tree if isinstance(tree, float) else leaf_sum(tree[0]) + leaf_sum(tree[1])


class TreeLSTM(nn.Module):
    def __init__(self, hidden_size=16):
        super().__init__()
        self.leaf = nn.LSTMCell(1, hidden_size)
        self.gates = nn.Linear(2 * hidden_size, 5 * hidden_size)  # i, f_l, f_r, o, u
        self.readout = nn.Linear(hidden_size, 1)

    def encode(self, tree):
        if isinstance(tree, float):
            return self.leaf(torch.tensor([[tree]]))
        (h_l, c_l), (h_r, c_r) = self.encode(tree[0]), self.encode(tree[1])
        i, f_l, f_r, o, u = self.gates(torch.cat([h_l, h_r], dim=1)).chunk(5, dim=1)
        c = (torch.sigmoid(i) * torch.tanh(u) + torch.sigmoid(f_l) * c_l
             + torch.sigmoid(f_r) * c_r)
        return torch.sigmoid(o) * torch.tanh(c), c

    def forward(self, tree):
        return self.readout(self.encode(tree)[0]).sum()


def train(steps=1000, learning_rate=0.01, seed=0):
    """Returns the squared error of each step (one tree per step)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = TreeLSTM()
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    losses = []
    for _ in range(steps):
        tree = random_tree(rng)
        loss = (model(tree) - leaf_sum(tree)) ** 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    losses = train(steps)
    window = max(1, steps // 10)
    for start in range(0, steps, window):
        chunk = losses[start:start + window]
        mean = sum(chunk) / len(chunk)
        print(f"steps {start:5d}-{start + len(chunk) - 1:5d}  mean loss {mean:.4f}")
