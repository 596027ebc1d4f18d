"""Train in C++, evaluate in Python from the same file: loads the checkpoint that
examples/cpp/train_for_python.cpp wrote with ember::save, rebuilds the same model in Python,
restores the model and its Adam optimizer, evaluates the model on the held-out set the C++
program used (drawn again here from the seed the checkpoint names) and checks that the loss and
accuracy match what C++ reported in the file.

    train_for_python model.ckpt 5 && python evaluate_from_cpp.py model.ckpt
"""
import sys

import ember
from ember import nn, optim

SIDE = 8


def bars(count, seed):
    """The draws of train_for_python.cpp's make_bars: `count` noisy images (count, 1, 8, 8) and
    their labels (0: horizontal bar, 1: vertical bar) from the global generator."""
    ember.manual_seed(seed)
    labels = ember.randint(0, 2, (count,))
    positions = ember.randint(0, SIDE, (count, 1, 1))
    lines = ember.arange(SIDE)
    horizontal = lines.view(1, SIDE, 1) == positions
    vertical = lines.view(1, 1, SIDE) == positions
    bar = ember.where(labels.view(-1, 1, 1) == 0, horizontal, vertical)
    noise = ember.randn(count, 1, SIDE, SIDE) * 0.8
    return bar.unsqueeze(1).float() + noise, labels


class Classifier(nn.Module):
    """train_for_python.cpp's ClassifierImpl, with the same submodule names."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(SIDE * SIDE, 32)
        self.output = nn.Linear(32, 2)

    def forward(self, images):
        return self.output(self.hidden(images.flatten(1)).relu())


def evaluate(path):
    """(what C++ reported, what Python finds): dicts of the held-out loss and accuracy."""
    checkpoint = ember.load(path)
    model = Classifier()
    model.load_state_dict(checkpoint["model"])
    # The optimizer restores too, so training could go on in Python from here.
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    optimizer.load_state_dict(checkpoint["optimizer"])
    reported = checkpoint["evaluation"]
    images, labels = bars(reported["count"], reported["seed"])
    model.eval()
    with ember.no_grad():
        logits = model(images)
        loss = nn.functional.cross_entropy(logits, labels).item()
        accuracy = (logits.argmax(1) == labels).double().mean().item()
    return ({"loss": reported["loss"], "accuracy": reported["accuracy"]},
            {"loss": loss, "accuracy": accuracy})


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python evaluate_from_cpp.py CHECKPOINT_PATH")
    reported, found = evaluate(sys.argv[1])
    print(f"C++ reported loss {reported['loss']:.6f}, accuracy {reported['accuracy']:.4f}")
    print(f"Python finds  loss {found['loss']:.6f}, accuracy {found['accuracy']:.4f}")
    # The same kernels run on the same weights and data in both languages: the figures are
    # bit-identical, not merely close.
    if found != reported:
        sys.exit("evaluate_from_cpp: Python's evaluation differs from the C++ one")
    print("match")


if __name__ == "__main__":
    main()
