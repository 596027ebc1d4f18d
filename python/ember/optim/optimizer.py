"""The Optimizer base (torch.optim.Optimizer's API): parameter groups, per-parameter state,
zero_grad, step hooks, and state_dict/load_state_dict in PyTorch's layout.

This is bookkeeping only: each algorithm's update is a fused C++ op (ember._C._optim) that its
subclass calls once per group with the group's lists of parameters, gradients and state.
"""
import functools
import warnings
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

import ember
from ember.nn.modules._hooks import RemovableHandle

__all__ = ["Optimizer", "register_optimizer_step_post_hook", "register_optimizer_step_pre_hook",
           "required"]

_global_step_pre_hooks = OrderedDict()
_global_step_post_hooks = OrderedDict()


class _RequiredParameter:
    """The default of an option every group must set (e.g. a learning rate without a default)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def register_optimizer_step_pre_hook(hook):
    """register_optimizer_step_pre_hook(hook) -> RemovableHandle

    Registers hook(optimizer, args, kwargs) to run before every optimizer's step; it may return
    a new (args, kwargs)."""
    handle = RemovableHandle(_global_step_pre_hooks)
    _global_step_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook):
    """register_optimizer_step_post_hook(hook) -> RemovableHandle

    Registers hook(optimizer, args, kwargs) to run after every optimizer's step."""
    handle = RemovableHandle(_global_step_post_hooks)
    _global_step_post_hooks[handle.id] = hook
    return handle


def _with_step_hooks(step):
    """Wraps a subclass's step so that the global and the optimizer's own step hooks run around
    it."""

    @functools.wraps(step)
    def step_with_hooks(self, *args, **kwargs):
        pre_hooks = self._optimizer_step_pre_hooks
        if pre_hooks or _global_step_pre_hooks:
            for hook in chain(_global_step_pre_hooks.values(), pre_hooks.values()):
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            f"{hook} must return None or a tuple of (new_args, new_kwargs), but "
                            f"got {result}.")
                    args, kwargs = result
        out = step(self, *args, **kwargs)
        post_hooks = self._optimizer_step_post_hooks
        if post_hooks or _global_step_post_hooks:
            for hook in chain(post_hooks.values(), _global_step_post_hooks.values()):
                hook(self, args, kwargs)
        return out

    step_with_hooks._ember_step_hooks = True
    return step_with_hooks


class Optimizer:
    """Optimizer(params, defaults): the base of every optimizer.

    params: an iterable of tensors, or of dicts each holding "params" and options of its own (a
    parameter group); defaults: the options of groups that do not set them."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_ember_step_hooks", False):
            cls.step = _with_step_hooks(step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        if isinstance(params, ember.Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {type(params).__name__}")
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_optimizer_step_pre_hooks", OrderedDict())
        self.__dict__.setdefault("_optimizer_step_post_hooks", OrderedDict())

    def __repr__(self):
        lines = [self.__class__.__name__ + " ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"

    def add_param_group(self, param_group):
        """Adds a group of parameters (a dict with "params" and optionally its own options);
        options it does not set take the defaults. Its parameters start without state and train
        from the next step."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, ember.Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)
        for index, param in enumerate(param_group["params"]):
            if not isinstance(param, ember.Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params "
                                f"(params[{index}]) is {type(param).__name__}")
            if not param.is_leaf and not self.defaults.get("differentiable", False):
                raise ValueError(f"can't optimize a non-leaf Tensor (params[{index}], shape "
                                 f"{list(param.shape)})")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error", stacklevel=3)
        existing = {id(p) for group in self.param_groups for p in group["params"]}
        if not existing.isdisjoint(id(p) for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Clears every parameter's gradient (set_to_none) or zeroes it in place."""
        for group in self.param_groups:
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad.zero_()

    def step(self, closure=None):
        """One update of every parameter with a gradient (the subclass's); returns the closure's
        loss when given one."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    def register_step_pre_hook(self, hook):
        """register_step_pre_hook(hook) -> RemovableHandle

        Registers hook(optimizer, args, kwargs) to run before this optimizer's step; it may
        return a new (args, kwargs)."""
        handle = RemovableHandle(self._optimizer_step_pre_hooks)
        self._optimizer_step_pre_hooks[handle.id] = hook
        return handle

    def register_step_post_hook(self, hook):
        """register_step_post_hook(hook) -> RemovableHandle

        Registers hook(optimizer, args, kwargs) to run after this optimizer's step."""
        handle = RemovableHandle(self._optimizer_step_post_hooks)
        self._optimizer_step_post_hooks[handle.id] = hook
        return handle

    def state_dict(self):
        """The optimizer's state in PyTorch's layout: {"state": {index: {name: value}},
        "param_groups": [{option: value, ..., "params": [index, ...]}]}, parameters numbered
        over the groups in order. The state tensors are the optimizer's own, not copies."""
        index_of = {}
        param_groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            indices = []
            for param in group["params"]:
                index_of.setdefault(id(param), len(index_of))
                indices.append(index_of[id(param)])
            packed["params"] = indices
            param_groups.append(packed)
        state = {index_of[id(param)]: value for param, value in self.state.items()
                 if id(param) in index_of}
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict):
        """Restores the options and state of a state_dict() (from ember's Python or C++
        optimizer of the same groups). State tensors are copied, in their parameter's dtype
        (except "step")."""
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups: "
                             f"expected {len(groups)}, got {len(saved_groups)}")
        for index, (group, saved) in enumerate(zip(groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 f"match the size of optimizer's group: group {index} has "
                                 f"{len(group['params'])} parameters, the saved one "
                                 f"{len(saved['params'])}")
        param_of = {saved_index: param
                    for group, saved in zip(groups, saved_groups)
                    for saved_index, param in zip(saved["params"], group["params"])}
        state = defaultdict(dict)
        for saved_index, values in state_dict["state"].items():
            param = param_of.get(int(saved_index))
            if param is None:
                continue
            state[param] = {name: _state_value_for(param, name, value)
                            for name, value in values.items()}
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            for name, default in self.defaults.items():
                saved.setdefault(name, default)
            new_groups.append(saved)
        self.state = state
        self.param_groups = new_groups


def _state_value_for(param, name, value):
    """A saved state value as this parameter's state, as PyTorch's: tensors copied, on the
    parameter's device and floating ones in its dtype, except the step counter (a CPU tensor)."""
    if not isinstance(value, ember.Tensor):
        return deepcopy(value)
    if name == "step":
        return value.detach().clone()
    if value.is_floating_point() and param.is_floating_point():
        return value.detach().to(param.device, param.dtype).clone()
    return value.detach().to(param.device).clone()
