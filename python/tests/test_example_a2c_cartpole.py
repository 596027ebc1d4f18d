"""examples/python/a2c_cartpole.py learns: A2C over 8 vectorized CartPole-v1 envs (NEXT_STEP
autoreset transitions masked out) lifts the average return of the last 20 finished episodes
from a random policy's ~20 to at least 150 (about 250 updates of 8 steps)."""
import pathlib
import runpy

import numpy as np

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def test_a2c_learns_cartpole():
    example = runpy.run_path(str(EXAMPLES / "a2c_cartpole.py"))
    _, returns = example["train"](updates=600, seed=0, target=150.0)
    assert np.mean(returns[:20]) < 60
    assert np.mean(returns[-20:]) >= 150, (len(returns), returns[-20:])
