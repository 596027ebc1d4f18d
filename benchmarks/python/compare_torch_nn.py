"""nn's fused kernels beside PyTorch (issue 9's target): softmax and log_softmax over the rows
of a 4096 x 4096 float32 tensor (and along dim 0), forward only, at 1 and 2 threads. ember and
PyTorch calls are interleaved and each figure is the best of many repeats, so that a loaded
machine (other processes taking the cores) disturbs both alike. Prints a markdown table of
milliseconds and ember / torch ratios (below 1: ember faster).

    python benchmarks/python/compare_torch_nn.py [--repeats 30] [--threads 1 2]

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
    # (name, call(lib, x))
    ("softmax (4096, 4096) f32 dim 1", lambda lib, x: lib.softmax(x, 1)),
    ("log_softmax (4096, 4096) f32 dim 1", lambda lib, x: lib.log_softmax(x, 1)),
    ("softmax (4096, 4096) f32 dim 0", lambda lib, x: lib.softmax(x, 0)),
]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    ember, reason = import_library("ember")
    torch, torch_reason = import_library("torch")
    if ember is None:
        sys.exit(f"ember did not import: {reason}")
    if torch is None:
        sys.exit(f"torch did not import: {torch_reason}")
    values = np.random.default_rng(0).standard_normal((4096, 4096), dtype=np.float32)
    x_ember, x_torch = ember.from_numpy(values), torch.from_numpy(values)
    print("| case | threads | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, call in CASES:
            run_ember = lambda call=call: call(ember, x_ember)  # noqa: E731
            run_torch = lambda call=call: call(torch, x_torch)  # noqa: E731
            run_ember(), run_torch()  # warm-up: allocator pools, lazy initialisation
            ember_best = torch_best = float("inf")
            for _ in range(args.repeats):  # interleaved: both see the same machine load
                ember_best = min(ember_best, timed(run_ember))
                torch_best = min(torch_best, timed(run_torch))
            print(f"| {name} | {threads} | {ember_best * 1e3:.2f} | {torch_best * 1e3:.2f} | "
                  f"{ember_best / torch_best:.2f} |")


if __name__ == "__main__":
    main()
