"""ember's interpolate and grid_sample against PyTorch's from Python, measured in one process run.

Cases on a 32x64x64x64 float32 input: bilinear 2x upsampling (align_corners=False), nearest 2x
upsampling, and bilinear grid_sample at a grid of the input's size (zeros padding), each forward
under no_grad and forward + backward (input requiring grad; grid_sample's grid too). Each figure
is the median of repeats (ms per call) after warm-up; the ratio is ember/torch (< 1: ember is
faster). A benchmark, never a test.

    PYTHONPATH=<repo>/.venv/lib/python3.X/site-packages /usr/bin/python3 \\
        <repo>/benchmarks/python/bench_interp.py --threads 1
"""

import argparse
import importlib
import statistics
import timeit

from bench_support import batch_size, import_library, set_blas_threads


def cases(lib):
    functional = importlib.import_module(lib.__name__ + ".nn.functional")
    lib.manual_seed(0)
    x = lib.rand(32, 64, 64, 64)
    xg = x.clone().requires_grad_()
    grid = lib.rand(32, 64, 64, 2) * 2 - 1
    gridg = grid.clone().requires_grad_()

    def no_grad(step):
        def run():
            with lib.no_grad():
                step()
        return run

    def backward(step):
        def run():
            step().sum().backward()
        return run

    def bilinear(t):
        return functional.interpolate(t, scale_factor=2, mode="bilinear", align_corners=False)

    def nearest(t):
        return functional.interpolate(t, scale_factor=2, mode="nearest")

    def sample(t, g):
        return functional.grid_sample(t, g, mode="bilinear", padding_mode="zeros",
                                      align_corners=False)

    return {
        "bilinear 2x forward": no_grad(lambda: bilinear(x)),
        "bilinear 2x forward + backward": backward(lambda: bilinear(xg)),
        "nearest 2x forward": no_grad(lambda: nearest(x)),
        "nearest 2x forward + backward": backward(lambda: nearest(xg)),
        "grid_sample bilinear forward": no_grad(lambda: sample(x, grid)),
        "grid_sample bilinear forward + backward": backward(lambda: sample(xg, gridg)),
    }


def measure(step, repeats, repeat_seconds):
    timer = timeit.Timer(step)
    number = batch_size(timer, repeat_seconds)
    return statistics.median(timer.timeit(number) / number * 1e3 for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
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
    print("| case | ember ms | torch ms | ember/torch |")
    print("|---|---|---|---|")
    for name, step in cases(ember).items():
        ours = measure(step, args.repeats, args.repeat_seconds)
        theirs = measure(torch_cases[name], args.repeats, args.repeat_seconds) if torch else None
        ratio = f"{ours / theirs:.2f}x" if theirs else f"n/a ({reason})"
        print(f"| {name} | {ours:.1f} | {theirs:.1f} | {ratio} |" if theirs else
              f"| {name} | {ours:.1f} | - | {ratio} |")


if __name__ == "__main__":
    main()
