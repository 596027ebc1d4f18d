"""The padding, embedding, pixel-shuffle and fold layers and functions: PyTorch's attributes,
printed settings, state-dict keys, outputs (checked against the functional ops and NumPy) and the
typed errors of bad input."""
import numpy as np
import pytest

import ember
from ember import nn

F = nn.functional

# ------------------------------------------------------------ pad and the padding layers


def test_pad_modes_match_numpy():
    x = ember.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(F.pad(x, (1, 2), mode="reflect").numpy(),
                                  np.pad(x.numpy(), ((0, 0), (0, 0), (1, 2)), mode="reflect"))
    np.testing.assert_array_equal(F.pad(x, (1, 2, 2, 0), mode="replicate").numpy(),
                                  np.pad(x.numpy(), ((0, 0), (2, 0), (1, 2)), mode="edge"))
    np.testing.assert_array_equal(F.pad(x, (3, 1), mode="circular").numpy(),
                                  np.pad(x.numpy(), ((0, 0), (0, 0), (3, 1)), mode="wrap"))
    np.testing.assert_array_equal(F.pad(x, (1, 1, 1, 1, 1, 1), value=-2.0).numpy(),
                                  np.pad(x.numpy(), 1, constant_values=-2.0))


def test_pad_backward_accumulates_the_copies():
    x = ember.ones(1, 1, 3, requires_grad=True)
    F.pad(x, (2, 2), mode="replicate").sum().backward()
    assert x.grad.tolist() == [[[3.0, 1.0, 3.0]]]
    x.grad = None
    F.pad(x, (2, 2), mode="reflect").sum().backward()
    assert x.grad.tolist() == [[[2.0, 3.0, 2.0]]]
    x.grad = None
    F.pad(x, (-1, 3)).sum().backward()
    assert x.grad.tolist() == [[[0.0, 1.0, 1.0]]]


@pytest.mark.parametrize("call,error,pattern", [
    (lambda x: F.pad(x, (1,)), RuntimeError, r"\[pad\] Padding length must be divisible by 2"),
    (lambda x: F.pad(x, (1,) * 8), RuntimeError, r"Padding length too large"),
    (lambda x: F.pad(x, (3, 3), mode="reflect"), RuntimeError,
     r"less than the corresponding input dimension.*\[1, 2, 3\]"),
    (lambda x: F.pad(x, (4, 0), mode="circular"), RuntimeError, "wrapping around more than once"),
    (lambda x: F.pad(x, (1, 1), mode="reflect", value=1.0), RuntimeError,
     "doesn't take in value argument"),
    (lambda x: F.pad(x, (1, 1), mode="wrap"), NotImplementedError, "Unrecognised padding mode"),
    (lambda x: F.pad(x.reshape(6), (1, 1), mode="reflect"), NotImplementedError, r"\[6\]"),
    (lambda x: F.pad(x[:, :, :0], (1, 1), mode="replicate"), RuntimeError, "empty"),
    (lambda x: F.pad(x, (-2, -2)), RuntimeError, "negative output size"),
])
def test_pad_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(ember.arange(6.0).reshape(1, 2, 3))


@pytest.mark.parametrize("layer,mode,padding,shape,text", [
    (nn.ReflectionPad1d(2), "reflect", (2, 2), (2, 3, 4), "ReflectionPad1d((2, 2))"),
    (nn.ReflectionPad2d((1, 0, 2, 1)), "reflect", (1, 0, 2, 1), (2, 3, 4),
     "ReflectionPad2d((1, 0, 2, 1))"),
    (nn.ReflectionPad3d(1), "reflect", (1,) * 6, (1, 2, 3, 4),
     "ReflectionPad3d((1, 1, 1, 1, 1, 1))"),
    (nn.ReplicationPad1d((0, 3)), "replicate", (0, 3), (2, 4), "ReplicationPad1d((0, 3))"),
    (nn.ReplicationPad2d(1), "replicate", (1,) * 4, (1, 2, 3, 4),
     "ReplicationPad2d((1, 1, 1, 1))"),
    (nn.ReplicationPad3d(1), "replicate", (1,) * 6, (2, 2, 3, 4),
     "ReplicationPad3d((1, 1, 1, 1, 1, 1))"),
])
def test_gathered_padding_layers(layer, mode, padding, shape, text):
    x = ember.randn(*shape)
    assert ember.equal(layer(x), F.pad(x, padding, mode=mode))
    assert layer.padding == padding
    assert repr(layer) == text
    assert list(layer.state_dict()) == []


def test_constant_padding_layers():
    x = ember.randn(1, 2, 3, 4)
    assert ember.equal(nn.ZeroPad2d(1)(x), F.pad(x, (1, 1, 1, 1)))
    assert repr(nn.ZeroPad2d((1, 0, 0, 2))) == "ZeroPad2d((1, 0, 0, 2))"
    assert ember.equal(nn.ConstantPad1d((1, 2), 3.5)(x), F.pad(x, (1, 2), value=3.5))
    assert ember.equal(nn.ConstantPad2d(1, -1.0)(x), F.pad(x, (1,) * 4, value=-1.0))
    assert nn.ConstantPad3d(1, 0.0)(x).shape == (1, 4, 5, 6)
    assert repr(nn.ConstantPad1d(2, 3.5)) == "ConstantPad1d(padding=(2, 2), value=3.5)"
    assert nn.ConstantPad2d(1, 0.0).value == 0.0
    with pytest.raises(ValueError, match="expected padding of 4 values"):
        nn.ReflectionPad2d((1, 2))
