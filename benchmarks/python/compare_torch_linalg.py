"""ember's linear algebra against PyTorch's in one interpreter (bench/RESULTS.md).

Cases of issue 8: linalg.solve and linalg.cholesky on 512x512 float32/float64 (solve with a
512x512 right-hand side), and einsum 'bij,bjk->bik' beside the equivalent bmm, at 1 and 2
threads. Each figure is the median of 5 repeats of a batch lasting ~0.2 s. A benchmark, never a
test: nothing asserts a time. Run from outside the repository root with a venv that sees
Debian's python3-torch:
    /usr/bin/python3 -m venv --system-site-packages .bench-venv
    .bench-venv/bin/pip install -q scikit-build-core nanobind
    CMAKE_BUILD_PARALLEL_LEVEL=2 .bench-venv/bin/pip install -q --no-build-isolation .
    cd /tmp && /path/to/.bench-venv/bin/python /path/to/benchmarks/python/compare_torch_linalg.py
"""
import statistics
import timeit

import numpy as np
from bench_support import batch_size, import_library, set_blas_threads

N = 512
EINSUM_SHAPES = ((64, 64, 64, 64), (16, 256, 256, 256))  # (b, i, j, k)


def cases(lib):
    """(name, statement) pairs over tensors made from the same numpy arrays for both libraries."""
    rng = np.random.default_rng(0)
    found = []
    for dtype_name in ("float32", "float64"):
        dtype = getattr(lib, dtype_name)
        a = rng.uniform(-1, 1, (N, N))
        spd = a @ a.T + N * np.eye(N)
        system = lib.from_numpy((a + N * np.eye(N)).astype(dtype_name)).to(dtype)
        rhs = lib.from_numpy(rng.uniform(-1, 1, (N, N)).astype(dtype_name))
        positive = lib.from_numpy(spd.astype(dtype_name))
        found.append((f"linalg.solve {N}x{N} {dtype_name}",
                      lambda s=system, r=rhs: lib.linalg.solve(s, r)))
        found.append((f"linalg.cholesky {N}x{N} {dtype_name}",
                      lambda p=positive: lib.linalg.cholesky(p)))
    for b, i, j, k in EINSUM_SHAPES:
        x = lib.from_numpy(rng.uniform(-1, 1, (b, i, j)).astype("float32"))
        y = lib.from_numpy(rng.uniform(-1, 1, (b, j, k)).astype("float32"))
        found.append((f"einsum bij,bjk->bik {b}x{i}x{j}x{k} float32",
                      lambda x=x, y=y: lib.einsum("bij,bjk->bik", x, y)))
        found.append((f"bmm {b}x{i}x{j}x{k} float32", lambda x=x, y=y: lib.bmm(x, y)))
    return found


def measure(statement):
    timer = timeit.Timer(statement)
    number = batch_size(timer, 0.2)
    return statistics.median(timer.timeit(number) / number for _ in range(5))


def main():
    ember, ember_reason = import_library("ember")
    torch, torch_reason = import_library("torch")
    print("| case | threads | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|---|")
    for threads in (1, 2):
        set_blas_threads(threads)
        results = {}
        for name, lib in (("ember", ember), ("torch", torch)):
            if lib is None:
                continue
            lib.set_num_threads(threads)
            results[name] = {case: measure(statement) for case, statement in cases(lib)}
        names = next(iter(results.values())).keys() if results else []
        for case in names:
            ours = results.get("ember", {}).get(case)
            theirs = results.get("torch", {}).get(case)
            ratio = f"{ours / theirs:.2f}" if ours and theirs else ""
            ember_text = f"{ours * 1e3:.3f}" if ours else f"n/a {ember_reason}"
            torch_text = f"{theirs * 1e3:.3f}" if theirs else f"n/a {torch_reason}"
            print(f"| {case} | {threads} | {ember_text} | {torch_text} | {ratio} |")


if __name__ == "__main__":
    main()
