"""A small CNN trained from a Dataset through a DataLoader with 2 worker processes, checkpointed
every epoch with ember.save and resumed from the last checkpoint with ember.load.

The data are 8x8 images of one bar, horizontal (class 0) or vertical (class 1), at a random row
or column, under noise, made in memory from a seeded generator (no downloads). The checkpoint
holds everything the next epoch depends on: the model, the optimizer, the scheduler, the global
RNG state, the loader's generator (it draws each epoch's order and worker seeds) and the epoch.
So a run stopped after any epoch and started again with the same path goes on exactly as if it
had not stopped.

    python cnn_checkpoint.py CHECKPOINT_PATH [EPOCHS]
"""
import os
import sys

from ember.utils.data import DataLoader, TensorDataset

import ember
from ember import nn, optim
from ember.optim import lr_scheduler


def bars(count, seed):
    """`count` noisy images (count, 1, 8, 8) and their labels (0: horizontal, 1: vertical)."""
    generator = ember.Generator()
    generator.manual_seed(seed)
    labels = ember.randint(0, 2, (count,), generator=generator)
    positions = ember.randint(0, 8, (count, 1, 1), generator=generator)
    lines = ember.arange(8)
    horizontal = lines.view(1, 8, 1) == positions
    vertical = lines.view(1, 1, 8) == positions
    bar = ember.where(labels.view(-1, 1, 1) == 0, horizontal, vertical)
    noise = ember.randn(count, 1, 8, 8, generator=generator) * 0.3
    return bar.unsqueeze(1).float() + noise, labels


def make_model():
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(16, 2))


def train(path, epochs, workers=2, seed=0, log=None):
    """Trains up to `epochs` epochs, resuming from `path` if it exists and saving to it after each
    epoch; returns (model, mean loss of each epoch run here, the epoch this run started at)."""
    ember.manual_seed(seed)
    images, labels = bars(512, seed)
    dataset = TensorDataset(images, labels)
    model = make_model()
    optimizer = optim.Adam(model.parameters(), lr=0.03)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
    order = ember.Generator()
    order.manual_seed(seed)
    start = 0
    if os.path.exists(path):
        checkpoint = ember.load(path)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        ember.set_rng_state(checkpoint["rng_state"])
        order.set_state(checkpoint["loader_generator"])
        start = checkpoint["epoch"]
    loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=workers,
                        generator=order)
    losses = []
    for epoch in range(start, epochs):
        total = 0.0
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
        scheduler.step()
        losses.append(total / len(dataset))
        ember.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "rng_state": ember.get_rng_state(),
                    "loader_generator": order.get_state(), "epoch": epoch + 1}, path)
        if log is not None:
            log(f"epoch {epoch}  loss {losses[-1]:.4f}  lr {scheduler.get_last_lr()[0]:.4f}")
    return model, losses, start


if __name__ == "__main__":
    checkpoint_path = sys.argv[1] if len(sys.argv) > 1 else "cnn_checkpoint.ckpt"
    _, _, first = train(checkpoint_path, int(sys.argv[2]) if len(sys.argv) > 2 else 6, log=print)
    print(f"started at epoch {first}; checkpoint in {checkpoint_path}")
