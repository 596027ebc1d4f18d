"""ember against PyTorch for the shape family's performance target (issue 8): cat and stack
of 64 float32 tensors of 64K elements, with 1 and 2 threads, in one process run.

Each figure is the median of repeats timed with time.perf_counter after warm-up; every repeat
runs the statement enough times to last --repeat-seconds. A benchmark, never a test.

PyTorch is Debian's python3-torch for /usr/bin/python3; run both in one interpreter with
    /usr/bin/python3 -m venv --system-site-packages .bench-venv
    .bench-venv/bin/pip install scikit-build-core nanobind
    CMAKE_BUILD_PARALLEL_LEVEL=2 .bench-venv/bin/pip install --no-build-isolation .
    cd /tmp && .bench-venv/bin/python <repo>/benchmarks/python/compare_torch_shape.py
"""
import argparse
import statistics
import time
import timeit

from bench_support import batch_size, import_library

COUNT, LENGTH = 64, 1 << 16

CASES = {
    "cat dim 0 (64 x 64K -> 4M)": "lib.cat(xs)",
    "cat dim 1 (64 x (256, 256))": "lib.cat(ms, 1)",
    "stack dim 0 (64 x 64K)": "lib.stack(xs)",
    "stack dim 1 (64 x 64K)": "lib.stack(xs, 1)",
}


def namespace(lib):
    xs = [lib.rand(LENGTH) for _ in range(COUNT)]
    ms = [x.reshape(256, 256) for x in xs]
    return {"lib": lib, "xs": xs, "ms": ms}


def measure(lib, statement, threads, repeat_seconds, repeats):
    lib.set_num_threads(threads)
    timer = timeit.Timer(statement, globals=namespace(lib), timer=time.perf_counter)
    number = batch_size(timer, repeat_seconds)
    times = [timer.timeit(number) / number for _ in range(repeats)]
    return statistics.median(times) * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat-seconds", type=float, default=0.2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    libraries = {name: import_library(name) for name in ("ember", "torch")}
    for name, (lib, reason) in libraries.items():
        if lib is None:
            print(f"{name}: n/a ({reason})")
    print("| case | threads | ember us | torch us | torch/ember |")
    print("|---|---|---|---|---|")
    for threads in (1, 2):
        for name, statement in CASES.items():
            figures = {}
            for lib_name, (lib, _) in libraries.items():
                figures[lib_name] = (measure(lib, statement, threads, args.repeat_seconds,
                                             args.repeats) if lib else None)
            ember_us, torch_us = figures["ember"], figures["torch"]
            ratio = f"{torch_us / ember_us:.2f}x" if ember_us and torch_us else ""
            cells = [f"{value:.0f}" if value else "n/a" for value in (ember_us, torch_us)]
            print(f"| {name} | {threads} | {cells[0]} | {cells[1]} | {ratio} |")


if __name__ == "__main__":
    main()
