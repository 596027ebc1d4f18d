"""ember.optim.Adagrad against a float64 numpy reference of torch.optim.Adagrad's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize):
    """torch.optim.Adagrad's rule for one parameter, in float64."""

    def init_state(param):
        return {"step": 0, "sum": np.full_like(param, initial_accumulator_value)}

    def update(param, grad, state):
        state["step"] += 1
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * param
        step_size = lr / (1 + (state["step"] - 1) * lr_decay)
        state["sum"] = state["sum"] + g * g
        return param - step_size * g / (np.sqrt(state["sum"]) + eps)

    return init_state, update


OPTIONS = [{"lr": 0.05, "lr_decay": d, "weight_decay": w, "initial_accumulator_value": a,
            "eps": 1e-10, "maximize": x}
           for d, w, a, x in itertools.product((0.0, 0.1), (0.0, 0.1), (0.0, 0.5),
                                               (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_adagrad_matches_the_reference_over_many_steps(options, dtype):
    check_against_reference(_StateOnFirstGradient, options, *reference(**options), dtype,
                            state_names=("sum",))


class _StateOnFirstGradient(optim.Adagrad):
    """Adagrad whose parameters without a gradient show no state, so that the shared driver's
    check that they have none applies (PyTorch's Adagrad makes every state at construction)."""

    def __init__(self, params, **options):
        super().__init__(params, **options)
        self.state.clear()


def test_adagrad_makes_every_state_at_construction():
    params = [ember.zeros(2, requires_grad=True), ember.zeros(3, requires_grad=True)]
    opt = optim.Adagrad(params, initial_accumulator_value=0.25)
    for param in params:
        assert opt.state[param]["step"].item() == 0
        np.testing.assert_array_equal(opt.state[param]["sum"].numpy(),
                                      np.full(param.shape, 0.25, np.float32))


def test_adagrad_defaults_are_pytorchs():
    opt = optim.Adagrad([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 1e-2 and opt.defaults["lr_decay"] == 0
    assert opt.defaults["eps"] == 1e-10 and opt.defaults["initial_accumulator_value"] == 0


def test_adagrad_state_dict_round_trip():
    check_state_dict_round_trip(optim.Adagrad, {"lr": 0.05, "lr_decay": 0.1})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"lr_decay": -1.0}, "Invalid lr_decay value: -1.0"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
    ({"initial_accumulator_value": -0.5}, "Invalid initial_accumulator_value value: -0.5"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
])
def test_adagrad_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.Adagrad([ember.zeros(2, requires_grad=True)], **options)
