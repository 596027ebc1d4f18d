"""DataLoader beside PyTorch's: batches per second over an in-memory TensorDataset (N samples of
FEATURES float32 values and an int64 label), batch 256, shuffled, with 0 and 2 worker processes.
ember and PyTorch epochs alternate and each figure is the best of --repeats epochs, so that a
loaded machine disturbs both alike. Prints a markdown table (ratio above 1: ember faster).

    PYTHONPATH=<repo>/.venv/lib/python3.X/site-packages /usr/bin/python3 \\
        benchmarks/python/bench_dataloader.py [--repeats 5]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import import_library

SAMPLES, FEATURES, BATCH = 16_384, 64, 256


def loader(lib, workers):
    # Each library's own generator: Debian's torch may be built against another NumPy.
    lib.manual_seed(0)
    features = lib.randn(SAMPLES, FEATURES)
    labels = lib.randint(0, 10, (SAMPLES,))
    data = lib.utils.data
    return data.DataLoader(data.TensorDataset(features, labels), batch_size=BATCH, shuffle=True,
                           num_workers=workers, persistent_workers=workers > 0)


def batches_per_second(data_loader):
    start = time.perf_counter()
    count = sum(1 for _ in data_loader)
    return count / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    args = parser.parse_args()
    libraries = {}
    for name in ("ember", "torch"):
        library, reason = import_library(name)
        if library is None:
            sys.exit(f"{name} did not import: {reason}")
        importlib.import_module(f"{name}.utils.data")
        libraries[name] = library
    for library in libraries.values():
        library.set_num_threads(1)
    print(f"TensorDataset {SAMPLES} x {FEATURES} float32 + int64 labels, batch {BATCH}, "
          "shuffle=True")
    print("| workers | ember batches/s | torch batches/s | ember/torch |")
    print("|---|---|---|---|")
    for workers in args.workers:
        loaders = {name: loader(library, workers) for name, library in libraries.items()}
        best = dict.fromkeys(loaders, 0.0)
        for data_loader in loaders.values():  # warm-up: workers start, pools fill
            batches_per_second(data_loader)
        for _ in range(args.repeats):  # alternated: both see the same machine load
            for name, data_loader in loaders.items():
                best[name] = max(best[name], batches_per_second(data_loader))
        print(f"| {workers} | {best['ember']:.0f} | {best['torch']:.0f} | "
              f"{best['ember'] / best['torch']:.2f} |")


if __name__ == "__main__":
    main()
