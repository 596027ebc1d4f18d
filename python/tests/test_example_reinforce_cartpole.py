"""examples/python/reinforce_cartpole.py learns: REINFORCE lifts CartPole-v1's average return
from a random policy's ~22 to at least 150 over the last 20 episodes (about 90 episodes)."""
import pathlib
import runpy

import numpy as np

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def test_reinforce_learns_cartpole():
    example = runpy.run_path(str(EXAMPLES / "reinforce_cartpole.py"))
    _, returns = example["train"](episodes=400, seed=0)
    assert np.mean(returns[:20]) < 60
    assert np.mean(returns[-20:]) >= 150, (len(returns), returns[-20:])
