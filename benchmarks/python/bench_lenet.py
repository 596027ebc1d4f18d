"""LeNet-5 training throughput beside PyTorch (issue 9's target: >= 1.1x PyTorch's images/s):
one SGD step (forward, cross-entropy, backward, p -= lr * grad) on a float32 batch of 64
1 x 28 x 28 images, the same network in both libraries (conv 6@5x5 pad 2, relu, max pool 2,
conv 16@5x5, relu, max pool 2, linear 400-120-84-10). Steps are interleaved and each figure is
the best of many repeats. Prints a markdown table of images/s and the ember / torch ratio of
throughputs (above 1: ember faster).

    python benchmarks/python/bench_lenet.py [--repeats 20] [--threads 1 2]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import repeats_threads_and_libraries, set_blas_threads

BATCH = 64


def lenet(nn):
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def step(lib, model, images, labels, lr=0.01):
    loss = lib.nn.functional.cross_entropy(model(images), labels)
    for param in model.parameters():
        param.grad = None
    loss.backward()
    with lib.no_grad():
        for param in model.parameters():
            param.sub_(param.grad * lr)


def main():
    args, ember, torch = repeats_threads_and_libraries(__doc__.splitlines()[0])
    rng = np.random.default_rng(0)
    images = rng.standard_normal((BATCH, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, BATCH).astype(np.int64)
    ember_model, torch_model = lenet(ember.nn), lenet(torch.nn)
    ember_args = (ember_model, ember.from_numpy(images), ember.from_numpy(labels))
    torch_args = (torch_model, torch.from_numpy(images), torch.from_numpy(labels))
    print("| case | threads | ember images/s | torch images/s | ember/torch throughput |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        step(ember, *ember_args), step(torch, *torch_args)  # warm-up
        ember_best = torch_best = float("inf")
        for _ in range(args.repeats):  # interleaved: both see the same machine load
            start = time.perf_counter()
            step(ember, *ember_args)
            ember_best = min(ember_best, time.perf_counter() - start)
            start = time.perf_counter()
            step(torch, *torch_args)
            torch_best = min(torch_best, time.perf_counter() - start)
        print(f"| LeNet-5 SGD step, batch {BATCH}, 28x28 | {threads} | {BATCH / ember_best:.0f} | "
              f"{BATCH / torch_best:.0f} | {torch_best / ember_best:.2f} |")


if __name__ == "__main__":
    main()
