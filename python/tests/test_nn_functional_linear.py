"""nn.functional.linear / bilinear beyond op_db: PyTorch's call forms and the errors for bad
shapes and dtypes, which name the op and both shapes."""
import pytest

import ember
from ember.nn import functional

F = functional


def test_call_forms():
    x, w, b = ember.randn(2, 3), ember.randn(4, 3), ember.randn(4)
    assert ember.allclose(F.linear(x, w, b), x @ w.T + b)
    assert ember.allclose(F.linear(x, w), F.linear(x, w, None))
    assert ember.allclose(F.linear(input=x, weight=w, bias=b), x @ w.T + b)
    w2 = ember.randn(5, 3, 2)
    y = ember.randn(2, 2)
    assert ember.equal(ember.bilinear(x, y, w2), F.bilinear(x, y, w2))
    assert F.bilinear(input1=x, input2=y, weight=w2, bias=ember.zeros(5)).shape == (2, 5)


@pytest.mark.parametrize(("call", "parts"), [
    (lambda: F.linear(ember.ones(2, 5), ember.ones(4, 3)), ["[linear]", "[2, 5]", "[4, 3]"]),
    (lambda: F.linear(ember.ones(2, 3), ember.ones(4, 3), ember.ones(5)),
     ["[linear]", "bias of shape [5]", "[2, 4]"]),
    (lambda: F.linear(ember.ones(2, 3), ember.ones(4, 3, dtype=ember.float64)),
     ["[linear]", "float32 and float64"]),
    (lambda: F.linear(ember.ones(()), ember.ones(4, 3)), ["[linear]", "at least 1 dimension"]),
    (lambda: F.bilinear(ember.ones(2, 4), ember.ones(3, 5), ember.ones(6, 4, 5)),
     ["[bilinear]", "[2, 4] and [3, 5]"]),
    (lambda: F.bilinear(ember.ones(2, 3), ember.ones(2, 5), ember.ones(6, 4, 5)),
     ["[bilinear]", "[2, 3]", "[6, 4, 5]"]),
    (lambda: F.bilinear(ember.ones(2, 4), ember.ones(2, 5), ember.ones(6, 4, 5), ember.ones(3)),
     ["[bilinear]", "bias of shape [3]"]),
    (lambda: ember.bilinear(ember.ones(2, 4), ember.ones(2, 5), ember.ones(6, 20)),
     ["[bilinear]", "weight must be"]),
])
def test_bad_inputs_raise_runtime_error_naming_the_shapes(call, parts):
    with pytest.raises(RuntimeError) as raised:
        call()
    for part in parts:
        assert part in str(raised.value)
