"""ember.env.spaces: Gymnasium's spaces (Box, Discrete, MultiDiscrete, MultiBinary, Tuple, Dict).

The classes are C++ (ember::env, ember._C._env): samples are ember tensors (a Discrete's a
Python int), seeded like Gymnasium's, so a seeded space samples what Gymnasium's would.
"""
from ember._C._env import Box as Box
from ember._C._env import Dict as Dict
from ember._C._env import Discrete as Discrete
from ember._C._env import MultiBinary as MultiBinary
from ember._C._env import MultiDiscrete as MultiDiscrete
from ember._C._env import Space as Space
from ember._C._env import Tuple as Tuple
