"""Scans, sorting and selection beside PyTorch (issue 8's targets): cumsum, sort and
topk(k=100) on 16M float32, unique on 1M int64, plus a few row-wise shapes, at 1 and 2 threads.
Prints a markdown table of milliseconds (best of the repeats) and ember / torch ratios.

    python benchmarks/python/compare_torch_scan.py [--repeats 5] [--threads 1 2]

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

N = 1 << 24

CASES = [
    # (name, data maker, call(lib, x))
    ("cumsum 16M f32", lambda rng: rng.standard_normal(N, dtype=np.float32),
     lambda lib, x: lib.cumsum(x, 0)),
    ("cumsum (4096, 4096) f32 dim0", lambda rng: rng.standard_normal((4096, 4096),
                                                                      dtype=np.float32),
     lambda lib, x: lib.cumsum(x, 0)),
    ("cumsum (4096, 4096) f32 dim1", lambda rng: rng.standard_normal((4096, 4096),
                                                                      dtype=np.float32),
     lambda lib, x: lib.cumsum(x, 1)),
    ("sort 16M f32", lambda rng: rng.standard_normal(N, dtype=np.float32),
     lambda lib, x: lib.sort(x)),
    ("sort (4096, 4096) f32 dim1", lambda rng: rng.standard_normal((4096, 4096),
                                                                    dtype=np.float32),
     lambda lib, x: lib.sort(x, 1)),
    ("topk k=100 16M f32", lambda rng: rng.standard_normal(N, dtype=np.float32),
     lambda lib, x: lib.topk(x, 100)),
    ("topk k=100 (4096, 4096) f32", lambda rng: rng.standard_normal((4096, 4096),
                                                                     dtype=np.float32),
     lambda lib, x: lib.topk(x, 100, 1)),
    ("unique 1M int64 (values < 100K)", lambda rng: rng.integers(0, 100_000, 1 << 20),
     lambda lib, x: lib.unique(x)),
    ("unique 1M int64 +inverse+counts", lambda rng: rng.integers(0, 100_000, 1 << 20),
     lambda lib, x: lib.unique(x, return_inverse=True, return_counts=True)),
]


def best_ms(call, repeats):
    call()  # warm-up: allocator pools, lazy initialisation
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    ember, reason = import_library("ember")
    torch, torch_reason = import_library("torch")
    if ember is None:
        sys.exit(f"ember did not import: {reason}")
    rng = np.random.default_rng(0)
    data = [(name, make(rng), call) for name, make, call in CASES]
    print("| case | threads | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        if torch is not None:
            torch.set_num_threads(threads)
            set_blas_threads(threads)
        for name, values, call in data:
            x = ember.from_numpy(values)
            ember_ms = best_ms(lambda call=call, x=x: call(ember, x), args.repeats)
            if torch is None:
                print(f"| {name} | {threads} | {ember_ms:.1f} | n/a ({torch_reason}) | |")
                continue
            t = torch.from_numpy(values)
            torch_ms = best_ms(lambda call=call, t=t: call(torch, t), args.repeats)
            print(f"| {name} | {threads} | {ember_ms:.1f} | {torch_ms:.1f} | "
                  f"{ember_ms / torch_ms:.2f} |")


if __name__ == "__main__":
    main()
