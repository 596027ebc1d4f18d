"""ember.amp.GradScaler (torch.amp.GradScaler's semantics) on the CPU: scaling, unscale_ then
step, a skipped step and the backoff on inf, growth after growth_interval, the state_dict round
trip, a disabled scaler passing through, and PyTorch's errors; and its two ops."""
import math

import pytest
from ember.amp import GradScaler

import ember
from ember import nn


def setup(init_scale=4.0, growth_interval=2000, value=1.0):
    param = nn.Parameter(ember.full((3,), value))
    optimizer = ember.optim.SGD([param], lr=0.5)
    scaler = GradScaler("cpu", init_scale=init_scale, growth_interval=growth_interval)
    return param, optimizer, scaler


def test_scale_multiplies_tensors_and_nested_lists():
    scaler = GradScaler("cpu", init_scale=8.0)
    assert scaler.get_scale() == 8.0
    assert scaler.scale(ember.tensor(2.0)).item() == 16.0
    scaled = scaler.scale([ember.tensor(1.0), (ember.tensor(3.0),)])
    assert isinstance(scaled, list) and isinstance(scaled[1], tuple)
    assert scaled[0].item() == 8.0 and scaled[1][0].item() == 24.0
    with pytest.raises(ValueError):
        scaler.scale([1.0])


def test_unscale_then_step_uses_the_true_gradient():
    param, optimizer, scaler = setup(init_scale=4.0)
    scaler.scale(param.sum()).backward()
    assert param.grad.tolist() == [4.0, 4.0, 4.0]
    scaler.unscale_(optimizer)
    assert param.grad.tolist() == [1.0, 1.0, 1.0]
    scaler.step(optimizer)
    assert param.detach().tolist() == [0.5, 0.5, 0.5]
    scaler.update()
    assert scaler.get_scale() == 4.0
    assert scaler._get_growth_tracker() == 1


def test_a_step_with_an_inf_gradient_is_skipped_and_the_scale_backs_off():
    param, optimizer, scaler = setup(init_scale=4.0)
    (scaler.scale(param.sum()) * math.inf).backward()
    assert scaler.step(optimizer) is None
    assert param.detach().tolist() == [1.0, 1.0, 1.0]
    scaler.update()
    assert scaler.get_scale() == 2.0
    assert scaler._get_growth_tracker() == 0


def test_a_nan_gradient_also_skips():
    param, optimizer, scaler = setup()
    (scaler.scale(param.sum()) * math.nan).backward()
    scaler.step(optimizer)
    scaler.update()
    assert param.detach().tolist() == [1.0, 1.0, 1.0]
    assert scaler.get_scale() == 2.0


def test_the_scale_grows_after_growth_interval_steps():
    param, optimizer, scaler = setup(init_scale=4.0, growth_interval=3)
    for step in range(1, 4):
        optimizer.zero_grad()
        scaler.scale(param.sum()).backward()
        scaler.step(optimizer)
        scaler.update()
        assert scaler.get_scale() == (8.0 if step == 3 else 4.0)
    assert scaler._get_growth_tracker() == 0


def test_update_with_a_new_scale():
    param, optimizer, scaler = setup()
    scaler.scale(param.sum()).backward()
    scaler.step(optimizer)
    scaler.update(new_scale=32.0)
    assert scaler.get_scale() == 32.0
    scaler.scale(param.sum())
    scaler.update(ember.tensor([16.0]))
    assert scaler.get_scale() == 16.0
    with pytest.raises(AssertionError, match="new_scale"):
        scaler.update(ember.tensor([16.0], dtype=ember.float64))


def test_state_dict_round_trip():
    param, optimizer, scaler = setup(init_scale=4.0, growth_interval=5)
    scaler.scale(param.sum()).backward()
    scaler.step(optimizer)
    scaler.update()
    state = scaler.state_dict()
    assert state == {"scale": 4.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                     "growth_interval": 5, "_growth_tracker": 1}
    other = GradScaler("cpu")
    other.load_state_dict(state)
    assert other.state_dict() == state
    assert other.get_growth_interval() == 5
    other.set_growth_factor(3.0)
    other.set_backoff_factor(0.25)
    other.set_growth_interval(7)
    assert (other.get_growth_factor(), other.get_backoff_factor(),
            other.get_growth_interval()) == (3.0, 0.25, 7)
    with pytest.raises(RuntimeError, match="state dict is empty"):
        other.load_state_dict({})


def test_disabled_scaler_passes_through():
    param, optimizer, _ = setup()
    scaler = GradScaler("cpu", enabled=False)
    assert not scaler.is_enabled()
    loss = param.sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    scaler.unscale_(optimizer)
    scaler.step(optimizer)
    scaler.update()
    assert param.detach().tolist() == [0.5, 0.5, 0.5]
    assert scaler.get_scale() == 1.0 and scaler.state_dict() == {}


def test_cuda_scaler_without_cuda_warns_and_disables():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = GradScaler()
    assert not scaler.is_enabled()


def test_errors_follow_pytorch():
    param, optimizer, scaler = setup()
    with pytest.raises(AssertionError, match="_scale is None"):
        scaler.unscale_(optimizer)
    scaler.scale(param.sum()).backward()
    scaler.unscale_(optimizer)
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        scaler.unscale_(optimizer)
    scaler.step(optimizer)
    with pytest.raises(RuntimeError, match="unscale_\\(\\) is being called after step"):
        scaler.unscale_(optimizer)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(optimizer)
    with pytest.raises(RuntimeError, match="Closure"):
        scaler.step(optimizer, closure=lambda: None)
    scaler.update()
    # An optimizer without gradients records no inf check.
    empty = ember.optim.SGD([nn.Parameter(ember.ones(2))], lr=0.1)
    with pytest.raises(AssertionError, match="No inf checks were recorded for this optimizer"):
        scaler.step(empty)
    with pytest.raises(AssertionError, match="No inf checks were recorded prior to update"):
        _update_without_checks()
    with pytest.raises(ValueError, match="growth_factor"):
        GradScaler("cpu", growth_factor=0.5)
    with pytest.raises(ValueError, match="Attempting to unscale FP16 gradients"):
        half = nn.Parameter(ember.ones(2, dtype=ember.float16))
        half_optimizer = ember.optim.SGD([half], lr=0.1)
        half.grad = ember.ones(2, dtype=ember.float16)
        fresh = GradScaler("cpu")
        fresh.scale(ember.tensor(1.0))
        fresh.unscale_(half_optimizer)


def _update_without_checks():
    scaler = GradScaler("cpu")
    scaler.scale(ember.tensor(1.0))
    scaler.update()


def test_the_ops_directly():
    grads = [ember.full((2,), 8.0), ember.tensor([1.0, math.inf])]
    found_inf = ember.zeros(1)
    ember._C._autocast._amp_foreach_non_finite_check_and_unscale_(grads, found_inf,
                                                                  ember.full((1,), 0.5))
    assert grads[0].tolist() == [4.0, 4.0] and found_inf.item() == 1.0
    scale, tracker = ember.full((1,), 8.0), ember.zeros(1, dtype=ember.int32)
    ember._C._autocast._amp_update_scale_(scale, tracker, found_inf, 2.0, 0.5, 10)
    assert scale.item() == 4.0 and tracker.item() == 0
    with pytest.raises(RuntimeError, match=r"\[_amp_update_scale_\] expected growth_tracker"):
        ember._C._autocast._amp_update_scale_(scale, ember.zeros(1), found_inf, 2.0, 0.5, 10)
