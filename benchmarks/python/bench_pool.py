"""Pooling beside PyTorch (issue 9): max_pool2d 2x2 and 3x3/stride 2 and avg_pool2d 2x2 on a
float32 batch of 32 x 64 channels x 32 x 32, forward and forward+backward, at 1 thread. ember
and PyTorch calls are interleaved and each figure is the best of many repeats, so that a loaded
machine disturbs both alike. Prints a markdown table of milliseconds and ember / torch ratios
(below 1: ember faster).

    python benchmarks/python/bench_pool.py [--repeats 20] [--threads 1]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import import_library, set_blas_threads

CASES = [
    # (name, call(functional, x))
    ("max_pool2d 2x2", lambda functional, x: functional.max_pool2d(x, 2)),
    ("max_pool2d 3x3 s2", lambda functional, x: functional.max_pool2d(x, 3, 2)),
    ("avg_pool2d 2x2", lambda functional, x: functional.avg_pool2d(x, 2)),
]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def forward_backward(functional, pool, x):
    out = pool(functional, x)
    out.backward(out.detach())
    x.grad = None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    ember, reason = import_library("ember")
    torch, torch_reason = import_library("torch")
    if ember is None:
        sys.exit(f"ember did not import: {reason}")
    if torch is None:
        sys.exit(f"torch did not import: {torch_reason}")
    values = np.random.default_rng(0).standard_normal((32, 64, 32, 32), dtype=np.float32)
    x_ember = ember.from_numpy(values).requires_grad_()
    x_torch = torch.from_numpy(values).requires_grad_()
    print("| case (32x64x32x32 f32) | pass | threads | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, pool in CASES:
            for which in ("forward", "forward+backward"):
                if which == "forward":
                    run_ember = lambda pool=pool: pool(ember.nn.functional, x_ember.detach())  # noqa: E731
                    run_torch = lambda pool=pool: pool(torch.nn.functional, x_torch.detach())  # noqa: E731
                else:
                    run_ember = lambda pool=pool: forward_backward(ember.nn.functional, pool,  # noqa: E731
                                                                   x_ember)
                    run_torch = lambda pool=pool: forward_backward(torch.nn.functional, pool,  # noqa: E731
                                                                   x_torch)
                run_ember(), run_torch()  # warm-up
                ember_best = torch_best = float("inf")
                for _ in range(args.repeats):  # interleaved: both see the same machine load
                    ember_best = min(ember_best, timed(run_ember))
                    torch_best = min(torch_best, timed(run_torch))
                print(f"| {name} | {which} | {threads} | {ember_best * 1e3:.2f} | "
                      f"{torch_best * 1e3:.2f} | {ember_best / torch_best:.2f} |")


if __name__ == "__main__":
    main()
