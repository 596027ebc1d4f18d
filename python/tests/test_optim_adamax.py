"""ember.optim.Adamax against a float64 numpy reference of torch.optim.Adamax's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, betas, eps, weight_decay, maximize):
    """torch.optim.Adamax's rule for one parameter, in float64."""
    beta1, beta2 = betas

    def init_state(param):
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_inf": np.zeros_like(param)}

    def update(param, grad, state):
        state["step"] += 1
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * param
        state["exp_avg"] = state["exp_avg"] + (1 - beta1) * (g - state["exp_avg"])
        state["exp_inf"] = np.maximum(beta2 * state["exp_inf"], np.abs(g) + eps)
        step_size = lr / (1 - beta1 ** state["step"])
        return param - step_size * state["exp_avg"] / state["exp_inf"]

    return init_state, update


OPTIONS = [{"lr": lr, "betas": betas, "eps": 1e-8, "weight_decay": w, "maximize": x}
           for lr, betas, w, x in itertools.product((2e-3, 0.1), ((0.9, 0.999), (0.5, 0.8)),
                                                    (0.0, 0.1), (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_adamax_matches_the_reference_over_many_steps(options, dtype):
    check_against_reference(optim.Adamax, options, *reference(**options), dtype,
                            state_names=("exp_avg", "exp_inf"))


def test_adamax_defaults_are_pytorchs():
    opt = optim.Adamax([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 2e-3 and opt.defaults["betas"] == (0.9, 0.999)
    assert opt.defaults["eps"] == 1e-8 and opt.defaults["weight_decay"] == 0


def test_adamax_state_dict_round_trip():
    check_state_dict_round_trip(optim.Adamax, {"lr": 0.05, "weight_decay": 0.1})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
    ({"betas": (1.0, 0.9)}, "Invalid beta parameter at index 0: 1.0"),
    ({"betas": (0.9, -0.1)}, "Invalid beta parameter at index 1: -0.1"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
])
def test_adamax_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.Adamax([ember.zeros(2, requires_grad=True)], **options)
