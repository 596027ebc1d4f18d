"""ember.optim.NAdam against a float64 numpy reference of torch.optim.NAdam's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, betas, eps, weight_decay, momentum_decay, decoupled_weight_decay, maximize):
    """torch.optim.NAdam's rule for one parameter, in float64 (mu_product kept in float32, the
    dtype of PyTorch's state['mu_product'])."""
    beta1, beta2 = betas

    def init_state(param):
        return {"step": 0, "mu_product": 1.0, "exp_avg": np.zeros_like(param),
                "exp_avg_sq": np.zeros_like(param)}

    def update(param, grad, state):
        state["step"] += 1
        step = state["step"]
        g = -grad if maximize else grad
        if weight_decay != 0:
            if decoupled_weight_decay:
                param = param * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * param
        mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        state["mu_product"] = float(np.float32(np.float32(state["mu_product"]) * np.float32(mu)))
        state["exp_avg"] = state["exp_avg"] + (1 - beta1) * (g - state["exp_avg"])
        state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
        denom = np.sqrt(state["exp_avg_sq"] / (1 - beta2 ** step)) + eps
        product = state["mu_product"]
        param = param - lr * (1 - mu) / (1 - product) * g / denom
        return param - lr * mu_next / (1 - product * mu_next) * state["exp_avg"] / denom

    return init_state, update


OPTIONS = [{"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": w,
            "momentum_decay": md, "decoupled_weight_decay": d, "maximize": x}
           for w, md, d, x in itertools.product((0.0, 0.1), (4e-3, 0.5), (False, True),
                                                (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_nadam_matches_the_reference_over_many_steps(options, dtype):
    check_against_reference(optim.NAdam, options, *reference(**options), dtype,
                            state_names=("exp_avg", "exp_avg_sq", "mu_product"))


def test_nadam_defaults_are_pytorchs():
    opt = optim.NAdam([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 2e-3 and opt.defaults["momentum_decay"] == 4e-3
    assert opt.defaults["decoupled_weight_decay"] is False


def test_nadam_state_dict_round_trip():
    check_state_dict_round_trip(optim.NAdam, {"lr": 0.05, "weight_decay": 0.1,
                                              "decoupled_weight_decay": True})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
    ({"betas": (1.5, 0.9)}, "Invalid beta parameter at index 0: 1.5"),
    ({"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
    ({"momentum_decay": -0.5}, "Invalid momentum_decay value: -0.5"),
])
def test_nadam_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.NAdam([ember.zeros(2, requires_grad=True)], **options)
