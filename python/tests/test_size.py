"""ember.Size behaves as torch.Size: a tuple subclass that every shape-returning API returns and
every shape-taking API accepts."""
import pickle

import numpy as np
import pytest

import ember
from ember import Size


def test_shape_apis_return_size():
    t = ember.zeros(2, 3, 4)
    for shape in (t.shape, t.size(), t[0].shape, t.mT.shape):
        assert type(shape) is Size
    assert t.size() == (2, 3, 4)
    assert t.size(1) == 3 and type(t.size(1)) is int
    assert type(ember.tensor(1.0).shape) is Size and ember.tensor(1.0).shape == ()


def test_size_is_a_tuple():
    size = Size([2, 3])
    assert isinstance(size, tuple)
    assert size == (2, 3)
    assert (2, 3) == size  # noqa: SIM300  (tuple's side of the comparison)
    assert hash(size) == hash((2, 3))
    assert list(size) == [2, 3] and len(size) == 2
    a, b = size
    assert (a, b) == (2, 3)
    assert size.index(3) == 1 and size.count(2) == 1
    assert size != [2, 3]  # as a tuple, not equal to a list


def test_slicing_concatenation_and_repetition_stay_size():
    size = Size([2, 3, 4])
    assert type(size[1:]) is Size and size[1:] == (3, 4)
    assert type(size[::2]) is Size
    assert type(size[0]) is int
    assert type(size + Size([5])) is Size and size + Size([5]) == (2, 3, 4, 5)
    assert type(size + (5,)) is Size
    assert type((5,) + size) is tuple  # tuple.__add__ answers first, as with torch.Size
    assert type(size * 2) is Size and type(2 * size) is Size
    with pytest.raises(TypeError):
        size + [5]


def test_repr_and_numel():
    assert repr(Size([2, 3])) == "ember.Size([2, 3])"
    assert str(Size([2])) == "ember.Size([2])"
    assert repr(Size()) == "ember.Size([])"
    assert Size([2, 3, 4]).numel() == 24
    assert Size([]).numel() == 1
    assert Size([3, 0]).numel() == 0
    assert ember.zeros(5, 6).shape.numel() == 30


def test_construction_checks_items():
    assert Size((2, np.int64(3), ember.tensor(4))) == (2, 3, 4)
    with pytest.raises(TypeError, match=r"ember.Size\(\) takes an iterable of 'int' \(item 0 is "
                                        r"'float'\)"):
        Size([2.5])
    with pytest.raises(TypeError):
        Size(3)


def test_pickle_round_trip():
    size = Size([2, 3])
    loaded = pickle.loads(pickle.dumps(size))
    assert type(loaded) is Size and loaded == size


SIZE = Size([2, 3])


@pytest.mark.parametrize("make", [
    lambda: ember.zeros(SIZE), lambda: ember.ones(SIZE), lambda: ember.empty(SIZE),
    lambda: ember.rand(SIZE), lambda: ember.randn(SIZE), lambda: ember.zeros(size=SIZE),
    lambda: ember.full(SIZE, 1.5), lambda: ember.randint(0, 5, SIZE),
    lambda: ember.normal(0.0, 1.0, SIZE), lambda: ember.arange(6).reshape(SIZE),
    lambda: ember.arange(6).view(SIZE), lambda: ember.reshape(ember.arange(6), SIZE),
    lambda: ember.ones(3).expand(SIZE), lambda: ember.ones(3).broadcast_to(SIZE),
    lambda: ember.broadcast_to(ember.ones(3), SIZE), lambda: ember.ones(6).unflatten(0, SIZE),
    lambda: ember.arange(6).as_strided(SIZE, (3, 1)),
    lambda: ember.zeros(3, 2).permute(Size([1, 0])),
    lambda: ember.FloatTensor(SIZE),
])
def test_shape_arguments_accept_size(make):
    result = make()
    assert result.shape == SIZE
    assert type(result.shape) is Size


def test_the_shape_of_one_tensor_builds_another():
    a = ember.rand(4, 5)
    assert ember.zeros(a.shape).shape == a.shape
    assert ember.ones(a.shape[1:]).shape == (5,)
    assert ember.empty(a.shape + (2,)).shape == (4, 5, 2)
