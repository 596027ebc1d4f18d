"""ember.optim.RAdam against a float64 numpy reference of torch.optim.RAdam's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, betas, eps, weight_decay, decoupled_weight_decay, maximize):
    """torch.optim.RAdam's rule for one parameter, in float64."""
    beta1, beta2 = betas

    def init_state(param):
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def update(param, grad, state):
        state["step"] += 1
        step = state["step"]
        g = -grad if maximize else grad
        if weight_decay != 0:
            if decoupled_weight_decay:
                param = param * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * param
        state["exp_avg"] = state["exp_avg"] + (1 - beta1) * (g - state["exp_avg"])
        state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
        bias_correction2 = 1 - beta2 ** step
        corrected = state["exp_avg"] / (1 - beta1 ** step)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2
        if rho_t <= 5:
            return param - lr * corrected
        rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                       / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        adaptive_lr = np.sqrt(bias_correction2) / (np.sqrt(state["exp_avg_sq"]) + eps)
        return param - lr * corrected * adaptive_lr * rect

    return init_state, update


# beta2 0.9: rho_t passes 5 at step 6, so both branches of the rule run.
OPTIONS = [{"lr": 0.01, "betas": betas, "eps": 1e-8, "weight_decay": w,
            "decoupled_weight_decay": d, "maximize": x}
           for betas, w, d, x in itertools.product(((0.9, 0.999), (0.8, 0.9)), (0.0, 0.1),
                                                   (False, True), (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_radam_matches_the_reference_over_many_steps(options, dtype):
    check_against_reference(optim.RAdam, options, *reference(**options), dtype,
                            state_names=("exp_avg", "exp_avg_sq"))


def test_radam_defaults_are_pytorchs():
    opt = optim.RAdam([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 1e-3 and opt.defaults["betas"] == (0.9, 0.999)
    assert opt.defaults["decoupled_weight_decay"] is False


def test_radam_state_dict_round_trip():
    check_state_dict_round_trip(optim.RAdam, {"lr": 0.05, "betas": (0.8, 0.9)}, steps_before=5)


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
    ({"betas": (-0.1, 0.9)}, "Invalid beta parameter at index 0: -0.1"),
    ({"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
])
def test_radam_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.RAdam([ember.zeros(2, requires_grad=True)], **options)
