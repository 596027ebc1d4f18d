"""Tuple and Dict observations through C++: a Python env's nested observations pass through the
C++ wrappers, TransformObservation's callable sees and returns them nested, the Gymnasium adapter
converts them both ways, and wrappers that need a Box say so with a TypeError."""
import gymnasium
import numpy as np
import pytest
from ember.env.gymnasium_adapter import EmberToGymnasium, from_gymnasium
from gymnasium.utils.env_checker import check_env

import ember
from ember.env import spaces, wrappers


class Rover(ember.env.Env):
    """Dict observations: a position, a heading (Discrete) and a (MultiBinary, Box) tuple."""

    def __init__(self):
        super().__init__()
        self.observation_space = spaces.Dict({
            "position": spaces.Box(-100.0, 100.0, (2,), np.float32),
            "heading": spaces.Discrete(4),
            "sensors": spaces.Tuple((spaces.MultiBinary(3), spaces.Box(0.0, 1.0, (1,)))),
        })
        self.action_space = spaces.Discrete(4)

    def _observation(self):
        bumps = np.array([self.x > 0, self.y > 0, self.x == self.y], dtype=np.int8)
        return {"position": np.array([self.x, self.y], np.float32), "heading": self.heading,
                "sensors": (bumps, np.array([0.5], np.float32))}

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.x = float(self.np_random.integers(-3, 3))
        self.y = float(self.np_random.integers(-3, 3))
        self.heading = 0
        return self._observation(), {}

    def step(self, action):
        self.heading = int(action)
        dx, dy = [(1, 0), (0, 1), (-1, 0), (0, -1)][self.heading]
        self.x, self.y = self.x + dx, self.y + dy
        return self._observation(), 1.0, abs(self.x) > 5, False, {}


def test_nested_observations_pass_through_cpp_wrappers():
    env = wrappers.RecordEpisodeStatistics(wrappers.TimeLimit(Rover(), 3))
    observation, _ = env.reset(seed=3)
    assert sorted(observation) == ["heading", "position", "sensors"]
    assert isinstance(observation["sensors"], tuple)
    assert observation["sensors"][0].dtype == ember.int8
    assert observation["heading"].item() == 0
    for _ in range(3):
        observation, _, _, truncated, info = env.step(1)
        assert observation["heading"].item() == 1
    assert truncated and info["episode"]["l"] == 3
    assert env.observation_space.contains(
        {key: value.numpy() if isinstance(value, ember.Tensor) else tuple(v.numpy() for v in value)
         for key, value in observation.items()})


def test_transform_observation_sees_and_returns_nested_observations():
    seen = []

    def flatten(observation):
        seen.append(observation)
        return ember.cat([observation["position"], observation["sensors"][1]])

    env = wrappers.TransformObservation(Rover(), flatten, spaces.Box(-100.0, 100.0, (3,)))
    observation, _ = env.reset(seed=0)
    assert isinstance(seen[0], dict) and isinstance(seen[0]["sensors"], tuple)
    assert observation.shape == (3,)
    assert observation[2].item() == 0.5
    keep_nested = wrappers.TransformObservation(Rover(), lambda o: (o["heading"], o["position"]),
                                                None)
    observation, *_ = keep_nested.reset(seed=0)[0], None
    assert isinstance(observation, tuple) and observation[1].shape == (2,)


@pytest.mark.parametrize("wrapper", [wrappers.NormalizeObservation,
                                     lambda env: wrappers.FrameStackObservation(env, 2)])
def test_box_only_wrappers_reject_nested_observations(wrapper):
    with pytest.raises(TypeError, match=r"expected a Box observation space; received Dict\("):
        wrapper(Rover())


@pytest.mark.filterwarnings("error")
def test_the_gymnasium_adapter_converts_nested_observations_both_ways():
    class GymRover(gymnasium.Env):
        def __init__(self):
            self.rover = Rover()
            self.observation_space = gymnasium.spaces.Dict({
                "position": gymnasium.spaces.Box(-100.0, 100.0, (2,), np.float32),
                "heading": gymnasium.spaces.Discrete(4),
                "sensors": gymnasium.spaces.Tuple((gymnasium.spaces.MultiBinary(3),
                                                   gymnasium.spaces.Box(0.0, 1.0, (1,)))),
            })
            self.action_space = gymnasium.spaces.Discrete(4)

        def reset(self, *, seed=None, options=None):
            super().reset(seed=seed)
            return self.rover.reset(seed=seed)

        def step(self, action):
            return self.rover.step(action)

    ours = from_gymnasium(GymRover())
    observation, _ = ours.reset(seed=1)
    assert isinstance(observation["sensors"][0], ember.Tensor)
    back = EmberToGymnasium(ember_env=Rover())
    check_env(back, skip_render_check=True)
    observation, _ = back.reset(seed=1)
    assert isinstance(observation["position"], np.ndarray)
    assert back.observation_space.contains(observation)
