"""ember's interpolate and grid_sample against PyTorch's from Python, measured in one process run.

Cases on a 32x64x64x64 float32 input: bilinear 2x upsampling (align_corners=False), nearest 2x
upsampling, and bilinear grid_sample at a grid of the input's size (zeros padding), each forward
under no_grad and forward + backward (input requiring grad; grid_sample's grid too). Each figure
is the median of repeats (ms per call) after warm-up; the ratio is ember/torch (< 1: ember is
faster). A benchmark, never a test.

    PYTHONPATH=<repo>/.venv/lib/python3.X/site-packages /usr/bin/python3 \\
        <repo>/benchmarks/python/bench_interp.py --threads 1
"""

import importlib

from bench_support import compare_cases


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


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="ms", repeats=3)
