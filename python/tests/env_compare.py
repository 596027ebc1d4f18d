"""Runs an ember env and a Gymnasium env side by side on the same seed and actions (helpers of
the test_env_* files; not collected)."""
import numpy as np


def assert_same_step(ours, theirs, rtol=1e-5, atol=1e-6):
    observation, reward, terminated, truncated, _ = ours
    gym_observation, gym_reward, gym_terminated, gym_truncated, _ = theirs
    np.testing.assert_allclose(observation.numpy(), gym_observation, rtol=rtol, atol=atol)
    np.testing.assert_allclose(reward, gym_reward, rtol=rtol, atol=atol)
    assert (terminated, truncated) == (bool(gym_terminated), bool(gym_truncated))


def run_side_by_side(env, gym_env, steps, seed=3, rtol=1e-5, atol=1e-6):
    """Steps both envs with the same random Discrete actions, resetting both (unseeded) when an
    episode ends; returns the number of episodes that ended."""
    actions = np.random.default_rng(seed).integers(0, 2, steps)
    observation, _ = env.reset(seed=seed)
    gym_observation, _ = gym_env.reset(seed=seed)
    np.testing.assert_allclose(observation.numpy(), gym_observation, rtol=rtol, atol=atol)
    episodes = 0
    for action in actions:
        ours = env.step(int(action))
        theirs = gym_env.step(int(action))
        assert_same_step(ours, theirs, rtol, atol)
        if ours[2] or ours[3]:
            episodes += 1
            observation, _ = env.reset()
            gym_observation, _ = gym_env.reset()
            np.testing.assert_allclose(observation.numpy(), gym_observation, rtol=rtol, atol=atol)
    return episodes
