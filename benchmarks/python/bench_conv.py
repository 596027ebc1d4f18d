"""ember's F.conv2d against PyTorch's from Python, measured in one process run.

The issue's case: conv2d 64 -> 64 channels, 3x3 kernel, padding 1, batch 32 on 32x32 images,
float32, forward under no_grad and forward + backward (gradients of input, weight and bias), on
one thread by default. Each figure is the median of repeats (ms per call) after warm-up; the
speed ratio is torch/ember (> 1: ember is faster). A benchmark, never a test.

    .venv/bin/python benchmarks/python/bench_conv.py   # a venv that can import ember and torch
"""

import importlib

from bench_support import compare_cases


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


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="ms", speed=True)
