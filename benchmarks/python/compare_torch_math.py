"""The new vectorized float32 math rows beside PyTorch: 1M-element sin, cos, tan, atan, atan2,
sinh, log2, exp2 (and erfc, a scalar libm loop) at 1 and 2 threads, in microseconds per call. Either
library may be missing (its column then says n/a), so the two can also be timed by separate
interpreters and compared.

Run from outside the repository root, e.g.
    .bench-venv/bin/python /work/wt-math/benchmarks/python/compare_torch_math.py
"""
import timeit

import numpy as np
from bench_support import import_library

SIZE = 1 << 20
CASES = [("sin", 1), ("cos", 1), ("tan", 1), ("atan", 1), ("atan2", 2), ("sinh", 1), ("log2", 1),
         ("exp2", 1), ("erfc", 1)]


def best_microseconds(library, name, arrays, threads):
    """The best of 7 batches of 20 calls of library.name on the arrays, per call."""
    if library is None:
        return None
    library.set_num_threads(threads)
    args = [library.from_numpy(array) for array in arrays]
    op = getattr(library, name)
    return min(timeit.repeat(lambda: op(*args), number=20, repeat=7)) / 20 * 1e6


def main():
    ember, ember_reason = import_library("ember")
    torch, torch_reason = import_library("torch")
    rng = np.random.default_rng(0)
    data = [rng.uniform(-3.0, 3.0, SIZE).astype(np.float32) for _ in range(2)]
    print("| op (1M float32) | threads | ember µs | torch µs | ember/torch |")
    print("|---|---|---|---|---|")
    for threads in (1, 2):
        for name, arity in CASES:
            mine = best_microseconds(ember, name, data[:arity], threads)
            theirs = best_microseconds(torch, name, data[:arity], threads)
            ratio = f"{mine / theirs:.2f}" if mine and theirs else ""
            mine_text = f"{mine:.0f}" if mine else f"n/a ({ember_reason})"
            theirs_text = f"{theirs:.0f}" if theirs else f"n/a ({torch_reason})"
            print(f"| {name} | {threads} | {mine_text} | {theirs_text} | {ratio} |")


if __name__ == "__main__":
    main()
