"""Conv1d/2d/3d and ConvTranspose1d/2d/3d: PyTorch's parameter names, shapes, initialisation,
printed settings, padding modes and output_size (outputs checked against op_db's numpy
references), and the seeded table shared with the C++ frontend."""
import math

import numpy as np
import pytest
from op_db import OPS_BY_NAME

import ember
from ember import nn
from ember.nn import init

ref_conv = OPS_BY_NAME["nn.functional.conv2d"].ref
ref_conv_transpose = OPS_BY_NAME["nn.functional.conv_transpose2d"].ref


def test_conv_parameters_and_forward():
    layer = nn.Conv2d(4, 6, (3, 2), stride=2, padding=1, groups=2)
    assert list(layer.state_dict()) == ["weight", "bias"]
    assert layer.weight.shape == (6, 2, 3, 2) and layer.bias.shape == (6,)
    assert layer.kernel_size == (3, 2) and layer.stride == (2, 2) and layer.padding == (1, 1)
    x = ember.randn(2, 4, 7, 6)
    expected = ref_conv(x.numpy().astype(np.float64), layer.weight.detach().numpy(),
                        layer.bias.detach().numpy(), stride=2, padding=1, groups=2)
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    bound = 1 / math.sqrt(2 * 3 * 2)
    assert float(layer.weight.abs().max()) <= bound and float(layer.bias.abs().max()) <= bound
    assert list(nn.Conv1d(2, 3, 3, bias=False).state_dict()) == ["weight"]
    assert nn.Conv3d(2, 4, 2, groups=2).weight.shape == (4, 1, 2, 2, 2)


def test_conv_transpose_parameters_forward_and_output_size():
    layer = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2)
    assert layer.weight.shape == (4, 3, 3, 3) and layer.bias.shape == (6,)
    x = ember.randn(1, 4, 5, 5)
    expected = ref_conv_transpose(x.numpy().astype(np.float64), layer.weight.detach().numpy(),
                                  layer.bias.detach().numpy(), stride=2, padding=1, groups=2)
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    assert layer(x).shape == (1, 6, 9, 9)
    assert layer(x, output_size=(10, 9)).shape == (1, 6, 10, 9)
    assert layer(x, output_size=[1, 6, 10, 10]).shape == (1, 6, 10, 10)
    with pytest.raises(ValueError, match="valid sizes range from 9 to 10"):
        layer(x, output_size=(11, 9))
    with pytest.raises(ValueError, match="output_size must have 2 or 4 elements"):
        layer(x, output_size=(10,))


def test_padding_modes_and_same():
    x = ember.randn(1, 2, 6, dtype=ember.float64)
    xn = x.numpy()
    for mode, np_mode in (("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")):
        layer = nn.Conv1d(2, 3, 3, padding=1, padding_mode=mode, dtype=ember.float64)
        expected = ref_conv(np.pad(xn, [(0, 0), (0, 0), (1, 1)], mode=np_mode),
                            layer.weight.detach().numpy(), layer.bias.detach().numpy())
        np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-12)
    same = nn.Conv2d(2, 2, (2, 3), padding="same", padding_mode="reflect")
    assert same(ember.randn(1, 2, 4, 5)).shape == (1, 2, 4, 5)
    assert nn.Conv2d(2, 2, 4, padding="same")(ember.randn(2, 5, 5)).shape == (2, 5, 5)
    assert nn.Conv2d(2, 2, 3, padding="valid")(ember.randn(1, 2, 5, 5)).shape == (1, 2, 3, 3)


def test_constructor_errors_as_pytorch():
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match="groups must be a positive integer"):
        nn.Conv2d(4, 4, 3, groups=0)
    with pytest.raises(ValueError, match="Invalid padding string 'full'"):
        nn.Conv2d(4, 4, 3, padding="full")
    with pytest.raises(ValueError, match="not supported for strided convolutions"):
        nn.Conv2d(4, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(4, 4, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match='Only "zeros" padding mode is supported'):
        nn.ConvTranspose2d(4, 4, 3, padding_mode="reflect")


def test_repr_as_pytorch():
    assert repr(nn.Conv2d(3, 16, 3, padding=1)) == \
        "Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"
    assert repr(nn.Conv1d(2, 4, 3, dilation=2, groups=2, bias=False, padding="same",
                          padding_mode="circular")) == \
        ("Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same, dilation=(2,), groups=2, "
         "bias=False, padding_mode=circular)")
    assert repr(nn.ConvTranspose3d(2, 2, 2, stride=2, output_padding=1)) == \
        ("ConvTranspose3d(2, 2, kernel_size=(2, 2, 2), stride=(2, 2, 2), "
         "output_padding=(1, 1, 1))")


def test_reset_parameters_draws_as_pytorch():
    ember.manual_seed(5)
    layer = nn.ConvTranspose1d(3, 4, 2)
    ember.manual_seed(5)
    weight = init.kaiming_uniform_(ember.empty(3, 4, 2), a=math.sqrt(5))
    fan_in, _ = init._calculate_fan_in_and_fan_out(weight)
    bias = init.uniform_(ember.empty(4), -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
    assert ember.equal(layer.weight.detach(), weight)
    assert ember.equal(layer.bias.detach(), bias)


def test_backward_reaches_every_parameter():
    layer = nn.Conv2d(2, 3, 3, padding=1, padding_mode="replicate")
    x = ember.randn(2, 2, 4, 4, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad.shape == x.shape and layer.weight.grad.shape == layer.weight.shape
    np.testing.assert_allclose(layer.bias.grad.numpy(), np.full(3, 32.0))


# The C++ frontend's seeded table (ember/nn/nn_conv_layers_test.cpp): the same layers built after
# the same seed hold these float32 values.
CPP_FRONTEND_TABLE = [
    ["0x1.a8b6bp-4", "-0x1.d9fb8p-3", "0x1.f03aa4p-2", "-0x1.aa65dp-2", "-0x1.3acf6p-3",
     "-0x1.0693cp-4", "0x1.977228p-2", "-0x1.2782p-5"],
    ["-0x1.9e9a18p-3", "0x1.0d48e8p-3"],
    ["0x1.0f55fep-2", "-0x1.773eb6p-3"],
    ["0x1.5a075ap-2", "-0x1.7bf54cp-2"],
]


def test_layer_initialisation_matches_the_cpp_frontend():
    ember.manual_seed(2024)
    conv = nn.Conv1d(2, 2, 2)
    transpose = nn.ConvTranspose2d(1, 2, 1)
    parameters = list(conv.parameters()) + list(transpose.parameters())
    assert len(parameters) == len(CPP_FRONTEND_TABLE)
    for tensor, expected in zip(parameters, CPP_FRONTEND_TABLE):
        assert tensor.detach().reshape(-1).tolist() == [float.fromhex(v) for v in expected]
