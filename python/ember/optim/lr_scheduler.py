"""Learning-rate schedulers (torch.optim.lr_scheduler).

Thin classes with PyTorch's API and state: each keeps its epoch counters and options, and
computes every param group's learning rate with the rules of ember/optim/schedulers/
(ember._C._optim), the same the C++ schedulers use. A scheduler only needs
`optimizer.param_groups` (a list of dicts with "lr"), plus `optimizer.defaults` for the
schedulers that cycle the momentum.
"""
import math
import types
import warnings
import weakref
from bisect import bisect_right
from collections import Counter
from functools import wraps

from ember import _C

_rules = _C._optim

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where "
    "possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if "
    "epoch is different from None, the closed form is used instead of the new chainable form, "
    "where available.")


def _check_optimizer(optimizer):
    if not hasattr(optimizer, "param_groups"):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer (it has no param_groups)")


def _format_param(name, optimizer, param):
    """One value per param group: a list/tuple of that length, or one value for every group."""
    if isinstance(param, (list, tuple)):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(f"expected {len(optimizer.param_groups)} values for {name}, "
                             f"got {len(param)}")
        return list(param)
    return [param] * len(optimizer.param_groups)


def _callables_state(functions):
    """A list of callables in a state_dict: None for plain functions (which cannot be saved),
    the attributes of callable objects."""
    return [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
            for fn in functions]


def _restore_callables(functions, saved):
    for fn, state in zip(functions, saved):
        if state is not None:
            fn.__dict__.update(state)


def _with_step_counter(optimizer):
    """Wraps optimizer.step to count its calls (optimizer._step_count), so that a scheduler
    stepped before its optimizer can warn, as PyTorch's does."""
    method = optimizer.step
    if getattr(method, "_with_counter", False):
        return
    instance_ref = weakref.ref(method.__self__)
    func = method.__func__
    del method

    @wraps(func)
    def step(*args, **kwargs):
        instance = instance_ref()
        instance._step_count += 1
        return func.__get__(instance, type(instance))(*args, **kwargs)

    step._with_counter = True
    optimizer.step = step


class _GetLrInStep:
    """Marks get_lr() calls made by step() (other calls warn to use get_last_lr())."""

    def __init__(self, scheduler):
        self.scheduler = scheduler

    def __enter__(self):
        self.scheduler._get_lr_called_within_step = True

    def __exit__(self, *exc):
        self.scheduler._get_lr_called_within_step = False


def _print_lr(is_verbose, group, lr, epoch=None):
    if not is_verbose:
        return
    if epoch is None:
        print(f"Adjusting learning rate of group {group} to {lr:.4e}.")
    else:
        epoch_text = f"{epoch:.2f}" if isinstance(epoch, float) else f"{epoch:05d}"
        print(f"Epoch {epoch_text}: adjusting learning rate of group {group} to {lr:.4e}.")


class LRScheduler:
    """Base of the epoch-driven schedulers: base_lrs from each group's initial_lr, last_epoch,
    step(), get_last_lr(), state_dict()/load_state_dict(). The constructor takes the first step
    (epoch 0), so the optimizer starts at the schedule's first learning rate."""

    def __init__(self, optimizer, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] "
                                   "when resuming an optimizer")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        if hasattr(optimizer, "step"):
            _with_step_counter(optimizer)
        self.verbose = verbose
        self._initial_step()

    def _initial_step(self):
        self.optimizer._step_count = 0
        self._step_count = 0
        self.step()

    def state_dict(self):
        """Every attribute except the optimizer."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)

    def get_last_lr(self):
        """The learning rates the last step() set, one per param group."""
        return self._last_lr

    def get_lr(self):
        raise NotImplementedError

    def print_lr(self, is_verbose, group, lr, epoch=None):
        _print_lr(is_verbose, group, lr, epoch)

    def _warn_on_step_order(self):
        if self._step_count != 1:
            return
        if not getattr(getattr(self.optimizer, "step", None), "_with_counter", False):
            warnings.warn("Seems like `optimizer.step()` has been overridden after learning rate "
                          "scheduler initialization. Please, make sure to call "
                          "`optimizer.step()` before `lr_scheduler.step()`.", UserWarning,
                          stacklevel=3)
        elif self.optimizer._step_count < 1:
            warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                          "You should call `optimizer.step()` before `lr_scheduler.step()`; "
                          "otherwise the first value of the learning rate schedule is skipped.",
                          UserWarning, stacklevel=3)

    def step(self, epoch=None):
        self._warn_on_step_order()
        self._step_count += 1
        with _GetLrInStep(self):
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        for i, (group, lr) in enumerate(zip(self.optimizer.param_groups, values)):
            group["lr"] = lr
            self.print_lr(self.verbose, i, lr, epoch)
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _warn_outside_step(self):
        if not getattr(self, "_get_lr_called_within_step", False):
            warnings.warn("To get the last learning rate computed by the scheduler, please use "
                          "`get_last_lr()`.", UserWarning, stacklevel=2)

    def _group_lrs(self):
        return [group["lr"] for group in self.optimizer.param_groups]


_LRScheduler = LRScheduler


class LambdaLR(LRScheduler):
    """lr = base_lr * lr_lambda(epoch), one lambda or one per group."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(f"Expected {len(optimizer.param_groups)} lr_lambdas, but got "
                                 f"{len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        super().__init__(optimizer, last_epoch, verbose)

    def state_dict(self):
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = _callables_state(self.lr_lambdas)
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved = state.pop("lr_lambdas")
        self.__dict__.update(state)
        _restore_callables(self.lr_lambdas, saved)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.lambda_lr(base_lr, lmbda(self.last_epoch))
                for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(LambdaLR):
    """lr = lr * lr_lambda(epoch) at every epoch after the first."""

    def get_lr(self):
        self._warn_outside_step()
        epoch = self.last_epoch
        # The lambda is not called at epoch 0 (PyTorch's calls, for lambdas with side effects).
        return [_rules.multiplicative_lr(lr, epoch, lmbda(epoch) if epoch > 0 else 1.0)
                for lmbda, lr in zip(self.lr_lambdas, self._group_lrs())]


class StepLR(LRScheduler):
    """lr = base_lr * gamma ** (epoch // step_size)."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.step_lr(lr, self.last_epoch, self.step_size, self.gamma)
                for lr in self._group_lrs()]

    def _get_closed_form_lr(self):
        return [_rules.step_lr_closed_form(base_lr, self.last_epoch, self.step_size, self.gamma)
                for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    """lr = base_lr * gamma ** (milestones reached)."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch, verbose)

    def _milestone_list(self):
        return sorted(self.milestones.elements())

    def get_lr(self):
        self._warn_outside_step()
        milestones = self._milestone_list()
        return [_rules.multi_step_lr(lr, self.last_epoch, milestones, self.gamma)
                for lr in self._group_lrs()]

    def _get_closed_form_lr(self):
        milestones = self._milestone_list()
        return [_rules.multi_step_lr_closed_form(base_lr, self.last_epoch, milestones, self.gamma)
                for base_lr in self.base_lrs]


class ConstantLR(LRScheduler):
    """lr = base_lr * factor until epoch total_iters, then base_lr."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1, verbose=False):
        _rules.check_constant_lr(factor)
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.constant_lr(lr, self.last_epoch, self.factor, self.total_iters)
                for lr in self._group_lrs()]

    def _get_closed_form_lr(self):
        return [_rules.constant_lr_closed_form(base_lr, self.last_epoch, self.factor,
                                               self.total_iters)
                for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    """The lr's factor goes linearly from start_factor to end_factor over total_iters epochs."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1, verbose=False):
        _rules.check_linear_lr(start_factor, end_factor)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.linear_lr(lr, self.last_epoch, self.start_factor, self.end_factor,
                                 self.total_iters)
                for lr in self._group_lrs()]

    def _get_closed_form_lr(self):
        return [_rules.linear_lr_closed_form(base_lr, self.last_epoch, self.start_factor,
                                             self.end_factor, self.total_iters)
                for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr = base_lr * gamma ** epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1, verbose=False):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.exponential_lr(lr, self.last_epoch, self.gamma)
                for lr in self._group_lrs()]

    def _get_closed_form_lr(self):
        return [_rules.exponential_lr_closed_form(base_lr, self.last_epoch, self.gamma)
                for base_lr in self.base_lrs]


class PolynomialLR(LRScheduler):
    """lr = base_lr * (1 - min(epoch, total_iters) / total_iters) ** power."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1, verbose=False):
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.polynomial_lr(lr, self.last_epoch, self.total_iters, self.power)
                for lr in self._group_lrs()]

    def _get_closed_form_lr(self):
        return [_rules.polynomial_lr_closed_form(base_lr, self.last_epoch, self.total_iters,
                                                 self.power)
                for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2 (the chainable
    form continues past T_max, climbing back up, as PyTorch's does)."""

    def __init__(self, optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False):  # noqa: N803
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.cosine_annealing_lr(lr, base_lr, self.last_epoch, self._step_count,
                                           self.T_max, self.eta_min)
                for lr, base_lr in zip(self._group_lrs(), self.base_lrs)]

    def _get_closed_form_lr(self):
        return [_rules.cosine_annealing_lr_closed_form(base_lr, self.last_epoch, self.T_max,
                                                       self.eta_min)
                for base_lr in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing restarted every T_i epochs, T_i growing by T_mult at each restart;
    step(epoch) accepts fractional epochs (calls within an epoch)."""

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0, last_epoch=-1,  # noqa: N803
                 verbose=False):
        _rules.check_warm_restarts(T_0, T_mult)
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch, verbose)

    def get_lr(self):
        self._warn_outside_step()
        return [_rules.cosine_warm_restarts_lr(base_lr, self.T_cur, self.T_i, self.eta_min)
                for base_lr in self.base_lrs]

    def step(self, epoch=None):
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur, self.T_i = _rules.warm_restarts_advance(self.T_cur, self.T_i, self.T_mult)
        else:
            self.T_cur, self.T_i = _rules.warm_restarts_at_epoch(epoch, self.T_0, self.T_mult)
        self.last_epoch = math.floor(epoch)
        with _GetLrInStep(self):
            for i, (group, lr) in enumerate(zip(self.optimizer.param_groups, self.get_lr())):
                group["lr"] = lr
                self.print_lr(self.verbose, i, lr, epoch)
        self._last_lr = self._group_lrs()


def _momentum_key(optimizer):
    """Which option cycle_momentum moves: "momentum" (SGD, RMSprop) or "betas" (Adam's beta1)."""
    defaults = getattr(optimizer, "defaults", {})
    if "momentum" not in defaults and "betas" not in defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option "
                         "enabled")
    return "betas" if "betas" in defaults else "momentum"


def _set_momentum(group, key, momentum):
    if key == "betas":
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


class CyclicLR(LRScheduler):
    """Cyclical learning rates (Smith, 2017): the lr moves between base_lr and max_lr, every
    iteration (step() after each batch); the momentum moves the other way."""

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1,
                 verbose=False):
        _check_optimizer(optimizer)
        base_lrs = _format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _format_param("max_lr", optimizer, max_lr)
        step_size_up = float(step_size_up)
        step_size_down = float(step_size_down) if step_size_down is not None else step_size_up
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode if scale_fn is not None else _rules.cyclic_scale_mode(mode)
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self._momentum_key = _momentum_key(optimizer)
            self.use_beta1 = self._momentum_key == "betas"
            self.base_momentums = _format_param("base_momentum", optimizer, base_momentum)
            self.max_momentums = _format_param("max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for max_m, base_m, group in zip(self.max_momentums, self.base_momentums,
                                                optimizer.param_groups):
                    _set_momentum(group, self._momentum_key, max_m)
                    group["max_momentum"] = max_m
                    group["base_momentum"] = base_m
        super().__init__(optimizer, last_epoch, verbose)
        self.base_lrs = base_lrs

    def scale_fn(self, x):
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return _rules.cyclic_scale(self.mode, self.gamma, x)

    def get_lr(self):
        self._warn_outside_step()
        cycle, scale_factor = _rules.cyclic_position(self.last_epoch, self.total_size,
                                                     self.step_ratio)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [_rules.cyclic_lr(base_lr, max_lr, scale_factor, scale)
               for base_lr, max_lr in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, base_m, max_m in zip(self.optimizer.param_groups, self.base_momentums,
                                            self.max_momentums):
                momentum = _rules.cyclic_momentum(base_m, max_m, scale_factor, scale)
                _set_momentum(group, self._momentum_key, momentum)
        return lrs

    def state_dict(self):
        state = super().state_dict()
        custom = state.pop("_scale_fn_custom")
        state["_scale_fn_custom"] = None if custom is None else _callables_state([custom])[0]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved = state.pop("_scale_fn_custom")
        super().load_state_dict(state)
        if saved is not None:
            _restore_callables([self._scale_fn_custom], [saved])


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin, 2018): the lr rises from max_lr / div_factor to max_lr
    over pct_start of total_steps, then anneals to initial_lr / final_div_factor (three_phase:
    back to the initial lr first); the momentum moves the other way. step() after each batch."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        self.total_steps = _rules.one_cycle_total_steps(total_steps, epochs, steps_per_epoch)
        _rules.check_one_cycle(self.total_steps, pct_start, anneal_strategy)
        self.pct_start = pct_start
        self.anneal_strategy = anneal_strategy
        self.three_phase = three_phase
        max_lrs = _format_param("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for max_lr_i, group in zip(max_lrs, optimizer.param_groups):
                group["initial_lr"] = max_lr_i / div_factor
                group["max_lr"] = max_lr_i
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self._momentum_key = _momentum_key(optimizer)
            self.use_beta1 = self._momentum_key == "betas"
            max_momentums = _format_param("max_momentum", optimizer, max_momentum)
            base_momentums = _format_param("base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for max_m, base_m, group in zip(max_momentums, base_momentums,
                                                optimizer.param_groups):
                    _set_momentum(group, self._momentum_key, max_m)
                    group["max_momentum"] = max_m
                    group["base_momentum"] = base_m
        super().__init__(optimizer, last_epoch, verbose)

    def _value(self, start, peak, end):
        return _rules.one_cycle_value(self.last_epoch, self.total_steps, self.pct_start,
                                      self.three_phase, self.anneal_strategy, start, peak, end)

    def get_lr(self):
        self._warn_outside_step()
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(self._value(group["initial_lr"], group["max_lr"], group["min_lr"]))
            if self.cycle_momentum:
                momentum = self._value(group["max_momentum"], group["base_momentum"],
                                       group["max_momentum"])
                _set_momentum(group, self._momentum_key, momentum)
        return lrs


class ReduceLROnPlateau:
    """Reduces each group's lr by factor when a metric (step(metric)) has not improved for more
    than patience epochs; the state machine is ember/optim/schedulers/plateau.h's."""

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8, verbose=False):
        _check_optimizer(optimizer)
        _rules.check_plateau_factor(factor)
        self.factor = factor
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(f"expected {len(optimizer.param_groups)} min_lrs, got "
                                 f"{len(min_lr)}")
            self.min_lrs = list(min_lr)
        else:
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.verbose = verbose
        self.eps = eps
        self.last_epoch = 0
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self._tracker = _rules.PlateauTracker(mode, threshold, threshold_mode, patience, cooldown)
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    # The tracker's state, under PyTorch's attribute names.
    best = property(lambda self: self._tracker.best,
                    lambda self, value: setattr(self._tracker, "best", value),
                    doc="The best metric so far.")
    num_bad_epochs = property(lambda self: self._tracker.num_bad_epochs,
                              lambda self, value: setattr(self._tracker, "num_bad_epochs", value),
                              doc="Epochs without improvement.")
    cooldown_counter = property(lambda self: self._tracker.cooldown_counter,
                                lambda self, value: setattr(self._tracker, "cooldown_counter",
                                                            value),
                                doc="Epochs of cooldown left.")

    @property
    def in_cooldown(self):
        """Whether the scheduler is waiting out a cooldown."""
        return self._tracker.in_cooldown

    @property
    def mode_worse(self):
        """inf for mode 'min', -inf for 'max'."""
        return self._tracker.mode_worse

    def is_better(self, a, best):
        return self._tracker.is_better(a, best)

    def step(self, metrics, epoch=None):
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = epoch
        if self._tracker.step(current):
            self._reduce_lr(epoch)
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce_lr(self, epoch):
        for i, group in enumerate(self.optimizer.param_groups):
            old_lr = float(group["lr"])
            new_lr = _rules.plateau_reduced_lr(old_lr, self.factor, self.min_lrs[i], self.eps)
            if new_lr != old_lr:
                group["lr"] = new_lr
                if self.verbose:
                    epoch_text = f"{epoch:.2f}" if isinstance(epoch, float) else f"{epoch:05d}"
                    print(f"Epoch {epoch_text}: reducing learning rate of group {i} to "
                          f"{new_lr:.4e}.")

    def get_last_lr(self):
        """The learning rates after the last step(), one per param group."""
        return self._last_lr

    def state_dict(self):
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "_tracker")}
        state.update(best=self.best, num_bad_epochs=self.num_bad_epochs,
                     cooldown_counter=self.cooldown_counter, mode_worse=self.mode_worse)
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        tracked = {key: state.pop(key) for key in ("best", "num_bad_epochs", "cooldown_counter")}
        state.pop("mode_worse", None)
        self.__dict__.update(state)
        self._tracker = _rules.PlateauTracker(self.mode, self.threshold, self.threshold_mode,
                                              self.patience, self.cooldown)
        for key, value in tracked.items():
            setattr(self._tracker, key, value)


def _check_same_optimizer(schedulers, optimizer, name):
    for i, scheduler in enumerate(schedulers):
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{name} expects all schedulers to belong to the same optimizer, "
                             f"but got schedulers at index {i} to be different than the "
                             "optimizer passed in.")


class _SchedulerList:
    """state_dict of a scheduler made of schedulers: its own attributes and theirs."""

    def state_dict(self):
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved = state.pop("_schedulers")
        self.__dict__.update(state)
        for scheduler, scheduler_state in zip(self._schedulers, saved):
            scheduler.load_state_dict(scheduler_state)

    def get_last_lr(self):
        """The learning rates the last step() set, one per param group."""
        return self._last_lr


class SequentialLR(_SchedulerList, LRScheduler):
    """Runs schedulers one after the other: schedulers[i] from milestones[i - 1] on (each
    restarting at its epoch 0)."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler, but got no "
                             "scheduler.")
        _check_same_optimizer(schedulers, optimizer, "Sequential Schedulers")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be "
                             "one more than the number of milestone points, but got number of "
                             f"schedulers {len(schedulers)} and the number of milestones to be "
                             f"equal to {len(milestones)}")
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        self.verbose = verbose
        # Each scheduler's constructor stepped it: undo that, back to the initial lrs, and take
        # the first scheduler's initial step alone.
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in self._schedulers:
            scheduler.last_epoch -= 1
        self._schedulers[0]._initial_step()
        self._last_lr = self._schedulers[0].get_last_lr()

    def step(self):
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            with warnings.catch_warnings():  # the restart's epoch is ours, not the user's
                warnings.simplefilter("ignore", UserWarning)
                scheduler.step(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_SchedulerList, LRScheduler):
    """Steps every scheduler at each step(), their effects multiplying (chainable forms)."""

    def __init__(self, schedulers):
        if len(schedulers) < 1:
            raise ValueError("ChainedScheduler expects at least one scheduler, but got no "
                             "scheduler.")
        self._schedulers = list(schedulers)
        self.optimizer = self._schedulers[0].optimizer
        _check_same_optimizer(self._schedulers, self.optimizer, "ChainedScheduler")
        self._last_lr = self._group_lrs()

    def step(self):
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._group_lrs()
