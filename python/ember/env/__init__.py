"""ember.env: reinforcement-learning environments with Gymnasium's API.

`Env` is the C++ class ember::env::Env (ember._C._env); subclass it in Python like
gymnasium.Env, and the C++ wrappers and vector environments run your environment too. The
built-in environments (CartPoleEnv, MountainCarEnv, Continuous_MountainCarEnv, PendulumEnv,
AcrobotEnv) are C++ with Gymnasium's dynamics: the same seed and actions give the same
observations, rewards and termination flags. Observations are ember tensors.
"""
from ember._C._env import CartPoleEnv as CartPoleEnv
from ember._C._env import Env as Env
from ember._C._env import EnvSpec as EnvSpec
from ember._C._env import NpRandom as NpRandom
from ember.env import spaces as spaces
