"""ember's F.conv2d against PyTorch's from Python, measured in one process run.

The issue's case: conv2d 64 -> 64 channels, 3x3 kernel, padding 1, batch 32 on 32x32 images,
float32, forward under no_grad and forward + backward (gradients of input, weight and bias), on
one thread by default. Each figure is the median of repeats (ms per call) after warm-up; the
speed ratio is torch/ember (> 1: ember is faster). A benchmark, never a test.

    .venv/bin/python benchmarks/python/bench_conv.py   # a venv that can import ember and torch
"""

import argparse
import importlib
import statistics
import timeit

from bench_support import batch_size, import_library, set_blas_threads


def cases(lib):
    functional = importlib.import_module(lib.__name__ + ".nn.functional")
    lib.manual_seed(0)
    x, w, b = lib.randn(32, 64, 32, 32), lib.randn(64, 64, 3, 3) * 0.05, lib.randn(64)
    xg, wg, bg = (t.clone().requires_grad_() for t in (x, w, b))

    def forward():
        with lib.no_grad():
            functional.conv2d(x, w, b, padding=1)

    def forward_backward():
        functional.conv2d(xg, wg, bg, padding=1).sum().backward()
        xg.grad = wg.grad = bg.grad = None

    return {"conv2d 32x64x32x32, 64x64x3x3 forward": forward,
            "conv2d 32x64x32x32, 64x64x3x3 forward + backward": forward_backward}


def measure(step, repeats, repeat_seconds):
    timer = timeit.Timer(step)
    number = batch_size(timer, repeat_seconds)
    return statistics.median(timer.timeit(number) / number * 1e3 for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--repeat-seconds", type=float, default=0.5)
    args = parser.parse_args()
    ember, _ = import_library("ember")
    torch, reason = import_library("torch")
    set_blas_threads(args.threads)
    ember.set_num_threads(args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    torch_cases = cases(torch) if torch is not None else {}
    print(f"threads: {args.threads}")
    print("| case | ember ms | torch ms | speed vs torch |")
    print("|---|---|---|---|")
    for name, step in cases(ember).items():
        ours = measure(step, args.repeats, args.repeat_seconds)
        if torch is None:
            print(f"| {name} | {ours:.2f} | - | n/a ({reason}) |")
            continue
        theirs = measure(torch_cases[name], args.repeats, args.repeat_seconds)
        print(f"| {name} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.2f}x |")


if __name__ == "__main__":
    main()
