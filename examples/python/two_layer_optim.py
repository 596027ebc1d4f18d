"""The seed's two-layer network written with ember.nn and trained by ember.optim (SGD or Adam),
as PyTorch's tutorial does after the hand-written version (two_layer_tensor.py). The C++ program
examples/cpp/two_layer_optim.cpp is the same and prints the same losses.

Usage: python two_layer_optim.py [sgd|adam] [steps]
"""
import sys

import ember as torch


def train(optimizer_name="sgd", steps=500, seed=0, log=None):
    """Trains the net from `seed`; returns the per-step losses."""
    torch.manual_seed(seed)
    # N is batch size; D_in is input dimension; H is hidden dimension; D_out is output dimension.
    N, D_in, H, D_out = 64, 1000, 100, 10
    x = torch.randn(N, D_in)
    y = torch.randn(N, D_out)
    model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(),
                                torch.nn.Linear(H, D_out))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    if optimizer_name == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
    elif optimizer_name == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    else:
        raise ValueError(f"unknown optimizer {optimizer_name!r}: expected 'sgd' or 'adam'")
    losses = []
    for t in range(steps):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        if log:
            log(f"{t} {losses[-1]:.6g}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "sgd"
    train(name, int(sys.argv[2]) if len(sys.argv) > 2 else 500, log=print)
