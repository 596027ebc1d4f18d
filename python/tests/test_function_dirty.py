"""ember.autograd.Function's mark_dirty misuse raises PyTorch's errors (the checks are C++'s,
shared with ember::autograd::Function)."""

import pytest

import ember
from ember.autograd import Function


class AddOneInPlace(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad


class AddOneNotReturned(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


def test_dirty_leaf_that_requires_grad_raises():
    leaf = ember.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad has been used in"):
        AddOneInPlace.apply(leaf)


def test_dirty_input_not_returned_raises():
    x = ember.tensor([1.0, 2.0], requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="Some elements marked as dirty during the forward"):
        AddOneNotReturned.apply(x)


def test_dirty_non_leaf_takes_the_function_as_history():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    out = AddOneInPlace.apply(y)
    assert y.grad_fn.name() == "AddOneInPlaceBackward"
    out.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
