"""ember.optim.Adam and AdamW against a float64 numpy reference of torch.optim.Adam/AdamW's
documented rule, over many steps and every option combination, with parameters whose grad is
None skipped; their flags, errors, state and state_dict."""
import itertools
import pickle

import numpy as np
import pytest

import ember
from ember import optim


def adam_reference(params, grads_per_step, lr, betas, eps, weight_decay, amsgrad, maximize,
                   decoupled):
    """The documented rule, step by step in float64 (None: no gradient at that step, so that
    parameter's step counter does not advance)."""
    beta1, beta2 = betas
    params = [p.copy() for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    v_max = [np.zeros_like(p) for p in params]
    steps = [0] * len(params)
    for grads in grads_per_step:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            steps[i] += 1
            t = steps[i]
            g = -grad if maximize else grad
            if weight_decay:
                if decoupled:
                    params[i] = params[i] * (1 - lr * weight_decay)
                else:
                    g = g + weight_decay * params[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            second = v[i]
            if amsgrad:
                v_max[i] = np.maximum(v_max[i], v[i])
                second = v_max[i]
            m_hat = m[i] / (1 - beta1 ** t)
            v_hat = second / (1 - beta2 ** t)
            params[i] = params[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return params, m, v, steps


def gradient_schedule(rng, shapes, steps):
    """Random gradients per step; the second parameter has none at steps 0 and 4, the third
    never."""
    schedule = []
    for step in range(steps):
        grads = [rng.standard_normal(shape) for shape in shapes]
        if step in (0, 4):
            grads[1] = None
        grads[2] = None
        schedule.append(grads)
    return schedule


CASES = list(itertools.product(("Adam", "AdamW"), (0.0, 0.1), (False, True), (False, True)))


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize(("name", "weight_decay", "amsgrad", "maximize"), CASES)
def test_adam_matches_the_reference_over_many_steps(name, weight_decay, amsgrad, maximize,
                                                    dtype):
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (5,), (2,), (0, 3), (), (15, 20)]
    initial = [rng.standard_normal(shape) for shape in shapes]
    schedule = gradient_schedule(rng, shapes, 25)
    params = [ember.tensor(value, dtype=dtype, requires_grad=True) for value in initial]
    # A non-contiguous parameter takes the composite path of the same op.
    params[-1] = ember.tensor(initial[-1].T.copy(), dtype=dtype).t()
    params[-1].requires_grad_()
    options = {"lr": 0.01, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": weight_decay,
               "amsgrad": amsgrad, "maximize": maximize}
    opt = getattr(optim, name)(params, **options)
    for grads in schedule:
        for param, grad in zip(params, grads):
            param.grad = None if grad is None else ember.tensor(grad, dtype=dtype)
        opt.step()
    expected, m, v, steps = adam_reference(initial, schedule, decoupled=name == "AdamW",
                                           **options)
    tolerance = 2e-5 if dtype == ember.float32 else 1e-11
    for param, want in zip(params, expected):
        np.testing.assert_allclose(param.detach().numpy(), want,
                                   rtol=tolerance, atol=tolerance)
    assert params[2] not in opt.state
    state = opt.state[params[1]]
    assert state["step"].item() == steps[1] == 23
    assert state["step"].dtype == ember.float32
    np.testing.assert_allclose(state["exp_avg"].numpy(), m[1], rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(state["exp_avg_sq"].numpy(), v[1], rtol=tolerance, atol=tolerance)
    assert ("max_exp_avg_sq" in state) == amsgrad


def test_adamw_defaults_and_isinstance():
    w = ember.zeros(2, requires_grad=True)
    opt = optim.AdamW([w])
    assert opt.defaults["weight_decay"] == 1e-2
    assert opt.defaults["decoupled_weight_decay"] is True
    assert isinstance(opt, optim.Adam)
    assert optim.Adam([w]).defaults["weight_decay"] == 0


def test_adam_flags_are_accepted_as_pytorchs():
    w = ember.zeros(2, requires_grad=True)
    for flags in ({"foreach": True}, {"fused": True}, {"capturable": True}, {"foreach": False}):
        for cls in (optim.Adam, optim.AdamW):
            cls([w], **flags)
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        optim.Adam([w], differentiable=True)
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        optim.AdamW([w], foreach=True, fused=True)


def test_adam_option_errors():
    w = ember.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="Invalid learning rate: -0.1"):
        optim.Adam([w], lr=-0.1)
    with pytest.raises(ValueError, match="Invalid epsilon value"):
        optim.Adam([w], eps=-1.0)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0: 1.0"):
        optim.Adam([w], betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        optim.AdamW([w], betas=(0.9, -0.1))
    with pytest.raises(ValueError, match="Invalid weight_decay value"):
        optim.AdamW([w], weight_decay=-1.0)


def test_adam_state_dict_layout_and_round_trip():
    def make():
        a = ember.tensor([0.5, -1.0], requires_grad=True)
        b = ember.tensor([2.0], requires_grad=True)
        return a, b, optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.1,
                                amsgrad=True)

    a, b, opt = make()
    for _ in range(3):
        a.grad = a.detach().clone()
        b.grad = b.detach().clone()
        opt.step()
    saved = opt.state_dict()
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert saved["param_groups"][1]["params"] == [1]
    assert saved["param_groups"][0]["betas"] == (0.9, 0.999)
    saved = pickle.loads(pickle.dumps(saved))
    a2, b2, opt2 = make()
    with ember.no_grad():
        a2.copy_(a)
        b2.copy_(b)
    opt2.load_state_dict(saved)
    assert opt2.state[a2]["step"].item() == 3
    for _ in range(2):
        for p in (a, b, a2, b2):
            p.grad = p.detach().clone()
        opt.step()
        opt2.step()
    np.testing.assert_array_equal(a.detach().numpy(), a2.detach().numpy())
    np.testing.assert_array_equal(b.detach().numpy(), b2.detach().numpy())


def test_fused_adam_errors():
    fused_adam = ember._C._optim._fused_adam_
    p = ember.zeros(2, 3)
    same = ember.zeros(2, 3)
    with pytest.raises(ValueError, match=r"\[_fused_adam_\] expected state_steps to hold one"):
        fused_adam([p], [same], [same], [same], [], [], 0.1, 0.9, 0.999, 0.0, 1e-8, False,
                   False, False)
    with pytest.raises(ValueError, match=r"expected exp_avgs\[0\] of the parameter's shape"):
        fused_adam([p], [same], [ember.zeros(3)], [same], [], [ember.zeros(())], 0.1, 0.9,
                   0.999, 0.0, 1e-8, False, False, False)
    with pytest.raises(ValueError, match="max_exp_avg_sqs"):
        fused_adam([p], [same], [same], [same], [], [ember.zeros(())], 0.1, 0.9, 0.999, 0.0,
                   1e-8, True, False, False)
