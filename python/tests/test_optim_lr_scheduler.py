"""ember.optim.lr_scheduler: each scheduler's learning-rate sequence over many epochs, with
several option sets and two param groups, against closed forms written here from PyTorch's
documented definitions; state_dict round trips; PyTorch's step() order, initial step and
errors."""
import copy
import math
import pickle
import warnings

import pytest

from ember.optim import lr_scheduler as sched

BASE_LRS = (0.1, 0.25)


class FakeOptimizer:
    """What a scheduler needs of an optimizer: param_groups (and defaults for the momentum)."""

    def __init__(self, lrs=BASE_LRS, momentum=0.9, betas=None):
        self.defaults = {"lr": lrs[0]}
        if betas is not None:
            self.defaults["betas"] = betas
        else:
            self.defaults["momentum"] = momentum
        self.param_groups = [{**self.defaults, "params": [], "lr": lr} for lr in lrs]
        self.steps = 0

    def step(self):
        self.steps += 1


def run(optimizer, scheduler, epochs):
    """The lr of every group before each of `epochs` optimizer steps (PyTorch's loop order)."""
    seen = []
    for _ in range(epochs):
        seen.append([group["lr"] for group in optimizer.param_groups])
        assert scheduler.get_last_lr() == seen[-1]
        optimizer.step()
        scheduler.step()
    return seen


def expect_sequence(seen, closed_form):
    for epoch, lrs in enumerate(seen):
        for base_lr, lr in zip(BASE_LRS, lrs):
            assert lr == pytest.approx(closed_form(base_lr, epoch), rel=1e-12, abs=1e-15), epoch


# (constructor, closed form of (base_lr, epoch)), from torch.optim.lr_scheduler's docs.
EPOCH_CASES = {
    "lambda": (lambda o: sched.LambdaLR(o, lambda e: 0.9 ** e), lambda b, e: b * 0.9 ** e),
    "multiplicative": (lambda o: sched.MultiplicativeLR(o, lambda e: 0.95),
                       lambda b, e: b * 0.95 ** e),
    "step": (lambda o: sched.StepLR(o, step_size=3, gamma=0.5), lambda b, e: b * 0.5 ** (e // 3)),
    "step_default_gamma": (lambda o: sched.StepLR(o, 4), lambda b, e: b * 0.1 ** (e // 4)),
    "multi_step": (lambda o: sched.MultiStepLR(o, [2, 5, 5, 11], gamma=0.3),
                   lambda b, e: b * 0.3 ** sum(m <= e for m in (2, 5, 5, 11))),
    "constant": (lambda o: sched.ConstantLR(o, factor=0.25, total_iters=7),
                 lambda b, e: b * (0.25 if e < 7 else 1.0)),
    "constant_default": (lambda o: sched.ConstantLR(o), lambda b, e: b * (1 / 3 if e < 5 else 1.0)),
    "linear": (lambda o: sched.LinearLR(o, start_factor=0.1, end_factor=0.8, total_iters=9),
               lambda b, e: b * (0.1 + 0.7 * min(e, 9) / 9)),
    "linear_default": (lambda o: sched.LinearLR(o),
                       lambda b, e: b * (1 / 3 + 2 / 3 * min(e, 5) / 5)),
    "exponential": (lambda o: sched.ExponentialLR(o, 0.93), lambda b, e: b * 0.93 ** e),
    "polynomial": (lambda o: sched.PolynomialLR(o, total_iters=13, power=2.0),
                   lambda b, e: b * (1 - min(e, 13) / 13) ** 2),
    "polynomial_default": (lambda o: sched.PolynomialLR(o), lambda b, e: b * (1 - min(e, 5) / 5)),
    "cosine": (lambda o: sched.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
               lambda b, e: 0.001 + (b - 0.001) * (1 + math.cos(math.pi * e / 7)) / 2),
    "cosine_t1": (lambda o: sched.CosineAnnealingLR(o, T_max=1),
                  lambda b, e: b * (1 + math.cos(math.pi * e)) / 2),
}


@pytest.mark.parametrize("name", sorted(EPOCH_CASES))
def test_epoch_schedulers_follow_their_closed_forms(name):
    build, closed_form = EPOCH_CASES[name]
    optimizer = FakeOptimizer()
    scheduler = build(optimizer)
    assert scheduler.last_epoch == 0  # the constructor took the first step
    assert scheduler.base_lrs == list(BASE_LRS)
    expect_sequence(run(optimizer, scheduler, 60), closed_form)
    assert scheduler.last_epoch == 60


@pytest.mark.parametrize("name", sorted(EPOCH_CASES))
def test_state_dict_round_trip_continues_the_sequence(name):
    build, closed_form = EPOCH_CASES[name]
    optimizer = FakeOptimizer()
    scheduler = build(optimizer)
    run(optimizer, scheduler, 9)
    state = pickle.loads(pickle.dumps(scheduler.state_dict()))
    assert "optimizer" not in state
    # A fresh optimizer and scheduler, then both state dicts (the optimizer's restores its lrs).
    fresh = FakeOptimizer()
    resumed = build(fresh)
    resumed.load_state_dict(state)
    fresh.param_groups = copy.deepcopy(optimizer.param_groups)
    assert resumed.last_epoch == 9
    seen = run(fresh, resumed, 20)
    for offset, lrs in enumerate(seen):
        for base_lr, lr in zip(BASE_LRS, lrs):
            assert lr == pytest.approx(closed_form(base_lr, 9 + offset), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", ["step", "multi_step", "constant", "linear", "exponential",
                                  "polynomial", "cosine"])
def test_step_with_an_epoch_uses_the_closed_form(name):
    build, closed_form = EPOCH_CASES[name]
    optimizer = FakeOptimizer()
    scheduler = build(optimizer)
    optimizer.step()
    for epoch in (3, 7, 2, 10, 0, 5):
        with pytest.warns(UserWarning, match="epoch parameter"):
            scheduler.step(epoch)
        assert scheduler.last_epoch == epoch
        for base_lr, group in zip(BASE_LRS, optimizer.param_groups):
            assert group["lr"] == pytest.approx(closed_form(base_lr, epoch), rel=1e-12)


def test_lambda_lr_takes_one_lambda_per_group_and_saves_callable_objects():
    class Decay:
        def __init__(self):
            self.rate = 0.5

        def __call__(self, epoch):
            return self.rate ** epoch

    optimizer = FakeOptimizer()
    decay = Decay()
    scheduler = sched.LambdaLR(optimizer, [lambda e: 1.0 / (e + 1), decay])
    seen = run(optimizer, scheduler, 6)
    assert seen[4] == pytest.approx([0.1 / 5, 0.25 * 0.5 ** 4])
    state = scheduler.state_dict()
    assert state["lr_lambdas"][0] is None and state["lr_lambdas"][1] == {"rate": 0.5}
    decay.rate = 0.9
    scheduler.load_state_dict(state)
    assert decay.rate == 0.5
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        sched.LambdaLR(FakeOptimizer(), [lambda e: 1.0])


def test_multiplicative_lr_never_calls_its_lambda_at_epoch_zero():
    calls = []
    optimizer = FakeOptimizer()
    scheduler = sched.MultiplicativeLR(optimizer, lambda e: calls.append(e) or 0.5)
    assert calls == []
    optimizer.step()
    scheduler.step()
    assert calls == [1, 1]  # once per group
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.05)


def warm_restarts_closed_form(base_lr, epoch, t_0, t_mult, eta_min):
    t_i, t_cur = t_0, epoch
    while t_cur >= t_i:
        t_cur -= t_i
        t_i *= t_mult
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


@pytest.mark.parametrize("t_0,t_mult,eta_min", [(3, 2, 0.01), (4, 1, 0.0), (1, 3, 0.001)])
def test_cosine_annealing_warm_restarts(t_0, t_mult, eta_min):
    optimizer = FakeOptimizer()
    scheduler = sched.CosineAnnealingWarmRestarts(optimizer, T_0=t_0, T_mult=t_mult,
                                                eta_min=eta_min)
    expect_sequence(run(optimizer, scheduler, 50),
                    lambda b, e: warm_restarts_closed_form(b, e, t_0, t_mult, eta_min))
    # Fractional epochs (a step per batch): T_cur is the epoch's position in its cycle.
    for epoch in (0.5, 7.25, 13.0, 1.75):
        scheduler.step(epoch)
        assert scheduler.last_epoch == math.floor(epoch)
        for base_lr, group in zip(BASE_LRS, optimizer.param_groups):
            assert group["lr"] == pytest.approx(
                warm_restarts_closed_form(base_lr, epoch, t_0, t_mult, eta_min), rel=1e-12)


def test_cosine_annealing_warm_restarts_errors():
    with pytest.raises(ValueError, match="T_0"):
        sched.CosineAnnealingWarmRestarts(FakeOptimizer(), T_0=0)
    with pytest.raises(ValueError, match="T_mult"):
        sched.CosineAnnealingWarmRestarts(FakeOptimizer(), T_0=2, T_mult=0)
    scheduler = sched.CosineAnnealingWarmRestarts(FakeOptimizer(), T_0=2)
    with pytest.raises(ValueError, match="non-negative epoch"):
        scheduler.step(-1)


def cyclic_closed_form(base, peak, iteration, up, down, scale):
    """(lr fraction of the way up, scale) from Smith's triangular policy."""
    total = up + down
    cycle = math.floor(1 + iteration / total)
    x = 1 + iteration / total - cycle
    fraction = x / (up / total) if x <= up / total else (x - 1) / (up / total - 1)
    return base + (peak - base) * fraction * scale(cycle, iteration), fraction


CYCLIC_CASES = {
    "triangular": ({"step_size_up": 3, "step_size_down": 5}, lambda c, i: 1.0),
    "triangular2": ({"step_size_up": 4, "mode": "triangular2"}, lambda c, i: 1 / 2 ** (c - 1)),
    "exp_range": ({"step_size_up": 4, "step_size_down": 2, "mode": "exp_range", "gamma": 0.9},
                  lambda c, i: 0.9 ** i),
    "scale_fn": ({"step_size_up": 2, "scale_fn": lambda x: 0.5 ** x, "scale_mode": "iterations"},
                 lambda c, i: 0.5 ** i),
    "scale_fn_cycle": ({"step_size_up": 2, "scale_fn": lambda x: 1 / x}, lambda c, i: 1 / c),
}


@pytest.mark.parametrize("name", sorted(CYCLIC_CASES))
@pytest.mark.parametrize("betas", [None, (0.9, 0.999)])
def test_cyclic_lr_and_its_momentum(name, betas):
    options, scale = CYCLIC_CASES[name]
    up = options["step_size_up"]
    down = options.get("step_size_down", up)
    optimizer = FakeOptimizer(betas=betas)
    scheduler = sched.CyclicLR(optimizer, base_lr=0.01, max_lr=[0.1, 0.2], base_momentum=0.7,
                             max_momentum=0.95, **options)
    for iteration in range(40):
        for group, peak in zip(optimizer.param_groups, (0.1, 0.2)):
            lr, fraction = cyclic_closed_form(0.01, peak, iteration, up, down, scale)
            assert group["lr"] == pytest.approx(lr, rel=1e-12)
            momentum = group["betas"][0] if betas else group["momentum"]
            cycle = math.floor(1 + iteration / (up + down))
            assert momentum == pytest.approx(
                0.95 - 0.25 * fraction * scale(cycle, iteration), rel=1e-12)
            if betas:
                assert group["betas"][1] == 0.999
        optimizer.step()
        scheduler.step()


def test_cyclic_lr_options_and_errors():
    optimizer = FakeOptimizer()
    scheduler = sched.CyclicLR(optimizer, 0.01, 0.1, cycle_momentum=False)
    assert optimizer.param_groups[0]["momentum"] == 0.9  # untouched
    assert scheduler.base_lrs == [0.01, 0.01]
    state = scheduler.state_dict()
    assert state["_scale_fn_custom"] is None
    scheduler.load_state_dict(state)
    with pytest.raises(ValueError, match="mode is invalid"):
        sched.CyclicLR(FakeOptimizer(), 0.01, 0.1, mode="square")
    with pytest.raises(ValueError, match="expected 2 values for max_lr, got 3"):
        sched.CyclicLR(FakeOptimizer(), 0.01, [0.1, 0.2, 0.3])
    no_momentum = FakeOptimizer()
    del no_momentum.defaults["momentum"]
    with pytest.raises(ValueError, match="must support momentum"):
        sched.CyclicLR(no_momentum, 0.01, 0.1)


def one_cycle_closed_form(step, total, pct, three_phase, anneal, start, peak, end):
    if anneal == "cos":
        def blend(a, b, t):
            return b + (a - b) * (1 + math.cos(math.pi * t)) / 2
    else:
        def blend(a, b, t):
            return a + (b - a) * t
    if three_phase:
        phases = [(pct * total - 1, start, peak), (2 * pct * total - 2, peak, start),
                  (total - 1, start, end)]
    else:
        phases = [(pct * total - 1, start, peak), (total - 1, peak, end)]
    begin = 0.0
    for i, (finish, a, b) in enumerate(phases):
        if step <= finish or i == len(phases) - 1:
            return blend(a, b, (step - begin) / (finish - begin))
        begin = finish


@pytest.mark.parametrize("anneal", ["cos", "linear"])
@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("betas", [None, (0.9, 0.99)])
def test_one_cycle_lr(anneal, three_phase, betas):
    total, pct, div, final_div = 30, 0.25, 10.0, 100.0
    optimizer = FakeOptimizer(betas=betas)
    scheduler = sched.OneCycleLR(optimizer, max_lr=[1.0, 2.0], epochs=5, steps_per_epoch=6,
                               pct_start=pct, anneal_strategy=anneal, three_phase=three_phase,
                               div_factor=div, final_div_factor=final_div)
    assert scheduler.total_steps == total
    for step in range(total):
        for group, peak in zip(optimizer.param_groups, (1.0, 2.0)):
            start = peak / div
            assert group["lr"] == pytest.approx(one_cycle_closed_form(
                step, total, pct, three_phase, anneal, start, peak, start / final_div), rel=1e-12)
            momentum = group["betas"][0] if betas else group["momentum"]
            assert momentum == pytest.approx(one_cycle_closed_form(
                step, total, pct, three_phase, anneal, 0.95, 0.85, 0.95), rel=1e-12)
        optimizer.step()
        if step < total - 1:
            scheduler.step()


def test_one_cycle_lr_errors():
    with pytest.raises(ValueError, match="total_steps OR"):
        sched.OneCycleLR(FakeOptimizer(), 1.0)
    with pytest.raises(ValueError, match="positive integer total_steps"):
        sched.OneCycleLR(FakeOptimizer(), 1.0, total_steps=0)
    with pytest.raises(ValueError, match="positive integer epochs"):
        sched.OneCycleLR(FakeOptimizer(), 1.0, epochs=0, steps_per_epoch=3)
    with pytest.raises(ValueError, match="pct_start"):
        sched.OneCycleLR(FakeOptimizer(), 1.0, total_steps=10, pct_start=1.5)
    with pytest.raises(ValueError, match="anneal_strategy"):
        sched.OneCycleLR(FakeOptimizer(), 1.0, total_steps=10, anneal_strategy="step")
    optimizer = FakeOptimizer()
    scheduler = sched.OneCycleLR(optimizer, 1.0, total_steps=3)
    optimizer.step()
    for _ in range(3):
        scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 5 times. The specified number of total "
                                         "steps is 3"):
        scheduler.step()


def test_reduce_lr_on_plateau_sequence():
    optimizer = FakeOptimizer()
    scheduler = sched.ReduceLROnPlateau(optimizer, patience=2, cooldown=1, factor=0.5,
                                      min_lr=[0.0, 0.09])
    metrics = [5, 4, 4, 4, 4, 4, 4, 3.9999, 4, 4, 1, 1, 1, 1]
    # A reduction after 3 bad epochs (> patience 2); the cooldown epoch after it does not count;
    # 3.9999 is within the relative threshold (1e-4) of 4, so not better; group 1 stops at its
    # min_lr, and a reduction that would not change it is skipped.
    expected = [[0.1, 0.25]] * 4 + [[0.05, 0.125]] * 4 + [[0.025, 0.09]] * 5 + [[0.0125, 0.09]]
    seen = []
    for metric in metrics:
        scheduler.step(metric)
        seen.append(scheduler.get_last_lr())
    assert seen == [pytest.approx(lrs_) for lrs_ in expected]
    assert scheduler.last_epoch == len(metrics)
    assert scheduler.best == 1 and scheduler.num_bad_epochs == 0
    assert scheduler.cooldown_counter == 1 and scheduler.in_cooldown


@pytest.mark.parametrize("mode,threshold_mode,threshold,best,better,worse", [
    ("min", "rel", 0.1, 10.0, 8.9, 9.0), ("min", "abs", 0.5, 10.0, 9.4, 9.5),
    ("max", "rel", 0.1, 10.0, 11.1, 11.0), ("max", "abs", 0.5, 10.0, 10.6, 10.5)])
def test_reduce_lr_on_plateau_modes(mode, threshold_mode, threshold, best, better, worse):
    scheduler = sched.ReduceLROnPlateau(FakeOptimizer(), mode=mode, threshold=threshold,
                                      threshold_mode=threshold_mode)
    assert scheduler.is_better(better, best)
    assert not scheduler.is_better(worse, best)
    assert scheduler.best == (math.inf if mode == "min" else -math.inf)


def test_reduce_lr_on_plateau_eps_state_dict_and_errors():
    optimizer = FakeOptimizer(lrs=(1e-9, 0.25))
    scheduler = sched.ReduceLROnPlateau(optimizer, patience=0, eps=1e-8)
    scheduler.step(1.0)
    scheduler.step(2.0)
    assert scheduler.get_last_lr() == pytest.approx([1e-9, 0.025])  # a change under eps is skipped
    state = pickle.loads(pickle.dumps(scheduler.state_dict()))
    assert state["best"] == 1.0 and state["num_bad_epochs"] == 0 and state["mode_worse"] == math.inf
    other = sched.ReduceLROnPlateau(FakeOptimizer(), mode="max", patience=5)
    other.load_state_dict(state)
    assert other.mode == "min" and other.patience == 0 and other.best == 1.0
    assert other.is_better(0.5, 1.0)
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        sched.ReduceLROnPlateau(FakeOptimizer(), factor=1.0)
    with pytest.raises(ValueError, match="mode median is unknown"):
        sched.ReduceLROnPlateau(FakeOptimizer(), mode="median")
    with pytest.raises(ValueError, match="threshold mode ratio is unknown"):
        sched.ReduceLROnPlateau(FakeOptimizer(), threshold_mode="ratio")
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        sched.ReduceLROnPlateau(FakeOptimizer(), min_lr=[0.1])


def warmup_cosine(base_lr, epoch, warmup, t_max):
    if epoch < warmup:
        return base_lr * (0.1 + 0.9 * epoch / warmup)
    return base_lr * (1 + math.cos(math.pi * (epoch - warmup) / t_max)) / 2


def test_sequential_lr_warmup_then_cosine():
    optimizer = FakeOptimizer()
    warmup = sched.LinearLR(optimizer, start_factor=0.1, total_iters=5)
    cosine = sched.CosineAnnealingLR(optimizer, T_max=20)
    scheduler = sched.SequentialLR(optimizer, [warmup, cosine], milestones=[5])
    expect_sequence(run(optimizer, scheduler, 30), lambda b, e: warmup_cosine(b, e, 5, 20))
    state = scheduler.state_dict()
    assert len(state["_schedulers"]) == 2 and "optimizer" not in state
    scheduler.load_state_dict(state)
    assert scheduler.last_epoch == 30


def test_sequential_lr_of_three_and_its_errors():
    optimizer = FakeOptimizer()
    scheduler = sched.SequentialLR(optimizer, [sched.ConstantLR(optimizer, 0.1, 2),
                                             sched.ExponentialLR(optimizer, 0.9),
                                             sched.StepLR(optimizer, 2, 0.5)], milestones=[2, 6])

    def closed_form(b, e):
        if e < 2:
            return b * 0.1
        if e < 6:
            return b * 0.9 ** (e - 2)
        return b * 0.5 ** ((e - 6) // 2)

    expect_sequence(run(optimizer, scheduler, 20), closed_form)
    with pytest.raises(ValueError, match="at least one scheduler"):
        sched.SequentialLR(optimizer, [], [])
    with pytest.raises(ValueError, match="number of milestones to be equal to 2"):
        sched.SequentialLR(optimizer, [sched.StepLR(optimizer, 2)], [1, 2])
    with pytest.raises(ValueError, match="same optimizer"):
        sched.SequentialLR(optimizer, [sched.StepLR(FakeOptimizer(), 2)], [])


def test_chained_scheduler_multiplies_the_schedules():
    optimizer = FakeOptimizer()
    scheduler = sched.ChainedScheduler([sched.ConstantLR(optimizer, 0.1, 4),
                                      sched.ExponentialLR(optimizer, 0.9)])
    expect_sequence(run(optimizer, scheduler, 20),
                    lambda b, e: b * (0.1 if e < 4 else 1.0) * 0.9 ** e)
    resumed = sched.ChainedScheduler([sched.ConstantLR(optimizer, 0.1, 4),
                                    sched.ExponentialLR(optimizer, 0.9)])
    resumed.load_state_dict(scheduler.state_dict())
    assert [s.last_epoch for s in resumed._schedulers] == [20, 20]
    with pytest.raises(ValueError, match="same optimizer"):
        sched.ChainedScheduler([sched.StepLR(optimizer, 2), sched.StepLR(FakeOptimizer(), 2)])


def test_resuming_needs_initial_lr_and_continues_from_last_epoch():
    with pytest.raises(KeyError, match="initial_lr"):
        sched.StepLR(FakeOptimizer(), 2, last_epoch=4)
    optimizer = FakeOptimizer()
    for group in optimizer.param_groups:
        group["initial_lr"] = group["lr"]
    scheduler = sched.CosineAnnealingLR(optimizer, T_max=10, last_epoch=3)
    assert scheduler.last_epoch == 4
    # The first step after resuming takes the closed form.
    assert scheduler.get_last_lr()[0] == pytest.approx(0.1 * (1 + math.cos(math.pi * 0.4)) / 2)


def test_step_order_and_get_lr_warnings():
    optimizer = FakeOptimizer()
    scheduler = sched.StepLR(optimizer, 2)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()
    optimizer = FakeOptimizer()
    scheduler = sched.StepLR(optimizer, 2)
    optimizer.step()
    assert optimizer._step_count == 1  # the scheduler counts the optimizer's steps
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()
    with pytest.warns(UserWarning, match="get_last_lr"):
        scheduler.get_lr()


def test_verbose_prints_each_group(capsys):
    optimizer = FakeOptimizer()
    sched.ExponentialLR(optimizer, 0.5, verbose=True)
    assert capsys.readouterr().out.splitlines() == [
        "Adjusting learning rate of group 0 to 1.0000e-01.",
        "Adjusting learning rate of group 1 to 2.5000e-01."]


def test_a_non_optimizer_is_a_type_error():
    with pytest.raises(TypeError, match="is not an Optimizer"):
        sched.StepLR(object(), 2)


def test_with_ember_sgd_the_checkpoint_of_both_resumes_the_schedule():
    import ember
    from ember import optim

    def make():
        weight = ember.zeros(3, requires_grad=True)
        optimizer = optim.SGD([weight], lr=0.1, momentum=0.9)
        return weight, optimizer, sched.StepLR(optimizer, step_size=2, gamma=0.5)

    weight, optimizer, scheduler = make()
    for _ in range(5):
        weight.grad = ember.ones(3)
        optimizer.step()
        scheduler.step()
    assert optimizer.state_dict()["param_groups"][0]["initial_lr"] == 0.1
    _, resumed_optimizer, resumed = make()
    resumed_optimizer.load_state_dict(optimizer.state_dict())
    resumed.load_state_dict(scheduler.state_dict())
    assert resumed_optimizer.param_groups[0]["lr"] == 0.1 * 0.5 ** 2
    resumed_optimizer.step()
    resumed.step()
    assert resumed.get_last_lr() == [0.1 * 0.5 ** 3]


def test_one_cycle_lr_cycles_the_beta1_of_ember_adam():
    import ember
    from ember import optim

    optimizer = optim.Adam([ember.zeros(2, requires_grad=True)], lr=0.1, betas=(0.9, 0.99))
    scheduler = sched.OneCycleLR(optimizer, max_lr=1.0, total_steps=10,
                                 anneal_strategy="linear")
    assert optimizer.param_groups[0]["betas"] == (0.95, 0.99)
    optimizer.step()
    scheduler.step()
    assert optimizer.param_groups[0]["betas"][0] == pytest.approx(0.9)
    assert optimizer.param_groups[0]["lr"] == pytest.approx((0.04 + 1.0) / 2)
