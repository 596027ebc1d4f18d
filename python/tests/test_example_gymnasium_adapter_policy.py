"""examples/python/gymnasium_adapter_policy.py learns: REINFORCE on Gymnasium's own CartPole-v1
through ember.env.from_gymnasium reaches a last-20 mean return of 150, and (the two CartPoles
being equal for a seed) repeats the run on ember's CartPole episode for episode."""
import pathlib
import runpy

import numpy as np
import pytest

pytest.importorskip("gymnasium")

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def test_policy_learns_through_the_gymnasium_adapter():
    example = runpy.run_path(str(EXAMPLES / "gymnasium_adapter_policy.py"))
    _, returns = example["train_on_gymnasium"](episodes=400, seed=0)
    assert np.mean(returns[-20:]) >= 150, (len(returns), returns[-20:])
    _, ember_returns = runpy.run_path(str(EXAMPLES / "reinforce_cartpole.py"))["train"](
        episodes=10, seed=0)
    assert returns[:10] == ember_returns
