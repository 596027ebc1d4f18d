"""ember.env.vector.utils (batch_space, create_empty_array, concatenate, iterate) against
Gymnasium 1.4's gymnasium.vector.utils, for every space kind including Tuple and Dict, and its
bad input."""
import gymnasium
import numpy as np
import pytest
from ember.env.gymnasium_adapter import space_to_gymnasium
from ember.env.vector import utils

import ember
from ember.env import spaces


def nested_spaces():
    return [
        spaces.Box(-1.0, 2.0, (3,)),
        spaces.Box(ember.tensor([0, -5]), ember.tensor([3, 5]), dtype=ember.int64),
        spaces.Discrete(5, start=2),
        spaces.MultiDiscrete([3, 4], start=[1, -2]),
        spaces.MultiBinary([2, 3]),
        spaces.Tuple([spaces.Discrete(3), spaces.Box(0.0, 1.0, (2,))]),
        spaces.Dict({"velocity": spaces.Box(-1.0, 1.0, (2,)), "mode": spaces.MultiBinary(4),
                     "inner": spaces.Tuple([spaces.MultiDiscrete([2, 2])])}),
    ]


@pytest.mark.parametrize("space", nested_spaces(), ids=repr)
def test_batch_space_is_gymnasiums(space):
    batched = utils.batch_space(space, 4)
    expected = gymnasium.vector.utils.batch_space(space_to_gymnasium(space), 4)
    assert space_to_gymnasium(batched) == expected


def to_numpy(value):
    if isinstance(value, tuple):
        return tuple(to_numpy(v) for v in value)
    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    if isinstance(value, ember.Tensor):
        return value.numpy()
    return np.asarray(value)


def assert_same(ours, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same(o, t)
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs)
        for key in theirs:
            assert_same(ours[key], theirs[key])
    else:
        ours = to_numpy(ours)
        assert ours.dtype == np.asarray(theirs).dtype
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("space", nested_spaces(), ids=repr)
def test_concatenate_and_iterate_round_trip_as_gymnasiums(space):
    space.seed(7)
    items = [space.sample() for _ in range(3)]
    out = utils.create_empty_array(space, 3)
    gym_space = space_to_gymnasium(space)
    assert_same(out, gymnasium.vector.utils.create_empty_array(gym_space, 3, fn=np.zeros))
    batch = utils.concatenate(space, items, out)
    assert batch is out or isinstance(batch, (tuple, dict))
    gym_items = [to_numpy(item) for item in items]
    gym_out = gymnasium.vector.utils.create_empty_array(gym_space, 3, fn=np.zeros)
    expected = gymnasium.vector.utils.concatenate(gym_space, gym_items, gym_out)
    assert_same(batch, expected)
    batched = utils.batch_space(space, 3)
    for ours, item in zip(utils.iterate(batched, batch), gym_items):
        assert_same(ours, item)
    assert len(list(utils.iterate(batched, batch))) == 3


def test_bad_inputs_are_typed():
    with pytest.raises(ValueError, match=r"\[batch_space\] expected n >= 1"):
        utils.batch_space(spaces.Discrete(3), 0)
    with pytest.raises(TypeError):
        utils.batch_space("Box", 2)
    with pytest.raises(TypeError, match=r"\[iterate\] expected a batched space"):
        utils.iterate(spaces.Discrete(3), ember.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"\[create_empty_array\] expected an ember"):
        utils.create_empty_array(np.zeros(3), 2)
    with pytest.raises(ValueError, match=r"\[concatenate\] expected 2 items"):
        utils.concatenate(spaces.Discrete(3), [1, 2, 0], ember.zeros(2, dtype=ember.int64))


def test_utils_import_as_gymnasiums_path():
    from ember.env.vector.utils import batch_space, concatenate, iterate

    assert batch_space is utils.batch_space
    assert (concatenate, iterate) == (utils.concatenate, utils.iterate)


@pytest.mark.parametrize("space", nested_spaces(), ids=repr)
def test_a_batch_samples_from_a_copy_of_its_spaces_generator(space):
    theirs = space_to_gymnasium(space)
    space.seed(7)
    theirs.seed(7)
    batched = utils.batch_space(space, 3)
    expected = gymnasium.vector.utils.batch_space(theirs, 3)
    for _ in range(2):
        assert_same(batched.sample(), expected.sample())
    # A copy: sampling the batch leaves the space's own generator where it was.
    assert_same(space.sample(), theirs.sample())
