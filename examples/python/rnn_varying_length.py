"""A recurrent network unrolled by hand over sequences of varying length: every sample builds a
graph of its own length, which autograd differentiates and throws away. The task: read a
sequence of numbers and output their sum. Usage: python rnn_varying_length.py [steps]"""
import random
import sys

import ember as torch


def make_sample(rng):
    values = [rng.uniform(-1, 1) for _ in range(rng.randint(2, 8))]
    return torch.tensor(values).view(-1, 1), sum(values)


def train(steps=2000, hidden=16, learning_rate=0.01, seed=0):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    w_x = (torch.randn(hidden, 1) * 0.5).requires_grad_()
    w_h = (torch.randn(hidden, hidden) * (0.5 / hidden ** 0.5)).requires_grad_()
    b = torch.zeros(hidden, 1, requires_grad=True)
    w_out = (torch.randn(1, hidden) * 0.1).requires_grad_()
    parameters = [w_x, w_h, b, w_out]

    losses = []
    for _ in range(steps):
        sequence, target = make_sample(rng)
        h = torch.zeros(hidden, 1)
        for t in range(sequence.shape[0]):  # the graph's length is the sample's
            h = torch.tanh(w_x.mm(sequence[t].view(1, 1)) + w_h.mm(h) + b)
        prediction = w_out.mm(h).sum()
        loss = (prediction - target) ** 2
        loss.backward()
        with torch.no_grad():
            for parameter in parameters:
                parameter -= learning_rate * parameter.grad
                parameter.grad = None
        losses.append(loss.item())
    return losses


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    losses = train(steps)
    window = max(1, steps // 10)
    for start in range(0, steps, window):
        chunk = losses[start:start + window]
        mean = sum(chunk) / len(chunk)
        print(f"steps {start:5d}-{start + len(chunk) - 1:5d}  mean loss {mean:.4f}")
