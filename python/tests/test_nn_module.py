"""nn.Module and nn.Parameter with PyTorch's API: registration by attribute, iteration and
naming, state_dict / load_state_dict, modes and conversions, forward and backward hooks,
printing, deepcopy and pickle, and modules that grow during training. Expected state-dict keys
and printed layouts are written by hand from PyTorch's rules."""
import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn


class Affine(nn.Module):
    """y = x W^T + b, with Linear's parameter names and printed settings."""

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(ember.randn(out_features, in_features) * 0.5)
        if bias:
            self.bias = nn.Parameter(ember.zeros(out_features))
        else:
            self.register_parameter("bias", None)

    def forward(self, x):
        y = x @ self.weight.t()
        return y if self.bias is None else y + self.bias

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Tanh(nn.Module):
    def forward(self, x):
        return x.tanh()


class Norm(nn.Module):
    """A module with a persistent and a non-persistent buffer."""

    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(ember.ones(n))
        self.register_buffer("running_mean", ember.zeros(n))
        self.register_buffer("scratch", ember.zeros(n), persistent=False)
        self.register_buffer("num_batches_tracked", ember.tensor(0))

    def forward(self, x):
        return (x - self.running_mean) * self.scale


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = Affine(4, 8)
        self.norm = Norm(8)
        self.act = Tanh()
        self.fc2 = Affine(8, 2)

    def forward(self, x):
        return self.fc2(self.act(self.norm(self.fc1(x))))


def values(t):
    return t.detach().double().numpy()


# ------------------------------------------------------------ Parameter


def test_parameter_defaults_and_repr():
    p = nn.Parameter(ember.tensor([1.0, 2.0]))
    assert isinstance(p, ember.Tensor) and type(p) is nn.Parameter
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    frozen = nn.Parameter(ember.tensor([1.0]), requires_grad=False)
    assert repr(frozen) == "Parameter containing:\ntensor([1.])"
    empty = nn.Parameter()
    assert empty.shape == (0,) and empty.requires_grad


def test_parameter_shares_memory_and_detaches_history():
    x = ember.ones(3, requires_grad=True)
    y = x * 2
    p = nn.Parameter(y)
    assert p.is_leaf and p.grad_fn is None
    with ember.no_grad():
        p.add_(1)
    assert y.tolist() == [3.0, 3.0, 3.0]


def test_parameter_survives_round_trips_through_cpp():
    p = nn.Parameter(ember.ones(3))
    p.tag = "w"
    assert p.requires_grad_(True) is p
    with ember.no_grad():
        assert p.add_(1) is p and p.mul_(2) is p and p.zero_() is p
    (p * ember.arange(3.0)).sum().backward()
    grad = p.grad
    assert p.grad is grad and grad.tolist() == [0.0, 1.0, 2.0]
    out = p * 2
    assert type(out) is ember.Tensor  # out-of-place results are plain tensors, as in PyTorch
    assert out.grad_fn.next_functions[0][0].variable is p
    seen = []
    p.register_hook(lambda g: seen.append(g))
    (p * 1).sum().backward()
    assert type(p) is nn.Parameter and p.tag == "w" and len(seen) == 1
    (g,) = ember.autograd.grad((p * p).sum(), [p])
    assert g.tolist() == [0.0, 0.0, 0.0]


def test_parameter_of_integer_data_requires_grad_false():
    p = nn.Parameter(ember.tensor([1, 2]), requires_grad=False)
    assert p.dtype == ember.int64 and not p.requires_grad


# ------------------------------------------------------------ registration


def test_attribute_assignment_registers_in_order():
    net = Net()
    assert list(net._modules) == ["fc1", "norm", "act", "fc2"]
    assert [name for name, _ in net.named_parameters()] == [
        "fc1.weight", "fc1.bias", "norm.scale", "fc2.weight", "fc2.bias"]
    assert [name for name, _ in net.named_buffers()] == [
        "norm.running_mean", "norm.scratch", "norm.num_batches_tracked"]
    assert [name for name, _ in net.named_modules()] == ["", "fc1", "norm", "act", "fc2"]
    assert [name for name, _ in net.named_children()] == ["fc1", "norm", "act", "fc2"]
    assert next(net.children()) is net.fc1
    assert len(list(net.modules())) == 5 and next(net.modules()) is net
    assert net.fc1.weight is net.get_parameter("fc1.weight")


def test_named_members_prefix_recurse_and_duplicates():
    net = Net()
    assert [n for n, _ in net.named_parameters(prefix="model")][:2] == [
        "model.fc1.weight", "model.fc1.bias"]
    assert [n for n, _ in net.named_parameters(recurse=False)] == []
    assert [n for n, _ in net.norm.named_buffers(recurse=False)] == [
        "running_mean", "scratch", "num_batches_tracked"]
    net.fc3 = net.fc1  # the same module twice
    net.tied = nn.Parameter(ember.ones(1))
    net.fc2.weight = net.fc1.weight  # a shared parameter (shapes differ, names matter here)
    names = [n for n, _ in net.named_parameters()]
    assert names == ["tied", "fc1.weight", "fc1.bias", "norm.scale", "fc2.bias"]
    all_names = [n for n, _ in net.named_parameters(remove_duplicate=False)]
    assert all_names == ["tied", "fc1.weight", "fc1.bias", "norm.scale", "fc2.weight",
                         "fc2.bias", "fc3.weight", "fc3.bias"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "norm", "act", "fc2"]
    assert len(list(net.named_modules(remove_duplicate=False))) == 6
    assert len(list(net.parameters())) == 5


def test_named_modules_memo_and_prefix():
    net = Net()
    memo = {net.fc1}
    assert [n for n, _ in net.named_modules(memo=memo, prefix="m")] == [
        "m", "m.norm", "m.act", "m.fc2"]


def test_reassignment_moves_between_registries():
    m = nn.Module()
    m.x = nn.Parameter(ember.ones(1))
    m.x = None  # a parameter slot stays a parameter slot
    assert "x" in m._parameters and m.x is None
    assert list(m.parameters()) == []
    m.register_buffer("b", ember.ones(1))
    m.b = ember.zeros(1)
    assert m._buffers["b"].tolist() == [0.0]
    m.b = nn.Parameter(ember.ones(2))  # a Parameter takes the name out of the buffers
    assert "b" in m._parameters and "b" not in m._buffers
    m.sub = Tanh()
    m.sub = None
    assert m._modules["sub"] is None and list(m.children()) == []
    m.plain = 3
    assert m.plain == 3 and "plain" in m.__dict__


def test_registration_errors():
    m = nn.Module()
    m.p = nn.Parameter(ember.ones(1))
    with pytest.raises(TypeError, match="cannot assign 'ember.Tensor' as parameter 'p'"):
        m.p = ember.ones(1)
    m.child = Tanh()
    with pytest.raises(TypeError, match="as child module 'child'"):
        m.child = 3
    m.register_buffer("buf", None)
    with pytest.raises(TypeError, match="as buffer 'buf'"):
        m.buf = [1.0]
    with pytest.raises(KeyError, match='contain "."'):
        m.register_parameter("a.b", None)
    with pytest.raises(KeyError, match="empty string"):
        m.register_buffer("", None)
    with pytest.raises(TypeError, match="name should be a string"):
        m.add_module(3, Tanh())
    with pytest.raises(KeyError, match="attribute 'train' already exists"):
        m.register_parameter("train", None)
    with pytest.raises(TypeError, match="is not a Module subclass"):
        m.add_module("x", 3)
    with pytest.raises(TypeError, match="Parameter or None required"):
        m.register_parameter("q", ember.ones(1))
    with pytest.raises(TypeError, match="Tensor or None required"):
        m.register_buffer("c", 3.0)
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'missing'"):
        _ = m.missing


def test_non_leaf_parameter_is_refused():
    m = nn.Module()
    p = nn.Parameter(ember.ones(2))
    view = p.as_subclass(nn.Parameter)  # keeps history: not a leaf
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'w'"):
        m.register_parameter("w", view)
    assert "w" not in m._parameters


def test_assignment_before_init_raises():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ember.ones(1))

    with pytest.raises(AttributeError, match="cannot assign parameters before Module.__init__"):
        Broken()


def test_delattr_and_dir():
    net = Net()
    del net.fc2
    assert "fc2" not in net._modules
    del net.norm.running_mean
    assert "running_mean" not in net.norm._buffers
    m = Norm(2)
    del m.scratch
    assert "scratch" not in m._non_persistent_buffers_set
    names = dir(Net())
    assert {"fc1", "norm", "forward", "state_dict", "training"} <= set(names)
    assert names == sorted(names)


def test_get_submodule_parameter_buffer():
    net = nn.Module()
    net.block = Net()
    assert net.get_submodule("block.fc1") is net.block.fc1
    assert net.get_submodule("") is net
    assert net.get_buffer("block.norm.running_mean") is net.block.norm.running_mean
    with pytest.raises(AttributeError, match="Net has no attribute `nope`"):
        net.get_submodule("block.nope")
    with pytest.raises(AttributeError, match="`running_mean` is not an nn.Parameter"):
        net.get_parameter("block.norm.running_mean")
    with pytest.raises(AttributeError, match="`scale` is not a buffer"):
        net.get_buffer("block.norm.scale")
    net.block.flag = 1
    with pytest.raises(AttributeError, match="`flag` is not an nn.Module"):
        net.get_submodule("block.flag.x")


# ------------------------------------------------------------ state_dict


def test_state_dict_keys_order_and_detached_tensors():
    net = Net()
    state = net.state_dict()
    assert isinstance(state, OrderedDict)
    assert list(state) == ["fc1.weight", "fc1.bias", "norm.scale", "norm.running_mean",
                           "norm.num_batches_tracked", "fc2.weight", "fc2.bias"]
    weight = state["fc1.weight"]
    assert type(weight) is ember.Tensor and not weight.requires_grad
    assert weight.data_ptr() == net.fc1.weight.data_ptr()  # shares memory
    kept = net.state_dict(keep_vars=True)
    assert kept["fc1.weight"] is net.fc1.weight
    prefixed = net.state_dict(prefix="model.")
    assert next(iter(prefixed)) == "model.fc1.weight"
    assert state._metadata[""] == {"version": 1} and "fc1" in state._metadata


def test_load_state_dict_copies_values_in_place():
    source, target = Net(), Net()
    weight = target.fc1.weight
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    assert target.fc1.weight is weight  # same object, new values
    for name, tensor in source.state_dict().items():
        np.testing.assert_array_equal(values(target.state_dict()[name]), values(tensor))


def test_load_state_dict_strict_reports_missing_and_unexpected():
    net = Net()
    state = net.state_dict()
    del state["fc2.bias"]
    state["fc2.extra"] = ember.ones(1)
    state["head.weight"] = ember.ones(1)
    with pytest.raises(RuntimeError) as error:
        net.load_state_dict(state)
    message = str(error.value)
    assert message.startswith("Error(s) in loading state_dict for Net:\n\t")
    assert 'Missing key(s) in state_dict: "fc2.bias". ' in message
    # Each module reports its own keys before its children's (as PyTorch).
    assert 'Unexpected key(s) in state_dict: "head.weight", "fc2.extra". ' in message
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc2.bias"]
    assert result.unexpected_keys == ["head.weight", "fc2.extra"]
    missing, _ = result  # a NamedTuple
    assert missing == ["fc2.bias"] and type(result).__name__ == "_IncompatibleKeys"


def test_load_state_dict_shape_mismatch_names_key_and_shapes():
    net = Net()
    state = net.state_dict()
    state["fc1.weight"] = ember.zeros(3, 4)
    for strict in (True, False):
        with pytest.raises(RuntimeError) as error:
            net.load_state_dict(state, strict=strict)
        assert ("size mismatch for fc1.weight: copying a param with shape ember.Size([3, 4]) "
                "from checkpoint, the shape in current model is ember.Size([8, 4]).") in str(
                    error.value)


def test_load_state_dict_errors_for_bad_values():
    net = Net()
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        net.load_state_dict([1, 2])
    state = net.state_dict()
    state["fc1.bias"] = [0.0] * 8
    with pytest.raises(RuntimeError, match='While copying the parameter named "fc1.bias"'):
        net.load_state_dict(state)


def test_non_persistent_buffer_is_not_saved_or_expected():
    m = Norm(3)
    assert "scratch" not in m.state_dict()
    m.load_state_dict({"scale": ember.ones(3), "running_mean": ember.ones(3),
                       "num_batches_tracked": ember.tensor(5)})
    assert m.running_mean.tolist() == [1.0, 1.0, 1.0] and m.num_batches_tracked.item() == 5


def test_load_state_dict_assign_replaces_tensors():
    m = Norm(2)
    new_scale = ember.full((2,), 3.0)
    m.load_state_dict({"scale": new_scale, "running_mean": ember.ones(2),
                       "num_batches_tracked": ember.tensor(1)}, assign=True)
    assert type(m.scale) is nn.Parameter and m.scale.requires_grad
    assert m.scale.data_ptr() == new_scale.data_ptr()


def test_overridden_save_and_load_hooks_of_state_dict():
    class Renamed(Affine):
        """Stores its weight under an old name (PyTorch's versioned-checkpoint pattern)."""

        def _save_to_state_dict(self, destination, prefix, keep_vars):
            super()._save_to_state_dict(destination, prefix, keep_vars)
            destination[prefix + "w_old"] = destination.pop(prefix + "weight")

        def _load_from_state_dict(self, state_dict, prefix, *args):
            if prefix + "w_old" in state_dict:
                state_dict[prefix + "weight"] = state_dict.pop(prefix + "w_old")
            super()._load_from_state_dict(state_dict, prefix, *args)

    outer = nn.Module()
    outer.layer = Renamed(2, 2)
    state = outer.state_dict()
    assert set(state) == {"layer.bias", "layer.w_old"}
    other = nn.Module()
    other.layer = Renamed(2, 2)
    other.load_state_dict(state)
    np.testing.assert_array_equal(values(other.layer.weight), values(outer.layer.weight))


def test_extra_state_round_trips():
    class Counter(nn.Module):
        def __init__(self):
            super().__init__()
            self.count = 0

        def get_extra_state(self):
            return {"count": self.count}

        def set_extra_state(self, state):
            self.count = state["count"]

    a, b = Counter(), Counter()
    a.count = 4
    assert list(a.state_dict()) == ["_extra_state"]
    b.load_state_dict(a.state_dict())
    assert b.count == 4


def test_state_dict_and_load_hooks():
    net = Net()
    calls = []
    net.register_state_dict_pre_hook(lambda m, prefix, keep_vars: calls.append(prefix))
    net._register_state_dict_hook(lambda m, state, prefix, meta: calls.append(len(state)))
    net.state_dict()
    assert calls == ["", 7]

    def forgive_missing(module, incompatible):
        incompatible.missing_keys.clear()

    net.register_load_state_dict_post_hook(forgive_missing)
    state = net.state_dict()
    del state["fc1.bias"]
    assert net.load_state_dict(state).missing_keys == []


# ------------------------------------------------------------ modes and conversions


def test_train_eval_and_requires_grad():
    net = Net()
    assert net.training and net.fc1.training
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")
    net.fc1.requires_grad_(False)
    assert [p.requires_grad for p in net.parameters()] == [False, False, True, True, True]


def test_zero_grad_to_none_or_zeros():
    net = Net()
    net(ember.randn(3, 4)).sum().backward()
    grad = net.fc1.weight.grad
    net.zero_grad(set_to_none=False)
    assert net.fc1.weight.grad is grad and grad.abs().sum().item() == 0.0
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_to_and_float_conversions_keep_names_class_and_integer_buffers():
    net = Net()
    net(ember.randn(2, 4)).sum().backward()
    net.fc1.weight.tag = "first"
    assert net.double() is net
    assert all(p.dtype == ember.float64 for p in net.parameters())
    assert type(net.fc1.weight) is nn.Parameter and net.fc1.weight.requires_grad
    assert net.fc1.weight.tag == "first"
    assert net.fc1.weight.grad.dtype == ember.float64
    assert net.norm.running_mean.dtype == ember.float64
    assert net.norm.num_batches_tracked.dtype == ember.int64  # integer buffers keep their dtype
    net.to(ember.float32)
    assert net.fc2.bias.dtype == ember.float32
    net.to(dtype=ember.float16).to("cpu")
    assert net.fc2.bias.dtype == ember.float16
    net.bfloat16()
    assert net.fc2.bias.dtype == ember.bfloat16
    net.half().float()
    assert net.fc2.bias.dtype == ember.float32
    net.to(ember.zeros(1, dtype=ember.float64))
    assert net.fc2.bias.dtype == ember.float64
    assert net.fc2.weight.requires_grad and type(net.fc2.weight) is nn.Parameter
    with pytest.raises(TypeError, match="only accepts floating point"):
        net.to(ember.int32)
    same = net.fc1.weight
    net.double().cpu()  # nothing to convert: the same objects
    assert net.fc1.weight is same


def test_type_and_cuda():
    net = Affine(2, 2)
    net.type(ember.float64)
    assert net.weight.dtype == ember.float64
    if not ember.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA (support|device)"):
            net.cuda()


def test_apply_visits_children_first():
    net = Net()
    order = []
    net.apply(lambda m: order.append(type(m).__name__))
    assert order == ["Affine", "Norm", "Tanh", "Affine", "Net"]

    def init(m):
        if isinstance(m, Affine):
            with ember.no_grad():
                m.weight.fill_(0.5)

    net.apply(init)
    assert net.fc2.weight.sum().item() == 8.0


# ------------------------------------------------------------ calling and hooks


def test_call_runs_forward_and_missing_forward_raises():
    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        nn.Module()(1)
    m = Affine(2, 3)
    assert m(ember.ones(4, 2)).shape == (4, 3)


def test_forward_hooks_order_and_modification():
    m = Affine(2, 2)
    calls = []

    def pre_double(module, args):
        calls.append("pre1")
        return (args[0] * 2,)

    def pre_single(module, args):
        calls.append("pre0")
        return args[0] + 1  # one value becomes a 1-tuple

    def post(module, args, output):
        calls.append("post")
        return output * 0

    h1 = m.register_forward_pre_hook(pre_double)
    m.register_forward_pre_hook(pre_single, prepend=True)
    h3 = m.register_forward_hook(post)
    x = ember.zeros(1, 2)
    out = m(x)
    assert calls == ["pre0", "pre1", "post"]
    assert out.abs().sum().item() == 0.0
    h3.remove()
    h1.remove()
    expected = m.forward(x + 1)
    np.testing.assert_allclose(values(m(x)), values(expected))
    h3.remove()  # removing twice is harmless


def test_forward_hooks_with_kwargs_and_handle_as_context_manager():
    class Scale(nn.Module):
        def forward(self, x, *, factor=1.0):
            return x * factor

    m = Scale()
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"factor": 3.0}),
                                with_kwargs=True)
    seen = {}

    def post(mod, args, kwargs, output):
        seen["kwargs"] = kwargs
        return output + 1

    with m.register_forward_hook(post, with_kwargs=True):
        assert m(ember.ones(1)).item() == 4.0
    assert seen["kwargs"] == {"factor": 3.0}
    assert m(ember.ones(1)).item() == 3.0
    m.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
    with pytest.raises(RuntimeError, match="must return None or a tuple of"):
        m(ember.ones(1))


def test_always_call_forward_hook_runs_when_forward_raises():
    class Failing(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Failing()
    calls = []
    m.register_forward_hook(lambda mod, args, out: calls.append(out), always_call=True)
    m.register_forward_hook(lambda mod, args, out: calls.append("never"))
    with pytest.raises(ValueError, match="boom"):
        m(ember.ones(1))
    assert calls == [None]


def test_full_backward_hook_gets_input_and_output_grads():
    m = Affine(3, 2)
    captured = {}

    def hook(module, grad_input, grad_output):
        captured["module"] = module
        captured["grad_input"] = grad_input
        captured["grad_output"] = grad_output

    m.register_full_backward_hook(hook)
    x = ember.randn(4, 3, requires_grad=True)
    upstream = ember.randn(4, 2)
    m(x).backward(upstream)
    assert captured["module"] is m
    (grad_output,) = captured["grad_output"]
    (grad_input,) = captured["grad_input"]
    np.testing.assert_allclose(values(grad_output), values(upstream), rtol=1e-6)
    expected = values(upstream) @ values(m.weight)
    np.testing.assert_allclose(values(grad_input), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values(x.grad), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values(m.weight.grad), values(upstream).T @ values(x),
                               rtol=1e-5, atol=1e-6)


def test_backward_hooks_can_replace_grads_and_pre_hooks_run_first():
    m = Tanh()
    order = []

    def pre(module, grad_output):
        order.append("pre")
        return (grad_output[0] * 10,)

    def post(module, grad_input, grad_output):
        order.append("post")
        assert abs(grad_output[0].sum().item() - 20.0) < 1e-6
        return (grad_input[0] * 0 + 7,)

    m.register_full_backward_pre_hook(pre)
    m.register_full_backward_hook(post)
    x = ember.zeros(2, requires_grad=True)
    m(x).sum().backward()
    assert order == ["pre", "post"]
    assert x.grad.tolist() == [7.0, 7.0]


def test_backward_hook_with_inputs_not_requiring_grad_and_non_tensor_args():
    class Mixed(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(ember.ones(2))

        def forward(self, x, scale, y):
            return x * self.w * scale + y, x.sum()

    m = Mixed()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    out, total = m(ember.ones(2), 3.0, ember.ones(2))
    out.sum().backward()
    ((grad_input, grad_output),) = seen
    assert grad_input == (None, None, None)
    assert grad_output[0].tolist() == [1.0, 1.0] and grad_output[1] is None
    assert m.w.grad.tolist() == [3.0, 3.0]

    seen.clear()
    x = ember.ones(2, requires_grad=True)
    out, total = m(x, 2.0, ember.zeros(2))
    (out.sum() + total).backward()
    ((grad_input, grad_output),) = seen
    assert grad_input[0].tolist() == [3.0, 3.0] and grad_input[1] is None
    assert grad_input[2] is None


def test_backward_hook_removed_and_bad_replacement():
    m = Tanh()
    handle = m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    x = ember.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="invalid number of grad_input"):
        m(x).sum().backward()
    handle.remove()
    m(x).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_hooks_on_a_container_see_the_whole_block():
    net = Net()
    grads = []
    net.register_full_backward_hook(lambda mod, gi, go: grads.append(gi[0]))
    x = ember.randn(2, 4, requires_grad=True)
    net(x).sum().backward()
    np.testing.assert_allclose(values(grads[0]), values(x.grad), rtol=1e-6)


def test_global_hooks_run_for_every_module_before_its_own():
    from ember.nn.modules import module as module_module

    net = Net()
    order = []
    net.register_forward_hook(lambda m, args, out: order.append("own"))
    grads = []
    with module_module.register_module_forward_pre_hook(
            lambda m, args: order.append(("pre", type(m).__name__))), \
            module_module.register_module_forward_hook(
                lambda m, args, out: order.append(("post", type(m).__name__))), \
            module_module.register_module_full_backward_hook(
                lambda m, gi, go: grads.append(type(m).__name__)):
        x = ember.randn(2, 4, requires_grad=True)
        net(x).sum().backward()
    assert order[0] == ("pre", "Net") and order[-2:] == [("post", "Net"), "own"]
    assert ("post", "Tanh") in order and len(order) == 2 * 5 + 1
    assert grads[-1] == "Net" and "Affine" in grads
    order.clear()
    net(ember.randn(2, 4))  # the handles removed the global hooks
    assert order == ["own"]


# ------------------------------------------------------------ printing


def test_repr_matches_pytorch_layout():
    net = Net()
    assert repr(net) == (
        "Net(\n"
        "  (fc1): Affine(in_features=4, out_features=8, bias=True)\n"
        "  (norm): Norm()\n"
        "  (act): Tanh()\n"
        "  (fc2): Affine(in_features=8, out_features=2, bias=True)\n"
        ")")
    outer = nn.Module()
    outer.block = net
    outer.head = Affine(2, 1, bias=False)
    assert repr(outer) == (
        "Module(\n"
        "  (block): Net(\n"
        "    (fc1): Affine(in_features=4, out_features=8, bias=True)\n"
        "    (norm): Norm()\n"
        "    (act): Tanh()\n"
        "    (fc2): Affine(in_features=8, out_features=2, bias=True)\n"
        "  )\n"
        "  (head): Affine(in_features=2, out_features=1, bias=False)\n"
        ")")


def test_repr_with_multiline_extra_repr_and_children():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.act = Tanh()

        def extra_repr(self):
            return "mode=a\nsize=2"

    assert repr(Block()) == "Block(\n  mode=a\n  size=2\n  (act): Tanh()\n)"
    assert Block()._get_name() == "Block"


# ------------------------------------------------------------ deepcopy and pickle


def test_deepcopy_gives_independent_equal_parameters():
    net = Net()
    net(ember.randn(2, 4)).sum().backward()
    clone = copy.deepcopy(net)
    for (name, p), (clone_name, q) in zip(net.named_parameters(), clone.named_parameters()):
        assert name == clone_name and type(q) is nn.Parameter and q is not p
        np.testing.assert_array_equal(values(p), values(q))
        assert q.data_ptr() != p.data_ptr() and q.requires_grad
    with ember.no_grad():
        clone.fc1.weight.fill_(0.0)
    assert net.fc1.weight.abs().sum().item() > 0
    assert list(clone.state_dict()) == list(net.state_dict())
    assert "scratch" in clone.norm._non_persistent_buffers_set


def test_deepcopy_keeps_tied_parameters_tied():
    net = nn.Module()
    net.a = Affine(2, 2)
    net.b = Affine(2, 2)
    net.b.weight = net.a.weight
    clone = copy.deepcopy(net)
    assert clone.b.weight is clone.a.weight and clone.a.weight is not net.a.weight


def test_pickle_round_trip_of_a_module():
    net = Net()
    net.eval()
    loaded = pickle.loads(pickle.dumps(net))
    assert type(loaded) is Net and not loaded.training
    for p, q in zip(net.state_dict().values(), loaded.state_dict().values()):
        np.testing.assert_array_equal(values(p), values(q))
    assert type(loaded.fc1.weight) is nn.Parameter and loaded.fc1.weight.requires_grad
    x = ember.randn(3, 4)
    np.testing.assert_allclose(values(loaded(x)), values(net(x)), rtol=1e-6)


# ------------------------------------------------------------ growing during training


class GrowingMLP(nn.Module):
    """An MLP whose hidden stack gains a layer when asked (after a plateau, say)."""

    def __init__(self):
        super().__init__()
        self.inp = Affine(2, 8)
        self.hidden = nn.ModuleList()
        self.out = Affine(8, 1)

    def grow(self):
        layer = Affine(8, 8)
        with ember.no_grad():
            layer.weight.mul_(0.1)
        self.hidden.append(layer)

    def forward(self, x):
        h = self.inp(x).tanh()
        for layer in self.hidden:
            h = h + layer(h).tanh()
        return self.out(h)


def sgd_step(model, lr):
    with ember.no_grad():
        for p in model.parameters():
            p.sub_(p.grad * lr)
    model.zero_grad()


def test_mlp_that_grows_mid_training_keeps_learning_with_state_dict_and_hooks():
    ember.manual_seed(0)
    x = ember.randn(64, 2)
    y = (x[:, 0:1] * x[:, 1:2]).sin()
    model = GrowingMLP()
    forward_calls = []
    model.register_forward_hook(lambda m, args, out: forward_calls.append(out.shape))

    def loss_of():
        return ((model(x) - y) ** 2).mean()

    start = loss_of().item()
    for step in range(150):
        if step in (50, 100):
            model.grow()
            # The new layer is registered: its parameters are trained and saved, and hooks on
            # it fire.
            new = model.hidden[-1]
            new.register_forward_pre_hook(lambda m, args: None)
        loss = loss_of()
        loss.backward()
        sgd_step(model, 0.1)
    end = loss_of().item()
    assert end < start * 0.5
    assert len(forward_calls) == 151 + 1
    assert list(model.state_dict()) == [
        "inp.weight", "inp.bias", "hidden.0.weight", "hidden.0.bias", "hidden.1.weight",
        "hidden.1.bias", "out.weight", "out.bias"]
    assert model.hidden[1].weight.grad is None  # zero_grad reached the new layer
    restored = GrowingMLP()
    restored.grow()
    restored.grow()
    restored.load_state_dict(model.state_dict())
    np.testing.assert_allclose(values(restored(x)), values(model(x)), rtol=1e-6)
    with pytest.raises(RuntimeError, match='Unexpected key.*"hidden.0.weight"'):
        GrowingMLP().load_state_dict(model.state_dict())
