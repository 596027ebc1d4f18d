"""The ember.optim.Optimizer base: groups and defaults, state, zero_grad, add_param_group (fresh
state, trains at once) and its typed errors, state_dict/load_state_dict in PyTorch's layout,
step hooks and repr."""
import pickle

import numpy as np
import pytest
from ember.optim.optimizer import Optimizer, required

import ember
from ember import optim


def leaf(*values):
    return ember.tensor(list(values), requires_grad=True)


def set_grads(*params):
    for param in params:
        param.grad = ember.ones_like(param)


def test_groups_take_defaults_for_missing_options():
    a, b = leaf(1.0), leaf(2.0)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "momentum": 0.5}], lr=0.1, momentum=0.9)
    assert opt.defaults["lr"] == 0.1
    assert opt.param_groups[0]["momentum"] == 0.9
    assert opt.param_groups[1]["momentum"] == 0.5
    assert opt.param_groups[1]["lr"] == 0.1
    assert set(opt.param_groups[0]) == {"params", "lr", "momentum", "dampening", "weight_decay",
                                        "nesterov", "maximize", "foreach", "differentiable",
                                        "fused"}


def test_params_must_be_an_iterable_of_tensors_or_dicts():
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        optim.SGD(leaf(1.0), lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        optim.SGD([1.0], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {leaf(1.0)}}], lr=0.1)
    opt = optim.SGD((p for p in [leaf(1.0)]), lr=0.1)  # a generator, as model.parameters()
    assert len(opt.param_groups[0]["params"]) == 1


def test_a_parameter_in_two_groups_is_a_value_error():
    a = leaf(1.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [a]}, {"params": [a]}], lr=0.1)
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([leaf(1.0)] * 2, lr=0.1)


def test_a_non_leaf_parameter_is_a_value_error():
    a = leaf(1.0)
    with pytest.raises(ValueError, match=r"can't optimize a non-leaf Tensor \(params\[1\]"):
        optim.SGD([a, a * 2], lr=0.1)


class NeedsLr(Optimizer):
    """An optimizer whose lr has no default."""

    def __init__(self, params, lr=required):
        super().__init__(params, {"lr": lr})

    def step(self, closure=None):
        return None


def test_a_group_missing_a_required_option_is_a_value_error():
    with pytest.raises(ValueError, match="required optimization parameter lr"):
        NeedsLr([leaf(1.0)])
    opt = NeedsLr([{"params": [leaf(1.0)], "lr": 0.1}])
    with pytest.raises(ValueError, match="required optimization parameter lr"):
        opt.add_param_group({"params": [leaf(2.0)]})
    assert repr(required) == "<required parameter>"


def test_zero_grad_sets_to_none_or_zeroes():
    a = leaf(1.0, 2.0)
    opt = optim.SGD([a], lr=0.1)
    (a * a).sum().backward()
    grad = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])
    opt.zero_grad()
    assert a.grad is None


def test_add_param_group_trains_at_once_with_fresh_state():
    a = leaf(1.0)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    set_grads(a)
    opt.step()
    grown = leaf(4.0)
    opt.add_param_group({"params": grown, "lr": 0.5})
    assert grown not in opt.state
    assert opt.param_groups[1]["momentum"] == 0.9
    set_grads(a, grown)
    opt.step()
    assert grown.item() == pytest.approx(3.5)
    np.testing.assert_allclose(opt.state[grown]["momentum_buffer"].numpy(), [1.0])
    np.testing.assert_allclose(opt.state[a]["momentum_buffer"].numpy(), [1.9])


def test_state_dict_has_pytorchs_layout():
    a, b, c = leaf(1.0, 2.0), leaf(3.0), leaf(4.0)
    opt = optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1, momentum=0.9)
    set_grads(a, c)
    opt.step()
    state = opt.state_dict()
    assert set(state) == {"state", "param_groups"}
    assert set(state["state"]) == {0, 2}
    assert set(state["state"][0]) == {"momentum_buffer"}
    assert state["param_groups"][0]["params"] == [0, 1]
    assert state["param_groups"][1]["params"] == [2]
    assert state["param_groups"][1]["lr"] == 0.5
    assert state["param_groups"][0]["momentum"] == 0.9


def test_load_state_dict_round_trips_and_continues_identically():
    def make():
        a, b = leaf(1.0, 2.0), leaf(3.0)
        opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
        return a, b, opt

    a, b, opt = make()
    for _ in range(3):
        set_grads(a, b)
        opt.step()
    saved = pickle.loads(pickle.dumps(opt.state_dict()))
    a2, b2, opt2 = make()
    with ember.no_grad():
        a2.copy_(a)
        b2.copy_(b)
    opt2.param_groups[1]["lr"] = 7.0
    opt2.load_state_dict(saved)
    assert opt2.param_groups[1]["lr"] == 0.5
    assert opt2.param_groups[0]["params"][0] is a2
    assert opt2.state[a2]["momentum_buffer"] is not opt.state[a]["momentum_buffer"]
    for _ in range(2):
        set_grads(a, b, a2, b2)
        opt.step()
        opt2.step()
    np.testing.assert_array_equal(a.detach().numpy(), a2.detach().numpy())
    np.testing.assert_array_equal(b.detach().numpy(), b2.detach().numpy())


def test_load_state_dict_casts_state_to_the_parameter_dtype():
    a = ember.ones(2, dtype=ember.float64, requires_grad=True)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    saved = {"state": {0: {"momentum_buffer": ember.ones(2)}},
             "param_groups": [{"lr": 0.2, "params": [0]}]}
    opt.load_state_dict(saved)
    assert opt.state[a]["momentum_buffer"].dtype == ember.float64
    assert opt.param_groups[0]["lr"] == 0.2
    assert opt.param_groups[0]["momentum"] == 0.9  # absent from the saved group: the default


def test_load_state_dict_errors():
    opt = optim.SGD([leaf(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(ValueError, match="doesn't match the size"):
        opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.1, "params": [0, 1]}]})


def test_step_hooks_run_around_step_and_can_be_removed():
    a = leaf(1.0)
    opt = optim.SGD([a], lr=0.1)
    calls = []

    def pre(optimizer, args, kwargs):
        calls.append(("pre", optimizer is opt, args, kwargs))

    def post(optimizer, args, kwargs):
        calls.append(("post", a.item()))

    pre_handle = opt.register_step_pre_hook(pre)
    post_handle = opt.register_step_post_hook(post)
    global_handle = optim.optimizer.register_optimizer_step_pre_hook(
        lambda optimizer, args, kwargs: calls.append("global"))
    set_grads(a)
    opt.step()
    assert calls == ["global", ("pre", True, (), {}), ("post", pytest.approx(0.9))]
    pre_handle.remove()
    post_handle.remove()
    global_handle.remove()
    opt.step()
    assert len(calls) == 3


def test_a_pre_hook_can_replace_the_arguments():
    a = leaf(1.0)
    opt = optim.SGD([a], lr=0.1)
    seen = []

    def closure():
        seen.append(True)
        return ember.tensor(3.0)

    opt.register_step_pre_hook(lambda optimizer, args, kwargs: ((closure,), {}))
    assert opt.step().item() == 3.0
    assert seen == [True]


def test_repr_lists_each_group():
    opt = optim.SGD([leaf(1.0)], lr=0.1)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n")
    assert "    lr: 0.1\n" in text and "params" not in text


def test_optimizer_pickles():
    a = leaf(1.0)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    set_grads(a)
    opt.step()
    copy = pickle.loads(pickle.dumps(opt))
    assert copy.param_groups[0]["lr"] == 0.1
    set_grads(*copy.param_groups[0]["params"])
    copy.step()
