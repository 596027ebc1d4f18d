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


# ------------------------------------------------------------ Identity


def test_identity_returns_its_input_and_ignores_arguments():
    layer = nn.Identity(54, unused="x")
    x = ember.randn(3)
    assert layer(x) is x
    assert repr(layer) == "Identity()" and list(layer.parameters()) == []


# ------------------------------------------------------------ Linear


def test_linear_parameters_and_repr():
    layer = nn.Linear(5, 3)
    assert [(n, tuple(p.shape)) for n, p in layer.named_parameters()] == [
        ("weight", (3, 5)), ("bias", (3,))]
    assert all(type(p) is nn.Parameter and p.requires_grad for p in layer.parameters())
    assert repr(layer) == "Linear(in_features=5, out_features=3, bias=True)"
    no_bias = nn.Linear(5, 3, bias=False)
    assert no_bias.bias is None and list(no_bias.state_dict()) == ["weight"]
    assert repr(no_bias) == "Linear(in_features=5, out_features=3, bias=False)"
    assert nn.Linear(2, 2, dtype=ember.float64).weight.dtype == ember.float64


def test_linear_forward_matches_numpy_and_trains():
    layer = nn.Linear(4, 3, dtype=ember.float64)
    x = ember.randn(6, 4, dtype=ember.float64)
    expected = x.numpy() @ layer.weight.detach().numpy().T + layer.bias.detach().numpy()
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-12)
    batched = ember.randn(2, 5, 4, dtype=ember.float64)
    assert layer(batched).shape == (2, 5, 3)
    layer(x).sum().backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), np.tile(x.numpy().sum(0), (3, 1)),
                               rtol=1e-12)
    np.testing.assert_allclose(layer.bias.grad.numpy(), [6.0, 6.0, 6.0])


def test_linear_default_init_range_and_seed():
    ember.manual_seed(3)
    layer = nn.Linear(64, 32)
    bound = 1 / np.sqrt(64)
    weight, bias = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert np.abs(weight).max() <= bound and np.abs(bias).max() <= bound
    assert np.abs(weight).max() > 0.9 * bound  # U(-bound, bound), not a narrower law
    assert abs(weight.std() - bound / np.sqrt(3)) < 0.1 * bound
    ember.manual_seed(3)
    again = nn.Linear(64, 32)
    np.testing.assert_array_equal(again.weight.detach().numpy(), weight)
    np.testing.assert_array_equal(again.bias.detach().numpy(), bias)


def test_linear_reset_parameters_redraws():
    layer = nn.Linear(8, 8)
    before = layer.weight.detach().numpy().copy()
    weight = layer.weight
    layer.reset_parameters()
    assert layer.weight is weight  # in place
    assert not np.array_equal(before, layer.weight.detach().numpy())


def test_linear_shape_error_names_the_shapes():
    with pytest.raises(Exception, match="4"):
        nn.Linear(4, 2)(ember.ones(3, 5))


def test_mlp_of_linear_layers_state_dict_keys():
    model = nn.Sequential(nn.Linear(4, 8), nn.Flatten(), nn.Linear(8, 2))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=8, bias=True)\n"
        "  (1): Flatten(start_dim=1, end_dim=-1)\n"
        "  (2): Linear(in_features=8, out_features=2, bias=True)\n"
        ")")
    assert model(ember.ones(3, 4)).shape == (3, 2)


# ------------------------------------------------------------ Bilinear


def test_bilinear_parameters_repr_and_forward():
    layer = nn.Bilinear(3, 4, 2, dtype=ember.float64)
    assert [(n, tuple(p.shape)) for n, p in layer.named_parameters()] == [
        ("weight", (2, 3, 4)), ("bias", (2,))]
    assert repr(layer) == "Bilinear(in1_features=3, in2_features=4, out_features=2, bias=True)"
    x1 = ember.randn(5, 3, dtype=ember.float64)
    x2 = ember.randn(5, 4, dtype=ember.float64)
    weight, bias = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    expected = np.einsum("bi,oij,bj->bo", x1.numpy(), weight, x2.numpy()) + bias
    np.testing.assert_allclose(layer(x1, x2).detach().numpy(), expected, rtol=1e-12)
    bound = 1 / np.sqrt(3)
    assert np.abs(weight).max() <= bound and np.abs(bias).max() <= bound
    assert nn.Bilinear(3, 4, 2, bias=False).bias is None
