"""ember.env's built-in environments beside Gymnasium's on the same seeds and actions: every
observation, reward and termination flag, over thousands of steps per environment.

Episodes start from reset(seed=...) on both sides and run until termination or `EPISODE_CAP`
steps (the bare envs never truncate; TimeLimit does). Actions come from a fixed numpy generator.
"""
import numpy as np
import pytest

import ember
import ember.env

gymnasium = pytest.importorskip("gymnasium")

TOTAL_STEPS = 3000
EPISODE_CAP = 300

# (Gymnasium id, ember class, kwargs, action kind, observation tolerance and why).
ENVS = [
    # CartPole's float64 dynamics are reproduced operation for operation: exact.
    ("CartPole-v1", ember.env.CartPoleEnv, {}, "discrete", 0.0),
    ("MountainCar-v0", ember.env.MountainCarEnv, {}, "discrete", 0.0),
    # numpy's float32/float64 mixing is reproduced (NpScalar): exact.
    ("MountainCarContinuous-v0", ember.env.Continuous_MountainCarEnv, {}, "box", 0.0),
    ("Pendulum-v1", ember.env.PendulumEnv, {}, "box", 0.0),
    ("Acrobot-v1", ember.env.AcrobotEnv, {}, "discrete", 0.0),
]


def random_action(space, rng):
    if isinstance(space, gymnasium.spaces.Discrete):
        return int(rng.integers(space.n))
    low, high = space.low.astype(np.float64), space.high.astype(np.float64)
    # Past the bounds now and then, so that clipping is exercised too.
    return rng.uniform(low * 1.2, high * 1.2).astype(space.dtype)


def ember_action(action):
    return action if isinstance(action, int) else ember.from_numpy(action.copy())


@pytest.mark.parametrize("gym_id,cls,kwargs,kind,atol", ENVS, ids=[e[0] for e in ENVS])
def test_matches_gymnasium(gym_id, cls, kwargs, kind, atol):
    reference = gymnasium.make(gym_id, **kwargs).unwrapped
    env = cls(**kwargs)
    rng = np.random.default_rng(1234)
    steps = episode = 0
    while steps < TOTAL_STEPS:
        obs, _ = env.reset(seed=episode)
        ref_obs, _ = reference.reset(seed=episode)
        assert obs.dtype == ember.float32
        np.testing.assert_array_equal(obs.numpy(), ref_obs)
        for _ in range(EPISODE_CAP):
            action = random_action(reference.action_space, rng)
            obs, reward, terminated, truncated, _ = env.step(ember_action(action))
            ref_obs, ref_reward, ref_terminated, _, _ = reference.step(action)
            steps += 1
            where = f"{gym_id} episode {episode} step {steps}"
            if atol == 0.0:
                np.testing.assert_array_equal(obs.numpy(), ref_obs, err_msg=where)
                assert reward == ref_reward, where
            else:
                np.testing.assert_allclose(obs.numpy(), ref_obs, rtol=0, atol=atol, err_msg=where)
                assert reward == pytest.approx(ref_reward, rel=0, abs=atol * 100), where
            assert terminated == ref_terminated, where
            assert truncated is False
            if terminated:
                break
        episode += 1


@pytest.mark.parametrize("gym_id,cls,kwargs,kind,atol", ENVS, ids=[e[0] for e in ENVS])
def test_spaces_match_gymnasium(gym_id, cls, kwargs, kind, atol):
    reference = gymnasium.make(gym_id, **kwargs).unwrapped
    env = cls(**kwargs)
    assert repr(env.action_space).replace(" ", "") == repr(reference.action_space).replace(" ", "")
    ours, theirs = env.observation_space, reference.observation_space
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours.low.numpy(), theirs.low)
    np.testing.assert_array_equal(ours.high.numpy(), theirs.high)
    # Seeded action samples are Gymnasium's (bounded spaces draw numpy's uniform stream).
    env.action_space.seed(5)
    reference.action_space.seed(5)
    for _ in range(20):
        np.testing.assert_array_equal(np.asarray(ember_sample(env.action_space.sample())),
                                      reference.action_space.sample())


def ember_sample(sample):
    return sample if isinstance(sample, int) else sample.numpy()


@pytest.mark.parametrize("gym_id,cls,kwargs,kind,atol", ENVS, ids=[e[0] for e in ENVS])
def test_render_size_matches_gymnasium(gym_id, cls, kwargs, kind, atol):
    sizes = {"CartPole-v1": (400, 600), "MountainCar-v0": (400, 600),
             "MountainCarContinuous-v0": (400, 600), "Pendulum-v1": (500, 500),
             "Acrobot-v1": (500, 500)}
    env = cls(render_mode="rgb_array", **kwargs)
    env.reset(seed=0)
    frame = env.render()
    assert frame.dtype == ember.uint8
    assert tuple(frame.shape) == (*sizes[gym_id], 3)
    assert 0 < int((frame != 255).sum()) < frame.numel()  # something is drawn on white
    assert cls(**kwargs).render() is None
    reference = gymnasium.make(gym_id).unwrapped
    assert env.metadata["render_fps"] == reference.metadata["render_fps"]


@pytest.mark.parametrize("gym_id,cls,kwargs,kind,atol", ENVS, ids=[e[0] for e in ENVS])
def test_bad_actions_raise_value_errors_naming_the_env(gym_id, cls, kwargs, kind, atol):
    env = cls(**kwargs)
    name = gym_id.split("-")[0]
    env.reset(seed=0)
    bad = [ember.tensor([0.5, 0.5]), ember.tensor(True)]
    bad += [env.action_space.n, -1, 0.5] if kind == "discrete" else [0.5, ember.zeros(1, 1)]
    for action in bad:
        with pytest.raises(ValueError, match=rf"\[{name}\.step\] expected an action in"):
            env.step(action)
    if kind == "box":  # out of bounds: clipped, as Gymnasium's continuous envs do
        env.step(ember.tensor([100.0]))


def test_seeded_spaces_sample_what_gymnasiums_sample():
    gs = gymnasium.spaces
    pairs = [
        (ember.env.spaces.Box(-1, 1, (2, 3), seed=11), gs.Box(-1, 1, (2, 3), seed=11)),
        (ember.env.spaces.Box(0, 9, (5,), dtype=np.int64, seed=2),
         gs.Box(0, 9, (5,), dtype=np.int64, seed=2)),
        (ember.env.spaces.Discrete(6, start=3, seed=4), gs.Discrete(6, start=3, seed=4)),
        (ember.env.spaces.MultiDiscrete([3, 9, 2], seed=8), gs.MultiDiscrete([3, 9, 2], seed=8)),
        (ember.env.spaces.MultiBinary([3, 5], seed=1), gs.MultiBinary([3, 5], seed=1)),
        (ember.env.spaces.Tuple([ember.env.spaces.Discrete(3), ember.env.spaces.Box(0, 1, (2,))],
                                seed=5),
         gs.Tuple([gs.Discrete(3), gs.Box(0, 1, (2,))], seed=5)),
        (ember.env.spaces.Dict({"b": ember.env.spaces.Discrete(4),
                                "a": ember.env.spaces.MultiBinary(3)}, seed=6),
         gs.Dict({"b": gs.Discrete(4), "a": gs.MultiBinary(3)}, seed=6)),
    ]

    def plain(sample):
        if isinstance(sample, tuple):
            return tuple(plain(s) for s in sample)
        if isinstance(sample, dict):
            return {k: plain(v) for k, v in sample.items()}
        return np.asarray(sample.numpy() if isinstance(sample, ember.Tensor) else sample).tolist()

    for ours, theirs in pairs:
        assert ours.shape == theirs.shape
        for _ in range(10):
            theirs_sample = theirs.sample()
            if isinstance(theirs_sample, dict):
                theirs_sample = dict(theirs_sample)
            assert plain(ours.sample()) == plain(theirs_sample), repr(ours)
    ordered = ember.env.spaces.Dict([("z", ember.env.spaces.Discrete(2)),
                                     ("a", ember.env.spaces.Discrete(2))])
    assert ordered.keys() == ["z", "a"]
