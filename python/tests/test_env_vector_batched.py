"""SyncVectorEnv's batched step (ember/env/vector_batched.h) over CartPole-v1 as make() builds it:
bit-identical to Gymnasium's SyncVectorEnv and to ember's generic path (the same envs behind a
plain Wrapper) over thousands of steps with per-env seeds, truncation at 500 and autoresets."""
import numpy as np
import pytest
from ember.env.wrappers import RecordEpisodeStatistics, Wrapper

import ember
import ember.env as envs
from ember.env import vector

gym = pytest.importorskip("gymnasium")

NUM_ENVS = 16
SEEDS = [1000 + 7 * i for i in range(NUM_ENVS)]


def next_actions(observations, rng):
    """Even envs balance the pole (their episodes reach the 500-step limit), odd ones act at
    random (their episodes terminate)."""
    balance = (observations[:, 2] + observations[:, 3] > 0).astype(np.int64)
    random = rng.integers(0, 2, len(observations))
    return np.where(np.arange(len(observations)) % 2 == 0, balance, random)


def run_side_by_side(ours, theirs, steps, compare_infos):
    observations, _ = ours.reset(seed=SEEDS)
    other_observations, _ = theirs.reset(seed=SEEDS)
    np.testing.assert_array_equal(observations.numpy(), np.asarray(other_observations))
    rng = np.random.default_rng(5)
    terminated = truncated = 0
    for _ in range(steps):
        actions = next_actions(observations.numpy(), rng)
        observations, rewards, terminations, truncations, infos = ours.step(actions)
        other = theirs.step(actions)
        np.testing.assert_array_equal(observations.numpy(), np.asarray(other[0]))
        np.testing.assert_array_equal(rewards.numpy(), np.asarray(other[1]))
        np.testing.assert_array_equal(terminations.numpy(), np.asarray(other[2]))
        np.testing.assert_array_equal(truncations.numpy(), np.asarray(other[3]))
        compare_infos(infos, other[4])
        terminated += int(terminations.numpy().sum())
        truncated += int(truncations.numpy().sum())
    assert terminated > 100
    assert truncated > 10  # episodes ran into TimeLimit's 500 steps and autoreset after it


def test_batched_step_matches_gymnasium():
    ours = envs.make_vec("CartPole-v1", num_envs=NUM_ENVS)
    assert ours.batched
    theirs = gym.vector.SyncVectorEnv([lambda: gym.make("CartPole-v1")] * NUM_ENVS)

    def same_infos(info, gym_info):
        assert info == gym_info == {}

    run_side_by_side(ours, theirs, 3000, same_infos)
    theirs.close()


def test_batched_step_matches_the_generic_path():
    ours = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1")] * NUM_ENVS)
    generic = vector.SyncVectorEnv([lambda: Wrapper(envs.make("CartPole-v1"))] * NUM_ENVS)
    assert ours.batched and not generic.batched

    def same_infos(info, generic_info):
        assert info == generic_info

    run_side_by_side(ours, generic, 3000, same_infos)
    # The envs handed out hold the batch's states.
    for env, other in zip(ours.envs, generic.envs):
        assert env.elapsed_steps == other.env.elapsed_steps


@pytest.mark.parametrize("id, make_actions", [
    ("MountainCar-v0", lambda rng: rng.integers(0, 3, NUM_ENVS)),
    ("Acrobot-v1", lambda rng: rng.integers(0, 3, NUM_ENVS)),
    ("Pendulum-v1", lambda rng: rng.uniform(-3, 3, (NUM_ENVS, 1)).astype(np.float32)),
    ("Pendulum-v1", lambda rng: rng.uniform(-3, 3, (NUM_ENVS, 1))),
    ("MountainCarContinuous-v0",
     lambda rng: rng.uniform(-1.5, 1.5, (NUM_ENVS, 1)).astype(np.float32)),
    ("MountainCarContinuous-v0", lambda rng: rng.uniform(-1.5, 1.5, (NUM_ENVS, 1))),
])
def test_every_builtin_env_matches_gymnasium(id, make_actions):
    ours = envs.make_vec(id, num_envs=NUM_ENVS, max_episode_steps=60)
    assert ours.batched
    theirs = gym.vector.SyncVectorEnv([lambda: gym.make(id, max_episode_steps=60)] * NUM_ENVS)
    ours.reset(seed=SEEDS)
    theirs.reset(seed=SEEDS)
    rng = np.random.default_rng(2)
    truncated = 0
    for _ in range(1000):
        actions = make_actions(rng)
        observations, rewards, terminations, truncations, infos = ours.step(actions)
        other = theirs.step(actions)
        if id == "Acrobot-v1":
            # Gymnasium's reset observation takes numpy's own float32 cos and sin of its float32
            # initial state, which ember's Acrobot (batched or not) rounds from float64 instead:
            # at most one float32 ulp apart (the states themselves are equal).
            np.testing.assert_array_max_ulp(observations.numpy(), other[0], maxulp=1)
        else:
            np.testing.assert_array_equal(observations.numpy(), other[0])
        np.testing.assert_array_equal(rewards.numpy(), other[1])
        np.testing.assert_array_equal(terminations.numpy(), other[2])
        np.testing.assert_array_equal(truncations.numpy(), other[3])
        assert infos == other[4] == {}
        truncated += int(truncations.numpy().sum())
    assert truncated > 100
    theirs.close()


@pytest.mark.parametrize("id", ["MountainCar-v0", "Acrobot-v1", "Pendulum-v1",
                                "MountainCarContinuous-v0"])
def test_every_builtin_env_matches_the_generic_path(id):
    ours = envs.make_vec(id, num_envs=NUM_ENVS, max_episode_steps=40)
    generic = envs.make_vec(id, num_envs=NUM_ENVS, max_episode_steps=40, wrappers=[Wrapper])
    assert ours.batched and not generic.batched
    ours.action_space.seed(4)
    ours.reset(seed=SEEDS)
    generic.reset(seed=SEEDS)
    for _ in range(300):
        actions = ours.action_space.sample()
        for mine, theirs in zip(ours.step(actions)[:4], generic.step(actions)[:4]):
            np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_other_stacks_take_the_generic_path():
    stacked = envs.make_vec("CartPole-v1", num_envs=2, wrappers=[RecordEpisodeStatistics])
    assert not stacked.batched
    assert not envs.make_vec("CartPole-v1", num_envs=2, vectorization_mode="async").batched
    mixed = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1"),
                                  lambda: envs.make("MountainCar-v0")])
    assert not mixed.batched


@pytest.mark.parametrize("actions", [
    np.array([1, 0, 2, 1]),                  # out of Discrete(2)
    np.array([1, -1, 0, 1]),
    np.ones(4, dtype=np.float32),            # not integers
    np.ones(4, dtype=np.bool_),
    np.ones((4, 1), dtype=np.int64),         # not one integer per env
])
def test_bad_actions_raise_the_envs_value_error(actions):
    ours = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1")] * 4)
    generic = vector.SyncVectorEnv([lambda: Wrapper(envs.make("CartPole-v1"))] * 4)
    fresh = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1")] * 4)
    ours.reset(seed=0)
    generic.reset(seed=0)
    fresh.reset(seed=0)
    with pytest.raises(ValueError, match=r"\[CartPole.step\] expected an action in Discrete\(2\)") \
            as error:
        ours.step(actions)
    with pytest.raises(ValueError) as generic_error:
        generic.step(actions)
    assert str(error.value) == str(generic_error.value)
    # No env stepped (the generic path steps the envs before the bad row).
    good = np.ones(4, dtype=np.int64)
    np.testing.assert_array_equal(ours.step(good)[0].numpy(), fresh.step(good)[0].numpy())


def test_wrong_number_of_actions_and_step_before_reset():
    env = vector.SyncVectorEnv([lambda: envs.make("CartPole-v1")] * 2)
    with pytest.raises(ValueError, match=r"\[VectorEnv.step\] expected actions of shape \(2"):
        env.step(np.ones(3, dtype=np.int64))
    with pytest.raises(RuntimeError, match=r"\[CartPole.step\] expected reset\(\) before step"):
        env.step(np.ones(2, dtype=np.int64))


def test_step_returns_the_same_tensors_and_empty_infos():
    env = envs.make_vec("CartPole-v1", num_envs=8)
    observations, _ = env.reset(seed=1)
    result = env.step(ember.ones(8, dtype=ember.int64))
    assert result[0].data_ptr() == observations.data_ptr()
    assert result[1].dtype == ember.float64 and result[2].dtype == ember.bool
    assert result[4] == {}


def test_actions_of_any_numpy_dtype_and_layout_step_alike():
    rng = np.random.default_rng(9)
    rows = rng.integers(0, 2, (50, 8))
    forms = [lambda row: ember.as_tensor(row), lambda row: row, lambda row: row.astype(np.int32),
             lambda row: row.astype(np.uint8), lambda row: np.repeat(row, 2)[::2],
             lambda row: row.tolist()]
    results = []
    for form in forms:
        env = envs.make_vec("CartPole-v1", num_envs=8)
        env.reset(seed=3)
        results.append([env.step(form(row))[0].numpy().copy() for row in rows])
    for result in results[1:]:
        np.testing.assert_array_equal(np.stack(result), np.stack(results[0]))
