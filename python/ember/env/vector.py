"""ember.env.vector: Gymnasium 1.x's vector environments (autoreset mode NEXT_STEP).

SyncVectorEnv and AsyncVectorEnv are C++ (ember::env): one ``step`` runs every env (on worker
threads for AsyncVectorEnv) and writes the observations into one (num_envs, ...) tensor that
every call returns again (clone what must outlive the next step). Infos come back in
Gymnasium's vector form: ``info[key]`` an array over the envs and ``info["_" + key]`` the mask
of the envs that set it.
"""
import numpy as np

from ember._C import _env

__all__ = ["AsyncVectorEnv", "SyncVectorEnv", "VectorEnv", "make_vec", "utils"]

VectorEnv = _env.VectorEnv


def _info_array(value, num_envs):
    if isinstance(value, (bool, np.bool_)):
        return np.zeros(num_envs, dtype=np.bool_)
    if isinstance(value, (int, np.integer)):
        return np.zeros(num_envs, dtype=np.int64)
    if isinstance(value, (float, np.floating)):
        return np.zeros(num_envs, dtype=np.float64)
    return np.full(num_envs, None, dtype=object)


def _add_info(merged, info, index, num_envs):
    for key, value in info.items():
        if isinstance(value, dict):
            _add_info(merged.setdefault(key, {}), value, index, num_envs)
        else:
            if key not in merged:
                merged[key] = _info_array(value, num_envs)
            merged[key][index] = value
        merged.setdefault("_" + key, np.zeros(num_envs, dtype=np.bool_))[index] = True


def merge_infos(infos):
    """Per-env info dicts as one dict of arrays with ``_key`` masks (Gymnasium's layout)."""
    merged = {}
    for index, info in enumerate(infos):
        _add_info(merged, info, index, len(infos))
    return merged


class _VectorEnvShell:
    """reset/step with Gymnasium's vector infos over the C++ methods."""

    def reset(self, *, seed=None, options=None):
        """Resets every env: ``(observations, infos)``; env i gets ``seed + i`` (or ``seed[i]``)."""
        observations, infos = super().reset(seed=seed, options=options)
        return observations, merge_infos(infos)

    def step(self, actions):
        """Steps every env: ``(observations, rewards, terminations, truncations, infos)``."""
        observations, rewards, terminations, truncations, infos = super().step(actions)
        return observations, rewards, terminations, truncations, merge_infos(infos)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


class SyncVectorEnv(_VectorEnvShell, _env.SyncVectorEnv):
    """``env_fns`` (callables returning envs) stepped one after another in one C++ call."""

    def __init__(self, env_fns):
        super().__init__([env_fn() for env_fn in env_fns])


class AsyncVectorEnv(_VectorEnvShell, _env.AsyncVectorEnv):
    """``env_fns`` stepped in parallel on ``num_workers`` C++ threads (0: one per env, up to the
    cores) when they make C++ envs. Envs with Python methods (a Python Env subclass, a
    gymnasium.Env) hold the GIL, so they, or any envs given a multiprocessing ``context``, run on
    worker processes instead, with Gymnasium's AsyncVectorEnv API and the keyword arguments
    ``shared_memory``, ``copy``, ``context`` and ``daemon``
    (ember.env.async_process.ProcessAsyncVectorEnv); the first env_fn is called once more there,
    to read the spaces."""

    def __new__(cls, env_fns, num_workers=0, **process_options):
        from ember.env.async_process import ProcessAsyncVectorEnv, is_cpp_env

        unknown = sorted(set(process_options) - {"shared_memory", "copy", "context", "daemon"})
        if unknown:
            raise TypeError(f"[AsyncVectorEnv] expected keyword arguments num_workers, "
                            f"shared_memory, copy, context or daemon; received {unknown}")
        env_fns = list(env_fns)
        first = env_fns[0]() if env_fns and callable(env_fns[0]) else None
        if process_options.get("context") is not None or (
                first is not None and not is_cpp_env(first)):
            return ProcessAsyncVectorEnv(env_fns, _probe_env=first, **process_options)
        vector_env = super().__new__(cls)
        vector_env._first_env = first
        return vector_env

    def __init__(self, env_fns, num_workers=0, **process_options):
        rest = [env_fn() for env_fn in list(env_fns)[1:]]
        first = self.__dict__.pop("_first_env", None)
        super().__init__(([first] if first is not None else []) + rest, num_workers)


def make_vec(id, num_envs=1, vectorization_mode="sync", vector_kwargs=None, wrappers=None,
             **kwargs):
    """``num_envs`` copies of ``make(id, **kwargs)`` (each wrapped by ``wrappers`` in order) in a
    SyncVectorEnv (``vectorization_mode="sync"``) or AsyncVectorEnv (``"async"``)."""
    from ember.env.registration import make

    def env_fn():
        env = make(id, **kwargs)
        for wrapper in wrappers or ():
            env = wrapper(env)
        return env

    classes = {"sync": SyncVectorEnv, "async": AsyncVectorEnv}
    if vectorization_mode not in classes:
        raise ValueError(
            f"[make_vec] expected vectorization_mode 'sync' or 'async'; received "
            f"{vectorization_mode!r}"
        )
    return classes[vectorization_mode]([env_fn] * num_envs, **(vector_kwargs or {}))


# Gymnasium's gymnasium.vector.utils (batch_space, concatenate, iterate, create_empty_array), also
# importable by that path (`from ember.env.vector.utils import batch_space`), as os.path is.
import sys  # noqa: E402

from ember.env import vector_utils as utils  # noqa: E402

sys.modules[__name__ + ".utils"] = utils
