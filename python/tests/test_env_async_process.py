"""AsyncVectorEnv on worker processes (ember.env.async_process) against Gymnasium's AsyncVectorEnv:
the same user Python env and seeds give the same observations, rewards, flags and autoresets;
C++ envs stay on threads; async calls, call/get_attr/set_attr, a worker that raises, timeouts,
closing twice and bad input. Every wait has a timeout and every test an alarm, so a stuck
worker fails the test instead of hanging the run."""
import multiprocessing
import signal
import time

import gymnasium
import numpy as np
import pytest
from ember.env.async_process import ProcessAsyncVectorEnv
from ember.env.wrappers import TimeLimit

import ember
from ember.env import vector

WAIT = 30  # seconds any single wait may take


@pytest.fixture(autouse=True)
def _alarm():
    def fail(signum, frame):
        raise TimeoutError("test took longer than 120 seconds")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


class Walker(gymnasium.Env):
    """A user's Gymnasium env with numpy dynamics, random starts and both episode ends."""

    def __init__(self, limit=6):
        self.observation_space = gymnasium.spaces.Box(-np.inf, np.inf, (3,), np.float32)
        self.action_space = gymnasium.spaces.Discrete(3)
        self.limit = limit

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.state = self.np_random.normal(size=3).astype(np.float32)
        self.steps = 0
        return self.state.copy(), {"start": True}

    def step(self, action):
        noise = self.np_random.normal(size=3).astype(np.float32)
        self.state = self.state + np.float32(int(action) - 1) * np.float32(0.5) + noise
        self.steps += 1
        terminated = bool(abs(self.state[0]) > 2.0)
        truncated = self.steps >= self.limit
        return self.state.copy(), float(self.state.sum()), terminated, truncated, {"t": self.steps}


class DictWalker(Walker):
    """Walker with Dict observations (a Box, a Discrete and a Tuple inside), which only the
    process AsyncVectorEnv vectorizes."""

    def __init__(self, limit=5):
        super().__init__(limit)
        self.observation_space = gymnasium.spaces.Dict({
            "position": gymnasium.spaces.Box(-np.inf, np.inf, (3,), np.float32),
            "sign": gymnasium.spaces.Discrete(2),
            "pair": gymnasium.spaces.Tuple((gymnasium.spaces.MultiBinary(2),
                                            gymnasium.spaces.Discrete(7))),
        })

    def _observation(self, state):
        return {"position": state, "sign": int(state[0] > 0),
                "pair": (np.array([state[1] > 0, state[2] > 0], dtype=np.int8), self.steps)}

    def reset(self, *, seed=None, options=None):
        state, info = super().reset(seed=seed, options=options)
        return self._observation(state), info

    def step(self, action):
        state, *rest = super().step(action)
        return (self._observation(state), *rest)


class Counter(ember.env.Env):
    """A user's ember env in Python: counts up from a seeded start, ends every 4 steps."""

    def __init__(self, fail_at=None, sleep=0.0):
        super().__init__()
        self.observation_space = ember.env.spaces.Box(-100.0, 100.0, (2,))
        self.action_space = ember.env.spaces.Discrete(2)
        self.fail_at = fail_at
        self.sleep = sleep
        self.label = "counter"

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.value = float(self.np_random.integers(0, 10))
        self.steps = 0
        return ember.tensor([self.value, 0.0]), {}

    def step(self, action):
        time.sleep(self.sleep)
        self.steps += 1
        if self.fail_at is not None and self.steps == self.fail_at:
            raise ValueError("counter broke")
        self.value += int(action)
        return (ember.tensor([self.value, float(self.steps)]), 1.0, self.steps % 4 == 0, False,
                {"value": self.value})

    def double(self, x):
        return 2 * x


def run_steps(env, actions_list, seed=11):
    out = [env.reset(seed=seed)]
    for actions in actions_list:
        env.step_async(actions)
        out.append(env.step_wait(timeout=WAIT))
    return out


def as_numpy(x):
    return x.numpy() if isinstance(x, ember.Tensor) else np.asarray(x)


def test_matches_gymnasium_async_vector_env_on_a_user_env():
    rng = np.random.default_rng(0)
    actions_list = [rng.integers(0, 3, size=3) for _ in range(20)]
    gym_env = gymnasium.vector.AsyncVectorEnv([Walker] * 3)
    env = vector.AsyncVectorEnv([Walker] * 3)
    try:
        assert isinstance(env, ProcessAsyncVectorEnv)
        expected = [gym_env.reset(seed=11)]
        expected += [gym_env.step(actions) for actions in actions_list]
        got = run_steps(env, [ember.tensor(a.tolist()) for a in actions_list])
        autoresets = 0
        for want, have in zip(expected, got):
            assert len(want) == len(have)
            for w, h in zip(want[:-1], have[:-1]):
                np.testing.assert_array_equal(as_numpy(h), w)
            autoresets += int(want[-1].get("_start", np.zeros(3, bool)).sum())
            for key in ("t", "start"):
                if key in want[-1]:
                    np.testing.assert_array_equal(have[-1]["_" + key], want[-1]["_" + key])
        assert autoresets > 3  # the episodes ended and restarted (NEXT_STEP) several times
    finally:
        gym_env.close()
        env.close(timeout=WAIT)


@pytest.mark.parametrize("shared_memory", [True, False])
@pytest.mark.parametrize("context", [None, "spawn"])
def test_python_ember_env_matches_sync_vector_env(shared_memory, context):
    actions_list = [ember.tensor([i % 2, 1, 0]) for i in range(9)]
    sync = vector.SyncVectorEnv([Counter] * 3)
    env = vector.AsyncVectorEnv([Counter] * 3, shared_memory=shared_memory, context=context)
    try:
        assert isinstance(env, ProcessAsyncVectorEnv)
        assert env.shared_memory is shared_memory
        expected = [tuple(x.clone() if isinstance(x, ember.Tensor) else x
                          for x in sync.reset(seed=11))]
        for actions in actions_list:
            expected.append(tuple(x.clone() if isinstance(x, ember.Tensor) else x
                                  for x in sync.step(actions)))
        got = run_steps(env, actions_list)
        for want, have in zip(expected, got):
            for w, h in zip(want[:-1], have[:-1]):
                assert ember.equal(h, w)
            np.testing.assert_array_equal(have[-1].get("value", 0), want[-1].get("value", 0))
    finally:
        env.close(timeout=WAIT)
        sync.close()


def test_cpp_envs_stay_on_threads_unless_a_context_is_given():
    threads = vector.AsyncVectorEnv([lambda: TimeLimit(ember.env.CartPoleEnv(), 50)] * 2)
    processes = vector.AsyncVectorEnv([ember.env.CartPoleEnv] * 2, context="fork")
    sync = vector.SyncVectorEnv([ember.env.CartPoleEnv] * 2)
    try:
        assert isinstance(threads, ember._C._env.AsyncVectorEnv)
        assert isinstance(processes, ProcessAsyncVectorEnv)
        assert ember.equal(processes.reset(seed=3)[0], sync.reset(seed=3)[0])
        for _ in range(30):
            actions = ember.tensor([1, 0])
            assert ember.equal(processes.step(actions)[0], sync.step(actions)[0])
    finally:
        threads.close()
        processes.close(timeout=WAIT)
        sync.close()


def test_spaces_copy_and_attributes():
    env = vector.AsyncVectorEnv([Counter] * 2, copy=False)
    try:
        assert env.num_envs == 2
        assert env.single_observation_space == ember.env.spaces.Box(-100.0, 100.0, (2,))
        assert env.observation_space.shape == (2, 2)
        assert env.action_space == ember.env.spaces.MultiDiscrete([2, 2])
        first, _ = env.reset(seed=0)
        second = env.step(ember.tensor([1, 1]))[0]
        assert first.data_ptr() == second.data_ptr()  # copy=False: the shared tensor itself
        assert env.get_attr("label") == ("counter", "counter")
        env.set_attr("label", ["a", "b"])
        assert env.get_attr("label") == ("a", "b")
        env.set_attr("label", "c")
        assert env.call("double", 4) == (8, 8)
        env.call_async("double", x=1)
        assert env.call_wait(timeout=WAIT) == (2, 2)
        env.reset_async(seed=[5, None])
        observations, _ = env.reset_wait(timeout=WAIT)
        assert observations.shape == (2, 2)
    finally:
        env.close(timeout=WAIT)


def test_a_worker_error_is_raised_with_its_type_and_index():
    env = vector.AsyncVectorEnv([Counter, lambda: Counter(fail_at=2)])
    try:
        env.reset(seed=0)
        env.step(ember.tensor([0, 0]))
        broke = r"(?s)Caught ValueError in AsyncVectorEnv worker 1.*counter broke"
        with pytest.raises(ValueError, match=broke):
            env.step_async(ember.tensor([0, 0]))
            env.step_wait(timeout=WAIT)
        with pytest.raises(RuntimeError, match="worker 1 has stopped"):
            env.step(ember.tensor([0, 0]))
    finally:
        env.close(timeout=WAIT)
    assert all(not process.is_alive() for process in env._processes)


def test_a_slow_worker_times_out_and_close_terminates_it():
    env = vector.AsyncVectorEnv([Counter, lambda: Counter(sleep=60)])
    env.reset(seed=0)
    env.step_async(ember.tensor([0, 0]))
    start = time.monotonic()
    with pytest.raises(multiprocessing.TimeoutError):
        env.step_wait(timeout=0.5)
    env.close(timeout=1.0)
    assert time.monotonic() - start < 10
    assert all(not process.is_alive() for process in env._processes)


def test_close_twice_and_use_after_close():
    env = vector.AsyncVectorEnv([Counter] * 2)
    env.reset(seed=0)
    env.close(timeout=WAIT)
    env.close(timeout=WAIT)
    assert env.closed
    with pytest.raises(RuntimeError, match="closed"):
        env.step(ember.tensor([0, 0]))
    with vector.AsyncVectorEnv([Counter]) as context_env:
        context_env.reset(seed=0)
    assert context_env.closed


def test_bad_inputs_are_typed():
    with pytest.raises(TypeError, match=r"\[AsyncVectorEnv\] expected a non-empty list"):
        ProcessAsyncVectorEnv([])
    with pytest.raises(TypeError, match=r"\[AsyncVectorEnv\] expected a non-empty list"):
        ProcessAsyncVectorEnv([Counter, 3])
    with pytest.raises(TypeError, match=r"received \['shared_memroy'\]"):
        vector.AsyncVectorEnv([ember.env.CartPoleEnv], shared_memroy=False)
    env = vector.AsyncVectorEnv([Counter] * 2)
    try:
        with pytest.raises(RuntimeError, match="expected a pending step call"):
            env.step_wait(timeout=WAIT)
        with pytest.raises(ValueError, match=r"expected seed None, an int or 2 seeds"):
            env.reset(seed=[1, 2, 3])
        with pytest.raises(ValueError, match=r"expected seed None, an int or 2 seeds"):
            env.reset(seed=True)
        env.reset(seed=0)
        with pytest.raises(ValueError, match=r"expected actions of shape \(2, \.\.\.\)"):
            env.step(ember.tensor([0, 0, 0]))
        with pytest.raises(ValueError, match="expected 2 values"):
            env.set_attr("label", ["a"])
        env.step_async(ember.tensor([0, 0]))
        with pytest.raises(RuntimeError, match="a step call is waiting"):
            env.reset_async()
        env.step_wait(timeout=WAIT)
    finally:
        env.close(timeout=WAIT)


def test_an_env_fn_that_raises_in_a_worker_fails_the_constructor():
    made = []

    def fails_in_workers():
        made.append(1)
        if len(made) > 1:  # the parent's probe call succeeds; the worker's call raises
            raise KeyError("no such env")
        return Counter()

    with pytest.raises(KeyError, match="in AsyncVectorEnv worker 0"):
        vector.AsyncVectorEnv([fails_in_workers], context="fork")


def test_mismatched_spaces_are_rejected():
    def other():
        env = Counter()
        env.action_space = ember.env.spaces.Discrete(5)
        return env

    with pytest.raises(ValueError, match="worker 1 has"):
        vector.AsyncVectorEnv([Counter, other])


def test_make_vec_async_runs_python_envs_on_processes():
    ember.env.register("test/Counter-v0", Counter, max_episode_steps=3)
    try:
        env = ember.env.make_vec("test/Counter-v0", num_envs=2, vectorization_mode="async")
        try:
            assert isinstance(env, ProcessAsyncVectorEnv)
            env.reset(seed=1)
            truncations = [env.step(ember.tensor([0, 0]))[3] for _ in range(3)]
            assert truncations[-1].tolist() == [True, True]
        finally:
            env.close(timeout=WAIT)
    finally:
        ember._C._env.unregister_env("test/Counter-v0")


def assert_nested_equal(ours, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_nested_equal(o, t)
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and sorted(ours) == sorted(theirs)
        for key in theirs:
            assert_nested_equal(ours[key], theirs[key])
    else:
        np.testing.assert_array_equal(as_numpy(ours), theirs)


@pytest.mark.parametrize("shared_memory", [True, False])
def test_dict_and_tuple_observations_match_gymnasium(shared_memory):
    rng = np.random.default_rng(1)
    actions_list = [rng.integers(0, 3, size=2) for _ in range(12)]
    gym_env = gymnasium.vector.AsyncVectorEnv([DictWalker] * 2)
    env = vector.AsyncVectorEnv([DictWalker] * 2, shared_memory=shared_memory)
    try:
        assert isinstance(env.observation_space, ember.env.spaces.Dict)
        expected = [gym_env.reset(seed=4)]
        expected += [gym_env.step(actions) for actions in actions_list]
        got = run_steps(env, [ember.tensor(a.tolist()) for a in actions_list], seed=4)
        for want, have in zip(expected, got):
            assert_nested_equal(have[0], want[0])
            for w, h in zip(want[1:-1], have[1:-1]):
                np.testing.assert_array_equal(as_numpy(h), w)
        assert got[1][0]["pair"][0].dtype == ember.int8
        assert got[1][0]["sign"].dtype == ember.int64
        assert env.get_attr("limit") == (5, 5)  # call/get_attr reach the user's own env
    finally:
        gym_env.close()
        env.close(timeout=WAIT)


@pytest.mark.parametrize("kind", ["sync", "threads"])
def test_dict_and_tuple_observations_in_the_cpp_vector_envs_match_gymnasium(kind):
    from ember._C import _env
    from ember.env.gymnasium_adapter import from_gymnasium

    rng = np.random.default_rng(2)
    actions_list = [rng.integers(0, 3, size=3) for _ in range(14)]
    gym_env = gymnasium.vector.SyncVectorEnv([DictWalker] * 3)
    env_fns = [lambda: from_gymnasium(DictWalker())] * 3
    # Python envs on C++ threads: each takes the GIL for its own methods.
    env = (vector.SyncVectorEnv(env_fns) if kind == "sync"
           else _env.AsyncVectorEnv([fn() for fn in env_fns], num_workers=2))
    try:
        # Every call returns the same tensors: compare each result before the next call.
        assert_nested_equal(env.reset(seed=9)[0], gym_env.reset(seed=9)[0])
        first = env.step(ember.tensor(actions_list[0].tolist()))[0]["position"]
        gym_env.step(actions_list[0])
        for actions in actions_list[1:]:
            want = gym_env.step(actions)
            have = env.step(ember.tensor(actions.tolist()))
            assert_nested_equal(have[0], want[0])
            for w, h in zip(want[1:-1], have[1:-1]):
                np.testing.assert_array_equal(as_numpy(h), w)
        assert have[0]["pair"][0].dtype == ember.int8
        assert have[0]["pair"][0].shape == (3, 2)
        assert have[0]["position"].data_ptr() == first.data_ptr()
    finally:
        gym_env.close()
        env.close()


def test_vector_env_rejects_observations_unlike_the_space():
    from ember.env.gymnasium_adapter import from_gymnasium

    class Liar(DictWalker):
        def reset(self, *, seed=None, options=None):
            observation, info = super().reset(seed=seed, options=options)
            del observation["sign"]
            return observation, info

    env = vector.SyncVectorEnv([lambda: from_gymnasium(Liar())] * 2)
    with pytest.raises(ValueError, match=r"\[VectorEnv.reset env 0\] expected an observation "
                                         r"shaped like Dict\(pair: .*; received Dict\("):
        env.reset(seed=0)
