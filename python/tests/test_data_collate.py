"""default_collate and default_convert: PyTorch's rules for tensors, NumPy arrays and scalars,
numbers, strings, dicts, namedtuples and nested sequences."""
import collections

import numpy as np
import pytest
from ember.utils.data import default_collate, default_convert

import ember

Point = collections.namedtuple("Point", ["x", "y"])


def test_tensors_stack_along_a_new_first_dimension():
    batch = default_collate([ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0])])
    assert batch.shape == (2, 2) and batch.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_numpy_arrays_and_scalars_become_tensors():
    batch = default_collate([np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)])
    assert isinstance(batch, ember.Tensor) and batch.dtype == ember.int32
    assert batch.tolist() == [[1, 2], [3, 4]]
    scalars = default_collate([np.float32(1.5), np.float32(2.5)])
    assert scalars.dtype == ember.float32 and scalars.tolist() == [1.5, 2.5]


def test_numbers():
    floats = default_collate([1.0, 2.5])
    assert floats.dtype == ember.float64 and floats.tolist() == [1.0, 2.5]
    ints = default_collate([1, 2])
    assert ints.dtype == ember.int64 and ints.tolist() == [1, 2]
    bools = default_collate([True, False])
    assert bools.dtype == ember.bool


def test_strings_stay_a_list():
    assert default_collate(["a", "b"]) == ["a", "b"]
    assert default_collate([b"a", b"b"]) == [b"a", b"b"]


def test_dicts_namedtuples_and_sequences_collate_field_by_field():
    batch = default_collate([{"x": 1, "y": "a"}, {"x": 2, "y": "b"}])
    assert batch["x"].tolist() == [1, 2] and batch["y"] == ["a", "b"]
    ordered = default_collate([collections.OrderedDict(a=1.0), collections.OrderedDict(a=2.0)])
    assert isinstance(ordered, collections.OrderedDict)
    points = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(points, Point) and points.x.tolist() == [1, 3]
    # Tuples collate to lists, lists keep their type, nesting recurses.
    nested = default_collate([(ember.zeros(2), [1, 2]), (ember.ones(2), [3, 4])])
    assert isinstance(nested, list) and nested[0].shape == (2, 2)
    assert [part.tolist() for part in nested[1]] == [[1, 3], [2, 4]]


def test_collate_errors():
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
        default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors"):
        default_collate([object(), object()])
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors"):
        default_collate([np.array(["a"]), np.array(["b"])])


def test_default_convert():
    array = np.arange(3.0)
    converted = default_convert(array)
    assert isinstance(converted, ember.Tensor) and converted.tolist() == [0.0, 1.0, 2.0]
    tensor = ember.zeros(2)
    assert default_convert(tensor) is tensor
    assert default_convert(np.int64(4)).item() == 4
    mixed = default_convert({"a": np.zeros(1), "b": (np.ones(1), "s"), "c": Point(np.ones(1), 2)})
    assert isinstance(mixed["a"], ember.Tensor) and isinstance(mixed["b"], list)
    assert mixed["b"][1] == "s" and isinstance(mixed["c"], Point)
    strings = np.array(["a", "b"])
    assert default_convert(strings) is strings
    assert default_convert("text") == "text" and default_convert(3) == 3
