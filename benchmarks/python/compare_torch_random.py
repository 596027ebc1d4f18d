"""ember's random samplers against PyTorch's from Python, measured in one process run.

Cases: randperm of 1M, multinomial without replacement (1000 rows of 1000 weights, 100 samples)
and with replacement (one row of 1M weights, 10000 samples), poisson over 1M rates, and
randn of 16M floats. Each figure is the median of repeats (ms per call) after warm-up; the ratio
is ember/torch (< 1: ember is faster). A benchmark, never a test: nothing asserts a time.

    /usr/bin/python3 -m venv --system-site-packages .bench-venv
    .bench-venv/bin/pip install scikit-build-core nanobind && .bench-venv/bin/pip install .
    cd /tmp && .bench-venv/bin/python <repo>/benchmarks/python/compare_torch_random.py
"""

import argparse
import statistics
import timeit

from bench_support import batch_size, import_library, set_blas_threads


def cases(lib):
    weights = lib.rand(1000, 1000) + 0.01
    wide = lib.rand(1_000_000) + 0.01
    rates = lib.rand(1_000_000) * 20
    return {
        "randperm(1M)": lambda: lib.randperm(1_000_000),
        "multinomial(1000x1000, 100, no replacement)": lambda: lib.multinomial(weights, 100),
        "multinomial(1M, 10000, replacement)": lambda: lib.multinomial(wide, 10000, True),
        "poisson(1M rates)": lambda: lib.poisson(rates),
        "randn(16M)": lambda: lib.randn(16_000_000),
    }


def measure(step, repeats, repeat_seconds):
    timer = timeit.Timer(step)
    number = batch_size(timer, repeat_seconds)
    times = [timer.timeit(number) / number * 1e3 for _ in range(repeats)]
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--repeat-seconds", type=float, default=0.3)
    args = parser.parse_args()
    ember, _ = import_library("ember")
    torch, reason = import_library("torch")
    set_blas_threads(args.threads)
    ember.set_num_threads(args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    ember_cases = cases(ember)
    torch_cases = cases(torch) if torch is not None else {}
    print(f"threads: {args.threads}")
    print("| case | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|")
    for name, step in ember_cases.items():
        ours = measure(step, args.repeats, args.repeat_seconds)
        theirs = measure(torch_cases[name], args.repeats, args.repeat_seconds) if torch else None
        ratio = f"{ours / theirs:.2f}x" if theirs else f"n/a ({reason})"
        print(f"| {name} | {ours:.3g} | {theirs:.3g} | {ratio} |" if theirs else
              f"| {name} | {ours:.3g} | n/a | {ratio} |")


if __name__ == "__main__":
    main()
