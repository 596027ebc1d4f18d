"""The autograd engine from Python (RELIABILITY T13, B18-B22), with PyTorch's semantics.

Leaves and requires_grad, graph nodes (names, next_functions), accumulation, retain_graph and
create_graph (higher orders), autograd.grad / backward options, grad modes (context managers,
decorators, thread-locality), hooks, retain_grad, detach and .data, dynamic graphs, in-place
ops on non-leaves and views, the safety errors, custom Functions, Variable and anomaly mode.
"""
import inspect
import math
import re
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import ember
from ember.autograd import Function, Variable

F64 = ember.float64


def t(values, requires_grad=True):
    return ember.tensor(values, dtype=F64, requires_grad=requires_grad)


def values(tensor):
    return tensor.detach().numpy().tolist()


# ---------------------------------------------------------------- leaves and requires_grad

FACTORIES = {
    "zeros": lambda **kw: ember.zeros(2, 3, **kw),
    "ones": lambda **kw: ember.ones(2, 3, **kw),
    "empty": lambda **kw: ember.empty(2, 3, **kw),
    "full": lambda **kw: ember.full((2, 3), 1.5, **kw),
    "rand": lambda **kw: ember.rand(2, 3, **kw),
    "randn": lambda **kw: ember.randn(2, 3, **kw),
    "arange": lambda **kw: ember.arange(4.0, **kw),
    "linspace": lambda **kw: ember.linspace(0, 1, 5, **kw),
    "eye": lambda **kw: ember.eye(3, **kw),
    "tensor": lambda **kw: ember.tensor([1.0, 2.0], **kw),
    "zeros_like": lambda **kw: ember.zeros_like(ember.ones(2), **kw),
    "ones_like": lambda **kw: ember.ones_like(ember.ones(2), **kw),
    "full_like": lambda **kw: ember.full_like(ember.ones(2), 3.0, **kw),
    "randn_like": lambda **kw: ember.randn_like(ember.ones(2), **kw),
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories_accept_requires_grad(name):
    leaf = FACTORIES[name](requires_grad=True)
    assert leaf.requires_grad and leaf.is_leaf
    assert leaf.grad is None and leaf.grad_fn is None
    assert not FACTORIES[name]().requires_grad


def test_requires_grad_setter_and_method():
    x = ember.ones(3, dtype=F64)
    assert not x.requires_grad and x.is_leaf
    assert x.requires_grad_() is x
    assert x.requires_grad and x.is_leaf
    x.requires_grad_(False)
    assert not x.requires_grad
    x.requires_grad = True
    assert x.requires_grad
    y = x * 2
    assert y.requires_grad and not y.is_leaf and y.grad_fn is not None


def test_results_of_tensors_without_grad_are_leaves():
    a, b = ember.ones(2), ember.ones(2)
    c = a * b
    assert c.is_leaf and not c.requires_grad and c.grad_fn is None


@pytest.mark.parametrize("dtype", [ember.int64, ember.int32, ember.uint8, ember.bool])
def test_requires_grad_on_non_floating_tensors_raises(dtype):
    x = ember.ones(2, dtype=dtype)
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        x.requires_grad_()
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        x.requires_grad = True
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        ember.ones(2, dtype=dtype, requires_grad=True)


def test_integer_and_bool_results_do_not_require_grad():
    x = t([1.5, -2.0, 3.0])
    assert not (x > 0).requires_grad
    assert not x.argmax().requires_grad
    assert not x.long().requires_grad
    values_, indices = x.max(0)
    assert values_.requires_grad and not indices.requires_grad


# ---------------------------------------------------------------- graph nodes


def test_grad_fn_names_and_next_functions():
    x, y = t([1.0, 2.0]), t([3.0, 4.0])
    product = x * y
    assert product.grad_fn.name() == "MulBackward0"
    (first, nr0), (second, nr1) = product.grad_fn.next_functions
    assert first.name() == "AccumulateGrad" and second.name() == "AccumulateGrad"
    assert (nr0, nr1) == (0, 0)
    assert first.next_functions == ()
    chain = (product + 1).exp()
    assert chain.grad_fn.name() == "ExpBackward0"
    add = chain.grad_fn.next_functions[0][0]
    assert add.name() == "AddBackward0"
    assert add.next_functions[0][0].name() == "MulBackward0"
    # An input that does not require grad has no edge.
    mixed = x * ember.ones(2, dtype=F64)
    assert mixed.grad_fn.next_functions[1] == (None, 0)
    assert "MulBackward0" in repr(product.grad_fn)


NAMES = [("sub", lambda x: x - 1, "SubBackward0"), ("div", lambda x: x / 2, "DivBackward0"),
         ("neg", lambda x: -x, "NegBackward0"), ("pow", lambda x: x**2, "PowBackward0"),
         ("sigmoid", lambda x: x.sigmoid(), "SigmoidBackward0"),
         ("log", lambda x: x.log(), "LogBackward0"), ("view", lambda x: x.view(4), "ViewBackward0"),
         ("select", lambda x: x[0], "SelectBackward0"),
         ("permute", lambda x: x.permute(1, 0), "PermuteBackward0"),
         ("expand", lambda x: x[:1].expand(3, 2), "ExpandBackward0"),
         ("unsqueeze", lambda x: x.unsqueeze(0), "UnsqueezeBackward0"),
         ("sum", lambda x: x.sum(), "SumBackward0"), ("mm", lambda x: x @ x, "MmBackward0"),
         ("clone", lambda x: x.clone(), "CloneBackward0"), ("t", lambda x: x.t(), "TBackward0"),
         ("to", lambda x: x.to(ember.float32), "ToCopyBackward0")]
# Composite ops whose node ember names after the last primitive it recorded, not PyTorch's name.
DIVERGENT_NAMES = [("mean", lambda x: x.mean(), "MeanBackward0")]


@pytest.mark.parametrize("op,expected", [pytest.param(fn, name, id=key) for key, fn, name in NAMES])
def test_grad_fn_names_follow_pytorch(op, expected):
    assert op(t([[1.0, 2.0], [3.0, 4.0]])).grad_fn.name() == expected


@pytest.mark.parametrize("op,expected", [
    pytest.param(fn, name, id=key, marks=pytest.mark.xfail(
        strict=True, reason="mean is sum / n, so its node is DivBackward0")) for key, fn, name
    in DIVERGENT_NAMES])
def test_grad_fn_names_of_composite_ops_follow_pytorch(op, expected):
    assert op(t([[1.0, 2.0], [3.0, 4.0]])).grad_fn.name() == expected


# ---------------------------------------------------------------- backward


def test_gradients_accumulate_across_backward_calls():
    x = t([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    assert values(x.grad) == [2.0, 4.0, 6.0]
    (x * 3).sum().backward()
    assert values(x.grad) == [5.0, 7.0, 9.0]
    x.grad.zero_()
    (x * 3).sum().backward()
    assert values(x.grad) == [3.0, 3.0, 3.0]
    x.grad = None
    x.sum().backward()
    assert values(x.grad) == [1.0, 1.0, 1.0]


def test_a_second_backward_without_saved_tensors_accumulates():
    x = t([1.0, 2.0])
    y = (x + 1).sum()  # AddBackward0 and the sum save no tensors
    y.backward()
    y.backward()
    assert values(x.grad) == [2.0, 2.0]


def test_backward_with_gradient_on_non_scalar_outputs():
    x = t([1.0, 2.0, 3.0])
    y = x * x
    y.backward(gradient=t([1.0, 0.5, -1.0], requires_grad=False))
    assert values(x.grad) == [2.0, 2.0, -6.0]
    x.grad = None
    ember.autograd.backward([x * 2, x.sum()], [t([1.0, 2.0, 3.0], False), t(1.0, False)])
    assert values(x.grad) == [3.0, 5.0, 7.0]


def test_retain_graph_allows_a_second_backward():
    x = t([1.0, 2.0])
    y = (x.sigmoid() * x).sum()
    y.backward(retain_graph=True)
    first = values(x.grad)
    y.backward()
    assert np.allclose(values(x.grad), [2 * v for v in first])


def test_create_graph_gives_second_and_third_order_gradients():
    x = t([0.5, 2.0])
    (g1,) = ember.autograd.grad((x**3).sum(), x, create_graph=True)
    assert np.allclose(values(g1), [0.75, 12.0]) and g1.requires_grad
    (g2,) = ember.autograd.grad(g1.sum(), x, create_graph=True)
    assert np.allclose(values(g2), [3.0, 12.0])
    (g3,) = ember.autograd.grad(g2.sum(), x)
    assert np.allclose(values(g3), [6.0, 6.0])
    # Through transcendental functions: d^3/dx^3 sin = -cos.
    y = t([0.3, -1.2])
    (d1,) = ember.autograd.grad(y.sin().sum(), y, create_graph=True)
    (d2,) = ember.autograd.grad(d1.sum(), y, create_graph=True)
    (d3,) = ember.autograd.grad(d2.sum(), y)
    assert np.allclose(values(d3), -np.cos([0.3, -1.2]))


def test_backward_with_create_graph_builds_a_differentiable_grad():
    x = t([1.0, 3.0])
    (x * x * x).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    (g2,) = ember.autograd.grad(x.grad.sum(), x)
    assert values(g2) == [6.0, 18.0]


def test_autograd_grad_leaves_dot_grad_alone_and_takes_grad_outputs():
    x = t([1.0, 2.0])
    (g,) = ember.autograd.grad(x * x, x, grad_outputs=t([1.0, -1.0], False))
    assert values(g) == [2.0, -4.0]
    assert x.grad is None


def test_autograd_grad_allow_unused():
    a, b = t([1.0, 2.0]), t([3.0, 4.0])
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        ember.autograd.grad((a * 2).sum(), [a, b])
    grads = ember.autograd.grad((a * 2).sum(), [a, b], allow_unused=True)
    assert values(grads[0]) == [2.0, 2.0] and grads[1] is None


def test_autograd_backward_with_inputs_fills_only_those():
    a, b = t([1.0, 2.0]), t([3.0, 4.0])
    ember.autograd.backward((a * b).sum(), inputs=[a])
    assert values(a.grad) == [3.0, 4.0] and b.grad is None
    (a * b).sum().backward(inputs=b)  # a single tensor
    assert values(b.grad) == [1.0, 2.0] and values(a.grad) == [3.0, 4.0]


def run_python(code):
    """Runs code in a fresh interpreter (for calls that crash the process)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=False,
                          capture_output=True, text=True, timeout=60)
def test_tensor_backward_with_a_list_of_inputs():
    result = run_python("""
        import ember
        a = ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True)
        b = ember.tensor([3.0, 4.0], dtype=ember.float64, requires_grad=True)
        (a * b).sum().backward(inputs=[a])
        assert a.grad.tolist() == [3.0, 4.0] and b.grad is None
        print("ok")
    """)
    assert result.returncode == 0 and "ok" in result.stdout, (result.returncode, result.stderr)


# ---------------------------------------------------------------- grad modes


def test_no_grad_and_enable_grad_as_context_managers():
    x = t([1.0, 2.0])
    with ember.no_grad():
        assert not ember.is_grad_enabled()
        y = x * 2
        with ember.enable_grad():
            z = x * 2
        w = x * 2
    assert ember.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and not w.requires_grad


def test_set_grad_enabled_as_context_manager_and_function():
    x = t([1.0])
    with ember.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    with ember.autograd.set_grad_enabled(True):
        assert (x * 2).requires_grad
    ember.set_grad_enabled(False)
    try:
        assert not ember.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        ember.set_grad_enabled(True)
    assert ember.is_grad_enabled()


def test_grad_modes_as_decorators():
    x = t([1.0])

    @ember.no_grad()
    def without(v):
        return v * 2

    @ember.enable_grad()
    def with_grad(v):
        return v * 2

    @ember.set_grad_enabled(False)
    def also_without(v):
        return v * 2

    assert ember.is_grad_enabled()  # decorating does not change the mode
    assert not without(x).requires_grad
    assert not also_without(x).requires_grad
    with ember.no_grad():
        assert with_grad(x).requires_grad
    assert without.__name__ == "without"


def test_grad_mode_is_restored_after_an_exception():
    with pytest.raises(ValueError), ember.no_grad():
        raise ValueError
    assert ember.is_grad_enabled()


def test_grad_mode_is_thread_local():
    x = t([1.0])
    entered, release = threading.Event(), threading.Event()
    seen = {}

    def worker():
        with ember.no_grad():
            seen["worker"] = (ember.is_grad_enabled(), (x * 2).requires_grad)
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    assert entered.wait(10)
    # The worker is inside no_grad now; the main thread is not affected.
    main = (ember.is_grad_enabled(), (x * 2).requires_grad)
    release.set()
    thread.join()
    assert main == (True, True)
    assert seen["worker"] == (False, False)

    # And a thread started under the main thread's no_grad starts with grad enabled.
    with ember.no_grad():
        thread = threading.Thread(target=lambda: seen.update(fresh=ember.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen["fresh"] is True


# ---------------------------------------------------------------- hooks and retain_grad


def test_hook_replaces_the_gradient_and_can_be_removed():
    x = t([1.0, 2.0])
    seen = []

    def hook(grad):
        seen.append(values(grad))
        return grad * 10

    handle = x.register_hook(hook)
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0]] and values(x.grad) == [30.0, 30.0]
    handle.remove()
    handle.remove()  # removing twice is harmless
    x.grad = None
    (x * 3).sum().backward()
    assert values(x.grad) == [3.0, 3.0] and len(seen) == 1


def test_hook_returning_none_keeps_the_gradient_and_hooks_chain():
    x = t([1.0, 2.0])
    order = []
    x.register_hook(lambda grad: order.append("observe"))
    x.register_hook(lambda grad: order.append("double") or grad * 2)
    x.register_hook(lambda grad: order.append(values(grad)) or None)
    (x * 1).sum().backward()
    assert order == ["observe", "double", [2.0, 2.0]]
    assert values(x.grad) == [2.0, 2.0]


def test_leaf_hooks_run_before_accumulation():
    x = t([1.0, 2.0])
    seen = []
    x.register_hook(lambda grad: seen.append(None if x.grad is None else values(x.grad)))
    (x * 1).sum().backward()
    (x * 1).sum().backward()
    assert seen == [None, [1.0, 1.0]]
    assert values(x.grad) == [2.0, 2.0]


def test_hook_on_a_non_leaf_changes_what_flows_upstream():
    x = t([1.0, 2.0])
    y = x * 2
    y.register_hook(lambda grad: grad * 0.5)
    (y * y).sum().backward()
    assert values(x.grad) == [4.0, 8.0]  # 2y * 0.5 * 2


def test_retain_grad_on_non_leaves():
    x = t([1.0, 2.0])
    y = x * 2
    z = y * y
    assert not y.retains_grad
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    z.sum().backward()
    assert values(y.grad) == [4.0, 8.0]
    assert z.grad is None  # not retained
    assert values(x.grad) == [8.0, 16.0]


def test_grad_is_the_same_python_object():
    p = t([1.0, 2.0])
    (p * 2).sum().backward()
    assert p.grad is p.grad


# ---------------------------------------------------------------- detach and .data


def test_detach_shares_memory_and_cuts_the_graph():
    x = t([1.0, 2.0])
    d = x.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    with ember.no_grad():
        d[0] = 10.0
    assert values(x) == [10.0, 2.0]
    y = x * 2
    (y.detach() * x).sum().backward()
    assert values(x.grad) == values(y)  # y.detach() is a constant


def test_detach_in_place():
    x = t([1.0, 2.0])
    y = x * 2
    assert y.detach_() is y
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    (y * x).sum().backward()
    assert values(x.grad) == [2.0, 4.0]


def test_data_shares_memory_and_bypasses_autograd():
    x = t([1.0, 2.0])
    data = x.data
    assert not data.requires_grad
    data.mul_(3)  # not recorded, no leaf error
    assert values(x) == [3.0, 6.0] and x.is_leaf and x.requires_grad
    x.data = ember.tensor([5.0, 7.0], dtype=F64)
    assert values(x) == [5.0, 7.0] and x.requires_grad
    (x * x).sum().backward()
    assert values(x.grad) == [10.0, 14.0]


# ---------------------------------------------------------------- dynamic graphs


def test_loops_depending_on_tensor_values_build_different_graphs():
    def f(x):
        y = x
        steps = 0
        while y.norm().item() < 10:
            y = y * 2
            steps += 1
        return y.sum(), steps

    small = t([0.5, 0.5])
    total, steps = f(small)
    total.backward()
    assert steps == 4 and values(small.grad) == [16.0, 16.0]
    large = t([4.0, 4.0])
    total, steps = f(large)
    total.backward()
    assert steps == 1 and values(large.grad) == [2.0, 2.0]


def test_branches_on_tensor_values():
    def f(x):
        return (x * x).sum() if x.sum().item() > 0 else (x * 3).sum()

    positive, negative = t([1.0, 2.0]), t([-1.0, -2.0])
    f(positive).backward()
    f(negative).backward()
    assert values(positive.grad) == [2.0, 4.0] and values(negative.grad) == [3.0, 3.0]


def test_recursion_over_a_tree():
    w = t([[0.5, -0.25], [0.1, 0.3]])

    def encode(node):
        if isinstance(node, float):
            return ember.tensor([node, 1.0], dtype=F64)
        left, right = encode(node[0]), encode(node[1])
        return ((left + right) @ w).tanh()

    tree = ((1.0, 2.0), (3.0, (4.0, 5.0)))
    encode(tree).sum().backward()
    analytic = w.grad.detach().numpy().copy()

    def numeric(i, j, eps=1e-6):
        with ember.no_grad():
            original = w[i, j].item()
            w[i, j] = original + eps
            plus = encode(tree).sum().item()
            w[i, j] = original - eps
            minus = encode(tree).sum().item()
            w[i, j] = original
        return (plus - minus) / (2 * eps)

    expected = [[numeric(i, j) for j in range(2)] for i in range(2)]
    assert np.allclose(analytic, expected, atol=1e-6)


# ---------------------------------------------------------------- in-place on non-leaves


def test_in_place_ops_on_non_leaves_are_differentiated():
    x = t([1.0, 2.0])
    y = x * 2
    y.add_(1)
    y.mul_(3)
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert values(x.grad) == [6.0, 6.0]


def test_in_place_op_whose_backward_reads_its_output():
    x = t([0.5, -1.0])
    y = x * 1
    y.exp_()  # ExpBackward0 saves the result, which is y itself after the write
    y.sum().backward()
    assert np.allclose(values(x.grad), np.exp([0.5, -1.0]))


def test_in_place_with_a_tensor_that_requires_grad():
    x, w = t([1.0, 2.0]), t([3.0, 4.0])
    y = x * 1
    y.mul_(w)
    y.sum().backward()
    assert values(x.grad) == [3.0, 4.0] and values(w.grad) == [1.0, 2.0]


def test_in_place_on_a_view_of_a_non_leaf():
    # PyTorch's CopySlices: the base's history is rebased onto the in-place op.
    x = t([1.0, 2.0, 3.0])
    y = x * 2
    y[1:].mul_(3)
    y.sum().backward()
    assert values(x.grad) == [2.0, 6.0, 6.0]


def test_setitem_with_a_constant_on_a_non_leaf_cuts_the_overwritten_gradient():
    x = t([[1.0, 2.0], [3.0, 4.0]])
    y = x.clone()
    y[0] = ember.tensor([5.0, 6.0], dtype=F64)  # a constant: no gradient to x there
    (y * y).sum().backward()
    assert values(x.grad) == [[0.0, 0.0], [6.0, 8.0]]


# ---------------------------------------------------------------- safety errors (B18-B22)


def test_b18_backward_twice_through_saved_tensors():
    x = t([1.0, 2.0])
    y = x.sigmoid().sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    with pytest.raises(RuntimeError, match="Specify retain_graph=True"):
        ember.autograd.grad(y, x)


def test_b20_saved_tensor_modified_in_place():
    x = t([1.0, 2.0])
    y = x.sigmoid()
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation") as info:
        y.sum().backward()
    message = str(info.value)
    assert "SigmoidBackward0" in message and "output 0" in message
    at, expected = re.search(r"is at version (\d+); expected version (\d+)", message).groups()
    assert int(at) == int(expected) + 1  # one write, one version


def test_b20_saved_input_modified_in_place():
    x = t([1.0, 2.0])
    a = x * 1
    y = a.sin()  # SinBackward0 saves its input
    a.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*SinBackward0"):
        y.sum().backward()


def test_b21_in_place_on_a_leaf_that_requires_grad():
    x = t([1.0, 2.0])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation"):
        x.add_(1)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad is "
                                           "being used in an in-place operation"):
        x[0].mul_(2)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
        x.view(2, 1).zero_()
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x[0] = 5.0
    assert values(x) == [1.0, 2.0]
    with ember.no_grad():
        x.add_(1)  # allowed under no_grad
    assert values(x) == [2.0, 3.0]


def test_b22_implicit_gradient_for_non_scalar_and_no_grad():
    x = t([1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        ember.ones(2).sum().backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        ember.autograd.grad(ember.ones(2).sum(), [x])


# ---------------------------------------------------------------- custom Functions


class MulScale(Function):
    """x * y * factor with a non-tensor argument."""

    @staticmethod
    def forward(ctx, x, factor, y):
        ctx.factor = factor
        ctx.save_for_backward(x, y)
        ctx.forward_flags = ctx.needs_input_grad
        return x * y * factor

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        x_grad = grad * y * ctx.factor if ctx.needs_input_grad[0] else None
        y_grad = grad * x * ctx.factor if ctx.needs_input_grad[2] else None
        return x_grad, None, y_grad


class MulScaleLast(Function):
    """x * y * factor, the non-tensor argument last."""

    @staticmethod
    def forward(ctx, x, y, factor):
        ctx.factor = factor
        ctx.save_for_backward(x, y)
        return x * y * factor

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * y * ctx.factor, grad * x * ctx.factor, None


def test_function_save_for_backward_and_a_trailing_non_tensor_argument():
    x, y = t([1.0, 2.0]), t([3.0, 4.0])
    out = MulScaleLast.apply(x, y, 2.0)
    assert out.grad_fn.name() == "MulScaleLastBackward"
    out.sum().backward()
    assert values(x.grad) == [6.0, 8.0] and values(y.grad) == [2.0, 4.0]


def test_function_non_tensor_argument_between_tensors():
    x, y = t([1.0, 2.0]), t([3.0, 4.0])
    out = MulScale.apply(x, 2.0, y)
    assert out.grad_fn.name() == "MulScaleBackward"
    out.sum().backward()
    assert values(x.grad) == [6.0, 8.0] and values(y.grad) == [2.0, 4.0]


def test_function_needs_input_grad():
    x, y = t([1.0, 2.0]), t([3.0, 4.0], requires_grad=False)
    out = MulScale.apply(x, 2.0, y)
    assert out.grad_fn.next_functions[1] == (None, 0)
    assert out.grad_fn is not None
    out.sum().backward()
    assert values(x.grad) == [6.0, 8.0]
    captured = {}

    class Flags(Function):
        @staticmethod
        def forward(ctx, a, b, k):
            captured["forward"] = ctx.needs_input_grad
            return a * b * k

        @staticmethod
        def backward(ctx, grad):
            captured["backward"] = ctx.needs_input_grad
            return grad, None, None

    Flags.apply(x, y, 3).sum().backward()
    assert captured == {"forward": (True, False, False), "backward": (True, False, False)}


def test_function_without_inputs_requiring_grad_records_nothing():
    a, b = t([1.0], False), t([2.0], False)
    out = MulScale.apply(a, 1.0, b)
    assert not out.requires_grad and out.grad_fn is None


def test_function_mark_non_differentiable():
    class WithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            index = x.argmax()
            scaled = x * 10
            ctx.mark_non_differentiable(index, scaled)
            return x * 2, index, scaled

        @staticmethod
        def backward(ctx, grad, grad_index, grad_scaled):
            return grad * 2

    a = t([1.0, 3.0])
    doubled, index, scaled = WithIndex.apply(a)
    assert doubled.requires_grad
    assert not index.requires_grad and not scaled.requires_grad
    doubled.sum().backward()
    assert values(a.grad) == [2.0, 2.0]


def test_function_materializes_missing_output_grads():
    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, grad_first, grad_second):
            return grad_first * 2 + grad_second * 3

    a = t([1.0, 2.0])
    first, _ = Two.apply(a)
    first.sum().backward()
    assert values(a.grad) == [2.0, 2.0]


def test_function_create_graph_through_a_differentiable_backward():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x * x

    x = t([1.0, 2.0])
    (g1,) = ember.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    assert values(g1) == [3.0, 12.0] and g1.requires_grad
    (g2,) = ember.autograd.grad(g1.sum(), x)
    assert values(g2) == [6.0, 12.0]
    assert ember.autograd.gradcheck(Cube.apply, (x,))
    assert ember.autograd.gradgradcheck(Cube.apply, (x,))


def test_function_saved_tensor_checks():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * grad * x

    x = t([1.0, 2.0])
    a = x * 1
    out = Square.apply(a)
    a.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
    total = Square.apply(x).sum()
    total.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        total.backward()


def test_function_backward_returning_too_few_gradients():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = t([1.0])
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        Bad.apply(a, a).sum().backward()


def test_variable_returns_a_tensor():
    v = Variable(ember.ones(2, dtype=F64), requires_grad=True)
    assert isinstance(v, ember.Tensor) and isinstance(v, Variable)
    assert v.requires_grad and v.is_leaf
    plain = Variable(ember.ones(2))
    assert isinstance(plain, ember.Tensor) and not plain.requires_grad
    (v * 3).sum().backward()
    assert values(v.grad) == [3.0, 3.0]


# ---------------------------------------------------------------- anomaly mode


def forward_line(function):
    """The line of `function` marked `# forward`, as 'file:line'."""
    lines, start = inspect.getsourcelines(function)
    offset = next(i for i, line in enumerate(lines) if line.rstrip().endswith("# forward"))
    return f"{__file__}:{start + offset}"


def test_anomaly_mode_names_the_node_and_the_forward_line_for_log():
    x = t([0.0, 1.0])

    def run():
        with ember.autograd.detect_anomaly():
            y = x.log()  # forward
            (y * 0).sum().backward()  # 0 / 0 in LogBackward0

    with pytest.raises(RuntimeError, match="Function 'LogBackward0' returned nan values") as info:
        run()
    assert forward_line(run) in str(info.value)


def test_anomaly_mode_names_the_node_and_the_forward_line_for_div():
    a, b = t([0.0, 1.0]), t([0.0, 2.0])

    def run():
        with ember.autograd.detect_anomaly():
            y = a / b  # forward
            y.sum().backward()

    with pytest.raises(RuntimeError, match="Function 'DivBackward0' returned nan values") as info:
        run()
    assert forward_line(run) in str(info.value)


def test_nan_gradients_pass_silently_outside_anomaly_mode():
    x = t([0.0, 1.0])
    (x.log() * 0).sum().backward()
    assert math.isnan(values(x.grad)[0])
    with ember.autograd.detect_anomaly():
        pass
    assert not ember._C._autograd.is_anomaly_enabled()


def test_anomaly_mode_in_a_custom_function():
    class NanBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad * math.nan

    x = t([1.0])
    with ember.autograd.detect_anomaly():
        y = NanBackward.apply(x)
        with pytest.raises(RuntimeError, match="NanBackwardBackward"):
            y.sum().backward()


def test_grad_object_follows_assignment_and_attributes_stay():
    p = t([1.0, 2.0])
    replacement = ember.zeros(2, dtype=ember.float64)
    p.grad = replacement
    assert p.grad is replacement
    p.grad = None
    assert p.grad is None
    p.note = "weights"
    assert p.note == "weights"


def test_repr_shows_grad_fn_and_requires_grad_like_pytorch():
    x = ember.ones(2, requires_grad=True)
    assert repr(x) == "tensor([1., 1.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 2.], grad_fn=<MulBackward0>)"
    assert repr((x * 2).sum()) == "tensor(4., grad_fn=<SumBackward0>)"
    assert repr(x.detach()) == "tensor([1., 1.])"
