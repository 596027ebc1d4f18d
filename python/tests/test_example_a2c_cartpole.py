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


def test_n_step_returns_stop_at_a_done():
    # Step 0 ends the episode, step 1 is the autoreset (masked out of the loss), step 2 goes on
    # and bootstraps from V(o_3) = 40.
    n_step_returns = runpy.run_path(str(EXAMPLES / "a2c_cartpole.py"))["n_step_returns"]
    rewards = np.array([[1.0], [0.0], [1.0]])
    values = np.array([[10.0], [20.0], [30.0], [40.0]])
    done = np.array([[True], [False], [False]])
    terminated = n_step_returns(rewards, done.astype(np.float64), np.zeros_like(done),
                                values, 0.5)
    np.testing.assert_allclose(terminated[:, 0], [1.0, 10.5, 21.0])
    # Truncated: the return bootstraps from the final observation's value V(o_1) = 20.
    truncated = n_step_returns(rewards, np.zeros((3, 1)), done, values, 0.5)
    np.testing.assert_allclose(truncated[:, 0], [11.0, 10.5, 21.0])
