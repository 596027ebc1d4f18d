"""Shared driver of the tests of Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and ASGD
(test_optim_<algo>.py): runs an ember optimizer and a float64 numpy reference of the documented
rule over the same random gradients for many steps, with one parameter whose gradient is missing
at some steps and one that never has one, and compares parameters and state; and the state_dict
round trip."""
import copy

import numpy as np

import ember

SHAPES = [(3, 4), (5,), (2,), (0, 3), ()]


def gradient_schedule(rng, steps):
    """Random gradients per step; the second parameter has none at steps 0 and 3, the third
    never."""
    schedule = []
    for step in range(steps):
        grads = [rng.standard_normal(shape) for shape in SHAPES]
        if step in (0, 3):
            grads[1] = None
        grads[2] = None
        schedule.append(grads)
    return schedule


def run_reference(initial, schedule, init_state, update):
    """The reference over the schedule: init_state(param) makes a parameter's state (a dict of
    float64 arrays and numbers) on its first step with a gradient, update(param, grad, state)
    returns the new parameter and updates the state."""
    params = [p.copy() for p in initial]
    states = [None] * len(params)
    for grads in schedule:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            if states[i] is None:
                states[i] = init_state(params[i])
            params[i] = update(params[i], grad, states[i])
    return params, states


def check_against_reference(optimizer_class, options, init_state, update, dtype, steps=12,
                            state_names=()):
    """Runs optimizer_class(params, **options) and the reference side by side and compares the
    parameters, the named state entries and the step counts."""
    rng = np.random.default_rng(0)
    initial = [rng.standard_normal(shape) for shape in SHAPES]
    schedule = gradient_schedule(rng, steps)
    params = [ember.tensor(value, dtype=dtype, requires_grad=True) for value in initial]
    opt = optimizer_class(params, **options)
    for grads in schedule:
        for param, grad in zip(params, grads):
            param.grad = None if grad is None else ember.tensor(grad, dtype=dtype)
        opt.step()
    expected, states = run_reference(initial, schedule, init_state, update)
    tolerance = 2e-5 if dtype == ember.float32 else 1e-11
    for index, (param, want) in enumerate(zip(params, expected)):
        np.testing.assert_allclose(param.detach().numpy(), want, rtol=tolerance, atol=tolerance,
                                   err_msg=f"param {index}")
        if states[index] is None:
            assert not opt.state.get(param), "a parameter without a gradient has no state"
            continue
        state = opt.state[param]
        assert state["step"].item() == states[index]["step"]
        assert state["step"].dtype == ember.float32
        for name in state_names:
            np.testing.assert_allclose(np.asarray(state[name].detach().numpy(), np.float64),
                                       states[index][name], rtol=tolerance, atol=tolerance,
                                       err_msg=f"state {name} of param {index}")


def check_state_dict_round_trip(optimizer_class, options, steps_before=4, steps_after=4):
    """An optimizer rebuilt from another's state_dict (over copies of its parameters) continues
    as the original does (to rounding: loading casts float32 scalar state such as NAdam's
    mu_product to the parameter's dtype, as PyTorch's load_state_dict does)."""
    rng = np.random.default_rng(3)
    initial = [rng.standard_normal(shape) for shape in SHAPES[:2]]
    schedule = [[rng.standard_normal(shape) for shape in SHAPES[:2]]
                for _ in range(steps_before + steps_after)]

    def make_params(values):
        return [ember.tensor(value, dtype=ember.float64, requires_grad=True) for value in values]

    def run(opt, params, grads_list):
        for grads in grads_list:
            for param, grad in zip(params, grads):
                param.grad = ember.tensor(grad, dtype=ember.float64)
            opt.step()

    params = make_params(initial)
    opt = optimizer_class(params, **options)
    run(opt, params, schedule[:steps_before])
    saved = copy.deepcopy(opt.state_dict())
    twins = make_params([p.detach().numpy() for p in params])
    twin_opt = optimizer_class(twins, **options)
    twin_opt.load_state_dict(saved)
    assert twin_opt.state_dict()["param_groups"] == opt.state_dict()["param_groups"]
    run(opt, params, schedule[steps_before:])
    run(twin_opt, twins, schedule[steps_before:])
    for param, twin in zip(params, twins):
        np.testing.assert_allclose(param.detach().numpy(), twin.detach().numpy(), rtol=1e-7,
                                   atol=1e-12)
    for param, twin in zip(params, twins):
        assert sorted(opt.state[param]) == sorted(twin_opt.state[twin])
        for name, value in opt.state[param].items():
            np.testing.assert_allclose(value.numpy(), twin_opt.state[twin][name].numpy(),
                                       rtol=1e-6, atol=1e-12)
