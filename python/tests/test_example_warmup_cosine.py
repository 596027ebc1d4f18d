"""examples/python/warmup_cosine.py learns, with the learning rate of a linear warm-up followed by
half a cosine, and clipped gradients."""
import math
import pathlib
import runpy

import pytest

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "warmup_cosine.py"


def test_warmup_cosine_learns_on_its_schedule():
    steps, warmup, peak = 300, 30, 0.2
    example = runpy.run_path(str(EXAMPLE))
    _, losses, lrs, grad_norms = example["train"](steps=steps, peak_lr=peak, warmup=warmup)
    assert sum(losses[-30:]) < 0.3 * sum(losses[:30])
    for step, lr in enumerate(lrs):
        if step < warmup:
            expected = peak * (0.01 + 0.99 * step / warmup)
        else:
            expected = peak * (1 + math.cos(math.pi * (step - warmup) / (steps - warmup))) / 2
        assert lr == pytest.approx(expected, rel=1e-9, abs=1e-12), step
    assert max(lrs) == pytest.approx(peak)
    assert all(math.isfinite(norm) for norm in grad_norms)
