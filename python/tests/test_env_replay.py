"""ember.env.ReplayBuffer and PrioritizedReplayBuffer (ember/env/replay_buffer.h): ring storage,
batched adds, reproducible sampling with replacement, priorities and typed errors."""
import pytest

import ember
from ember import env


def fields():
    return env.transition_fields([2])


def add_items(buffer, values):
    for value in values:
        buffer.add(obs=ember.full((2,), float(value)), action=int(value), reward=float(value),
                   next_obs=ember.full((2,), value + 1.0), done=False)


def test_transition_fields_are_dqns():
    assert env.transition_fields([4]) == {
        "obs": ((4,), ember.float32), "action": ((), ember.int64),
        "reward": ((), ember.float32), "next_obs": ((4,), ember.float32), "done": ((), ember.bool)}


def test_ring_overwrites_the_oldest_items():
    buffer = env.ReplayBuffer(3, fields())
    assert (len(buffer), buffer.capacity) == (0, 3)
    add_items(buffer, range(5))
    assert len(buffer) == 3
    stored = buffer.gather(ember.arange(3))
    assert stored["reward"].tolist() == [3.0, 4.0, 2.0]
    assert stored["action"].dtype == ember.int64
    assert stored["done"].dtype == ember.bool
    buffer.clear()
    assert len(buffer) == 0


def test_adds_a_batch_from_a_dict():
    buffer = env.ReplayBuffer(4, {"x": ((2,), ember.float32), "k": ((), ember.int64)})
    slots = buffer.add({"x": ember.arange(12.0).reshape(6, 2), "k": ember.arange(6)})
    assert slots == [2, 3, 0, 1]
    assert buffer.gather(ember.arange(4))["k"].tolist() == [4, 5, 2, 3]


def test_sampling_is_reproducible_and_with_replacement():
    buffer = env.ReplayBuffer(10, fields())
    add_items(buffer, [1, 2])
    first = buffer.sample(64, generator=ember.Generator().manual_seed(3))
    second = buffer.sample(64, generator=ember.Generator().manual_seed(3))
    assert first["obs"].shape == (64, 2)
    assert ember.equal(first["reward"], second["reward"])
    assert set(first["reward"].tolist()) == {1.0, 2.0}
    ember.manual_seed(5)
    a = buffer.sample(16)["reward"]
    ember.manual_seed(5)
    assert ember.equal(a, buffer.sample(16)["reward"])


def test_prioritized_sampling_follows_priorities():
    buffer = env.PrioritizedReplayBuffer(4, fields(), alpha=1.0, beta=1.0, epsilon=0.0)
    add_items(buffer, range(4))
    assert buffer.total_priority == 4.0  # new items get the max priority, 1 at first
    buffer.update_priorities(ember.arange(4), ember.tensor([1.0, 2.0, 3.0, 4.0]))
    batch, indices, weights = buffer.sample(20000, generator=ember.Generator().manual_seed(1))
    counts = ember.bincount(indices, minlength=4).double() / 20000
    # Stratified sampling: each frequency is within 0.01 of p_i / sum p (about 4 sigma).
    assert ember.allclose(counts, ember.tensor([0.1, 0.2, 0.3, 0.4]).double(), atol=0.01)
    assert ember.equal(batch["action"], indices)
    assert weights.dtype == ember.float32
    assert ember.allclose(weights, 1.0 / (indices + 1).float())
    buffer.beta = 0.5
    assert buffer.beta == 0.5
    buffer.add(obs=ember.zeros(2), action=0, reward=0.0, next_obs=ember.zeros(2), done=True)
    assert buffer.max_priority == 4.0


@pytest.mark.parametrize("bad, error, match", [
    ({"obs": ember.zeros(3)}, ValueError, r"\[ReplayBuffer.add\] expected field 'obs' of shape"),
    ({"extra": ember.zeros(())}, ValueError, "unknown field 'extra'"),
    ({"obs": ember.zeros(1, 2)}, ValueError, "same number of items"),
])
def test_bad_items_are_value_errors(bad, error, match):
    buffer = env.ReplayBuffer(4, fields())
    items = {"obs": ember.zeros(2), "action": 0, "reward": 0.0, "next_obs": ember.zeros(2),
             "done": False}
    items.update(bad)
    with pytest.raises(error, match=match):
        buffer.add(items)


def test_bad_use_is_a_typed_error():
    with pytest.raises(ValueError, match="positive capacity"):
        env.ReplayBuffer(0, fields())
    with pytest.raises(TypeError, match=r"\(shape, dtype\)"):
        env.ReplayBuffer(2, {"x": (2,)})
    buffer = env.PrioritizedReplayBuffer(4, fields())
    with pytest.raises(RuntimeError, match="non-empty buffer"):
        buffer.sample(2)
    add_items(buffer, [0])
    with pytest.raises(ValueError, match="non-negative"):
        buffer.update_priorities(ember.tensor([0]), ember.tensor([-1.0]))
    with pytest.raises(IndexError, match=r"\[0, 1\)"):
        buffer.update_priorities(ember.tensor([3]), ember.tensor([1.0]))
    with pytest.raises(ValueError, match="alpha"):
        env.PrioritizedReplayBuffer(4, fields(), alpha=-1.0)


def test_adds_a_vector_envs_step_as_one_batch():
    vector = env.make_vec("CartPole-v1", num_envs=3, vectorization_mode="sync")
    buffer = env.ReplayBuffer(8, env.transition_fields([4]))
    obs, _ = vector.reset(seed=0)
    actions = ember.ones(3, dtype=ember.int64)
    next_obs, rewards, terminated, _, _ = vector.step(actions)
    slots = buffer.add(obs=obs, action=actions, reward=rewards, next_obs=next_obs, done=terminated)
    assert slots == [0, 1, 2]
    stored = buffer.gather(ember.tensor(slots))
    assert ember.equal(stored["next_obs"], next_obs.float())
    assert stored["reward"].tolist() == [1.0, 1.0, 1.0]
    vector.close()
