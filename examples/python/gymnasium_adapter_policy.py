"""A policy trained on a Gymnasium environment through ember's adapter: gymnasium.make's
CartPole-v1 (Gymnasium's own Python env, with its TimeLimit) becomes an ember Env with
ember.env.from_gymnasium, and reinforce_cartpole.py's REINFORCE trains on it unchanged.

    python examples/python/gymnasium_adapter_policy.py [episodes]

Needs gymnasium. Gymnasium's CartPole and ember's give the same observations for the same seed
and actions, so this run repeats reinforce_cartpole.py's episode for episode.
"""
import pathlib
import sys

import gymnasium
import numpy as np

import ember.env

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from reinforce_cartpole import train


def train_on_gymnasium(episodes=400, seed=0, **kwargs):
    """REINFORCE on gymnasium.make("CartPole-v1") seen through ember.env.from_gymnasium."""
    env = ember.env.from_gymnasium(gymnasium.make("CartPole-v1"))
    return train(episodes, seed=seed, env=env, **kwargs)


if __name__ == "__main__":
    _, returns = train_on_gymnasium(int(sys.argv[1]) if len(sys.argv) > 1 else 400, verbose=True)
    print(f"{len(returns)} episodes, last-20 mean return {np.mean(returns[-20:]):.1f}")
