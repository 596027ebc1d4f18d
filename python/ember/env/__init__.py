"""ember.env: reinforcement-learning environments with Gymnasium's API.

`Env` is the C++ class ember::env::Env (ember._C._env); subclass it in Python like
gymnasium.Env, and the C++ wrappers and vector environments run your environment too. The
built-in environments (CartPoleEnv, MountainCarEnv, Continuous_MountainCarEnv, PendulumEnv,
AcrobotEnv) are C++ with Gymnasium's dynamics: the same seed and actions give the same
observations, rewards and termination flags. Observations are ember tensors.
"""
from ember._C._env import AcrobotEnv as AcrobotEnv
from ember._C._env import CartPoleEnv as CartPoleEnv
from ember._C._env import Continuous_MountainCarEnv as Continuous_MountainCarEnv
from ember._C._env import Env as Env
from ember._C._env import EnvSpec as EnvSpec
from ember._C._env import MountainCarEnv as MountainCarEnv
from ember._C._env import NpRandom as NpRandom
from ember._C._env import PendulumEnv as PendulumEnv

# Replay buffers for off-policy RL (h-replay).
from ember._C._env import PrioritizedReplayBuffer as PrioritizedReplayBuffer
from ember._C._env import ReplayBuffer as ReplayBuffer
from ember._C._env import transition_fields as transition_fields
from ember.env import spaces as spaces

# The registry, wrappers, vector environments and the Gymnasium adapter (h-envwrap).
from ember.env import vector as vector
from ember.env import wrappers as wrappers
from ember.env.registration import make as make

# Gymnasium's pprint_registry and parse_env_id; AsyncVectorEnv's worker processes live in
# ember.env.async_process (h-vecpy).
from ember.env.registration import parse_env_id as parse_env_id
from ember.env.registration import pprint_registry as pprint_registry
from ember.env.registration import register as register
from ember.env.registration import registry as registry
from ember.env.registration import spec as spec
from ember.env.vector import make_vec as make_vec


def from_gymnasium(gym_env):
    """Any gymnasium.Env as an ember Env with tensor observations (needs gymnasium)."""
    from ember.env.gymnasium_adapter import from_gymnasium as adapt

    return adapt(gym_env)


def register_gymnasium(prefix="ember/"):
    """Registers ember's environments into Gymnasium as ``prefix + id`` (needs gymnasium)."""
    from ember.env.gymnasium_adapter import register_gymnasium as register_all

    return register_all(prefix)
