"""copy.copy, copy.deepcopy and pickle of tensors and nn.Parameter (PyTorch's semantics):
copy.copy shares data; deepcopy copies data, dtype, shape, strides, requires_grad, .grad, class
and attributes, one copy per tensor within one deepcopy, and refuses non-leaves; pickle round
trips values, dtype, shape, requires_grad, class and attributes."""
import copy
import pickle

import numpy as np
import pytest

import ember
from ember import nn

DTYPES = [ember.float32, ember.float64, ember.float16, ember.bfloat16, ember.int64, ember.int32,
          ember.int16, ember.int8, ember.uint8, ember.bool]


def sample(dtype):
    values = ember.arange(6, dtype=ember.float64).reshape(2, 3)
    return (values > 2) if dtype == ember.bool else values.to(dtype)


def same_values(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(
        a.detach().double().numpy(), b.detach().double().numpy())


class Tagged(ember.Tensor):
    def __new__(cls, data):
        return ember.Tensor._make_subclass(cls, data)


# ------------------------------------------------------------ copy.copy


def test_copy_shares_data_and_keeps_class_requires_grad_and_attributes():
    p = nn.Parameter(ember.ones(3))
    p.note = "kept"
    c = copy.copy(p)
    assert type(c) is nn.Parameter and c is not p
    assert c.requires_grad and c.is_leaf and c.note == "kept"
    with ember.no_grad():
        c[0] = 5.0
    assert p[0].item() == 5.0  # shares the data, as PyTorch's copy.copy


def test_copy_of_plain_tensor():
    t = ember.arange(4.0)
    c = copy.copy(t)
    assert type(c) is ember.Tensor and c is not t and not c.requires_grad
    assert c.data_ptr() == t.data_ptr()


# ------------------------------------------------------------ copy.deepcopy


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_deepcopy_copies_values_and_dtype(dtype):
    t = sample(dtype)
    c = copy.deepcopy(t)
    assert same_values(c, t) and c.data_ptr() != t.data_ptr()


def test_deepcopy_is_independent():
    t = ember.zeros(2, 2)
    c = copy.deepcopy(t)
    c.fill_(1.0)
    assert t.sum().item() == 0.0


def test_deepcopy_keeps_strides_of_dense_tensor():
    t = ember.arange(6.0).reshape(2, 3).t()  # dense, not contiguous
    c = copy.deepcopy(t)
    assert c.stride() == t.stride() and same_values(c, t)


def test_deepcopy_of_strided_view_copies_its_values():
    t = ember.arange(12.0).reshape(3, 4)[:, ::2]
    c = copy.deepcopy(t)
    assert same_values(c, t)


def test_deepcopy_keeps_requires_grad_grad_and_attributes():
    t = ember.ones(3, requires_grad=True)
    (t * 2).sum().backward()
    t.tag = {"epoch": 3}
    c = copy.deepcopy(t)
    assert c.requires_grad and c.is_leaf
    assert same_values(c.grad, t.grad) and c.grad is not t.grad
    assert c.tag == {"epoch": 3} and c.tag is not t.tag
    c.grad.zero_()
    assert t.grad.sum().item() == 6.0


def test_deepcopy_of_parameter_keeps_class_and_attributes():
    p = nn.Parameter(ember.randn(2, 3))
    p.frozen_at = 7
    c = copy.deepcopy(p)
    assert type(c) is nn.Parameter and c.requires_grad and c.frozen_at == 7
    assert same_values(c, p)
    q = nn.Parameter(ember.ones(2), requires_grad=False)
    assert not copy.deepcopy(q).requires_grad


def test_deepcopy_keeps_a_user_subclass():
    t = Tagged(ember.ones(2))
    assert type(copy.deepcopy(t)) is Tagged


def test_deepcopy_maps_one_tensor_to_one_copy():
    t = ember.ones(3)
    copied = copy.deepcopy({"a": t, "b": [t, t]})
    assert copied["a"] is copied["b"][0] is copied["b"][1]
    assert copied["a"] is not t


def test_deepcopy_of_non_leaf_raises():
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(y)


def test_deepcopy_does_not_copy_the_grad_keep_alive_entry():
    p = nn.Parameter(ember.ones(2))
    p.sum().backward()
    p.grad = None
    c = copy.deepcopy(p)
    assert c.grad is None and "_ember_grad" not in c.__dict__


# ------------------------------------------------------------ pickle


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_pickle_round_trips_values_and_dtype(dtype):
    t = sample(dtype)
    loaded = pickle.loads(pickle.dumps(t))
    assert type(loaded) is ember.Tensor and same_values(loaded, t)


def test_pickle_of_non_contiguous_and_scalar_tensors():
    t = ember.arange(12.0).reshape(3, 4).t()[1:]
    assert same_values(pickle.loads(pickle.dumps(t)), t)
    s = ember.tensor(2.5)
    loaded = pickle.loads(pickle.dumps(s))
    assert loaded.shape == () and loaded.item() == 2.5


def test_pickle_keeps_requires_grad():
    t = ember.ones(2, requires_grad=True)
    loaded = pickle.loads(pickle.dumps(t))
    assert loaded.requires_grad and loaded.is_leaf


def test_pickle_of_non_leaf_gives_a_leaf_with_its_values():
    x = ember.ones(2, requires_grad=True)
    loaded = pickle.loads(pickle.dumps(x * 3))
    assert loaded.is_leaf and loaded.requires_grad and loaded.tolist() == [3.0, 3.0]


def test_pickle_keeps_parameter_class_requires_grad_and_attributes():
    p = nn.Parameter(ember.randn(3, 2))
    p.role = "weight"
    loaded = pickle.loads(pickle.dumps(p))
    assert type(loaded) is nn.Parameter and loaded.requires_grad and loaded.role == "weight"
    assert same_values(loaded, p)
    frozen = pickle.loads(pickle.dumps(nn.Parameter(ember.ones(1), requires_grad=False)))
    assert type(frozen) is nn.Parameter and not frozen.requires_grad


def test_pickle_of_containers_of_tensors():
    data = {"w": ember.ones(2, 2), "steps": [ember.tensor([1, 2])]}
    loaded = pickle.loads(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    assert same_values(loaded["w"], data["w"]) and same_values(loaded["steps"][0],
                                                               data["steps"][0])
