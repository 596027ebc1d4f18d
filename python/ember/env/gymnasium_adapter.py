"""Gymnasium interop both ways.

``from_gymnasium(gym_env)`` (or ``GymnasiumEnv(gym_env)``) makes any gymnasium.Env, a user's own
included, an ember Env with tensor observations; it is a C++ Env through ember.env.Env, so ember's
C++ wrappers and vector envs run it. ``register_gymnasium()`` registers ember's environments into
Gymnasium as ``"ember/<id>"``: ``gymnasium.make("ember/CartPole-v1")`` returns a gymnasium.Env
whose observations are numpy arrays sharing the tensors' memory. Importing this module needs
the gymnasium package (ember.env's from_gymnasium and register_gymnasium import it on first use).
"""
import gymnasium
import numpy as np

import ember
from ember.env import spaces as ember_spaces
from ember.env.registration import make, reward_threshold
from ember.env.registration import registry as ember_registry
from ember.env.registration import spec as ember_spec
from ember.env.wrappers import TimeLimit

__all__ = ["EmberToGymnasium", "GymnasiumEnv", "from_gymnasium", "register_gymnasium"]


def _dtype_name(dtype):
    return str(dtype).rsplit(".", 1)[-1]


def space_from_gymnasium(space):
    """The ember space equal to a Gymnasium space (Box, Discrete, MultiDiscrete, MultiBinary,
    Tuple, Dict)."""
    gym_spaces = gymnasium.spaces
    if isinstance(space, gym_spaces.Box):
        dtype = getattr(ember, np.dtype(space.dtype).name)
        return ember_spaces.Box(ember.as_tensor(space.low), ember.as_tensor(space.high),
                                dtype=dtype)
    if isinstance(space, gym_spaces.Discrete):
        return ember_spaces.Discrete(int(space.n), start=int(space.start))
    if isinstance(space, gym_spaces.MultiDiscrete):
        return ember_spaces.MultiDiscrete(space.nvec.tolist(), start=space.start.tolist())
    if isinstance(space, gym_spaces.MultiBinary):
        return ember_spaces.MultiBinary(list(np.atleast_1d(space.n)))
    if isinstance(space, gym_spaces.Tuple):
        return ember_spaces.Tuple([space_from_gymnasium(s) for s in space.spaces])
    if isinstance(space, gym_spaces.Dict):
        return ember_spaces.Dict({k: space_from_gymnasium(s) for k, s in space.spaces.items()})
    raise TypeError(
        f"[from_gymnasium] expected a Box, Discrete, MultiDiscrete, MultiBinary, Tuple or Dict "
        f"space; received {type(space).__name__}"
    )


def space_to_gymnasium(space):
    """The Gymnasium space equal to an ember space."""
    gym_spaces = gymnasium.spaces
    if isinstance(space, ember_spaces.Box):
        return gym_spaces.Box(space.low.numpy(), space.high.numpy(),
                              dtype=np.dtype(_dtype_name(space.dtype)))
    if isinstance(space, ember_spaces.Discrete):
        return gym_spaces.Discrete(space.n, start=space.start)
    if isinstance(space, ember_spaces.MultiDiscrete):
        return gym_spaces.MultiDiscrete(space.nvec.numpy(), start=space.start.numpy())
    if isinstance(space, ember_spaces.MultiBinary):
        return gym_spaces.MultiBinary(list(space.shape))
    if isinstance(space, ember_spaces.Tuple):
        return gym_spaces.Tuple([space_to_gymnasium(sub) for sub in space.spaces])
    if isinstance(space, ember_spaces.Dict):
        return gym_spaces.Dict({k: space_to_gymnasium(sub) for k, sub in space.spaces.items()})
    raise TypeError(
        f"[register_gymnasium] expected an ember space; received {type(space).__name__}"
    )


def _observation_to_tensor(observation):
    """A Gymnasium observation as tensors (a Tuple's as a tuple, a Dict's as a dict of them)."""
    if isinstance(observation, tuple):
        return tuple(_observation_to_tensor(part) for part in observation)
    if isinstance(observation, dict):
        return {key: _observation_to_tensor(part) for key, part in observation.items()}
    if isinstance(observation, np.ndarray) and not observation.flags.writeable:
        observation = observation.copy()
    return ember.as_tensor(observation)


def _observation_to_numpy(observation, space):
    """An ember observation as Gymnasium's for its gymnasium ``space``: arrays over the tensors'
    memory, a Discrete's as an np.int64, nested alike."""
    if isinstance(space, gymnasium.spaces.Tuple):
        return tuple(_observation_to_numpy(part, sub) for part, sub in zip(observation, space))
    if isinstance(space, gymnasium.spaces.Dict):
        return {key: _observation_to_numpy(observation[key], sub) for key, sub in space.items()}
    if isinstance(observation, ember.Tensor):
        observation = observation.cpu().numpy()
    array = np.asarray(observation)
    return np.int64(array) if isinstance(space, gymnasium.spaces.Discrete) else array


def _action_to_gymnasium(action, space):
    if isinstance(space, gymnasium.spaces.Discrete):
        return int(action)
    if isinstance(action, ember.Tensor):
        action = action.cpu().numpy()  # a CUDA policy's action comes over to the host
    if space.dtype is not None:
        return np.asarray(action, dtype=space.dtype)
    return action


class GymnasiumEnv(ember.env.Env):
    """A gymnasium.Env as an ember Env: observations become tensors (sharing the arrays' memory
    where numpy allows), actions become what the Gymnasium env expects."""

    def __init__(self, gym_env):
        super().__init__(render_mode=gym_env.render_mode)
        self.gym_env = gym_env
        self.observation_space = space_from_gymnasium(gym_env.observation_space)
        self.action_space = space_from_gymnasium(gym_env.action_space)

    def reset(self, *, seed=None, options=None):
        observation, info = self.gym_env.reset(seed=seed, options=options)
        return _observation_to_tensor(observation), info

    def step(self, action):
        action = _action_to_gymnasium(action, self.gym_env.action_space)
        observation, reward, terminated, truncated, info = self.gym_env.step(action)
        return (_observation_to_tensor(observation), float(reward), bool(terminated),
                bool(truncated), info)

    def render(self):
        frame = self.gym_env.render()
        return None if frame is None else ember.as_tensor(np.ascontiguousarray(frame))

    def close(self):
        self.gym_env.close()


def from_gymnasium(gym_env):
    """Any gymnasium.Env as an ember Env (a GymnasiumEnv)."""
    return GymnasiumEnv(gym_env)


class EmberToGymnasium(gymnasium.Env):
    """An ember Env as a gymnasium.Env: observations are numpy arrays over the tensors' memory."""

    def __init__(self, ember_id=None, ember_env=None, render_mode=None, **kwargs):
        if ember_env is None:
            # Gymnasium's own TimeLimit applies the registered limit: the bare ember env here.
            ember_env = make(ember_id, render_mode=render_mode, **kwargs)
            if isinstance(ember_env, TimeLimit):
                ember_env = ember_env.env
        self.ember_env = ember_env
        self.render_mode = render_mode
        self.metadata = dict(ember_env.metadata)
        self.observation_space = space_to_gymnasium(ember_env.observation_space)
        self.action_space = space_to_gymnasium(ember_env.action_space)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        observation, info = self.ember_env.reset(seed=seed, options=options)
        return _observation_to_numpy(observation, self.observation_space), info

    def step(self, action):
        if isinstance(action, np.ndarray):
            action = ember.from_numpy(np.ascontiguousarray(action))
        observation, reward, terminated, truncated, info = self.ember_env.step(action)
        return (_observation_to_numpy(observation, self.observation_space), reward, terminated,
                truncated, info)

    def render(self):
        frame = self.ember_env.render()
        return None if frame is None else frame.numpy()

    def close(self):
        self.ember_env.close()


def register_gymnasium(prefix="ember/"):
    """Registers ember's environments (the registered ids without a namespace) into Gymnasium as
    ``prefix + id`` with their episode limits and reward thresholds; returns the Gymnasium ids."""
    registered = []
    for ember_id in ember_registry:
        if "/" in ember_id:
            continue
        gym_id = prefix + ember_id
        registered.append(gym_id)
        if gym_id in gymnasium.registry:
            continue  # a second call registers nothing again
        env_spec = ember_spec(ember_id)
        gymnasium.register(
            id=gym_id,
            entry_point=EmberToGymnasium,
            max_episode_steps=env_spec.max_episode_steps,
            reward_threshold=reward_threshold(ember_id),
            kwargs={"ember_id": ember_id, **env_spec.kwargs},
        )
    return registered
