"""One Python object per tensor (DESIGN §5, docs/architecture.md Note [Python objects]).

While a tensor's Python object lives, every path that hands the tensor back from C++ returns that
object: in-place ops and views that return self, hooks, autograd.grad, containers, .grad, custom
Function outputs and AccumulateGrad.variable. A Python subclass of Tensor (nn.Parameter's shape)
keeps its class and attributes through all of them; Tensor._make_subclass and Tensor.as_subclass
follow PyTorch. Objects are freed (no leak over a million of them) and cycles through hooks are
collected.
"""
import gc
import os
import weakref

import pytest

import ember
from ember.autograd import Function


class Parameter(ember.Tensor):
    """nn.Parameter's construction, as in PyTorch."""

    def __new__(cls, data, requires_grad=True):
        return ember.Tensor._make_subclass(cls, data, requires_grad)


class Tagged(ember.Tensor):
    """A subclass with its own __init__ (called after __new__ as usual)."""

    def __new__(cls, data, tag):
        return ember.Tensor._make_subclass(cls, data)

    def __init__(self, data, tag):
        self.tag = tag


def param(values=(1.0, 2.0, 3.0)):
    p = Parameter(ember.tensor(list(values)))
    p.name = "weight"
    return p


def leaf_accumulator(output):
    """The AccumulateGrad node one step below `output` (output = f(leaf))."""
    return output.grad_fn.next_functions[0][0]


# ------------------------------------------------------------ methods that return self


INPLACE = {
    "add_": lambda x: x.add_(1),
    "mul_": lambda x: x.mul_(2),
    "zero_": lambda x: x.zero_(),
    "fill_": lambda x: x.fill_(3),
    "clamp_": lambda x: x.clamp_(0, 1),
    "exp_": lambda x: x.exp_(),
    "copy_": lambda x: x.copy_(ember.ones(3)),
    "requires_grad_": lambda x: x.requires_grad_(),
    "detach_": lambda x: x.detach_(),
    "contiguous": lambda x: x.contiguous(),
    "to(same dtype)": lambda x: x.to(ember.float32),
    "float()": lambda x: x.float(),
    "__pos__": lambda x: +x,
}


@pytest.mark.parametrize("name", sorted(INPLACE))
@pytest.mark.parametrize("cls", ["Tensor", "Parameter"])
def test_methods_returning_self_return_the_same_object(name, cls):
    x = ember.tensor([1.0, 2.0, 3.0]) if cls == "Tensor" else param()
    if cls == "Parameter":
        x.requires_grad_(False)
    assert INPLACE[name](x) is x
    assert type(x).__name__ == cls


def test_inplace_operators_keep_the_object_and_subclass():
    p = param()
    p.requires_grad_(False)
    before = p
    p += 1
    p *= 2
    assert p is before and type(p) is Parameter and p.name == "weight"
    assert p.tolist() == [4.0, 6.0, 8.0]


def test_setitem_and_index_put_keep_the_object():
    x = ember.zeros(3)
    x[0] = 1.0
    y = x
    assert x is y and x.tolist() == [1.0, 0.0, 0.0]


# ------------------------------------------------------------ hooks and autograd.grad


def test_hook_receives_the_gradient_object_passed_to_backward():
    x = ember.ones(3, requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(seen.append)
    gradient = Tagged(ember.full((3,), 2.0), tag="g")
    y.backward(gradient)
    assert seen[0] is gradient and seen[0].tag == "g"


def test_tensor_returned_by_a_hook_reaches_the_next_hook_as_itself():
    x = ember.ones(3, requires_grad=True)
    y = x * 2
    replacement = Tagged(ember.zeros(3), tag="replacement")
    seen = []
    y.register_hook(lambda grad: replacement)
    y.register_hook(seen.append)
    (y * 1).sum().backward()
    assert seen[0] is replacement and type(seen[0]) is Tagged


def test_autograd_grad_returns_the_hooks_objects():
    x = ember.ones(3, requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(seen.append)
    (gy,) = ember.autograd.grad((y * 3).sum(), [y])
    assert gy is seen[0]

    z = x * 2
    replacement = Tagged(ember.full((3,), 7.0), tag="r")
    z.register_hook(lambda grad: replacement)
    (gz,) = ember.autograd.grad((z * 3).sum(), z)
    assert gz is replacement and gz.tag == "r"


def test_autograd_grad_passes_a_grad_output_through_as_itself():
    x = ember.ones(3, requires_grad=True)
    y = x * 1
    gradient = ember.full((3,), 2.0)
    (gy,) = ember.autograd.grad(y, [y], gradient)
    assert gy is gradient
    # With history it is detached: a new object without grad_fn, as before.
    tracked = ember.ones(3, requires_grad=True) * 2
    (gy,) = ember.autograd.grad(x * 1, [x], tracked)
    assert gy is not tracked and gy.grad_fn is None and not gy.requires_grad


# ------------------------------------------------------------ .grad


def test_grad_is_one_object_with_lasting_attributes_and_inplace_accumulation():
    p = param()
    (p * 2).sum().backward()
    grad = p.grad
    assert p.grad is grad
    grad.note = "first"
    del grad
    gc.collect()
    assert p.grad.note == "first"
    (p * 3).sum().backward()  # accumulates in place
    assert p.grad.note == "first" and p.grad.tolist() == [5.0, 5.0, 5.0]


def test_grad_setter_keeps_the_assigned_object_and_its_class():
    p = param()
    p.grad = Tagged(ember.ones(3), tag="assigned")
    assert type(p.grad) is Tagged and p.grad.tag == "assigned" and p.grad is p.grad
    p.grad = None
    assert p.grad is None


def test_leaf_grad_object_is_the_subclass_parameters_own_attribute_holder():
    p = param()
    (p * p).sum().backward()
    assert type(p) is Parameter and p.name == "weight"
    assert type(p.grad) is ember.Tensor


# ------------------------------------------------------------ containers and graph nodes


def test_accumulate_grad_variable_is_the_leaf_object():
    p = param()
    x = ember.ones(3, requires_grad=True)
    for leaf in (p, x):
        node = leaf_accumulator(leaf * 2)
        assert type(node).__name__ == "AccumulateGrad" and node.name() == "AccumulateGrad"
        assert node.variable is leaf
    assert leaf_accumulator(p * 3).variable.name == "weight"


def test_saved_tensors_and_grad_tuples_return_the_original_objects():
    class Scale(Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return x * w

        @staticmethod
        def backward(ctx, grad):
            x, w = ctx.saved_tensors
            seen.extend([x, w])
            return grad * w, grad * x

    seen = []
    p = param()
    x = ember.ones(3, requires_grad=True)
    gx, gp = ember.autograd.grad(Scale.apply(x, p).sum(), [x, p])
    assert seen[0] is x and seen[1] is p and type(seen[1]) is Parameter
    assert gx.tolist() == [1.0, 2.0, 3.0] and gp.tolist() == [1.0, 1.0, 1.0]


def test_custom_function_outputs_are_the_objects_forward_returned():
    made = []

    class Wrap(Function):
        @staticmethod
        def forward(ctx, x):
            out = Tagged(x * 2, tag="from forward")
            made.append(out)
            return out, x + 1

        @staticmethod
        def backward(ctx, grad_out, grad_other):
            return grad_out * 2 + grad_other

    x = ember.ones(2, requires_grad=True)
    out, other = Wrap.apply(x)
    assert out is made[0] and type(out) is Tagged and out.tag == "from forward"
    assert out.grad_fn is not None and other.grad_fn is out.grad_fn
    (out.sum() + other.sum()).backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_gradcheck_passes_the_users_objects_to_the_function():
    p = Parameter(ember.tensor([1.0, 2.0], dtype=ember.float64))
    seen = []

    def f(a):
        seen.append(a)
        return a * a

    assert ember.autograd.gradcheck(f, (p,))
    assert seen[0] is p


# ------------------------------------------------------------ _make_subclass / as_subclass


def test_make_subclass_shares_data_detached_with_requires_grad_as_asked():
    x = ember.ones(3, requires_grad=True)
    y = x * 2  # has history
    p = ember.Tensor._make_subclass(Parameter, y, True)
    assert type(p) is Parameter and p is not y
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    q = ember.Tensor._make_subclass(Parameter, y)
    assert not q.requires_grad
    with ember.no_grad():
        y.add_(1)
    assert p.tolist() == [3.0, 3.0, 3.0] == q.tolist()  # the same memory
    assert p.dtype == y.dtype and p.shape == y.shape
    plain = ember.Tensor._make_subclass(ember.Tensor, y)
    assert type(plain) is ember.Tensor and plain is not y


def test_make_subclass_errors_follow_pytorch():
    x = ember.ones(2)
    with pytest.raises(RuntimeError, match="does not inherit from Tensor"):
        ember.Tensor._make_subclass(int, x)
    with pytest.raises(RuntimeError, match="does not inherit from Tensor"):
        ember.Tensor._make_subclass("Parameter", x)
    with pytest.raises(TypeError):
        ember.Tensor._make_subclass(Parameter, [1.0, 2.0])
    with pytest.raises(RuntimeError, match="floating point"):
        ember.Tensor._make_subclass(Parameter, ember.ones(2, dtype=ember.int64), True)


def test_subclass_init_runs_and_tensor_cannot_be_constructed_directly():
    t = Tagged(ember.ones(2), tag="hello")
    assert t.tag == "hello" and type(t) is Tagged
    with pytest.raises(TypeError, match="cannot be constructed directly"):
        ember.Tensor()
    with pytest.raises(TypeError, match="cannot be constructed directly"):
        ember.Tensor.__new__(Parameter).__init__()  # an instance never built


def test_as_subclass_keeps_autograd_history_and_shares_data():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    a = x.as_subclass(Parameter)
    assert type(a) is Parameter and a is not x
    assert a.requires_grad and a.grad_fn is not None
    (a * a).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]
    with ember.no_grad():
        x.mul_(10)
    assert a.tolist() == [10.0, 20.0]
    back = a.as_subclass(ember.Tensor)
    assert type(back) is ember.Tensor and back is not a
    with pytest.raises(RuntimeError, match="does not inherit from Tensor"):
        x.as_subclass(dict)


@pytest.mark.parametrize("make", [lambda: ember.arange(6.0).reshape(2, 3).t(),
                                  lambda: ember.arange(4)[::2], lambda: ember.tensor(3.0),
                                  lambda: ember.zeros(0, 2).t()])
def test_as_subclass_of_any_layout(make):
    x = make()
    a = x.as_subclass(Tagged)
    assert type(a) is Tagged and a.shape == x.shape and a.tolist() == x.tolist()
    assert a.stride() == x.stride() and a.dtype == x.dtype


# ------------------------------------------------------------ lifetime: weakrefs, leaks, cycles


def test_weakref_dies_with_the_object_even_while_cpp_keeps_the_tensor():
    p = param()
    node = leaf_accumulator(p * 2)  # holds the leaf's TensorImpl
    ref = weakref.ref(p)
    del p
    gc.collect()
    assert ref() is None
    # Without a live object, the tensor comes back as a new plain object (PyTorch would have
    # kept the dying Parameter alive instead; see Note [Python objects]).
    revived = node.variable
    assert type(revived) is ember.Tensor and revived.tolist() == [1.0, 2.0, 3.0]
    assert node.variable is revived


def test_weakref_callback_may_fetch_the_dying_tensor_from_cpp():
    p = param()
    node = leaf_accumulator(p * 2)
    fetched = []
    ref = weakref.ref(p, lambda _: fetched.append(node.variable))
    del p
    gc.collect()
    assert ref() is None and len(fetched) == 1
    assert type(fetched[0]) is ember.Tensor and fetched[0].tolist() == [1.0, 2.0, 3.0]
    assert node.variable is fetched[0]


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def churn(iterations):
    """Creates and drops two tensor objects per iteration: a plain one and a subclass one."""
    base = ember.ones(4)
    for _ in range(iterations):
        t = base + 1
        Parameter(t, requires_grad=False).flag = True


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads RSS from /proc")
def test_a_million_objects_leave_memory_flat():
    churn(50_000)  # warm up the allocator cache and the interpreter's free lists
    gc.collect()
    rss_before = rss_bytes()
    allocated_before = ember._C._allocator_stats()["allocated_bytes"]
    churn(500_000)
    gc.collect()
    assert ember._C._allocator_stats()["allocated_bytes"] == allocated_before
    # One leaked object per iteration would be at least 50 MB.
    assert rss_bytes() - rss_before < 8 * 2**20


def collected(make):
    """Builds a cycle with make() (which returns one of its objects), drops it, collects."""
    ref = weakref.ref(make())
    gc.collect()
    return ref() is None


def test_hook_closure_referencing_its_own_subclass_tensor_is_collected():
    def make():
        p = param()
        p.register_hook(lambda grad: grad * len(p.name))
        return p

    assert collected(make)


def test_hook_closure_referencing_its_own_tensor_is_collected():
    def make():
        x = ember.ones(3, requires_grad=True)
        x.register_hook(lambda grad: grad + x)
        return x

    assert collected(make)


def test_non_leaf_subclass_with_self_referencing_hook_is_collected():
    def make():
        x = ember.ones(3, requires_grad=True)
        y = (x * 2).as_subclass(Tagged)
        y.register_hook(lambda grad: grad * y)
        return y

    assert collected(make)


def test_cycle_through_grad_and_attributes_is_collected():
    def make():
        p = param()
        (p * 2).sum().backward()
        p.grad.owner = p
        p.me = p
        return p

    assert collected(make)


def test_hook_kept_while_the_graph_still_uses_the_tensor():
    # The graph holds x's TensorImpl, so its hook must survive x's object being collected.
    calls = []

    def make():
        x = param()
        x.register_hook(lambda grad: calls.append(x) or grad)
        return x * 2

    y = make()
    gc.collect()
    y.sum().backward()
    assert len(calls) == 1 and type(calls[0]) is Parameter
