"""Pooling layers (MaxPool1d/2d/3d, AvgPool1d/2d/3d, AdaptiveAvgPool1d/2d/3d,
AdaptiveMaxPool1d/2d) and the bad-input errors of the pooling functions: PyTorch's reprs,
return_indices, results equal to the functional forms, and the messages naming op and shapes."""
import numpy as np
import pytest

import ember
from ember import nn

F = nn.functional


def data(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return ember.tensor(rng.uniform(-2, 2, shape), dtype=ember.float64)


# (layer, PyTorch's repr, the functional call it equals, input shape)
LAYERS = [
    (nn.MaxPool1d(3, 2), "MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, "
     "ceil_mode=False)", lambda x: F.max_pool1d(x, 3, 2), (2, 3, 9)),
    (nn.MaxPool2d(3, stride=2, padding=1), "MaxPool2d(kernel_size=3, stride=2, padding=1, "
     "dilation=1, ceil_mode=False)", lambda x: F.max_pool2d(x, 3, 2, 1), (2, 3, 7, 6)),
    (nn.MaxPool2d((2, 3), ceil_mode=True), "MaxPool2d(kernel_size=(2, 3), stride=(2, 3), "
     "padding=0, dilation=1, ceil_mode=True)",
     lambda x: F.max_pool2d(x, (2, 3), ceil_mode=True), (3, 7, 7)),
    (nn.MaxPool3d(2), "MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, "
     "ceil_mode=False)", lambda x: F.max_pool3d(x, 2), (1, 2, 4, 4, 4)),
    (nn.AvgPool1d(3), "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))",
     lambda x: F.avg_pool1d(x, 3), (2, 3, 9)),
    (nn.AvgPool2d(2, count_include_pad=False, padding=1),
     "AvgPool2d(kernel_size=2, stride=2, padding=1)",
     lambda x: F.avg_pool2d(x, 2, padding=1, count_include_pad=False), (2, 2, 5, 5)),
    (nn.AvgPool3d(2, divisor_override=3), "AvgPool3d(kernel_size=2, stride=2, padding=0)",
     lambda x: F.avg_pool3d(x, 2, divisor_override=3), (1, 2, 4, 4, 4)),
    (nn.AdaptiveAvgPool1d(3), "AdaptiveAvgPool1d(output_size=3)",
     lambda x: F.adaptive_avg_pool1d(x, 3), (2, 3, 7)),
    (nn.AdaptiveAvgPool2d((None, 2)), "AdaptiveAvgPool2d(output_size=(None, 2))",
     lambda x: F.adaptive_avg_pool2d(x, (None, 2)), (2, 3, 5, 5)),
    (nn.AdaptiveAvgPool3d(2), "AdaptiveAvgPool3d(output_size=2)",
     lambda x: F.adaptive_avg_pool3d(x, 2), (1, 2, 3, 4, 5)),
    (nn.AdaptiveMaxPool1d(4), "AdaptiveMaxPool1d(output_size=4)",
     lambda x: F.adaptive_max_pool1d(x, 4), (2, 3, 9)),
    (nn.AdaptiveMaxPool2d((3, 2)), "AdaptiveMaxPool2d(output_size=(3, 2))",
     lambda x: F.adaptive_max_pool2d(x, (3, 2)), (2, 2, 7, 5)),
]


@pytest.mark.parametrize(("layer", "text", "function", "shape"), LAYERS,
                         ids=[text.split("(")[0] + str(i) for i, (_, text, _, _) in
                              enumerate(LAYERS)])
def test_layer_repr_and_forward(layer, text, function, shape):
    assert repr(layer) == text
    assert list(layer.parameters()) == []
    x = data(*shape)
    np.testing.assert_array_equal(layer(x).numpy(), function(x).numpy())


def test_return_indices():
    x = data(2, 3, 6, 6)
    values, indices = nn.MaxPool2d(2, return_indices=True)(x)
    assert indices.dtype == ember.int64
    expected_values, expected_indices = F.max_pool2d_with_indices(x, 2)
    np.testing.assert_array_equal(values.numpy(), expected_values.numpy())
    np.testing.assert_array_equal(indices.numpy(), expected_indices.numpy())
    # The indices address each (sample, channel) plane flattened.
    gathered = x.flatten(2).gather(2, indices.flatten(2)).reshape(values.shape)
    np.testing.assert_array_equal(gathered.numpy(), values.numpy())
    result = F.max_pool2d(x, 2, return_indices=True)
    assert isinstance(result, tuple) and len(result) == 2
    values, indices = nn.AdaptiveMaxPool2d(2, return_indices=True)(x)
    assert values.shape == (2, 3, 2, 2) and indices.dtype == ember.int64


def test_backward_and_double_backward():
    x = data(1, 2, 5, 5).requires_grad_()
    y = F.max_pool2d(x, 2)
    (grad,) = ember.autograd.grad(y.sum(), x, create_graph=True)
    # Each window's maximum gets 1, everything else 0.
    assert float(grad.sum()) == y.numel()
    z = F.avg_pool2d(x, 3, 1, 1)
    (grad,) = ember.autograd.grad((z * z).sum(), x, create_graph=True)
    (second,) = ember.autograd.grad(grad.sum(), x)
    assert second.shape == x.shape


def test_unbatched_and_empty_batch():
    assert nn.MaxPool2d(2)(data(3, 4, 4)).shape == (3, 2, 2)
    assert nn.AvgPool1d(2)(data(0, 3, 4)).shape == (0, 3, 2)
    assert nn.AdaptiveAvgPool2d(1)(data(0, 3, 4, 4)).shape == (0, 3, 1, 1)


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: F.max_pool2d(x, 0), r"\[max_pool2d\] expected kernel_size greater than zero"),
    (lambda x: F.max_pool2d(x, 2, 0), r"\[max_pool2d\] expected stride greater than zero"),
    (lambda x: F.avg_pool2d(x, 2, 1, 2), r"\[avg_pool2d\].*at most half of kernel_size"),
    (lambda x: F.max_pool2d(x, 7), r"\[max_pool2d\] given input of shape \[2, 3, 4, 4\].*too "
     "small"),
    (lambda x: F.max_pool3d(x[0], 2), r"\[max_pool3d\] expected a 4-d \(unbatched\) or 5-d "
     r"\(batched\) input; got input of shape \[3, 4, 4\]"),
    (lambda x: F.max_pool2d(x, (2, 2, 2)), r"kernel_size to be a single int or 2 ints"),
    (lambda x: F.max_pool2d(x, 2, dilation=0), r"dilation greater than zero"),
    (lambda x: F.adaptive_avg_pool2d(x, -1), r"\[adaptive_avg_pool2d\].*non-negative"),
    (lambda x: F.avg_pool2d(x, 2, divisor_override=0), r"non-zero divisor_override"),
    (lambda x: F.max_pool2d(x[:, :0], 2), r"non-empty channel and spatial dims"),
])
def test_bad_inputs_raise_naming_op_and_shapes(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(data(2, 3, 4, 4))


def test_integer_input_is_a_type_error():
    with pytest.raises(TypeError, match=r"\[max_pool1d\] expected a floating point input"):
        F.max_pool1d(ember.arange(6).reshape(1, 6), 2)
