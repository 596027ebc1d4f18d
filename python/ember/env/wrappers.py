"""ember.env.wrappers: Gymnasium 1.x's common wrappers.

The classes are C++ (ember::env, bound in ember._C._env): a stack of wrappers steps in C++ and
calls into Python only for a Python environment's own methods. Each is an ``ember.env.Env``, so
wrappers stack and run under the vector environments.
"""
from ember._C._env import ClipAction as ClipAction
from ember._C._env import FrameStackObservation as FrameStackObservation
from ember._C._env import NormalizeObservation as NormalizeObservation
from ember._C._env import NormalizeReward as NormalizeReward
from ember._C._env import RecordEpisodeStatistics as RecordEpisodeStatistics
from ember._C._env import TimeLimit as TimeLimit
from ember._C._env import TransformObservation as TransformObservation
from ember._C._env import Wrapper as Wrapper

__all__ = [
    "ClipAction",
    "FrameStackObservation",
    "NormalizeObservation",
    "NormalizeReward",
    "RecordEpisodeStatistics",
    "TimeLimit",
    "TransformObservation",
    "Wrapper",
]
