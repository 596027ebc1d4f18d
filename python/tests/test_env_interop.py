"""Gymnasium interop both ways: Gymnasium envs (a user's own included) as ember envs under ember's
C++ wrappers and vector envs, and ember's envs registered into Gymnasium."""
import numpy as np
import pytest
from env_compare import run_side_by_side

import ember
import ember.env as envs

gym = pytest.importorskip("gymnasium")


def test_from_gymnasium_matches_the_gymnasium_env():
    ours = envs.from_gymnasium(gym.make("CartPole-v1"))
    assert isinstance(ours, envs.Env)
    assert ours.action_space.n == 2 and ours.observation_space.shape == (4,)
    run_side_by_side(ours, gym.make("CartPole-v1"), 300)


class GridWalk(gym.Env):
    """A user's own Gymnasium env: walk right on a line of 5 cells."""

    def __init__(self):
        self.observation_space = gym.spaces.Box(0, 4, shape=(1,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.position = int(self.np_random.integers(0, 2))
        return np.array([self.position], np.float32), {"start": self.position}

    def step(self, action):
        self.position = min(4, max(0, self.position + (1 if action == 1 else -1)))
        done = self.position == 4
        return np.array([self.position], np.float32), float(done), done, False, {}


def test_a_users_gymnasium_env_runs_under_ember_wrappers_and_vector_envs():
    env = envs.wrappers.TimeLimit(envs.from_gymnasium(GridWalk()), 3)
    observation, info = env.reset(seed=0)
    assert isinstance(observation, ember.Tensor) and "start" in info
    for _ in range(3):
        *_, truncated, _ = env.step(0)
    assert truncated

    vector_env = envs.vector.SyncVectorEnv([lambda: envs.from_gymnasium(GridWalk())] * 3)
    observations, _ = vector_env.reset(seed=0)
    assert observations.shape == (3, 1)
    for _ in range(6):
        observations, rewards, *_ = vector_env.step(np.ones(3, np.int64))
    assert rewards.numpy().sum() >= 0 and observations.shape == (3, 1)


@pytest.mark.parametrize("env_id", ["CartPole-v1", "MountainCar-v0", "MountainCarContinuous-v0",
                                    "Pendulum-v1", "Acrobot-v1"])
def test_ember_envs_register_into_gymnasium(env_id):
    ids = envs.register_gymnasium()
    assert "ember/" + env_id in ids
    ours = gym.make("ember/" + env_id)
    theirs = gym.make(env_id)
    assert ours.spec.max_episode_steps == theirs.spec.max_episode_steps
    assert ours.observation_space == theirs.observation_space
    assert ours.action_space == theirs.action_space
    observation, _ = ours.reset(seed=42)
    gym_observation, _ = theirs.reset(seed=42)
    assert isinstance(observation, np.ndarray)
    np.testing.assert_array_equal(observation, gym_observation)
    theirs.action_space.seed(1)
    for _ in range(300):
        action = theirs.action_space.sample()
        step, gym_step = ours.step(action), theirs.step(action)
        np.testing.assert_array_equal(step[0], gym_step[0])
        assert step[1:4] == gym_step[1:4]
        if step[2] or step[3]:
            ours.reset()
            theirs.reset()


def test_ember_env_observations_reach_numpy_without_copies():
    from ember.env.gymnasium_adapter import EmberToGymnasium

    inner = envs.CartPoleEnv()
    env = EmberToGymnasium(ember_env=inner)
    observation, _ = env.reset(seed=0)
    assert observation.dtype == np.float32 and observation.shape == (4,)
    # numpy's array views the tensor's memory (Tensor.numpy() shares it).
    assert not observation.flags.owndata
