"""A LeNet-5-style CNN that learns which way a bar points.

Each 28 x 28 image holds one bright bar (horizontal, vertical, diagonal or anti-diagonal, at a
random place, with noise around it); the network (conv-relu-pool twice, then three linear
layers) learns the orientation with a hand-written SGD step, p -= lr * grad under no_grad. The
images come from a seeded generator, so every run sees the same data.
"""
import numpy as np

import ember
from ember import nn

CLASSES = ("horizontal", "vertical", "diagonal", "anti-diagonal")
SIZE = 28
# Row and column step of each orientation.
DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


class LeNet(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = self.pool(self.conv1(x).relu())
        x = self.pool(self.conv2(x).relu())
        x = x.flatten(1)
        return self.fc3(self.fc2(self.fc1(x).relu()).relu())


def bars(count, rng):
    """(images (count, 1, 28, 28) float32, labels (count,) int64): one noisy bar each."""
    images = rng.normal(0.0, 0.2, (count, 1, SIZE, SIZE)).astype(np.float32)
    labels = rng.integers(0, len(CLASSES), count)
    for image, label in zip(images, labels):
        dr, dc = DIRECTIONS[label]
        length = int(rng.integers(8, 14))
        row = int(rng.integers(length, SIZE - length))
        col = int(rng.integers(length, SIZE - length))
        for step in range(-length // 2, length // 2 + 1):
            image[0, row + step * dr, col + step * dc] += 1.0
    return ember.from_numpy(images), ember.from_numpy(labels.astype(np.int64))


def accuracy(model, images, labels):
    with ember.no_grad():
        return (model(images).argmax(1) == labels).float().mean().item()


def train(steps=300, batch_size=32, lr=0.15, seed=0, log=None):
    """Trains a fresh LeNet; returns (model, test accuracy before, test accuracy after)."""
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    test_images, test_labels = bars(256, rng)
    model = LeNet()
    before = accuracy(model, test_images, test_labels)
    for step in range(steps):
        images, labels = bars(batch_size, rng)
        loss = nn.functional.cross_entropy(model(images), labels)
        model.zero_grad()
        loss.backward()
        with ember.no_grad():
            for param in model.parameters():
                param.sub_(param.grad * lr)
        if log and step % 50 == 0:
            log(f"step {step}: loss {loss.item():.4f}")
    return model, before, accuracy(model, test_images, test_labels)


if __name__ == "__main__":
    model, before, after = train(log=print)
    print(model)
    print(f"test accuracy {before:.3f} -> {after:.3f} (chance {1 / len(CLASSES):.2f})")
