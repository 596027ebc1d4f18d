"""ember.optim.RMSprop against a float64 numpy reference of torch.optim.RMSprop's documented rule,
over many steps and every option combination (parameters whose grad is None skipped), the
state_dict round trip, and PyTorch's errors for invalid options."""
import itertools

import numpy as np
import pytest
from optim_algo_support import check_against_reference, check_state_dict_round_trip

import ember
from ember import optim


def reference(lr, alpha, eps, weight_decay, momentum, centered, maximize):
    """torch.optim.RMSprop's rule for one parameter, in float64."""

    def init_state(param):
        return {"step": 0, "square_avg": np.zeros_like(param),
                "momentum_buffer": np.zeros_like(param), "grad_avg": np.zeros_like(param)}

    def update(param, grad, state):
        state["step"] += 1
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * param
        state["square_avg"] = alpha * state["square_avg"] + (1 - alpha) * g * g
        if centered:
            state["grad_avg"] = state["grad_avg"] + (1 - alpha) * (g - state["grad_avg"])
            avg = np.sqrt(state["square_avg"] - state["grad_avg"] ** 2) + eps
        else:
            avg = np.sqrt(state["square_avg"]) + eps
        if momentum > 0:
            state["momentum_buffer"] = momentum * state["momentum_buffer"] + g / avg
            return param - lr * state["momentum_buffer"]
        return param - lr * g / avg

    return init_state, update


OPTIONS = [{"lr": 0.01, "alpha": a, "eps": 1e-8, "weight_decay": w, "momentum": m,
            "centered": c, "maximize": x}
           for a, w, m, c, x in itertools.product((0.99, 0.5), (0.0, 0.1), (0.0, 0.9),
                                                  (False, True), (False, True))]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_rmsprop_matches_the_reference_over_many_steps(options, dtype):
    names = ["square_avg"]
    if options["momentum"] > 0:
        names.append("momentum_buffer")
    if options["centered"]:
        names.append("grad_avg")
    check_against_reference(optim.RMSprop, options, *reference(**options), dtype,
                            state_names=names)


def test_rmsprop_keeps_only_the_buffers_of_its_options():
    param = ember.zeros(2, requires_grad=True)
    opt = optim.RMSprop([param])
    param.grad = ember.ones(2)
    opt.step()
    assert sorted(opt.state[param]) == ["square_avg", "step"]
    opt.param_groups[0]["momentum"] = 0.5
    opt.param_groups[0]["centered"] = True
    opt.step()
    assert sorted(opt.state[param]) == ["grad_avg", "momentum_buffer", "square_avg", "step"]


def test_rmsprop_defaults_are_pytorchs():
    opt = optim.RMSprop([ember.zeros(2, requires_grad=True)])
    assert opt.defaults["lr"] == 1e-2 and opt.defaults["alpha"] == 0.99
    assert opt.defaults["eps"] == 1e-8 and opt.defaults["centered"] is False


def test_rmsprop_state_dict_round_trip():
    check_state_dict_round_trip(optim.RMSprop, {"lr": 0.05, "momentum": 0.9, "centered": True})


@pytest.mark.parametrize(("options", "message"), [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"eps": -1.0}, "Invalid epsilon value: -1.0"),
    ({"momentum": -0.1}, "Invalid momentum value: -0.1"),
    ({"weight_decay": -0.5}, "Invalid weight_decay value: -0.5"),
    ({"alpha": -0.5}, "Invalid alpha value: -0.5"),
])
def test_rmsprop_rejects_invalid_options(options, message):
    with pytest.raises(ValueError, match=message):
        optim.RMSprop([ember.zeros(2, requires_grad=True)], **options)


def test_rmsprop_non_contiguous_parameter_takes_the_same_rule():
    rng = np.random.default_rng(1)
    values, grad = rng.standard_normal((4, 3)), rng.standard_normal((3, 4))
    strided = ember.tensor(values).t().detach().requires_grad_()
    dense = ember.tensor(values.T.copy(), requires_grad=True)
    optimizers = [optim.RMSprop([p], lr=0.1, momentum=0.5, centered=True)
                  for p in (strided, dense)]
    for _ in range(3):
        for param, opt in zip((strided, dense), optimizers):
            param.grad = ember.tensor(grad)
            opt.step()
    assert not strided.is_contiguous()
    np.testing.assert_array_equal(strided.detach().numpy(), dense.detach().numpy())


def test_fused_rmsprop_rejects_mismatched_lists():
    param = ember.zeros(2)
    step = ember.zeros(())
    with pytest.raises(ValueError, match=r"\[_fused_rmsprop_\] expected square_avgs to hold "
                                         r"one tensor per parameter \(1\); got 0"):
        ember._C._optim._fused_rmsprop_([param], [param], [], [], [], [step], 0.01, 0.99, 1e-8,
                                        0.0, 0.0, False, False)
    with pytest.raises(ValueError, match=r"expected grads\[0\] of the parameter's shape"):
        ember._C._optim._fused_rmsprop_([param], [ember.zeros(3)], [param], [], [], [step], 0.01,
                                        0.99, 1e-8, 0.0, 0.0, False, False)
