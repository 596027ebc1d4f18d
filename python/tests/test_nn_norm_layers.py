"""Normalization layers (LayerNorm, GroupNorm, BatchNorm1d/2d/3d, InstanceNorm1d/2d) and the
bad-input errors of F.layer_norm / batch_norm / group_norm: parameter and buffer names, shapes
and defaults as PyTorch's, running statistics in training and eval mode, and the messages."""
import numpy as np
import pytest

import ember
from ember import nn

F = nn.functional


def data(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return ember.tensor(rng.uniform(-2, 2, shape), dtype=ember.float64)


def test_layer_norm_parameters_and_forward():
    layer = nn.LayerNorm(4)
    assert layer.normalized_shape == (4,)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    np.testing.assert_array_equal(layer.weight.detach().numpy(), np.ones(4, dtype=np.float32))
    x = data(3, 4).float()
    expected = F.layer_norm(x, (4,))
    np.testing.assert_allclose(layer(x).detach().numpy(), expected.numpy(), rtol=1e-6)
    assert nn.LayerNorm((2, 3), bias=False).bias is None
    assert nn.LayerNorm(3, elementwise_affine=False).weight is None
    assert "elementwise_affine=True" in repr(layer)


def test_group_norm_layer():
    layer = nn.GroupNorm(2, 4)
    assert list(layer.state_dict()) == ["weight", "bias"]
    x = data(2, 4, 3).float()
    np.testing.assert_allclose(layer(x).detach().numpy(), F.group_norm(x, 2).numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        nn.GroupNorm(3, 4)


def test_batch_norm_state_dict_and_running_stats():
    layer = nn.BatchNorm1d(3).double()
    assert list(layer.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                        "num_batches_tracked"]
    assert layer.num_batches_tracked.dtype == ember.int64
    x = data(5, 3)
    out = layer(x)
    xs = x.numpy()
    np.testing.assert_allclose(out.detach().numpy(),
                               (xs - xs.mean(0)) / np.sqrt(xs.var(0) + 1e-5), rtol=1e-7,
                               atol=1e-7)
    np.testing.assert_allclose(layer.running_mean.numpy(), 0.1 * xs.mean(0), rtol=1e-10)
    np.testing.assert_allclose(layer.running_var.numpy(), 0.9 + 0.1 * xs.var(0, ddof=1),
                               rtol=1e-10)
    assert layer.num_batches_tracked.item() == 1
    layer.eval()
    expected = (xs - layer.running_mean.numpy()) / np.sqrt(layer.running_var.numpy() + 1e-5)
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-7, atol=1e-7)
    assert layer.num_batches_tracked.item() == 1
    layer.reset_running_stats()
    assert layer.num_batches_tracked.item() == 0
    np.testing.assert_array_equal(layer.running_var.numpy(), np.ones(3))


def test_batch_norm_cumulative_average_and_no_stats():
    layer = nn.BatchNorm2d(2, momentum=None).double()
    first, second = data(3, 2, 2, 2, seed=1), data(3, 2, 2, 2, seed=2)
    layer(first)
    layer(second)
    means = [t.numpy().mean(axis=(0, 2, 3)) for t in (first, second)]
    np.testing.assert_allclose(layer.running_mean.numpy(), (means[0] + means[1]) / 2,
                               rtol=1e-10)
    untracked = nn.BatchNorm3d(2, track_running_stats=False, affine=False)
    assert untracked.running_mean is None and list(untracked.state_dict()) == []
    untracked.eval()
    assert untracked(data(2, 2, 2, 2, 2).float()).shape == (2, 2, 2, 2, 2)


@pytest.mark.parametrize("layer, shape, message", [
    (nn.BatchNorm1d(3), (2, 3, 4, 5), "expected 2D or 3D input (got 4D input)"),
    (nn.BatchNorm2d(3), (2, 3), "expected 4D input (got 2D input)"),
    (nn.BatchNorm3d(3), (2, 3, 4), "expected 5D input (got 3D input)"),
    (nn.InstanceNorm1d(3), (3,), "expected 2D or 3D input (got 1D input)"),
    (nn.InstanceNorm2d(3), (3, 4), "expected 3D or 4D input (got 2D input)"),
])
def test_input_dim_checks(layer, shape, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        layer(ember.zeros(shape))


def test_instance_norm_layers():
    layer = nn.InstanceNorm1d(3)
    assert list(layer.state_dict()) == []
    x = data(2, 3, 5).float()
    np.testing.assert_allclose(layer(x).numpy(), F.instance_norm(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(layer(x[0]).numpy(), F.instance_norm(x[:1])[0].numpy(),
                               rtol=1e-6)
    tracked = nn.InstanceNorm2d(2, affine=True, track_running_stats=True).double()
    y = data(2, 2, 3, 3)
    tracked(y)
    np.testing.assert_allclose(tracked.running_mean.numpy(),
                               0.1 * y.numpy().mean(axis=(2, 3)).mean(0), rtol=1e-10)
    tracked.eval()
    assert tracked(y).shape == (2, 2, 3, 3)
    with pytest.raises(ValueError, match="to match num_features"):
        tracked(data(2, 3, 3, 3))


def test_layer_norm_shape_mismatch_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"\[layer_norm\].*\[4\].*\[2, 3\]"):
        F.layer_norm(ember.zeros(2, 3), (4,))
    with pytest.raises(RuntimeError, match=r"weight of shape \[2\]"):
        F.layer_norm(ember.zeros(2, 3), (3,), ember.ones(2))


def test_batch_norm_errors():
    with pytest.raises(RuntimeError, match=r"\[batch_norm\] expected weight with 3 elements"):
        F.batch_norm(ember.zeros(2, 3), None, None, ember.ones(4), training=True)
    with pytest.raises(RuntimeError, match=r"running_mean with 3 elements"):
        F.batch_norm(ember.zeros(2, 3), ember.zeros(2), ember.ones(2))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(ember.zeros(1, 3), None, None, training=True)


def test_group_norm_errors():
    with pytest.raises(RuntimeError, match=r"divisible by num_groups.*\[2, 6, 4\].*num_groups=4"):
        F.group_norm(ember.zeros(2, 6, 4), 4)


def test_instance_norm_3d_normalizes_each_volume():
    layer = nn.InstanceNorm3d(2)
    x = data(2, 2, 2, 3, 2)
    expected = F.instance_norm(x)
    np.testing.assert_allclose(layer(x).numpy(), expected.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer(x[0]).numpy(), expected[0].numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=r"expected 4D or 5D input \(got 3D input\)"):
        layer(data(2, 3, 4))
    assert repr(layer).startswith("InstanceNorm3d(2, eps=1e-05")
