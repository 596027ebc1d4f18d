"""nn.utils: clip_grad_norm_ / clip_grad_value_, parameters_to_vector / vector_to_parameters,
weight_norm and spectral_norm, against hand-derived values; their state_dict keys, hooks, eval
mode and bad-input errors."""
import math

import numpy as np
import pytest

import ember
from ember import nn

utils = nn.utils


def with_grads(*grads):
    """Leaf parameters whose .grad holds the given values (None: no gradient)."""
    parameters = []
    for grad in grads:
        values = np.zeros(1) if grad is None else np.asarray(grad, dtype=np.float64)
        parameter = nn.Parameter(ember.zeros(values.shape, dtype=ember.float64))
        if grad is not None:
            (parameter * ember.tensor(values)).sum().backward()
        parameters.append(parameter)
    return parameters


def grad_values(parameter):
    return parameter.grad.numpy()


def test_clip_grad_norm_scales_by_max_norm_over_total():
    # total 2-norm sqrt(3^2 + 4^2 + 12^2) = 13; 6.5 / (13 + 1e-6) halves every gradient
    first, second, without = with_grads([3.0, 4.0], [[12.0]], None)
    total = utils.clip_grad_norm_([first, second, without], 6.5)
    assert total.item() == pytest.approx(13.0)
    assert total.dtype == ember.float64
    coefficient = 6.5 / (13.0 + 1e-6)
    np.testing.assert_allclose(grad_values(first), np.array([3.0, 4.0]) * coefficient)
    np.testing.assert_allclose(grad_values(second), [[12.0 * coefficient]])
    assert without.grad is None


def test_clip_grad_norm_other_orders_and_no_clipping_below_max():
    parameters = with_grads([3.0, -4.0], [-12.0])
    assert utils.clip_grad_norm_(parameters, 100.0, norm_type=1).item() == pytest.approx(19.0)
    np.testing.assert_array_equal(grad_values(parameters[0]), [3.0, -4.0])  # coefficient 1
    assert utils.clip_grad_norm_(parameters, 100.0, norm_type=math.inf).item() == 12.0
    assert utils.clip_grad_norm_(parameters, 100.0, norm_type="inf").item() == 12.0
    total = utils.clip_grad_norm_(parameters, 6.0, norm_type=math.inf)
    assert total.item() == 12.0
    np.testing.assert_allclose(grad_values(parameters[1]), [-12.0 * 6.0 / (12.0 + 1e-6)])


def test_clip_grad_norm_single_tensor_and_no_gradients():
    (parameter,) = with_grads([0.0, 5.0])
    assert utils.clip_grad_norm_(parameter, 1.0).item() == pytest.approx(5.0)
    np.testing.assert_allclose(grad_values(parameter), [0.0, 5.0 / (5.0 + 1e-6)])
    total = utils.clip_grad_norm_(with_grads(None), 1.0)
    assert total.item() == 0.0 and total.dtype == ember.float32
    with pytest.warns(UserWarning, match="deprecated"):
        utils.clip_grad_norm(with_grads([1.0]), 1.0)


def test_clip_grad_norm_non_finite():
    parameters = with_grads([1.0, math.nan])
    with pytest.raises(RuntimeError, match=r"\[clip_grad_norm_\] The total norm of order 2"):
        utils.clip_grad_norm_(parameters, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(np.isnan(grad_values(parameters[0])), [False, True])
    assert math.isnan(utils.clip_grad_norm_(parameters, 1.0).item())
    assert np.isnan(grad_values(parameters[0])).all()


def test_clip_grad_value():
    first, second = with_grads([-3.0, 0.5, 2.0], [[0.25, -0.75]])
    assert utils.clip_grad_value_([first, second], 0.5) is None
    np.testing.assert_array_equal(grad_values(first), [-0.5, 0.5, 0.5])
    np.testing.assert_array_equal(grad_values(second), [[0.25, -0.5]])
    utils.clip_grad_value_(first, 0.1)
    np.testing.assert_array_equal(grad_values(first), [-0.1, 0.1, 0.1])


def test_clip_grad_value_writes_in_place_and_keeps_nan():
    (parameter,) = with_grads([-3.0, math.nan, 2.0])
    grad = parameter.grad
    pointer = grad.data_ptr()
    utils.clip_grad_value_(parameter, 1.0)
    assert parameter.grad is grad and grad.data_ptr() == pointer
    np.testing.assert_array_equal(grad_values(parameter), [-1.0, math.nan, 1.0])


def test_parameters_to_vector_and_back():
    layer = nn.Linear(3, 2)
    vector = utils.parameters_to_vector(layer.parameters())
    expected = np.concatenate([layer.weight.detach().numpy().ravel(), layer.bias.detach().numpy()])
    np.testing.assert_array_equal(vector.detach().numpy(), expected)
    vector.sum().backward()  # a cat of views: the gradient reaches every parameter
    np.testing.assert_array_equal(layer.weight.grad.numpy(), np.ones((2, 3), dtype=np.float32))
    weight = layer.weight
    utils.vector_to_parameters(ember.arange(8.0), layer.parameters())
    assert layer.weight is weight and layer.weight.requires_grad
    np.testing.assert_array_equal(layer.weight.detach().numpy(), [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(layer.bias.detach().numpy(), [6, 7])
    # Each parameter is a view of vec, as in PyTorch: nothing is copied.
    vec = ember.arange(8.0)
    utils.vector_to_parameters(vec, layer.parameters())
    assert layer.weight.data_ptr() == vec.data_ptr()
    vec.fill_(2.0)
    np.testing.assert_array_equal(layer.bias.detach().numpy(), [2, 2])


def test_vector_to_parameters_errors():
    layer = nn.Linear(3, 2)
    with pytest.raises(ValueError, match=r"\[vector_to_parameters\] vec has 7 elements but the 2 "
                                         r"parameters hold 8"):
        utils.vector_to_parameters(ember.zeros(7), layer.parameters())
    with pytest.raises(ValueError, match="expected a 1-D vec; got shape"):
        utils.vector_to_parameters(ember.zeros(2, 4), layer.parameters())
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        utils.vector_to_parameters([0.0] * 8, layer.parameters())
    with pytest.raises(ValueError, match=r"\[parameters_to_vector\] expected at least one"):
        utils.parameters_to_vector([])


def linear_with_weight(values):
    values = np.asarray(values, dtype=np.float32)
    layer = nn.Linear(values.shape[1], values.shape[0])
    with ember.no_grad():
        layer.weight.copy_(ember.tensor(values))
    return layer


def test_weight_norm_splits_and_recomputes_the_weight():
    layer = utils.weight_norm(linear_with_weight([[3.0, 4.0, 0.0], [0.0, 0.0, 5.0]]))
    assert list(layer.state_dict()) == ["bias", "weight_g", "weight_v"]
    assert [name for name, _ in layer.named_parameters()] == ["bias", "weight_g", "weight_v"]
    np.testing.assert_allclose(layer.weight_g.detach().numpy(), [[5.0], [5.0]])
    with ember.no_grad():
        layer.weight_g.copy_(ember.tensor([[10.0], [1.0]]))
    x = ember.tensor([[1.0, 1.0, 1.0]])
    y = layer(x)  # the pre-hook rebuilds weight = g * v / ||v|| first
    np.testing.assert_allclose(layer.weight.detach().numpy(), [[6, 8, 0], [0, 0, 1]], rtol=1e-6)
    np.testing.assert_allclose(y.detach().numpy(), [[14.0, 1.0]] + layer.bias.detach().numpy(),
                               rtol=1e-6)
    y.sum().backward()
    # d sum(y) / d g_i = sum_j x_j v_ij / ||v_i||: (3 + 4) / 5 and 5 / 5
    np.testing.assert_allclose(layer.weight_g.grad.numpy(), [[1.4], [1.0]], rtol=1e-6)
    utils.remove_weight_norm(layer)
    assert list(layer.state_dict()) == ["bias", "weight"]
    assert isinstance(layer.weight, nn.Parameter)
    np.testing.assert_allclose(layer.weight.detach().numpy(), [[6, 8, 0], [0, 0, 1]], rtol=1e-6)


def test_weight_norm_dims_and_errors():
    layer = utils.weight_norm(linear_with_weight([[3.0, 0.0], [4.0, 0.0]]), dim=1)
    np.testing.assert_allclose(layer.weight_g.detach().numpy(), [[5.0, 0.0]])
    whole = utils.weight_norm(linear_with_weight([[1.0, 2.0], [2.0, 4.0]]), dim=None)
    assert whole.weight_g.shape == ()
    assert whole.weight_g.item() == pytest.approx(5.0)
    with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks"):
        utils.weight_norm(whole)
    with pytest.raises(ValueError, match="weight_norm of 'bias' not found"):
        utils.remove_weight_norm(whole, "bias")


def test_weight_norm_op_errors():
    with pytest.raises(TypeError, match=r"\[_weight_norm\] expected a floating-point v"):
        ember._weight_norm(ember.ones(2, 2, dtype=ember.int64), ember.ones(2, 1))
    with pytest.raises(ValueError, match=r"\[_weight_norm\] g must hold one magnitude per slice"):
        ember._weight_norm(ember.ones(3, 2), ember.ones(2, 1), 0)
    with pytest.raises(TypeError, match="same dtype"):
        ember._weight_norm(ember.ones(3, 2), ember.ones(3, 1, dtype=ember.float64))
    with pytest.raises(IndexError, match=r"\[norm_except_dim\] dim must be -1 or in \[0, 2\)"):
        ember.norm_except_dim(ember.ones(3, 2), 2, 2)


def test_spectral_norm_converges_to_unit_spectral_norm():
    ember.manual_seed(0)
    layer = utils.spectral_norm(linear_with_weight([[3.0, 0.0], [0.0, 1.0]]))
    assert list(layer.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    assert [name for name, _ in layer.named_parameters()] == ["bias", "weight_orig"]
    assert layer.weight_u.shape == (2,) and layer.weight_v.shape == (2,)
    np.testing.assert_allclose(np.linalg.norm(layer.weight_u.numpy()), 1.0, rtol=1e-6)
    x = ember.ones(1, 2)
    for _ in range(30):
        layer(x)
    # sigma -> 3 (the largest singular value), so weight -> diag(1, 1/3)
    np.testing.assert_allclose(layer.weight.detach().numpy(), [[1.0, 0.0], [0.0, 1.0 / 3.0]],
                               atol=1e-5)
    np.testing.assert_allclose(np.abs(layer.weight_u.numpy()), [1.0, 0.0], atol=1e-5)
    layer(x).sum().backward()
    assert layer.weight_orig.grad is not None
    layer.eval()
    u_before = layer.weight_u.clone()
    with ember.no_grad():
        layer.weight_orig.copy_(ember.tensor([[0.0, 2.0], [2.0, 0.0]]))
    layer(x)  # eval: u and v stay; sigma = u . (W v) with the stored vectors
    np.testing.assert_array_equal(layer.weight_u.numpy(), u_before.numpy())
    utils.remove_spectral_norm(layer)
    assert list(layer.state_dict()) == ["bias", "weight"]
    assert isinstance(layer.weight, nn.Parameter)


def test_spectral_norm_options_and_errors():
    layer = utils.spectral_norm(nn.Linear(5, 3), n_power_iterations=2, dim=1)
    assert layer.weight_u.shape == (5,) and layer.weight_v.shape == (3,)
    with pytest.raises(RuntimeError, match="Cannot register two spectral_norm hooks"):
        utils.spectral_norm(layer)
    with pytest.raises(ValueError, match="Expected n_power_iterations to be positive"):
        utils.spectral_norm(nn.Linear(2, 2), n_power_iterations=0)
    with pytest.raises(ValueError, match="spectral_norm of 'weight' not found"):
        utils.remove_spectral_norm(nn.Linear(2, 2))
    with pytest.raises(ValueError, match=r"\[spectral_norm\] expected u of shape \(3\)"):
        ember._C._nn._spectral_norm(ember.ones(3, 2), ember.ones(2), ember.ones(2), 0, 1, 1e-12,
                                    True)


def test_spectral_norm_step_gradients():
    """weight / (u . W v) with u, v held fixed (no power iteration): first and second order."""
    rng = np.random.default_rng(0)
    u = ember.tensor(rng.normal(size=3))
    v = ember.tensor(rng.normal(size=4))

    def step(weight):
        return ember._C._nn._spectral_norm(weight, u, v, 0, 1, 1e-12, False)

    weight = ember.tensor(rng.normal(size=(3, 2, 2)), requires_grad=True)
    assert ember.autograd.gradcheck(step, (weight,))
    assert ember.autograd.gradgradcheck(step, (weight,))
    clipped = ember.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    assert ember.autograd.gradcheck(
        lambda w: ember._C._nn._spectral_norm(w, ember.ones(3, dtype=ember.float64) / 3 ** 0.5,
                                              ember.ones(2, dtype=ember.float64) / 2 ** 0.5, 1, 1,
                                              1e-12, False),
        (clipped,))
    with pytest.raises(TypeError, match=r"\[spectral_norm\] expected u and v of the weight's"):
        ember._C._nn._spectral_norm(clipped, ember.ones(3), ember.ones(2), 1, 1, 1e-12, False)
