"""ember.env.vector against Gymnasium's SyncVectorEnv on CartPole: the same seeds and actions give
the same observations, rewards and flags over episodes with NEXT_STEP autoresets."""
import numpy as np
import pytest

import ember.env as envs
from ember.env import vector

gym = pytest.importorskip("gymnasium")


def run_against_gymnasium(ours, num_envs, steps=600):
    theirs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1", max_episode_steps=50)]
                                      * num_envs)
    observations, _ = ours.reset(seed=11)
    gym_observations, _ = theirs.reset(seed=11)
    np.testing.assert_array_equal(observations.numpy(), gym_observations)
    buffer = observations.data_ptr()
    rng = np.random.default_rng(0)
    ended = 0
    for _ in range(steps):
        actions = rng.integers(0, 2, num_envs)
        observations, rewards, terminations, truncations, _ = ours.step(actions)
        gym_observations, gym_rewards, gym_terminations, gym_truncations, _ = (
            theirs.step(actions))
        np.testing.assert_array_equal(observations.numpy(), gym_observations)
        np.testing.assert_array_equal(rewards.numpy(), gym_rewards)
        np.testing.assert_array_equal(terminations.numpy(), gym_terminations)
        np.testing.assert_array_equal(truncations.numpy(), gym_truncations)
        assert observations.data_ptr() == buffer  # no copies: the same tensor every step
        ended += int(terminations.numpy().sum() + truncations.numpy().sum())
    assert ended > steps // 50  # many autoresets happened
    theirs.close()


def test_sync_vector_env_matches_gymnasium():
    env = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1", max_episode_steps=50)] * 4)
    assert env.num_envs == 4
    run_against_gymnasium(env, 4)


def test_async_vector_env_matches_gymnasium():
    env = vector.AsyncVectorEnv([lambda: envs.make("CartPole-v1", max_episode_steps=50)] * 4,
                                num_workers=2)
    run_against_gymnasium(env, 4)
    env.close()


def test_make_vec_builds_either_mode():
    for mode in ["sync", "async"]:
        env = envs.make_vec("CartPole-v1", num_envs=3, vectorization_mode=mode,
                            max_episode_steps=50)
        assert env.num_envs == 3
        run_against_gymnasium(env, 3, steps=100)
        env.close()
    with pytest.raises(ValueError, match=r"\[make_vec\] expected vectorization_mode"):
        envs.make_vec("CartPole-v1", vectorization_mode="process")


def test_vector_infos_take_gymnasiums_layout():
    wrap = envs.wrappers.RecordEpisodeStatistics
    env = vector.SyncVectorEnv([lambda: wrap(envs.make("CartPole-v1"))] * 2)
    env.reset(seed=0)
    while True:
        *_, terminations, _, infos = env.step(np.array([1, 1]))
        if terminations.numpy().any():
            break
    assert infos["_episode"].dtype == np.bool_
    index = int(np.flatnonzero(infos["_episode"])[0])
    assert infos["episode"]["l"][index] > 0
    assert infos["episode"]["_r"][index]


def test_vector_env_runs_python_envs():
    class Counter(envs.Env):
        def __init__(self):
            super().__init__()
            self.observation_space = envs.spaces.Box(0.0, 100.0, shape=(1,))
            self.action_space = envs.spaces.Discrete(2)

        def reset(self, *, seed=None, options=None):
            super().reset(seed=seed)
            self.t = 0
            return np.zeros(1, np.float32), {}

        def step(self, action):
            self.t += 1
            return np.full(1, self.t, np.float32), float(action), self.t == 3, False, {}

    for cls in [vector.SyncVectorEnv, vector.AsyncVectorEnv]:
        env = cls([Counter] * 2)
        env.reset(seed=0)
        seen = [env.step(np.array([1, 0]))[0].numpy()[:, 0].tolist() for _ in range(5)]
        assert seen == [[1, 1], [2, 2], [3, 3], [0, 0], [1, 1]]
        env.close()


def test_vector_spaces_match_gymnasiums_batch_space():
    for env_id in ["CartPole-v1", "Pendulum-v1"]:
        ours = envs.make_vec(env_id, num_envs=3)
        theirs = gym.make_vec(env_id, num_envs=3, vectorization_mode="sync")
        for space, gym_space in [(ours.observation_space, theirs.observation_space),
                                 (ours.action_space, theirs.action_space)]:
            assert space.shape == gym_space.shape
            if hasattr(gym_space, "low"):
                np.testing.assert_array_equal(space.low.numpy(), gym_space.low)
            else:
                np.testing.assert_array_equal(space.nvec.numpy(), gym_space.nvec)
        assert ours.single_action_space.shape == theirs.single_action_space.shape
        theirs.close()


def test_vector_env_errors():
    env = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1")] * 2)
    env.reset()
    with pytest.raises(ValueError, match=r"\[VectorEnv.step\] expected actions of shape \(2"):
        env.step(np.array([0, 1, 1]))
    with pytest.raises(ValueError, match=r"\[VectorEnv.reset\] expected 2 seeds"):
        env.reset(seed=[1, 2, 3])
    with pytest.raises(ValueError, match=r"\[VectorEnv\] expected at least one env"):
        vector.SyncVectorEnv([])
    env.close()
    with pytest.raises(RuntimeError, match=r"closed"):
        env.step(np.array([0, 1]))
