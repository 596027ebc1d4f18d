"""ember.env.wrappers against Gymnasium's wrappers on CartPole (same seeds and actions), and
their error paths."""
import numpy as np
import pytest
from env_compare import run_side_by_side

import ember
import ember.env as envs
from ember.env import wrappers

gym = pytest.importorskip("gymnasium")


def test_time_limit_matches_gymnasium():
    ours = wrappers.TimeLimit(envs.CartPoleEnv(), 7)
    theirs = gym.wrappers.TimeLimit(gym.make("CartPole-v1").unwrapped, 7)
    assert run_side_by_side(ours, theirs, 200) > 10
    assert ours.max_episode_steps == 7


def test_normalize_observation_matches_gymnasium():
    ours = wrappers.NormalizeObservation(envs.make("CartPole-v1"))
    theirs = gym.wrappers.NormalizeObservation(gym.make("CartPole-v1"))
    # Gymnasium keeps the statistics in float32, ember in float64.
    run_side_by_side(ours, theirs, 400, rtol=1e-4, atol=1e-4)
    assert ours.obs_rms["count"] == pytest.approx(theirs.obs_rms.count)
    np.testing.assert_allclose(ours.obs_rms["mean"].numpy(), theirs.obs_rms.mean, rtol=1e-4,
                               atol=1e-5)
    ours.update_running_mean = False
    count = ours.obs_rms["count"]
    ours.step(0)
    assert ours.obs_rms["count"] == count
    assert ours.observation_space.dtype == ember.float32


@pytest.mark.parametrize("gamma", [0.99, 0.5])
def test_normalize_reward_matches_gymnasium(gamma):
    ours = wrappers.NormalizeReward(envs.make("CartPole-v1"), gamma=gamma)
    theirs = gym.wrappers.NormalizeReward(gym.make("CartPole-v1"), gamma=gamma)
    run_side_by_side(ours, theirs, 400, rtol=1e-9, atol=1e-12)
    assert ours.discounted_reward == pytest.approx(float(theirs.discounted_reward[0]))


@pytest.mark.parametrize("padding_type", ["reset", "zero"])
def test_frame_stack_observation_matches_gymnasium(padding_type):
    ours = wrappers.FrameStackObservation(envs.make("CartPole-v1"), 4, padding_type=padding_type)
    theirs = gym.wrappers.FrameStackObservation(gym.make("CartPole-v1"), 4,
                                                padding_type=padding_type)
    run_side_by_side(ours, theirs, 300)
    assert ours.observation_space.shape == theirs.observation_space.shape


def test_record_episode_statistics_matches_gymnasium():
    ours = wrappers.RecordEpisodeStatistics(envs.make("CartPole-v1"), buffer_length=3)
    theirs = gym.wrappers.RecordEpisodeStatistics(gym.make("CartPole-v1"), buffer_length=3)
    ours.reset(seed=1)
    theirs.reset(seed=1)
    for _ in range(5):
        while True:
            *_, terminated, truncated, info = ours.step(1)
            *_, gym_terminated, gym_truncated, gym_info = theirs.step(1)
            assert (terminated, truncated) == (gym_terminated, gym_truncated)
            if terminated or truncated:
                break
            assert "episode" not in info
        assert info["episode"]["r"] == gym_info["episode"]["r"]
        assert info["episode"]["l"] == gym_info["episode"]["l"]
        assert info["episode"]["t"] >= 0
        ours.reset()
        theirs.reset()
    assert ours.episode_count == 5
    assert ours.return_queue == list(theirs.return_queue)
    assert ours.length_queue == list(theirs.length_queue)


def test_clip_action_matches_gymnasium():
    ours = wrappers.ClipAction(envs.make("Pendulum-v1"))
    theirs = gym.wrappers.ClipAction(gym.make("Pendulum-v1"))
    ours.reset(seed=0)
    theirs.reset(seed=0)
    for value in [-5.0, 0.5, 3.0, 1.9, -2.5]:
        action = np.array([value], dtype=np.float32)
        observation, reward, *_ = ours.step(ember.from_numpy(action))
        gym_observation, gym_reward, *_ = theirs.step(action)
        np.testing.assert_allclose(observation.numpy(), gym_observation, rtol=1e-6)
        assert reward == pytest.approx(gym_reward)
    assert float(ours.action_space.high[0]) == float("inf")


def test_transform_observation_runs_a_python_callable():
    space = envs.spaces.Box(-100.0, 100.0, shape=(4,))
    ours = wrappers.TransformObservation(envs.make("CartPole-v1"), lambda x: x * 10, space)
    theirs = gym.wrappers.TransformObservation(gym.make("CartPole-v1"), lambda x: x * 10,
                                               gym.spaces.Box(-100, 100, (4,)))
    run_side_by_side(ours, theirs, 100, rtol=1e-5, atol=1e-5)
    assert ours.observation_space is space
    numpy_result = wrappers.TransformObservation(envs.make("CartPole-v1"),
                                                 lambda x: np.zeros(2, np.float32), None)
    observation, _ = numpy_result.reset(seed=0)
    assert isinstance(observation, ember.Tensor) and observation.shape == (2,)


def test_wrappers_stack_and_reach_the_unwrapped_env():
    inner = envs.CartPoleEnv()
    env = wrappers.RecordEpisodeStatistics(wrappers.TimeLimit(inner, 5))
    assert env.env.env is inner
    env.reset(seed=0)
    for _ in range(5):
        *_, truncated, info = env.step(0)
    assert truncated and info["episode"]["l"] == 5
    assert "TimeLimit" in repr(env)


def test_wrapper_errors_name_the_wrapper_and_the_value():
    with pytest.raises(ValueError, match=r"\[TimeLimit\] expected a positive max_episode_steps"):
        wrappers.TimeLimit(envs.CartPoleEnv(), 0)
    with pytest.raises(ValueError, match=r"\[NormalizeReward\] expected gamma in \[0, 1\]"):
        wrappers.NormalizeReward(envs.CartPoleEnv(), gamma=2.0)
    with pytest.raises(ValueError, match=r"\[NormalizeObservation\] expected a positive epsilon"):
        wrappers.NormalizeObservation(envs.CartPoleEnv(), epsilon=0.0)
    with pytest.raises(TypeError, match=r"\[ClipAction\] expected a Box action space"):
        wrappers.ClipAction(envs.CartPoleEnv())
    with pytest.raises(ValueError, match=r"\[FrameStackObservation\] expected padding_type"):
        wrappers.FrameStackObservation(envs.CartPoleEnv(), 2, padding_type="same")
    with pytest.raises(ValueError, match=r"\[FrameStackObservation\] expected a positive"):
        wrappers.FrameStackObservation(envs.CartPoleEnv(), 0)
