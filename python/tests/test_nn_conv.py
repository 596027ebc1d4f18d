"""nn.functional's convolutions beyond op_db: the float32 (oneDNN) results against float64 (the
im2col kernel) on larger shapes, double backward through conv_transpose, and every bad input
raising a typed error naming the op and the shapes. The gtest ember/ops/nn_conv_test.cpp
compares oneDNN's three passes with the im2col kernel in float32 directly."""
import numpy as np
import pytest

import ember
from ember.nn import functional as F  # noqa: N812 (PyTorch's spelling)


@pytest.mark.parametrize("spatial, kwargs", [
    (2, {"stride": 1, "padding": 1}),
    (2, {"stride": 2, "padding": (1, 0), "dilation": (1, 2), "groups": 4}),
    (1, {"padding": "same", "dilation": 3}),
    (3, {"stride": (1, 2, 1), "padding": 1, "groups": 2}),
])
def test_float32_passes_match_float64(spatial, kwargs):
    conv = getattr(F, f"conv{spatial}d")
    x64 = ember.randn(3, 8, *([9] * spatial), dtype=ember.float64, requires_grad=True)
    w64 = ember.randn(8, 8 // kwargs.get("groups", 1), *([3] * spatial), dtype=ember.float64,
                      requires_grad=True)
    x32 = x64.detach().float().requires_grad_()
    w32 = w64.detach().float().requires_grad_()
    y64, y32 = conv(x64, w64, **kwargs), conv(x32, w32, **kwargs)
    np.testing.assert_allclose(y32.detach().numpy(), y64.detach().numpy(), rtol=1e-4, atol=1e-4)
    grad = ember.randn(*y64.shape, dtype=ember.float64)
    y64.backward(grad)
    y32.backward(grad.float())
    np.testing.assert_allclose(x32.grad.numpy(), x64.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(w32.grad.numpy(), w64.grad.numpy(), rtol=1e-4, atol=1e-3)


def test_half_precision_computes_in_float32():
    x = ember.randn(1, 2, 5, 5)
    w = ember.randn(3, 2, 3, 3)
    y = F.conv2d(x.to(ember.bfloat16), w.to(ember.bfloat16))
    assert y.dtype == ember.bfloat16
    expected = F.conv2d(x.to(ember.bfloat16).float(), w.to(ember.bfloat16).float())
    np.testing.assert_allclose(y.float().numpy(), expected.numpy(), rtol=1e-2, atol=1e-2)


def test_top_level_names_are_the_same_ops():
    x, w = ember.randn(1, 2, 6), ember.randn(3, 2, 2)
    assert ember.equal(ember.conv1d(x, w, None, 2), F.conv1d(x, w, stride=2))
    assert ember.equal(ember.convolution(x, w, None, [1], [0], [1], False, [0], 1),
                       F.conv1d(x, w))


def test_repeated_calls_reuse_the_cached_primitive():
    x, w = ember.randn(2, 4, 8, 8), ember.randn(4, 4, 3, 3)
    first = F.conv2d(x, w, padding=1)
    for _ in range(3):
        assert ember.equal(F.conv2d(x, w, padding=1), first)


@pytest.mark.parametrize("call, error, message", [
    (lambda x, w: F.conv2d(x, ember.randn(6, 3, 3, 3)), RuntimeError,
     r"\[conv2d\] expected input with 3 channels .* got input of shape \[1, 4, 5, 5\]"),
    (lambda x, w: F.conv2d(x, w, groups=4), RuntimeError, r"divisible by groups=4"),
    (lambda x, w: F.conv2d(x, ember.randn(6, 4, 6, 6)), RuntimeError,
     r"padded input size \(5\) at least the dilated kernel size \(6\)"),
    (lambda x, w: F.conv2d(x, w, padding=-1), RuntimeError, r"negative padding"),
    (lambda x, w: F.conv2d(x[0, 0], w), RuntimeError,
     r"\[conv2d\] expected 3-D \(unbatched\) or 4-D \(batched\) input; got input of shape "
     r"\[5, 5\]"),
    (lambda x, w: F.conv2d(x, w[0]), RuntimeError, r"expected 4-D weight; got weight of shape"),
    (lambda x, w: F.conv2d(x, w, padding="full"), ValueError, r"'same' or 'valid'"),
    (lambda x, w: F.conv2d(x, w, stride=2, padding="same"), RuntimeError,
     r"not supported for strided"),
    (lambda x, w: F.conv2d(x, w.double()), TypeError, r"of one dtype"),
    (lambda x, w: F.conv2d(x, w, ember.randn(5)), RuntimeError, r"expected bias of shape \[6\]"),
    (lambda x, w: F.conv2d(x, w, stride=(1, 1, 1)), RuntimeError, r"stride with 1 or 2 values"),
    (lambda x, w: F.conv2d(x, w, dilation=0), RuntimeError, r"expected positive dilation"),
    (lambda x, w: F.conv2d(x.long(), w.long()), TypeError, r"floating point input"),
    (lambda x, w: F.conv_transpose2d(x, ember.randn(3, 2, 3, 3)), RuntimeError,
     r"\[conv_transpose2d\] expected weight with 4 in dim 0"),
    (lambda x, w: F.conv_transpose2d(x, ember.randn(4, 2, 3, 3), output_padding=1),
     RuntimeError, r"output_padding smaller than stride or dilation"),
    (lambda x, w: F.conv_transpose2d(x, ember.randn(4, 2, 3, 3), groups=3), RuntimeError,
     r"divisible by groups=3"),
])
def test_bad_inputs_raise_typed_errors(call, error, message):
    x, w = ember.randn(1, 4, 5, 5), ember.randn(6, 4, 3, 3)
    with pytest.raises(error, match=message):
        call(x, w)
