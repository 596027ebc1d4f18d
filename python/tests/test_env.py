"""ember.env's core: spaces (sample, contains, seed, Gymnasium's seeded samples, bad input),
Env's seeding rules and errors, and an environment written in Python as a subclass of Env."""
import numpy as np
import pytest

import ember
from ember.env import spaces


def test_seeded_space_samples_match_numpy_draws():
    # Gymnasium's Discrete(n, seed=s).sample() is default_rng(s).integers(n).
    for seed in (0, 1, 42):
        rng = np.random.default_rng(seed)
        space = spaces.Discrete(7, seed=seed)
        assert [space.sample() for _ in range(50)] == [int(rng.integers(7)) for _ in range(50)]
    # A bounded Box draws low + (high - low) * random() per element, as float32.
    rng = np.random.default_rng(9)
    box = spaces.Box(-2.0, 3.0, (4,), seed=9)
    np.testing.assert_array_equal(box.sample().numpy(),
                                  rng.uniform(-2.0, 3.0, size=4).astype(np.float32))
    np.testing.assert_array_equal(ember.env.NpRandom(9).random(),
                                  np.random.default_rng(9).random())


def test_samples_lie_in_their_space_and_seeding_reproduces():
    made = [
        lambda: spaces.Box(-1, 1, (2, 3)),
        lambda: spaces.Box(np.array([0.0, -np.inf]), np.array([1.0, np.inf]), dtype=np.float64),
        lambda: spaces.Box(0, 255, (4,), dtype=ember.uint8),
        lambda: spaces.Discrete(5, start=-2),
        lambda: spaces.MultiDiscrete([2, 3, 4]),
        lambda: spaces.MultiBinary([2, 2]),
        lambda: spaces.Tuple([spaces.Discrete(2), spaces.Box(0, 1, (1,))]),
        lambda: spaces.Dict({"position": spaces.Box(-1, 1, (2,)), "gear": spaces.Discrete(3)}),
    ]
    for make in made:
        a, b = make(), make()
        assert a.seed(3) == b.seed(3)
        for _ in range(30):
            x, y = a.sample(), b.sample()
            assert a.contains(x) and x in b
            assert repr(x) == repr(y)


def test_contains_rejects_wrong_shape_dtype_and_values():
    box = spaces.Box(-1, 1, (2,))
    assert box.contains(ember.tensor([0.0, 1.0]))
    assert box.contains([0.5, -0.5])
    assert not box.contains(ember.tensor([0.0, 2.0]))
    assert not box.contains(ember.tensor([0.0, 0.0, 0.0]))
    assert not box.contains(np.zeros(2, dtype=np.float64))  # float64 does not cast to float32
    discrete = spaces.Discrete(3)
    assert discrete.contains(2) and discrete.contains(np.int64(0))
    assert discrete.contains(ember.tensor(1))
    assert not discrete.contains(3) and not discrete.contains(1.0)
    assert not discrete.contains(ember.tensor([1]))
    assert not spaces.MultiBinary(3).contains(ember.tensor([0, 2, 1]))
    assert not spaces.MultiDiscrete([2, 2]).contains(ember.tensor([1, 2]))
    assert not spaces.Tuple([discrete]).contains((5,))
    assert not spaces.Dict(a=discrete).contains({"b": 1})


def test_spaces_report_shape_dtype_repr_and_equality():
    box = spaces.Box(-1.0, 1.0, (3,))
    assert box.shape == (3,) and box.dtype == ember.float32
    assert repr(box) == "Box(-1.0, 1.0, (3,), float32)"
    assert box == spaces.Box(-1.0, 1.0, (3,)) and box != spaces.Box(-1.0, 2.0, (3,))
    assert repr(spaces.Discrete(4, start=1)) == "Discrete(4, start=1)"
    assert spaces.Discrete(4).shape == () and spaces.Discrete(4).n == 4
    assert spaces.Dict(b=spaces.Discrete(2), a=spaces.Discrete(3)).keys() == ["a", "b"]
    assert spaces.Tuple([spaces.Discrete(2)]).shape is None
    assert box.is_bounded() and not spaces.Box(-np.inf, 0, (1,)).is_bounded("below")


def test_bad_space_arguments_raise_typed_errors():
    with pytest.raises(ValueError, match=r"\[Discrete\]"):
        spaces.Discrete(0)
    with pytest.raises(ValueError, match=r"\[Box\] expected low <= high"):
        spaces.Box(1, -1, (2,))
    with pytest.raises(ValueError, match=r"\[Box\] expected a shape"):
        spaces.Box(0, 1)
    with pytest.raises(TypeError, match="dtype"):
        spaces.Box(0, 1, (2,), dtype="no such dtype")
    with pytest.raises(ValueError, match="seed"):
        spaces.Discrete(2, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        spaces.Discrete(2).seed(1.5)


def test_env_seeding_rules():
    env = ember.env.CartPoleEnv()
    first, info = env.reset(seed=7)
    assert info == {} and env.np_random_seed == 7
    second, _ = env.reset()  # unseeded: the generator continues
    assert not ember.equal(first, second)
    again, _ = env.reset(seed=7)
    assert ember.equal(first, again)
    fresh = ember.env.CartPoleEnv()
    fresh.reset()  # the first unseeded reset seeds from entropy
    assert fresh.np_random_seed is not None
    obs, _ = env.reset(seed=1, options={"low": -0.01, "high": 0.01})
    assert float(obs.abs().max()) <= 0.01


def test_step_accepts_python_numpy_and_tensor_actions():
    env = ember.env.CartPoleEnv()
    env.reset(seed=0)
    for action in (1, np.int64(0), ember.tensor(1), np.array(0)):
        obs, reward, _terminated, truncated, info = env.step(action)
        assert obs.shape == (4,) and reward == 1.0 and truncated is False and info == {}


def test_bad_actions_and_calls_raise_errors_naming_the_env():
    env = ember.env.CartPoleEnv()
    with pytest.raises(RuntimeError, match=r"\[CartPole.step\] expected reset"):
        env.step(0)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"\[CartPole.step\] expected an action in Discrete\(2\)"):
        env.step(2)
    with pytest.raises(ValueError, match=r"\[CartPole.step\]"):
        env.step(ember.tensor([0, 1]))
    with pytest.raises(ValueError, match=r"\[CartPole.step\]"):
        env.step(0.5)
    with pytest.raises(ValueError, match=r"\[CartPole.reset\] expected options low <= high"):
        env.reset(options={"low": 1.0, "high": 0.0})
    with pytest.raises(TypeError):
        env.reset(seed="seven")


class CountingEnv(ember.env.Env):
    """An environment written in Python: counts to a target drawn from np_random."""

    def __init__(self):
        super().__init__()
        self.observation_space = spaces.Box(0, 100, (1,))
        self.action_space = spaces.Discrete(2)
        self.count = 0
        self.closed = False

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.target = int(self.np_random.integers(3, 6))
        self.count = 0
        return ember.tensor([0.0]), {"target": self.target}

    def step(self, action):
        self.count += int(action)
        done = self.count >= self.target
        return ember.tensor([float(self.count)]), 1.0, done, False, {"stats": {"count": self.count}}

    def close(self):
        self.closed = True


def test_env_subclass_in_python():
    env = CountingEnv()
    _obs, info = env.reset(seed=3)
    assert info["target"] == int(np.random.default_rng(3).integers(3, 6))
    assert env.np_random_seed == 3 and env.unwrapped is env
    assert isinstance(env.action_space, spaces.Discrete)
    steps = 0
    terminated = False
    while not terminated:
        _obs, _reward, terminated, _truncated, info = env.step(1)
        steps += 1
    assert steps == info["stats"]["count"] == env.target
    with env:
        pass
    assert env.closed
    assert env.render() is None and env.render_mode is None and env.spec is None


def test_env_base_step_must_be_overridden():
    class NoStep(ember.env.Env):
        pass

    with pytest.raises(NotImplementedError, match="override step"):
        NoStep().step(0)
