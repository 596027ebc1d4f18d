"""gather / scatter / scatter_add / index_select / index_add on 16M float32 elements, ember beside
PyTorch in the same process, at 1 and 2 threads (issue 8's performance list). Prints a markdown
table: the best of several timed batches per case, in milliseconds per call.

Run from outside the repository (so that `import ember` finds the installed package):
    .bench-venv/bin/python /path/to/benchmarks/python/compare_torch_scatter.py [--threads 1 2]
"""
import argparse
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_support import import_library

N = 4096  # N x N = 16M elements
FLAT = N * N


def cases(lib, rng):
    """(name, statement) pairs over the same data for either library."""
    def tensor(values):
        return lib.from_numpy(np.ascontiguousarray(values))

    x = tensor(rng.standard_normal((N, N), dtype=np.float32))
    target = tensor(np.zeros((N, N), np.float32))
    index = tensor(rng.integers(0, N, (N, N)))
    rows = tensor(rng.integers(0, N, N))
    flat = tensor(rng.standard_normal(FLAT, dtype=np.float32))
    flat_index = tensor(rng.integers(0, FLAT, FLAT))
    bins = tensor(np.zeros(1 << 16, np.float32))
    bin_index = tensor(rng.integers(0, 1 << 16, FLAT))
    return [
        ("gather dim=0", lambda: lib.gather(x, 0, index)),
        ("gather dim=1", lambda: lib.gather(x, 1, index)),
        ("scatter_ dim=1", lambda: target.scatter_(1, index, x)),
        ("scatter_add_ dim=0", lambda: target.scatter_add_(0, index, x)),
        ("scatter_add_ dim=1", lambda: target.scatter_add_(1, index, x)),
        ("scatter_add_ 1-D into 64K bins", lambda: bins.scatter_add_(0, bin_index, flat)),
        ("index_select dim=0", lambda: lib.index_select(x, 0, rows)),
        ("index_select dim=1", lambda: lib.index_select(x, 1, rows)),
        ("index_select 1-D 16M", lambda: lib.index_select(flat, 0, flat_index)),
        ("index_add_ dim=0", lambda: target.index_add_(0, rows, x)),
    ]


def best_ms(statement, repeats=5):
    timer = timeit.Timer(statement)
    timer.timeit(1)  # warm-up: allocator pools, first-touch pages
    number = max(1, int(0.3 / max(timer.timeit(1), 1e-6)))
    return min(timer.repeat(repeats, number)) / number * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    ember, ember_error = import_library("ember")
    torch, torch_error = import_library("torch")
    libraries = {"ember": ember, "torch": torch}
    print("| case | threads | ember ms | torch ms | ember/torch |\n|---|---|---|---|---|")
    for threads in args.threads:
        timings = {}
        for name, lib in libraries.items():
            if lib is None:
                continue
            lib.set_num_threads(threads)
            for case, statement in cases(lib, np.random.default_rng(0)):
                timings[(name, case)] = best_ms(statement)
        names = [case for (lib_name, case) in timings if lib_name in ("ember", "torch")]
        for case in dict.fromkeys(names):
            mine, theirs = timings.get(("ember", case)), timings.get(("torch", case))
            ratio = f"{mine / theirs:.2f}x" if mine and theirs else ""
            row = [case, str(threads), f"{mine:.2f}" if mine else f"n/a {ember_error}",
                   f"{theirs:.2f}" if theirs else f"n/a {torch_error}", ratio]
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
