"""examples/python/dqn_cartpole.py learns CartPole-v1 with ember.env.ReplayBuffer: the mean return
of its last 10 episodes passes 100 (random play: about 22)."""
import pathlib
import runpy

import ember

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "dqn_cartpole.py"


def test_dqn_learns_cartpole():
    example = runpy.run_path(str(EXAMPLE))
    # One thread: the agent's tiny ops run ten times slower when OpenMP threads spin on a loaded
    # machine (3 s instead of 30 s here).
    threads = ember.get_num_threads()
    ember.set_num_threads(1)
    try:
        _, returns = example["train"](steps=6000, seed=0)
    finally:
        ember.set_num_threads(threads)
    last = returns[-10:]
    assert sum(last) / len(last) > 100, returns
