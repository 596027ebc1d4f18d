"""Checkpoints beside PyTorch: ember.save / ember.load of a float32 state dict (1 GB by default,
in 64 tensors) against torch.save / torch.load, and ember.load(mmap=True). Files go to --dir
(warm page cache for both libraries alike: each is written and read in the same way). Each
figure is the best of --repeats runs. Prints a markdown table of milliseconds and ember / torch
ratios of time (below 1: ember faster).

    python benchmarks/python/bench_checkpoint.py [--size-mb 1024] [--repeats 3] [--dir /tmp]

Needs ember and torch importable together (run with the Python that has torch, with ember's
site-packages on PYTHONPATH). A benchmark, never a test: nothing here asserts a time.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import import_library

TENSORS = 64


def best(call, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        del result
    return min(times) * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    ember, reason = import_library("ember")
    if ember is None:
        sys.exit(f"ember did not import: {reason}")
    torch, torch_reason = import_library("torch")

    numel = args.size_mb * (1 << 20) // 4 // TENSORS
    names = [f"layer{i}.weight" for i in range(TENSORS)]
    ember_state = {name: ember.randn(numel) for name in names}
    ember_path = os.path.join(args.dir, f"bench_ckpt_{os.getpid()}.ember")
    torch_path = os.path.join(args.dir, f"bench_ckpt_{os.getpid()}.torch")
    rows = []
    try:
        ember_save = best(lambda: ember.save(ember_state, ember_path), args.repeats)
        ember_load = best(lambda: ember.load(ember_path), args.repeats)
        ember_mmap = best(lambda: ember.load(ember_path, mmap=True), args.repeats)
        torch_save = torch_load = None
        if torch is not None:
            torch_state = {name: torch.randn(numel) for name in names}
            torch_save = best(lambda: torch.save(torch_state, torch_path), args.repeats)
            torch_load = best(lambda: torch.load(torch_path), args.repeats)
        rows.append(("save", ember_save, torch_save))
        rows.append(("load", ember_load, torch_load))
        rows.append(("load mmap=True", ember_mmap, None))
    finally:
        for path in (ember_path, torch_path):
            if os.path.exists(path):
                os.remove(path)

    print(f"state dict: {TENSORS} float32 tensors, {args.size_mb} MB; best of {args.repeats}")
    if torch is None:
        print(f"torch did not import: {torch_reason}")
    print("| case | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|")
    for case, ember_ms, torch_ms in rows:
        torch_text = f"{torch_ms:.1f}" if torch_ms is not None else "n/a"
        ratio = f"{ember_ms / torch_ms:.2f}" if torch_ms else "n/a"
        print(f"| {case} | {ember_ms:.1f} | {torch_text} | {ratio} |")


if __name__ == "__main__":
    main()
