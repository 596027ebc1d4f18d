"""ember's F.cross_entropy against PyTorch's from Python, measured in one process run.

Class-index targets on float32 logits of (256, 1000) and (4096, 10): forward under no_grad and
forward + backward (the logits' gradient), on one thread by default (--threads 2 for two).
Each figure is the median of repeats (ms per call) after warm-up; the speed ratio is
torch/ember (> 1: ember is faster). A benchmark, never a test.

    .venv/bin/python benchmarks/python/bench_loss.py   # a venv that can import ember and torch
"""

import importlib

from bench_support import compare_cases

SHAPES = ((256, 1000), (4096, 10))


def cases(lib):
    functional = importlib.import_module(lib.__name__ + ".nn.functional")
    lib.manual_seed(0)
    steps = {}
    for rows, classes in SHAPES:
        logits = lib.randn(rows, classes)
        target = lib.randint(0, classes, (rows,))
        leaf = logits.clone().requires_grad_()

        def forward(logits=logits, target=target):
            with lib.no_grad():
                functional.cross_entropy(logits, target)

        def forward_backward(leaf=leaf, target=target):
            functional.cross_entropy(leaf, target).backward()
            leaf.grad = None

        steps[f"cross_entropy {rows}x{classes} forward"] = forward
        steps[f"cross_entropy {rows}x{classes} forward + backward"] = forward_backward
    return steps


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="us", speed=True)
