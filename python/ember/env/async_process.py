"""AsyncVectorEnv on worker processes, for envs written in Python (Gymnasium's AsyncVectorEnv).

A Python env holds the GIL for its own methods, so threads cannot run several at once; here each
env lives in its own process. Only the plumbing is Python: every worker runs its env inside a
C++ SyncVectorEnv of one env, so resetting, stepping and the NEXT_STEP autoreset are the same
C++ code as in SyncVectorEnv and the threaded AsyncVectorEnv; Tuple and Dict observations come
back as tuples and dicts of batched tensors. With ``shared_memory=True`` the workers write their
observations straight into rows of one (num_envs, ...) tensor per leaf space in a /dev/shm file
that every process maps; otherwise observations travel through the pipes. An exception in a
worker is raised again in the parent with the same type and the worker's index, and that worker
stops (as in Gymnasium).
"""
import contextlib
import enum
import mmap
import multiprocessing
import numbers
import os
import pickle
import sys
import time

import ember
from ember import _C
from ember._C import _env
from ember.env.vector import merge_infos
from ember.env.vector_utils import create_empty_array, iterate
from ember.utils.data._shared_memory import _DIRECTORY, _contiguous_strides
from ember.utils.data._worker import ExceptionWrapper

__all__ = ["ProcessAsyncVectorEnv", "is_cpp_env"]

try:
    import cloudpickle
except ImportError:  # pragma: no cover - gymnasium installs it
    cloudpickle = None


class AsyncState(enum.Enum):
    DEFAULT = "default"
    WAITING_RESET = "reset"
    WAITING_STEP = "step"
    WAITING_CALL = "call"


def is_cpp_env(env):
    """Whether env (and every wrapper around it) is a C++ ember env, which threads can run in
    parallel; an env with Python methods needs processes."""
    return isinstance(env, _env.Env) and all(
        type(layer).__module__.startswith("ember._C")
        for layer in (env, env.unwrapped))


def _as_ember_env(env):
    if isinstance(env, _env.Env):
        return env
    from ember.env.gymnasium_adapter import from_gymnasium

    return from_gymnasium(env)


class _PickledFn:
    """An env_fn pickled with cloudpickle, so that lambdas and closures reach spawned workers (a
    forked worker inherits env_fns as they are, local classes over nanobind ones included)."""

    def __init__(self, env_fn):
        self.payload = cloudpickle.dumps(env_fn)

    def __call__(self):
        return pickle.loads(self.payload)()


def _map_shared(path, nbytes, dtype, shape):
    descriptor = os.open(path, os.O_RDWR)
    try:
        mapping = mmap.mmap(descriptor, nbytes)
    finally:
        os.close(descriptor)
    return _C._shared_tensor(mapping, dtype, tuple(shape), _contiguous_strides(shape), 0)


def _write(target, value):
    """Copies an observation (a tensor, array or number; tuples and dicts of them for Tuple and
    Dict spaces) into the tensors of ``target``, shaped alike."""
    if isinstance(target, tuple):
        for part, part_value in zip(target, value):
            _write(part, part_value)
    elif isinstance(target, dict):
        for key, part in target.items():
            _write(part, value[key])
    else:
        target.copy_(value if isinstance(value, ember.Tensor) else ember.as_tensor(value))


def _clone(batch):
    if isinstance(batch, tuple):
        return tuple(_clone(part) for part in batch)
    if isinstance(batch, dict):
        return {key: _clone(part) for key, part in batch.items()}
    return batch.clone()


class _CppRunner:
    """One env in a C++ SyncVectorEnv: its reset, step and NEXT_STEP autoreset are C++'s. The
    vector env gives no per-env infos (``[]``) when every one is empty."""

    def __init__(self, env):
        self.vector = _env.SyncVectorEnv([env])

    def _first(self, observations):
        return next(iterate(self.vector.observation_space, observations))

    def reset(self, seed, options):
        observations, infos = self.vector.reset(seed=[seed], options=options)
        return self._first(observations), infos[0] if infos else {}

    def step(self, action):
        observations, rewards, terminations, truncations, infos = self.vector.step(
            action.unsqueeze(0))
        return (self._first(observations), rewards[0].item(), terminations[0].item(),
                truncations[0].item(), infos[0] if infos else {})


def _worker(index, env_fn, pipe, parent_pipe, shared):
    if parent_pipe is not None:
        parent_pipe.close()
    raw = None
    try:
        raw = env_fn()
        env = _as_ember_env(raw)
        space = env.observation_space
        runner = _CppRunner(env)
        row = None
        if shared is not None:
            leaves = iter([_map_shared(*leaf) for leaf in shared])
            batch = create_empty_array(space, fn=lambda shape, dtype: next(leaves))
            row = list(iterate(_env.batch_space(space), batch))[index]

        def deliver(observation):
            if row is None:
                return _clone(observation)
            _write(row, observation)
            return None

        pipe.send(((repr(env.observation_space), repr(env.action_space)), True))
        while True:
            command, data = pipe.recv()
            if command == "reset":
                observation, info = runner.reset(*data)
                pipe.send(((deliver(observation), info), True))
            elif command == "step":
                observation, *rest = runner.step(data)
                pipe.send(((deliver(observation), *rest), True))
            elif command == "call":
                name, args, kwargs = data
                attribute = getattr(raw, name)
                pipe.send((attribute(*args, **kwargs) if callable(attribute) else attribute, True))
            elif command == "setattr":
                setattr(raw, *data)
                pipe.send((None, True))
            elif command == "close":
                pipe.send((None, True))
                break
    except (KeyboardInterrupt, Exception):  # noqa: BLE001 - re-raised in the parent
        with contextlib.suppress(Exception):
            pipe.send((ExceptionWrapper(sys.exc_info(), f"in AsyncVectorEnv worker {index}"),
                       False))
    finally:
        if raw is not None:
            with contextlib.suppress(Exception):
                raw.close()
        pipe.close()


class ProcessAsyncVectorEnv:
    """``env_fns`` (callables returning envs: ember envs or gymnasium.Env) each run in a worker
    process, with Gymnasium's AsyncVectorEnv API (autoreset mode NEXT_STEP).

    ``context`` is a multiprocessing start method ("fork", "spawn", "forkserver"; None: the
    default); ``daemon`` makes the workers daemons; ``copy=False`` returns the shared observation
    tensor itself, which the next step overwrites."""

    def __init__(self, env_fns, shared_memory=True, copy=True, context=None, daemon=True,
                 _probe_env=None):
        env_fns = list(env_fns)
        if not env_fns or not all(callable(env_fn) for env_fn in env_fns):
            raise TypeError(
                f"[AsyncVectorEnv] expected a non-empty list of callables returning envs; "
                f"received {env_fns!r}")
        self.num_envs = len(env_fns)
        self.shared_memory = bool(shared_memory)
        self.copy = bool(copy)
        self.closed = False
        self._state = AsyncState.DEFAULT
        self._processes = []
        self._pipes = []
        self._paths = []
        probe = _as_ember_env(_probe_env if _probe_env is not None else env_fns[0]())
        self.single_observation_space = probe.observation_space
        self.single_action_space = probe.action_space
        self.metadata = probe.metadata
        self.render_mode = probe.render_mode
        spaces = (repr(probe.observation_space), repr(probe.action_space))
        self.observation_space = _env.batch_space(probe.observation_space, self.num_envs)
        self.action_space = _env.batch_space(probe.action_space, self.num_envs)
        space = self.single_observation_space
        probe.close()

        context = multiprocessing.get_context(context)
        try:
            # One (num_envs, ...) tensor per leaf space, in tuples and dicts for Tuple and Dict.
            shared = [] if self.shared_memory else None
            allocate = ember.empty if shared is None else (
                lambda shape, dtype: self._allocate_shared(shape, dtype, shared))
            self._observations = create_empty_array(space, self.num_envs, fn=allocate)
            self._rows = list(iterate(self.observation_space, self._observations))
            for index, env_fn in enumerate(env_fns):
                parent_pipe, child_pipe = context.Pipe()
                if cloudpickle is not None and context.get_start_method() != "fork":
                    env_fn = _PickledFn(env_fn)
                process = context.Process(
                    target=_worker, name=f"ember-AsyncVectorEnv-{index}",
                    args=(index, env_fn, child_pipe, parent_pipe, shared), daemon=daemon)
                self._pipes.append(parent_pipe)
                self._processes.append(process)
                process.start()
                child_pipe.close()
            results = self._receive_all(None, "AsyncVectorEnv")
        except BaseException:
            self.close(terminate=True)
            raise
        finally:
            self._unlink_shared()
        for index, worker_spaces in enumerate(results):
            if worker_spaces != spaces:
                self.close(terminate=True)
                raise ValueError(
                    f"[AsyncVectorEnv] expected every env to have the spaces {spaces}; worker "
                    f"{index} has {worker_spaces}")

    def _allocate_shared(self, shape, dtype, shared):
        nbytes = ember.empty(0, dtype=dtype).element_size()
        for size in shape:
            nbytes *= size
        nbytes = max(nbytes, 1)
        path = os.path.join(_DIRECTORY,
                            f"ember-vecenv-{os.getpid()}-{id(self)}-{len(self._paths)}")
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        self._paths.append(path)
        try:
            os.ftruncate(descriptor, nbytes)
        finally:
            os.close(descriptor)
        shared.append((path, nbytes, dtype, tuple(shape)))
        return _map_shared(*shared[-1])

    def _unlink_shared(self):
        # Every worker has mapped the files (or failed); the mappings outlive their names.
        for path in self._paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self._paths = []

    def _check_ready(self, operation):
        if self.closed:
            raise RuntimeError(f"[AsyncVectorEnv.{operation}] expected an open vector env; it "
                               f"was closed")
        if self._state is not AsyncState.DEFAULT:
            raise RuntimeError(
                f"[AsyncVectorEnv.{operation}] expected no pending call; a {self._state.value} "
                f"call is waiting for its *_wait")
        for index, pipe in enumerate(self._pipes):
            if pipe is None:
                raise RuntimeError(f"[AsyncVectorEnv.{operation}] expected running workers; "
                                   f"worker {index} has stopped after an error")

    def _send_all(self, messages, state):
        for pipe, message in zip(self._pipes, messages):
            pipe.send(message)
        self._state = state

    def _receive_all(self, timeout, operation):
        deadline = None if timeout is None else time.monotonic() + timeout
        for pipe in self._pipes:
            if pipe is None:
                continue
            remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not pipe.poll(remaining):
                self._state = AsyncState.DEFAULT
                raise multiprocessing.TimeoutError(
                    f"[{operation}] expected the workers to answer within {timeout} seconds; "
                    f"they did not")
        results, errors = [], []
        for index, pipe in enumerate(self._pipes):
            try:
                result, success = pipe.recv()
            except EOFError:
                exited = RuntimeError("[AsyncVectorEnv] the worker process exited")
                result = ExceptionWrapper((RuntimeError, exited, None),
                                          f"in AsyncVectorEnv worker {index}")
                success = False
            results.append(result)
            if not success:
                errors.append(result)
                pipe.close()
                self._pipes[index] = None
                self._processes[index].join(1)
        self._state = AsyncState.DEFAULT
        if errors:
            errors[-1].reraise()
        return results

    def _wait(self, expected, timeout, operation):
        if self._state is not expected:
            raise RuntimeError(f"[AsyncVectorEnv.{operation}] expected a pending "
                               f"{expected.value} call; there is none ({self._state.value})")
        return self._receive_all(timeout, f"AsyncVectorEnv.{operation}")

    def _gather(self, parts):
        if not self.shared_memory:
            for row, observation in zip(self._rows, parts):
                _write(row, observation)
        return _clone(self._observations) if self.copy else self._observations

    def reset_async(self, seed=None, options=None):
        """Sends reset to every worker; ``seed`` None, an int (env i gets seed + i) or a list."""
        self._check_ready("reset_async")
        if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
            seeds = [None if seed is None else int(seed) + i for i in range(self.num_envs)]
        elif isinstance(seed, (list, tuple)) and len(seed) == self.num_envs:
            seeds = list(seed)
        else:
            raise ValueError(f"[AsyncVectorEnv.reset] expected seed None, an int or "
                             f"{self.num_envs} seeds; received {seed!r}")
        self._send_all([("reset", (s, options)) for s in seeds], AsyncState.WAITING_RESET)

    def reset_wait(self, timeout=None):
        """``(observations, infos)`` of the pending reset."""
        results = self._wait(AsyncState.WAITING_RESET, timeout, "reset_wait")
        observations, infos = zip(*results)
        return self._gather(observations), merge_infos(infos)

    def reset(self, *, seed=None, options=None):
        """Resets every env: ``(observations, infos)``."""
        self.reset_async(seed=seed, options=options)
        return self.reset_wait()

    def step_async(self, actions):
        """Sends row i of ``actions`` to env i."""
        self._check_ready("step_async")
        actions = actions if isinstance(actions, ember.Tensor) else ember.as_tensor(actions)
        if actions.dim() < 1 or actions.shape[0] != self.num_envs:
            raise ValueError(f"[AsyncVectorEnv.step] expected actions of shape ({self.num_envs}"
                             f", ...), one row per env; received shape {tuple(actions.shape)}")
        self._send_all([("step", actions[i].clone()) for i in range(self.num_envs)],
                       AsyncState.WAITING_STEP)

    def step_wait(self, timeout=None):
        """``(observations, rewards, terminations, truncations, infos)`` of the pending step."""
        results = self._wait(AsyncState.WAITING_STEP, timeout, "step_wait")
        observations, rewards, terminations, truncations, infos = zip(*results)
        return (self._gather(observations), ember.tensor(rewards, dtype=ember.float64),
                ember.tensor(terminations, dtype=ember.bool),
                ember.tensor(truncations, dtype=ember.bool), merge_infos(infos))

    def step(self, actions):
        """Steps every env: ``(observations, rewards, terminations, truncations, infos)``."""
        self.step_async(actions)
        return self.step_wait()

    def call_async(self, name, *args, **kwargs):
        """Calls ``env.name(*args, **kwargs)`` in every worker (or reads the attribute)."""
        self._check_ready("call_async")
        self._send_all([("call", (name, args, kwargs))] * self.num_envs, AsyncState.WAITING_CALL)

    def call_wait(self, timeout=None):
        """The results of the pending call, one per env."""
        return tuple(self._wait(AsyncState.WAITING_CALL, timeout, "call_wait"))

    def call(self, name, *args, **kwargs):
        """A tuple of ``env.name(*args, **kwargs)``, one per env."""
        self.call_async(name, *args, **kwargs)
        return self.call_wait()

    def get_attr(self, name):
        """A tuple of every env's attribute ``name``."""
        return self.call(name)

    def set_attr(self, name, values):
        """Sets attribute ``name`` of every env to ``values`` (one value for all, or a list or
        tuple with one per env)."""
        self._check_ready("set_attr")
        if not isinstance(values, (list, tuple)):
            values = [values] * self.num_envs
        if len(values) != self.num_envs:
            raise ValueError(f"[AsyncVectorEnv.set_attr] expected {self.num_envs} values (one "
                             f"per env); received {len(values)}")
        self._send_all([("setattr", (name, value)) for value in values],
                       AsyncState.WAITING_CALL)
        self._receive_all(None, "AsyncVectorEnv.set_attr")

    def close(self, *, timeout=None, terminate=False):
        """Closes the envs and stops the workers; those still busy after ``timeout`` seconds (or
        all, with ``terminate=True``) are terminated. Closing twice does nothing."""
        if self.closed:
            return
        self.closed = True
        try:
            if not terminate:
                if self._state is not AsyncState.DEFAULT:
                    self._receive_all(timeout, "AsyncVectorEnv.close")
                live = [pipe for pipe in self._pipes if pipe is not None]
                for pipe in live:
                    pipe.send(("close", None))
                self._receive_all(timeout, "AsyncVectorEnv.close")
        except Exception:  # noqa: BLE001 - a worker that fails to close is terminated
            terminate = True
        finally:
            deadline = time.monotonic() + (1.0 if timeout is None or terminate else timeout)
            for process in self._processes:
                if process.is_alive():
                    process.join(None if terminate is False and timeout is None
                                 else max(deadline - time.monotonic(), 0.0))
                if process.is_alive():
                    process.terminate()
                    process.join()
            for pipe in self._pipes:
                if pipe is not None:
                    pipe.close()
            self._pipes = [None] * len(self._pipes)
            self._unlink_shared()

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def __del__(self):
        if not getattr(self, "closed", True):
            self.close(terminate=True)

    def __repr__(self):
        return f"AsyncVectorEnv(processes, num_envs={self.num_envs})"
