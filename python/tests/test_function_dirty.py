"""ember.autograd.Function's mark_dirty: an in-place forward rebases the input's history, and
misuse raises PyTorch's errors (the checks are C++'s, shared with ember::autograd::Function)."""

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
    a = ember.tensor([1.0, 2.0], requires_grad=True)
    b = a * 2
    c = AddOneInPlace.apply(b)
    assert c is b and b.tolist() == [3.0, 5.0]
    assert b.grad_fn.name() == "AddOneInPlaceBackward"
    (c * c).sum().backward()  # d/da (2a + 1)^2 = 4 (2a + 1)
    assert a.grad.tolist() == [12.0, 20.0]
