"""Max unpooling: MaxUnpool1d/2d/3d (PyTorch's reprs, forward equal to the functional form, the
max pool round trip), PyTorch's default and requested output sizes, the gradient as the gather
at the indices, and the bad-input errors naming op and shapes (values: op_db_nn_unpool.py)."""
import numpy as np
import pytest

import ember
from ember import nn

F = nn.functional


def data(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return ember.tensor(rng.uniform(-2, 2, shape), dtype=ember.float64)


@pytest.mark.parametrize("layer, text", [
    (nn.MaxUnpool1d(2), "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))"),
    (nn.MaxUnpool2d(2, stride=1, padding=1),
     "MaxUnpool2d(kernel_size=(2, 2), stride=(1, 1), padding=(1, 1))"),
    (nn.MaxUnpool3d((2, 1, 2)),
     "MaxUnpool3d(kernel_size=(2, 1, 2), stride=(2, 1, 2), padding=(0, 0, 0))"),
])
def test_layer_repr_and_no_parameters(layer, text):
    assert repr(layer) == text
    assert list(layer.parameters()) == []
    assert layer.state_dict() == {}


def test_round_trip_keeps_each_maximum_in_place():
    x = data(2, 3, 6, 5)
    y, indices = nn.MaxPool2d(2, return_indices=True)(x)
    restored = nn.MaxUnpool2d(2)(y, indices, output_size=x.shape)
    assert restored.shape == (2, 3, 6, 5)
    kept = restored.numpy() != 0
    np.testing.assert_array_equal(restored.numpy()[kept], x.numpy()[kept])
    assert kept.reshape(6, -1).sum(axis=1).tolist() == [6] * 6  # one maximum per 2 x 2 window
    np.testing.assert_array_equal(restored.numpy(),
                                  F.max_unpool2d(y, indices, 2, output_size=(6, 5)).numpy())


def test_one_and_three_dims_unbatched_and_empty_batch():
    y, indices = F.max_pool1d(data(3, 8), 2, return_indices=True)
    assert nn.MaxUnpool1d(2)(y, indices).shape == (3, 8)
    y3, indices3 = F.max_pool3d(data(2, 4, 4, 4), 2, return_indices=True)
    assert nn.MaxUnpool3d(2)(y3, indices3).shape == (2, 4, 4, 4)
    empty = ember.zeros(0, 2, 2, 2, dtype=ember.float64)
    assert F.max_unpool2d(empty, ember.zeros(0, 2, 2, 2, dtype=ember.int64), 2).shape == \
        (0, 2, 4, 4)


def test_gradient_is_the_gather_at_the_indices():
    y, indices = F.max_pool2d(data(1, 2, 4, 4), 2, return_indices=True)
    leaf = y.detach().requires_grad_()
    weights = data(1, 2, 4, 4, seed=1)
    (F.max_unpool2d(leaf, indices, 2) * weights).sum().backward()
    expected = np.take_along_axis(weights.numpy().reshape(1, 2, 16),
                                  indices.numpy().reshape(1, 2, 4), axis=2).reshape(1, 2, 2, 2)
    np.testing.assert_array_equal(leaf.grad.numpy(), expected)


Y = ember.ones(1, 1, 2, 2)
INDICES = ember.tensor([[[[0, 2], [10, 12]]]])


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.max_unpool2d(Y, INDICES + 4, 2), RuntimeError,
     r"\[max_unpool2d\] found an invalid max index: 16 \(output volumes are of size 4x4"),
    (lambda: F.max_unpool2d(Y, INDICES - 1, 2), RuntimeError, "invalid max index: -1"),
    (lambda: F.max_unpool2d(Y, INDICES.int(), 2), TypeError,
     r"\[max_unpool2d\] elements in indices should be type int64"),
    (lambda: F.max_unpool2d(Y, INDICES[..., :1], 2), RuntimeError,
     r"indices of the input's shape \[1, 1, 2, 2\]; got indices of shape \[1, 1, 2, 1\]"),
    (lambda: F.max_unpool2d(Y, INDICES, 2, output_size=(6, 6)), ValueError,
     r'invalid output_size "\[6, 6\]" \(dim 0 must be between 2 and 6\)'),
    (lambda: F.max_unpool2d(Y, INDICES, 2, output_size=(4, 4, 4)), ValueError,
     "2 or 4 elements, but it has a length of '3'"),
    (lambda: F.max_unpool3d(Y[0], INDICES[0], 2), RuntimeError,
     r"\[max_unpool3d\] expected a 4-d \(unbatched\) or 5-d \(batched\) input"),
    (lambda: F.max_unpool1d(Y[0, 0], INDICES[0, 0], 2, stride=0), RuntimeError,
     r"\[max_unpool1d\] expected stride greater than zero"),
    (lambda: F.max_unpool2d(Y.long(), INDICES, 2), TypeError, "floating point input"),
])
def test_bad_inputs_raise_naming_op_and_shapes(call, error, message):
    with pytest.raises(error, match=message):
        call()
