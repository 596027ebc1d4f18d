"""ember's F.linear / F.bilinear against PyTorch's from Python, measured in one process run.

Cases: nn.Linear(16, 16)-sized calls (a batch of 8, weight 16x16, bias), forward under no_grad,
forward with parameters requiring grad, and forward + backward; a 256x1024 -> 1024 linear; and
a Bilinear(16, 16, 8) call. Each figure is the median of repeats (us per call) after warm-up;
the ratio is ember/torch (< 1: ember is faster). A benchmark, never a test.

    cd /tmp && .bench-venv/bin/python <repo>/benchmarks/python/compare_torch_nn_linear.py
"""

import importlib

from bench_support import compare_cases


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


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="us", repeat_seconds=0.3)
