"""gradcheck's fast mode and the custom-Function context's saved tensors (RELIABILITY T4, T13).

Fast mode compares v^T J u along random directions: it must pass right gradients and catch a
gradient wrong in a single element, pair by pair. The Function context keeps its saved tensors
in C++ SavedTensors, so the version-counter and freed-graph errors are the built-in ops' ones.
"""
import pytest
from ember.autograd.gradcheck import GradcheckError

import ember
from ember.autograd import Function, gradcheck, gradgradcheck

F64 = ember.float64


def leaf(*shape, seed=0):
    ember.manual_seed(seed)
    return ember.rand(*shape, dtype=F64).mul(2).sub(1).requires_grad_()


class WrongSin(Function):
    """sin whose backward is 10% off in the first element."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        derivative = x.cos().clone()
        derivative.view(-1)[0] *= 1.1
        return grad * derivative


@pytest.mark.parametrize("fast_mode", [False, True])
def test_passes_right_gradients(fast_mode):
    a, b = leaf(3, 4), leaf(4, seed=1)
    assert gradcheck(lambda x, y: (x * y.exp()).tanh(), (a, b), fast_mode=fast_mode)
    assert gradgradcheck(lambda x, y: (x * y.exp()).tanh(), (a, b), fast_mode=fast_mode)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_catches_a_wrong_gradient(fast_mode):
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                             "input 0"):
        gradcheck(WrongSin.apply, (leaf(2, 3),), fast_mode=fast_mode)
    assert gradcheck(WrongSin.apply, (leaf(2, 3),), fast_mode=fast_mode,
                     raise_exception=False) is False


def test_fast_mode_reports_the_wrong_pair_and_says_so():
    def function(x, y):
        return x.exp(), WrongSin.apply(y) * x.sum()

    with pytest.raises(GradcheckError, match="(?s)output 1 with respect to input 1.*fast mode"):
        gradcheck(function, (leaf(3), leaf(4, seed=1)), fast_mode=True)


def test_fast_mode_on_non_contiguous_inputs_leaves_them_unchanged():
    x = leaf(6, 4)[::2].t().detach().requires_grad_()
    before = x.tolist()
    assert gradcheck(lambda t: (t * t * t).sum(0), (x,), fast_mode=True)
    assert x.tolist() == before


def test_non_tensor_arguments_pass_through():
    assert gradcheck(lambda x, scale, name: (x * scale).sin(), (leaf(3), 2.5, "ignored"),
                     fast_mode=True)


def test_context_saved_tensor_modified_in_place():
    x = leaf(3)
    y = x * 1
    z = WrongSin.apply(y)
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*expected version"):
        z.sum().backward()


def test_context_saved_tensors_freed_after_backward():
    x = leaf(3)
    z = WrongSin.apply(x)
    z.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        z.sum().backward()


def test_context_saves_none_and_returns_it():
    class Scale(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(None, x)
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            nothing, x = ctx.saved_tensors
            assert nothing is None and tuple(x.shape) == (3,)
            return grad * 2

    x = leaf(3)
    Scale.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
