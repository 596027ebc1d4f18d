"""nn.functional.embedding beside PyTorch: forward, and forward + backward, of a 50k x 256
float32 table looked up by 64 x 128 int64 indices, at 1 and 2 threads. ember and PyTorch calls
are interleaved and each figure is the best of many repeats, so that a loaded machine disturbs
both alike. Prints a markdown table of milliseconds and ember / torch ratios (below 1: ember
faster).

    python benchmarks/python/bench_embedding.py [--repeats 20] [--threads 1 2]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import repeats_threads_and_libraries, set_blas_threads

ROWS, DIM, BATCH, LENGTH = 50_000, 256, 64, 128


def forward(lib, weight, index):
    return lib.nn.functional.embedding(index, weight)


def forward_backward(lib, weight, index):
    weight.grad = None
    lib.nn.functional.embedding(index, weight).sum().backward()


CASES = [("embedding forward", forward), ("embedding forward+backward", forward_backward)]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    args, ember, torch = repeats_threads_and_libraries(__doc__.splitlines()[0])
    rng = np.random.default_rng(0)
    table = rng.standard_normal((ROWS, DIM), dtype=np.float32)
    index = rng.integers(0, ROWS, (BATCH, LENGTH)).astype(np.int64)
    ember_args = (ember.from_numpy(table).requires_grad_(), ember.from_numpy(index))
    torch_args = (torch.from_numpy(table).requires_grad_(), torch.from_numpy(index))
    print(f"table {ROWS} x {DIM} float32, indices {BATCH} x {LENGTH}")
    print("| case | threads | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, call in CASES:
            run_ember = lambda call=call: call(ember, *ember_args)  # noqa: E731
            run_torch = lambda call=call: call(torch, *torch_args)  # noqa: E731
            run_ember(), run_torch()  # warm-up: allocator pools, lazy initialisation
            ember_best = torch_best = float("inf")
            for _ in range(args.repeats):  # interleaved: both see the same machine load
                ember_best = min(ember_best, timed(run_ember))
                torch_best = min(torch_best, timed(run_torch))
            print(f"| {name} | {threads} | {ember_best * 1e3:.2f} | {torch_best * 1e3:.2f} | "
                  f"{ember_best / torch_best:.2f} |")


if __name__ == "__main__":
    main()
