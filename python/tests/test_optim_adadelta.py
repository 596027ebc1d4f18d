"""ember.optim.Adadelta against a float64 numpy reference of torch.optim.Adadelta's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, rho, eps, weight_decay, maximize):
    """torch.optim.Adadelta's rule for one parameter, in float64."""

    def init_state(param):
        return {"step": 0, "square_avg": np.zeros_like(param), "acc_delta": np.zeros_like(param)}

    def update(param, grad, state):
        state["step"] += 1
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * param
        state["square_avg"] = rho * state["square_avg"] + (1 - rho) * g * g
        delta = np.sqrt(state["acc_delta"] + eps) / np.sqrt(state["square_avg"] + eps) * g
        state["acc_delta"] = rho * state["acc_delta"] + (1 - rho) * delta * delta
        return param - lr * delta

    return init_state, update


OPTIONS = [{"lr": lr, "rho": rho, "eps": 1e-6, "weight_decay": w, "maximize": x}
           for lr, rho, w, x in itertools.product((1.0, 0.5), (0.9, 0.5), (0.0, 0.1),
                                                  (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_adadelta_matches_the_reference_over_many_steps(options, dtype):
    check_against_reference(optim.Adadelta, options, *reference(**options), dtype,
                            state_names=("square_avg", "acc_delta"))


def test_adadelta_defaults_are_pytorchs():
    opt = optim.Adadelta([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 1.0 and opt.defaults["rho"] == 0.9
    assert opt.defaults["eps"] == 1e-6


def test_adadelta_state_dict_round_trip():
    check_state_dict_round_trip(optim.Adadelta, {"rho": 0.8, "weight_decay": 0.1})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"rho": 1.5}, "Invalid rho value: 1.5"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
])
def test_adadelta_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.Adadelta([ember.zeros(2, requires_grad=True)], **options)
