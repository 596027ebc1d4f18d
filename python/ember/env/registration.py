"""ember.env's registry with Gymnasium's names: make, register, spec, registry.

There is one registry, ember::env's (C++): ``register`` stores a Python entry point there as a
factory, so ``ember::env::make`` in C++ and ``ember.env.make`` build the same envs, and make wraps
them in the C++ TimeLimit. Keyword arguments travel as bool, int, float, str or tensors.
"""
import importlib
from collections.abc import Mapping

from ember._C import _env


def _load_entry_point(entry_point):
    if callable(entry_point):
        return entry_point
    module_name, _, attribute = str(entry_point).partition(":")
    if not attribute:
        raise ValueError(
            f"[register] expected an entry point 'module:attribute' or a callable; received "
            f"{entry_point!r}"
        )
    return getattr(importlib.import_module(module_name), attribute)


def _entry_point_name(entry_point):
    if isinstance(entry_point, str):
        return entry_point
    return f"{entry_point.__module__}:{entry_point.__qualname__}"


def register(id, entry_point, *, max_episode_steps=None, reward_threshold=None, kwargs=None):
    """Registers ``id``: ``make(id, **kw)`` calls ``entry_point(**kwargs, **kw)`` (a callable or a
    ``"module:attribute"`` string, imported on the first make) and wraps the result in TimeLimit
    when ``max_episode_steps`` is set."""
    if not isinstance(id, str):
        raise TypeError(f"[register] expected the id to be a str; received {type(id).__name__}")

    def factory(**env_kwargs):
        return _load_entry_point(entry_point)(**env_kwargs)

    _env.register_env(id, factory, max_episode_steps, reward_threshold, kwargs,
                      _entry_point_name(entry_point))


def make(id, render_mode=None, max_episode_steps=None, **kwargs):
    """The environment registered as ``id`` (``"CartPole-v1"``), made with its registered keyword
    arguments updated by ``kwargs``, in a TimeLimit of ``max_episode_steps`` (default: the
    registered limit)."""
    if render_mode is not None:
        kwargs["render_mode"] = render_mode
    return _env.make(id, max_episode_steps, kwargs)


def spec(id):
    """The EnvSpec registered as ``id``."""
    return _env.registration(id)[0]


def reward_threshold(id):
    """The return at which ``id`` counts as solved (Gymnasium's reward_threshold), or None."""
    return _env.registration(id)[1]


class _Registry(Mapping):
    """The registered ids and their EnvSpecs (a read-only view of the C++ registry)."""

    def __getitem__(self, id):
        if id not in _env.registered_env_ids():
            raise KeyError(id)
        return spec(id)

    def __iter__(self):
        return iter(_env.registered_env_ids())

    def __len__(self):
        return len(_env.registered_env_ids())


registry = _Registry()
