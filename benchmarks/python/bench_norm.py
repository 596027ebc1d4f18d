"""ember's batch_norm and layer_norm against PyTorch's from Python, measured in one process run.

The issue's cases: BatchNorm2d on a (32, 64, 32, 32) float32 batch in training mode (with
affine and running statistics) and LayerNorm over the last dim of a (4096, 768) float32 input
(with affine), each forward under no_grad and forward + backward (gradients of input, weight and
bias), on one thread by default. Each figure is the median of repeats (ms per call) after
warm-up; the speed ratio is torch/ember (> 1: ember is faster). A benchmark, never a test.

    .venv/bin/python benchmarks/python/bench_norm.py --threads 2   # ember and torch importable
"""

import importlib

from bench_support import compare_cases


def cases(lib):
    functional = importlib.import_module(lib.__name__ + ".nn.functional")
    lib.manual_seed(0)
    image = lib.randn(32, 64, 32, 32)
    rows = lib.randn(4096, 768)
    running_mean, running_var = lib.zeros(64), lib.ones(64)
    bn_weight, bn_bias = lib.ones(64).requires_grad_(), lib.zeros(64).requires_grad_()
    ln_weight, ln_bias = lib.ones(768).requires_grad_(), lib.zeros(768).requires_grad_()
    image_grad, rows_grad = image.clone().requires_grad_(), rows.clone().requires_grad_()

    def batch_norm(x):
        return functional.batch_norm(x, running_mean, running_var, bn_weight, bn_bias,
                                     training=True, momentum=0.1, eps=1e-5)

    def layer_norm(x):
        return functional.layer_norm(x, (768,), ln_weight, ln_bias, eps=1e-5)

    def batch_norm_forward():
        with lib.no_grad():
            batch_norm(image)

    def batch_norm_forward_backward():
        batch_norm(image_grad).sum().backward()
        image_grad.grad = bn_weight.grad = bn_bias.grad = None

    def layer_norm_forward():
        with lib.no_grad():
            layer_norm(rows)

    def layer_norm_forward_backward():
        layer_norm(rows_grad).sum().backward()
        rows_grad.grad = ln_weight.grad = ln_bias.grad = None

    return {"BatchNorm2d 32x64x32x32 train forward": batch_norm_forward,
            "BatchNorm2d 32x64x32x32 train forward + backward": batch_norm_forward_backward,
            "LayerNorm 4096x768 forward": layer_norm_forward,
            "LayerNorm 4096x768 forward + backward": layer_norm_forward_backward}


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="ms", speed=True)
