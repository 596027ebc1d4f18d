"""What the classes of Adamax, NAdam, RAdam, RMSprop, Adagrad, Adadelta, Rprop and ASGD share:
running the closure, gathering each group's parameters that have a gradient with their state
(made on a parameter's first step), and the range checks of their options (PyTorch's
messages)."""
from ember._C import float32, full, zeros
from ember.autograd.grad_mode import enable_grad

__all__ = ["check_betas", "check_range", "params_with_grads", "run_closure", "scalar_state"]


def run_closure(closure):
    """The closure's loss, computed with gradients enabled (None without a closure)."""
    if closure is None:
        return None
    with enable_grad():
        return closure()


def scalar_state(value=0.0):
    """A float32 scalar state tensor (PyTorch's layout of state['step'], 'eta', 'mu', ...)."""
    return full((), float(value), dtype=float32) if value else zeros((), dtype=float32)


def params_with_grads(optimizer, group, new_state):
    """The group's parameters that have a gradient (the others are skipped, as PyTorch does),
    their gradients and their state dicts; new_state(param) fills a parameter's empty state."""
    params, grads, states = [], [], []
    for param in group["params"]:
        grad = param.grad
        if grad is None:
            continue
        state = optimizer.state[param]
        if not state:
            state.update(new_state(param))
        params.append(param)
        grads.append(grad)
        states.append(state)
    return params, grads, states


def check_range(what, value, low=0.0, high=None, high_inclusive=False):
    """ValueError `Invalid {what}: {value}` unless low <= value (and value < high, or <= high)."""
    ok = low <= value
    if high is not None:
        ok = ok and (value <= high if high_inclusive else value < high)
    if not ok:
        raise ValueError(f"Invalid {what}: {value}")


def check_betas(betas):
    """PyTorch's checks of Adam-style betas: each in [0, 1)."""
    for index, beta in enumerate(betas):
        check_range(f"beta parameter at index {index}", beta, 0.0, 1.0)
