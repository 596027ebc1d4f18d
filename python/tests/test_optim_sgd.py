"""ember.optim.SGD against a float64 numpy reference of torch.optim.SGD's documented rule, over
many steps and every option combination, with parameters whose grad is None skipped; and the
fused op's errors."""
import itertools

import numpy as np
import pytest

import ember
from ember import optim


def sgd_reference(params, grads_per_step, lr, momentum, dampening, weight_decay, nesterov,
                  maximize):
    """torch.optim.SGD's rule, step by step in float64 (None: no gradient at that step)."""
    params = [p.copy() for p in params]
    buffers = [None] * len(params)
    for grads in grads_per_step:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            g = -grad if maximize else grad.copy()
            if weight_decay != 0:
                g = g + weight_decay * params[i]
            if momentum != 0:
                if buffers[i] is None:
                    buffers[i] = g.copy()
                else:
                    buffers[i] = momentum * buffers[i] + (1 - dampening) * g
                g = g + momentum * buffers[i] if nesterov else buffers[i]
            params[i] = params[i] - lr * g
    return params, buffers


OPTIONS = [{"momentum": m, "dampening": d, "weight_decay": w, "nesterov": n, "maximize": x}
           for m, d, w, n, x in itertools.product((0.0, 0.9), (0.0, 0.3), (0.0, 0.1),
                                                   (False, True), (False, True))
           if not (n and (m == 0 or d != 0))]


def gradient_schedule(rng, shapes, steps):
    """Random gradients per step; the second parameter has none at steps 0 and 3, the third
    never."""
    schedule = []
    for step in range(steps):
        grads = [rng.standard_normal(shape) for shape in shapes]
        if step in (0, 3):
            grads[1] = None
        grads[2] = None
        schedule.append(grads)
    return schedule


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_sgd_matches_the_reference_over_many_steps(options, dtype):
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (5,), (2,), (0, 3), ()]
    initial = [rng.standard_normal(shape) for shape in shapes]
    schedule = gradient_schedule(rng, shapes, 10)
    params = [ember.tensor(value, dtype=dtype, requires_grad=True) for value in initial]
    opt = optim.SGD(params, lr=0.05, **options)
    for grads in schedule:
        for param, grad in zip(params, grads):
            param.grad = None if grad is None else ember.tensor(grad, dtype=dtype)
        opt.step()
    expected, buffers = sgd_reference(initial, schedule, 0.05, **options)
    tolerance = 1e-5 if dtype == ember.float32 else 1e-12
    for param, want in zip(params, expected):
        np.testing.assert_allclose(param.detach().numpy(), want, rtol=tolerance, atol=tolerance)
    assert "momentum_buffer" not in opt.state[params[2]]
    if options["momentum"]:
        np.testing.assert_allclose(opt.state[params[0]]["momentum_buffer"].numpy(), buffers[0],
                                   rtol=tolerance, atol=tolerance)


def test_sgd_non_contiguous_parameter_takes_the_same_rule():
    rng = np.random.default_rng(1)
    base = ember.tensor(rng.standard_normal((4, 3)))
    param = base.t().detach().requires_grad_()
    assert not param.is_contiguous()
    expected = param.detach().numpy().copy()
    opt = optim.SGD([param], lr=0.1, momentum=0.5, weight_decay=0.01)
    buffer = None
    for _ in range(4):
        grad = rng.standard_normal((3, 4))
        param.grad = ember.tensor(grad)
        opt.step()
        g = grad + 0.01 * expected
        buffer = g if buffer is None else 0.5 * buffer + g
        expected = expected - 0.1 * buffer
    np.testing.assert_allclose(param.detach().numpy(), expected, rtol=1e-12)


def test_sgd_per_group_options_and_lr_changes():
    a = ember.ones(2, requires_grad=True)
    b = ember.ones(2, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[1]["lr"] == 0.5
    a.grad = ember.ones(2)
    b.grad = ember.ones(2)
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), [0.9, 0.9], rtol=1e-6)
    np.testing.assert_allclose(b.detach().numpy(), [0.5, 0.5], rtol=1e-6)
    opt.param_groups[0]["lr"] = 1.0
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), [-0.1, -0.1], rtol=1e-6)


def test_sgd_closure_is_evaluated_with_grad_and_its_loss_returned():
    w = ember.tensor([1.0, -2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with ember.no_grad():
        loss = opt.step(closure)
    assert loss.item() == pytest.approx(5.0)
    np.testing.assert_allclose(w.detach().numpy(), [0.8, -1.6], rtol=1e-6)


def test_sgd_option_errors():
    w = ember.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD([w], lr=-1)
    with pytest.raises(ValueError, match="Invalid momentum value"):
        optim.SGD([w], lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="Invalid weight_decay value"):
        optim.SGD([w], lr=0.1, weight_decay=-0.5)
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        optim.SGD([w], lr=0.1, nesterov=True)
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        optim.SGD([w], lr=0.1, differentiable=True)
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        optim.SGD([w], lr=0.1, foreach=True, fused=True)
    for flags in ({"foreach": True}, {"fused": True}, {"foreach": False}):
        optim.SGD([w], lr=0.1, **flags)


def test_fused_sgd_errors():
    fused_sgd = ember._C._optim._fused_sgd_
    param = ember.zeros(2, 3)
    with pytest.raises(ValueError, match=r"\[_fused_sgd_\] expected grads to hold one tensor"):
        fused_sgd([param], [], [], 0.1, 0.0, 0.0, 0.0, False, False, False)
    with pytest.raises(ValueError, match=r"expected grads\[0\] of the parameter's shape"):
        fused_sgd([param], [ember.zeros(3, 2)], [], 0.1, 0.0, 0.0, 0.0, False, False, False)
    with pytest.raises(TypeError, match=r"expected grads\[0\] of the parameter's dtype"):
        fused_sgd([param], [ember.zeros(2, 3, dtype=ember.float64)], [], 0.1, 0.0, 0.0, 0.0,
                  False, False, False)
    with pytest.raises(ValueError, match="momentum_buffers"):
        fused_sgd([param], [ember.zeros(2, 3)], [], 0.1, 0.9, 0.0, 0.0, False, False, False)
