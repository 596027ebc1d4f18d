"""ember.env's registry with Gymnasium's names: make, register, spec, registry.

There is one registry, ember::env's (C++): ``register`` stores a Python entry point there as a
factory, so ``ember::env::make`` in C++ and ``ember.env.make`` build the same envs, and make wraps
them in the C++ TimeLimit. Keyword arguments travel as bool, int, float, str or tensors.
"""
import importlib
import re
from collections import defaultdict
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


def register(id, entry_point, *, max_episode_steps=None, reward_threshold=None, kwargs=None,
             nondeterministic=False):
    """Registers ``id``: ``make(id, **kw)`` calls ``entry_point(**kwargs, **kw)`` (a callable or a
    ``"module:attribute"`` string, imported on the first make) and wraps the result in TimeLimit
    when ``max_episode_steps`` is set. The EnvSpec (``spec(id)``, ``env.spec``) keeps
    ``reward_threshold`` and ``nondeterministic`` as Gymnasium's does."""
    if not isinstance(id, str):
        raise TypeError(f"[register] expected the id to be a str; received {type(id).__name__}")

    def factory(**env_kwargs):
        return _load_entry_point(entry_point)(**env_kwargs)

    _env.register_env(id, factory, max_episode_steps, reward_threshold, kwargs,
                      _entry_point_name(entry_point), bool(nondeterministic))


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


_ENV_ID = re.compile(
    r"^(?:(?P<namespace>[\w:-]+)\/)?(?:(?P<name>[\w:.-]+?))(?:-v(?P<version>\d+))?$")


def parse_env_id(env_id):
    """``(namespace, name, version)`` of an id ``"[namespace/]name[-vN]"`` (None where absent),
    as Gymnasium's parse_env_id."""
    match = _ENV_ID.fullmatch(env_id) if isinstance(env_id, str) else None
    if match is None:
        raise ValueError(f"[parse_env_id] expected an id '[namespace/](env-name)[-v(version)]'; "
                         f"received {env_id!r}")
    version = match.group("version")
    return match.group("namespace"), match.group("name"), None if version is None else int(version)


def _namespace(env_spec):
    namespace, name, _ = parse_env_id(env_spec.id)
    if namespace is not None:
        return namespace
    parts = re.sub(r":\w+", "", env_spec.entry_point).split(".")
    if len(parts) >= 3:
        return parts[2]
    return parts[1] if len(parts) > 1 else name


def pprint_registry(print_registry=registry, *, num_cols=3, exclude_namespaces=None,
                    disable_print=False):
    """Prints the registered ids by namespace in ``num_cols`` columns, as Gymnasium's
    pprint_registry (``disable_print=True`` returns the text instead)."""
    if not isinstance(num_cols, int) or num_cols < 1:
        raise ValueError(f"[pprint_registry] expected num_cols to be an int >= 1; received "
                         f"{num_cols!r}")
    namespace_ids = defaultdict(list)
    width = 0
    for env_spec in print_registry.values():
        namespace_ids[_namespace(env_spec)].append(env_spec.id)
        width = max(width, len(parse_env_id(env_spec.id)[1]))
    sections = []
    for namespace, ids in namespace_ids.items():
        if exclude_namespaces is not None and namespace in exclude_namespaces:
            continue
        rows = [" ".join(env_id.ljust(width) for env_id in sorted(ids)[start:start + num_cols])
                .rstrip(" ") for start in range(0, len(ids), num_cols)]
        sections.append(f"{'=' * 5} {namespace} {'=' * 5}\n" + "\n".join(rows))
    text = "\n".join(sections)
    if disable_print:
        return text
    print(text)
    return None
