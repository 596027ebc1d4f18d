"""The activation, dropout and distance layers: each equals its functional op, keeps PyTorch's
settings, printed form and parameters (PReLU), and dropout layers drop only while training."""
import numpy as np
import pytest

import ember
import ember.nn.functional as F  # noqa: N812 (PyTorch's idiom)
from ember import nn

LAYERS = [
    (nn.ReLU(), F.relu, "ReLU()"),
    (nn.ReLU6(inplace=True), F.relu6, "ReLU6(inplace=True)"),
    (nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2), "LeakyReLU(negative_slope=0.2)"),
    (nn.ELU(alpha=0.5), lambda x: F.elu(x, 0.5), "ELU(alpha=0.5)"),
    (nn.CELU(), F.celu, "CELU(alpha=1.0)"),
    (nn.SELU(), F.selu, "SELU()"),
    (nn.GELU(approximate="tanh"), lambda x: F.gelu(x, approximate="tanh"),
     "GELU(approximate='tanh')"),
    (nn.SiLU(), F.silu, "SiLU()"),
    (nn.Mish(), F.mish, "Mish()"),
    (nn.Sigmoid(), ember.sigmoid, "Sigmoid()"),
    (nn.Tanh(), ember.tanh, "Tanh()"),
    (nn.Hardtanh(-2.0, 2.0), lambda x: F.hardtanh(x, -2.0, 2.0),
     "Hardtanh(min_val=-2.0, max_val=2.0)"),
    (nn.Hardsigmoid(), F.hardsigmoid, "Hardsigmoid()"),
    (nn.Hardswish(), F.hardswish, "Hardswish()"),
    (nn.Softplus(beta=2.0), lambda x: F.softplus(x, 2.0), "Softplus(beta=2.0, threshold=20.0)"),
    (nn.Softsign(), F.softsign, "Softsign()"),
    (nn.Softshrink(0.3), lambda x: F.softshrink(x, 0.3), "Softshrink(0.3)"),
    (nn.Hardshrink(), F.hardshrink, "Hardshrink(0.5)"),
    (nn.Tanhshrink(), F.tanhshrink, "Tanhshrink()"),
    (nn.Threshold(0.1, 20.0), lambda x: F.threshold(x, 0.1, 20.0),
     "Threshold(threshold=0.1, value=20.0)"),
    (nn.LogSigmoid(), F.logsigmoid, "LogSigmoid()"),
    (nn.GLU(), F.glu, "GLU(dim=-1)"),
    (nn.Softmax(dim=1), lambda x: F.softmax(x, 1), "Softmax(dim=1)"),
    (nn.LogSoftmax(dim=0), lambda x: F.log_softmax(x, 0), "LogSoftmax(dim=0)"),
    (nn.Softmin(dim=-1), lambda x: F.softmin(x, -1), "Softmin(dim=-1)"),
]


@pytest.mark.parametrize(("layer", "function", "text"), LAYERS, ids=[t for _, _, t in LAYERS])
def test_layers_equal_their_function_and_print_like_pytorch(layer, function, text):
    x = ember.randn(3, 4)
    expected = function(x.clone())
    assert ember.equal(layer(x.clone()), expected)
    assert repr(layer) == text
    assert list(layer.state_dict()) == []


def test_rrelu_is_random_only_while_training():
    layer = nn.RReLU(0.1, 0.3)
    x = -ember.ones(100)
    layer.eval()
    assert ember.allclose(layer(x), x * 0.2)
    layer.train()
    assert layer(x).std().item() > 0.01
    assert repr(layer) == "RReLU(lower=0.1, upper=0.3)"


def test_prelu_weight_init_and_channels():
    layer = nn.PReLU(num_parameters=3)
    assert list(layer.state_dict()) == ["weight"]
    assert layer.weight.shape == (3,) and layer.weight.tolist() == [0.25] * 3
    assert isinstance(layer.weight, nn.Parameter)
    x = -ember.ones(2, 3, 4)
    layer(x).sum().backward()
    assert layer.weight.grad.tolist() == [-8.0] * 3
    assert repr(nn.PReLU(init=0.1)) == "PReLU(num_parameters=1)"
    assert nn.PReLU(init=0.1).weight.tolist() == pytest.approx([0.1])


@pytest.mark.parametrize(("layer", "shape"), [
    (nn.Dropout(0.4), (50, 40)), (nn.Dropout1d(0.4), (4, 8, 5)), (nn.Dropout2d(0.4), (4, 8, 3, 3)),
    (nn.Dropout3d(0.4), (2, 8, 2, 2, 2)), (nn.AlphaDropout(0.4), (50, 40)),
    (nn.FeatureAlphaDropout(0.4), (4, 8, 3, 3))])
def test_dropout_layers_drop_only_while_training(layer, shape):
    x = ember.randn(*shape)
    assert layer.training
    assert not ember.equal(layer(x), x)
    layer.eval()
    assert ember.equal(layer(x), x)
    assert repr(layer).endswith("(p=0.4, inplace=False)")


def test_dropout_layer_rejects_a_bad_probability():
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


def test_distance_layers():
    a, b = ember.randn(3, 5), ember.randn(3, 5)
    assert ember.equal(nn.CosineSimilarity()(a, b), F.cosine_similarity(a, b))
    assert ember.equal(nn.PairwiseDistance(p=1.0)(a, b), F.pairwise_distance(a, b, 1.0))
    np.testing.assert_allclose(nn.PairwiseDistance(keepdim=True)(a, b).numpy().ravel(),
                               np.linalg.norm(a.numpy() - b.numpy() + 1e-6, axis=1), rtol=1e-5)


def test_activations_in_a_sequential_train():
    ember.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.PReLU(), nn.Dropout(0.1), nn.LogSoftmax(dim=1))
    x = ember.randn(4, 2, 3)
    out = model(x)
    assert out.shape == (4, 6)
    out.sum().backward()
    assert model[1].weight.grad is not None
