"""ember.optim.ASGD against a float64 numpy reference of torch.optim.ASGD's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def as_float32(value):
    """A number as PyTorch's float32 scalar state holds it."""
    return float(np.float32(value))


def reference(lr, lambd, alpha, t0, weight_decay, maximize):
    """torch.optim.ASGD's rule for one parameter, in float64 (eta and mu kept in float32, the
    dtype of PyTorch's state['eta'] and state['mu'])."""

    def init_state(param):
        return {"step": 0, "eta": as_float32(lr), "mu": 1.0, "ax": np.zeros_like(param)}

    def update(param, grad, state):
        state["step"] += 1
        step = state["step"]
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * param
        eta = state["eta"]
        param = param * (1 - lambd * eta) - eta * g
        if state["mu"] != 1:
            state["ax"] = state["ax"] + (param - state["ax"]) * state["mu"]
        else:
            state["ax"] = param.copy()
        state["eta"] = as_float32(lr / (1 + lambd * lr * step) ** alpha)
        state["mu"] = as_float32(1 / max(1, step - t0))
        return param

    return init_state, update


OPTIONS = [{"lr": 0.05, "lambd": lambd, "alpha": 0.75, "t0": t0, "weight_decay": w,
            "maximize": x}
           for lambd, t0, w, x in itertools.product((1e-4, 0.5), (1e6, 3.0), (0.0, 0.1),
                                                    (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_asgd_matches_the_reference_over_many_steps(options, dtype):
    check_against_reference(optim.ASGD, options, *reference(**options), dtype,
                            state_names=("ax", "eta", "mu"))


def test_asgd_defaults_are_pytorchs():
    opt = optim.ASGD([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 1e-2 and opt.defaults["lambd"] == 1e-4
    assert opt.defaults["alpha"] == 0.75 and opt.defaults["t0"] == 1e6


def test_asgd_state_dict_round_trip():
    check_state_dict_round_trip(optim.ASGD, {"lr": 0.05, "t0": 2.0, "lambd": 0.1})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
])
def test_asgd_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.ASGD([ember.zeros(2, requires_grad=True)], **options)
