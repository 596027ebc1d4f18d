"""ember's F.linear / F.bilinear against PyTorch's from Python, measured in one process run.

Cases: nn.Linear(16, 16)-sized calls (a batch of 8, weight 16x16, bias), forward under no_grad,
forward with parameters requiring grad, and forward + backward; a 256x1024 -> 1024 linear; and
a Bilinear(16, 16, 8) call. Each figure is the median of repeats (us per call) after warm-up;
the ratio is ember/torch (< 1: ember is faster). A benchmark, never a test.

    cd /tmp && .bench-venv/bin/python <repo>/benchmarks/python/compare_torch_nn_linear.py
"""

import argparse
import importlib
import statistics
import timeit

from bench_support import batch_size, import_library, set_blas_threads


def cases(lib):
    functional = importlib.import_module(lib.__name__ + ".nn.functional")
    x, w, b = lib.randn(8, 16), lib.randn(16, 16), lib.randn(16)
    wg, bg = w.clone().requires_grad_(), b.clone().requires_grad_()
    big_x, big_w, big_b = lib.randn(256, 1024), lib.randn(1024, 1024), lib.randn(1024)
    x1, x2, wb, bb = lib.randn(8, 16), lib.randn(8, 16), lib.randn(8, 16, 16), lib.randn(8)

    def no_grad(step):
        def run():
            with lib.no_grad():
                step()
        return run

    def backward():
        functional.linear(x, wg, bg).sum().backward()

    return {
        "linear 8x16 @ 16x16 + b, no_grad": no_grad(lambda: functional.linear(x, w, b)),
        "linear 8x16 @ 16x16 + b, grad": lambda: functional.linear(x, wg, bg),
        "linear 8x16 forward + backward": backward,
        "linear 256x1024 @ 1024x1024 + b": no_grad(lambda: functional.linear(big_x, big_w, big_b)),
        "bilinear 8x16, 8x16, 8x16x16 + b": no_grad(lambda: functional.bilinear(x1, x2, wb, bb)),
    }


def measure(step, repeats, repeat_seconds):
    timer = timeit.Timer(step)
    number = batch_size(timer, repeat_seconds)
    return statistics.median(timer.timeit(number) / number * 1e6 for _ in range(repeats))


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
    torch_cases = cases(torch) if torch is not None else {}
    print(f"threads: {args.threads}")
    print("| case | ember us | torch us | ember/torch |")
    print("|---|---|---|---|")
    for name, step in cases(ember).items():
        ours = measure(step, args.repeats, args.repeat_seconds)
        theirs = measure(torch_cases[name], args.repeats, args.repeat_seconds) if torch else None
        ratio = f"{ours / theirs:.2f}x" if theirs else f"n/a ({reason})"
        print(f"| {name} | {ours:.2f} | {theirs:.2f} | {ratio} |" if theirs else
              f"| {name} | {ours:.2f} | - | {ratio} |")


if __name__ == "__main__":
    main()
