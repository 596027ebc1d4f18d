"""The new vectorized float32 math rows beside PyTorch: 1M-element tan, atan, atan2, sinh,
log2, exp2 (and erfc, a scalar libm loop) at 1 and 2 threads. Prints one markdown row per case
with the ember / PyTorch time ratio (below 1: ember is faster).

Run from outside the repository root with a Python that has both ember and torch installed:
    .bench-venv/bin/python benchmarks/python/compare_torch_math.py
"""
import timeit

import numpy as np
from bench_support import import_library

SIZE = 1 << 20
CASES = [("tan", 1), ("atan", 1), ("atan2", 2), ("sinh", 1), ("log2", 1), ("exp2", 1),
         ("erfc", 1)]


def best_seconds(statement, repeats=7):
    number = 20
    return min(timeit.repeat(statement, number=number, repeat=repeats)) / number


def main():
    ember, _ = import_library("ember")
    torch, reason = import_library("torch")
    rng = np.random.default_rng(0)
    data = [rng.uniform(-3.0, 3.0, SIZE).astype(np.float32) for _ in range(2)]
    print("| op (1M float32) | threads | ember µs | torch µs | ember/torch |")
    print("|---|---|---|---|---|")
    for threads in (1, 2):
        ember.set_num_threads(threads)
        if torch:
            torch.set_num_threads(threads)
        for name, arity in CASES:
            args = [ember.from_numpy(d) for d in data[:arity]]
            op = getattr(ember, name)
            mine = best_seconds(lambda args=args, op=op: op(*args))
            theirs = None
            if torch:
                targs = [torch.from_numpy(d) for d in data[:arity]]
                top = getattr(torch, name)
                theirs = best_seconds(lambda targs=targs, top=top: top(*targs))
            ratio = f"{mine / theirs:.2f}" if theirs else f"n/a ({reason})"
            other = f"{theirs * 1e6:.0f}" if theirs else "n/a"
            print(f"| {name} | {threads} | {mine * 1e6:.0f} | {other} | {ratio} |")


if __name__ == "__main__":
    main()
