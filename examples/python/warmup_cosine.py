"""An MLP trained with a linear warm-up then a cosine learning-rate schedule, and gradient
clipping.

It fits y = sin(3 x0) cos(2 x1) with SGD and momentum. The learning rate rises linearly from 1% of
its peak over the first `warmup` steps (LinearLR), then follows half a cosine down to zero
(CosineAnnealingLR), the two joined by SequentialLR; clip_grad_norm_ bounds each step's gradient,
which keeps the first large-lr steps stable.
"""
import sys

import ember
from ember import nn, optim
from ember.optim import lr_scheduler


def train(steps=600, peak_lr=0.2, warmup=60, max_norm=1.0, seed=0, log=None):
    """Trains a fresh MLP; returns (model, per-step losses, per-step lrs, per-step grad norms)."""
    ember.manual_seed(seed)
    x = ember.rand(256, 2) * 4 - 2
    y = (x[:, :1] * 3).sin() * (x[:, 1:] * 2).cos()
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                          nn.Linear(32, 1))
    optimizer = optim.SGD(model.parameters(), lr=peak_lr, momentum=0.9)
    scheduler = lr_scheduler.SequentialLR(optimizer, [
        lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=warmup),
        lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps - warmup),
    ], milestones=[warmup])
    losses, lrs, grad_norms = [], [], []
    for step in range(steps):
        loss = ((model(x) - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        grad_norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm).item())
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
        if log is not None and step % 100 == 0:
            log(f"step {step:4d}  lr {lrs[-1]:.4f}  loss {losses[-1]:.5f}")
    return model, losses, lrs, grad_norms


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    _, losses, _, _ = train(steps=steps, warmup=steps // 10, log=print)
    print(f"loss {losses[0]:.5f} -> {losses[-1]:.5f}")
