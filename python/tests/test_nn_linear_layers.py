"""Identity, Linear, Bilinear, Flatten and Unflatten: PyTorch's parameter names, shapes, default
initialisation ranges, printed settings and outputs (checked against NumPy)."""
import numpy as np
import pytest

import ember
from ember import nn

# ------------------------------------------------------------ Flatten, Unflatten


def test_flatten_defaults_keep_the_batch_dimension():
    x = ember.arange(24.0).reshape(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    assert nn.Flatten(start_dim=-2)(x).shape == (2, 12)
    np.testing.assert_array_equal(nn.Flatten()(x).numpy(), x.numpy().reshape(2, 12))
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    assert list(nn.Flatten().state_dict()) == []


def test_flatten_backward():
    x = ember.ones(2, 3, requires_grad=True)
    (nn.Flatten(0)(x) * ember.arange(6.0)).sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_unflatten():
    x = ember.arange(24.0).reshape(2, 12)
    layer = nn.Unflatten(1, (3, 4))
    assert layer(x).shape == (2, 3, 4)
    assert nn.Unflatten(-1, [2, -1])(x).shape == (2, 2, 6)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy().reshape(2, 3, 4))
    assert repr(layer) == "Unflatten(dim=1, unflattened_size=(3, 4))"
    seq = nn.Sequential(nn.Flatten(), nn.Unflatten(1, (3, 4)))
    assert seq(ember.ones(5, 3, 4)).shape == (5, 3, 4)


def test_unflatten_argument_errors():
    with pytest.raises(TypeError, match="invalid argument type for dim parameter"):
        nn.Unflatten(1.5, (2, 2))
    with pytest.raises(TypeError, match="must be a tuple of ints, but found type int"):
        nn.Unflatten(1, 4)
    with pytest.raises(TypeError, match="found element of type float at pos 1"):
        nn.Unflatten(1, (2, 2.0))
    with pytest.raises(Exception, match="unflatten"):
        nn.Unflatten(1, (5, 5))(ember.ones(2, 12))
