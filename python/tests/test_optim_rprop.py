"""ember.optim.Rprop against a float64 numpy reference of torch.optim.Rprop's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, etas, step_sizes, maximize):
    """torch.optim.Rprop's rule for one parameter, in float64."""
    etaminus, etaplus = etas
    low, high = step_sizes

    def init_state(param):
        return {"step": 0, "prev": np.zeros_like(param), "step_size": np.full_like(param, lr)}

    def update(param, grad, state):
        state["step"] += 1
        g = -grad if maximize else grad
        product = g * state["prev"]
        factor = np.where(product > 0, etaplus, np.where(product < 0, etaminus, 1.0))
        state["step_size"] = np.clip(state["step_size"] * factor, low, high)
        g = np.where(product < 0, 0.0, g)
        state["prev"] = g
        return param - np.sign(g) * state["step_size"]

    return init_state, update


OPTIONS = [{"lr": lr, "etas": etas, "step_sizes": sizes, "maximize": x}
           for lr, etas, sizes, x in itertools.product(
               (0.01, 0.1), ((0.5, 1.2), (0.3, 2.0)), ((1e-6, 50), (5e-3, 2e-2)), (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_rprop_matches_the_reference_over_many_steps(options, dtype):
    # Alternating-sign gradients are where Rprop's rule acts: the random schedule has both.
    check_against_reference(optim.Rprop, options, *reference(**options), dtype,
                            state_names=("prev", "step_size"))


def test_rprop_defaults_are_pytorchs():
    opt = optim.Rprop([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 1e-2 and opt.defaults["etas"] == (0.5, 1.2)
    assert opt.defaults["step_sizes"] == (1e-6, 50)


def test_rprop_state_dict_round_trip():
    check_state_dict_round_trip(optim.Rprop, {"lr": 0.05, "etas": (0.4, 1.5)})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"etas": (1.5, 1.2)}, "Invalid eta values: 1.5, 1.2"),
    ({"etas": (0.5, 0.9)}, "Invalid eta values: 0.5, 0.9"),
])
def test_rprop_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.Rprop([ember.zeros(2, requires_grad=True)], **options)
