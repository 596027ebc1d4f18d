"""nn.Module: the base class of every layer and model, with torch.nn.Module's API.

A module registers what is assigned to its attributes: a Parameter as a parameter, a Module as a
submodule, and register_buffer's tensors as buffers. Their dotted paths (`fc.weight`) name them in
state_dict, parameters() and modules(), in registration order, as in PyTorch; a module can gain
parameters and submodules at any time. Calling a module runs its forward between its hooks.
"""
import functools
import itertools
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from ember import _C
from ember.autograd.grad_mode import no_grad
from ember.nn.modules._hooks import BackwardHook, RemovableHandle
from ember.nn.parameter import Parameter

__all__ = ["Module", "register_module_forward_hook", "register_module_forward_pre_hook",
           "register_module_full_backward_hook", "register_module_full_backward_pre_hook"]

# Hooks that run for every module (before the module's own), as PyTorch's global hooks.
_global_forward_pre_hooks = OrderedDict()
_global_forward_hooks = OrderedDict()
_global_forward_hooks_always_called = OrderedDict()
_global_backward_pre_hooks = OrderedDict()
_global_backward_hooks = OrderedDict()


def register_module_forward_pre_hook(hook):
    """register_module_forward_pre_hook(hook) -> RemovableHandle

    hook(module, args) runs before every module's forward, as a module's forward pre hook.
    """
    return Module._add_hook(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook, *, always_call=False):
    """register_module_forward_hook(hook, *, always_call=False) -> RemovableHandle

    hook(module, args, output) runs after every module's forward, as a module's forward hook.
    """
    flags = [_global_forward_hooks_always_called] if always_call else []
    return Module._add_hook(_global_forward_hooks, hook, flags=flags)


def register_module_full_backward_pre_hook(hook):
    """register_module_full_backward_pre_hook(hook) -> RemovableHandle

    hook(module, grad_output) runs for every module, as a module's full backward pre hook.
    """
    return Module._add_hook(_global_backward_pre_hooks, hook)


def register_module_full_backward_hook(hook):
    """register_module_full_backward_hook(hook) -> RemovableHandle

    hook(module, grad_input, grad_output) runs for every module, as a module's full backward
    hook.
    """
    return Module._add_hook(_global_backward_hooks, hook)


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What load_state_dict returns: the keys the module expected but did not get, and the keys
    it got but does not have."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _typename(value):
    cls = type(value)
    module = "ember" if cls is _C.Tensor else cls.__module__
    return cls.__qualname__ if module in ("builtins", None) else f"{module}.{cls.__qualname__}"


def _addindent(text, spaces):
    """text with every line but the first indented by spaces."""
    first, *rest = text.split("\n")
    if not rest:
        return text
    return first + "\n" + "\n".join(" " * spaces + line for line in rest)


def _forward_unimplemented(self, *input):
    raise NotImplementedError(
        f'Module [{type(self).__name__}] is missing the required "forward" function')


def _parse_to(*args, **kwargs):
    """(device, dtype) from Module.to's forms: to(device=None, dtype=None, non_blocking=False),
    to(dtype), to(tensor), to(memory_format=...)."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    kwargs.pop("copy", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for arg in args:
        if isinstance(arg, _C.Tensor):
            device, dtype = arg.device, arg.dtype
        elif isinstance(arg, _C.dtype):
            dtype = arg
        elif isinstance(arg, (str, int, _C.device)):
            device = arg
        elif not isinstance(arg, bool):  # non_blocking given positionally
            raise TypeError(f"to() received an invalid combination of arguments: {arg!r}")
    return device, dtype


class Module:
    """Module() -> Module

    Base class for all neural network modules: subclass it, assign parameters and submodules as
    attributes in __init__, and define forward(). Calling the module runs forward with the
    registered hooks.
    """

    dump_patches = False
    _version = 1
    training: bool
    call_super_init = False

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            unexpected = next(iter(kwargs)) if kwargs else None
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword "
                            f"argument '{unexpected}'" if unexpected else
                            f"{type(self).__name__}.__init__() takes 1 positional argument but "
                            f"{len(args) + 1} were given")
        set_attribute = super().__setattr__
        set_attribute("training", True)
        set_attribute("_parameters", OrderedDict())
        set_attribute("_buffers", OrderedDict())
        set_attribute("_non_persistent_buffers_set", set())
        set_attribute("_modules", OrderedDict())
        for name in self._hook_dict_names:
            set_attribute(name, OrderedDict())

    # Every hook dictionary (OrderedDicts, so that a handle can refer to them weakly).
    _hook_dict_names = (
        "_backward_pre_hooks", "_backward_hooks", "_forward_hooks", "_forward_hooks_with_kwargs",
        "_forward_hooks_always_called", "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs",
        "_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
        "_load_state_dict_post_hooks")

    forward = _forward_unimplemented

    # ----- registration -----

    def register_buffer(self, name, tensor, persistent=True):
        """register_buffer(name, tensor, persistent=True) -> None

        Adds a tensor that is state but not a parameter (a running mean, say). A persistent
        buffer is part of state_dict; tensor may be None (then it is skipped).
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer")
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, _C.Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(ember Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name, param):
        """register_parameter(name, param) -> None

        Adds a parameter, reachable as an attribute named name; param may be None.
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter")
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is None:
            self._parameters[name] = None
            return
        if not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                            "(ember.nn.Parameter or None required)")
        if param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                f"created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method.")
        self._parameters[name] = param

    def add_module(self, name, module):
        """add_module(name, module) -> None

        Adds a child module, reachable as an attribute named name; module may be None.
        """
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    def register_module(self, name, module):
        """register_module(name, module) -> None

        add_module's other name.
        """
        self.add_module(name, module)

    @staticmethod
    def _check_name(name, kind):
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')

    def get_submodule(self, target):
        """get_submodule(target) -> Module

        The submodule at the dotted path target ("" is self).
        """
        if target == "":
            return self
        module = self
        for item in target.split("."):
            if not hasattr(module, item):
                raise AttributeError(f"{module._get_name()} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def get_parameter(self, target):
        """get_parameter(target) -> Parameter

        The parameter at the dotted path target ("fc.weight").
        """
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        param = getattr(module, name)
        if not isinstance(param, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return param

    def get_buffer(self, target):
        """get_buffer(target) -> Tensor

        The buffer at the dotted path target ("bn.running_mean").
        """
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return getattr(module, name)

    def get_extra_state(self):
        """get_extra_state() -> object

        State beyond parameters and buffers that state_dict stores under `_extra_state` when a
        subclass overrides this (and set_extra_state).
        """
        raise RuntimeError("Reached a code path in Module.get_extra_state() that should never "
                           "be called.")

    def set_extra_state(self, state):
        """set_extra_state(state) -> None

        Restores what get_extra_state returned; override both.
        """
        raise RuntimeError("Reached a code path in Module.set_extra_state() that should never "
                           "be called.")

    # ----- attributes -----

    def __getattr__(self, name):
        # Only reached when normal lookup fails: the registered parameters, buffers, modules.
        # Every layer's forward reads its parameters through here, so the common case (a
        # parameter of an initialised module) is the first, plain dict lookup.
        state = self.__dict__
        parameters = state.get("_parameters")
        if parameters is not None and name in parameters:
            return parameters[name]
        buffers = state.get("_buffers")
        if buffers is not None and name in buffers:
            return buffers[name]
        modules = state.get("_modules")
        if modules is not None and name in modules:
            return modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        state = self.__dict__

        def remove_from(*registries):
            for registry in registries:
                if name in registry:
                    if isinstance(registry, dict):
                        del registry[name]
                    else:
                        registry.discard(name)

        params = state.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            remove_from(state, self._buffers, self._modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(ember.nn.Parameter or None expected)")
            self.register_parameter(name, value)
            return
        modules = state.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            remove_from(state, self._parameters, self._buffers, self._non_persistent_buffers_set)
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(ember.nn.Module or None expected)")
            modules[name] = value
            return
        buffers = state.get("_buffers")
        if buffers is not None and name in buffers:
            if value is not None and not isinstance(value, _C.Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(ember.Tensor or None expected)")
            buffers[name] = value
            return
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            super().__delattr__(name)

    def __dir__(self):
        keys = itertools.chain(dir(type(self)), self.__dict__, self._parameters, self._modules,
                               self._buffers)
        return sorted({key for key in keys if not key[0].isdigit()})

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in self._hook_dict_names:
            if name not in self.__dict__:
                super().__setattr__(name, OrderedDict())
        if "_non_persistent_buffers_set" not in self.__dict__:
            super().__setattr__("_non_persistent_buffers_set", set())

    # ----- iteration -----

    def _named_members(self, get_members, prefix="", recurse=True, remove_duplicate=True):
        seen = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_prefix, module in modules:
            for name, value in get_members(module):
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield (module_prefix + "." if module_prefix else "") + name, value

    def parameters(self, recurse=True):
        """parameters(recurse=True) -> Iterator[Parameter]

        The parameters of this module and (with recurse) of its submodules, each once.
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """named_parameters(prefix='', recurse=True, remove_duplicate=True)
        -> Iterator[Tuple[str, Parameter]]

        (dotted name, parameter) pairs in registration order; a shared parameter comes once
        unless remove_duplicate is False.
        """
        return self._named_members(lambda module: module._parameters.items(), prefix=prefix,
                                   recurse=recurse, remove_duplicate=remove_duplicate)

    def buffers(self, recurse=True):
        """buffers(recurse=True) -> Iterator[Tensor]

        The buffers of this module and (with recurse) of its submodules.
        """
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """named_buffers(prefix='', recurse=True, remove_duplicate=True)
        -> Iterator[Tuple[str, Tensor]]

        (dotted name, buffer) pairs, persistent or not.
        """
        return self._named_members(lambda module: module._buffers.items(), prefix=prefix,
                                   recurse=recurse, remove_duplicate=remove_duplicate)

    def children(self):
        """children() -> Iterator[Module]

        The immediate submodules, each once.
        """
        for _, module in self.named_children():
            yield module

    def named_children(self):
        """named_children() -> Iterator[Tuple[str, Module]]

        (name, module) pairs of the immediate submodules, each module once.
        """
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def modules(self):
        """modules() -> Iterator[Module]

        This module and all its submodules, depth first, each once.
        """
        for _, module in self.named_modules():
            yield module

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """named_modules(memo=None, prefix='', remove_duplicate=True)
        -> Iterator[Tuple[str, Module]]

        (dotted name, module) pairs of this module ("") and all its submodules, depth first;
        memo is the set of modules already yielded.
        """
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, (prefix + "." if prefix else "") + name,
                                            remove_duplicate)

    # ----- modes and conversions -----

    def train(self, mode=True):
        """train(mode=True) -> Module

        Sets training mode on this module and its submodules (eval mode with False).
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self):
        """eval() -> Module

        train(False).
        """
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """requires_grad_(requires_grad=True) -> Module

        Sets requires_grad of every parameter (to freeze or unfreeze them).
        """
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """zero_grad(set_to_none=True) -> None

        Resets the gradients of all parameters: to None, or zeroed in place.
        """
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
                continue
            if param.grad.grad_fn is not None:
                param.grad.detach_()
            else:
                param.grad.requires_grad_(False)
            param.grad.zero_()

    def _apply(self, fn, recurse=True):
        """Replaces every parameter, its grad and every buffer by fn of it. A parameter that fn
        returns unchanged (the same tensor) stays the same object; one that fn converts becomes
        a new parameter of the same class and attributes (ember cannot change a tensor's dtype in
        place, so optimizers must be built after converting, as with PyTorch's
        overwrite_module_params_on_conversion)."""
        if recurse:
            for module in self.children():
                module._apply(fn)
        for name, param in self._parameters.items():
            if param is None:
                continue
            with no_grad():
                converted = fn(param)
            if converted is not param:
                replacement = _C.Tensor._make_subclass(type(param), converted,
                                                       param.requires_grad)
                replacement.__dict__.update(
                    (key, value) for key, value in param.__dict__.items() if key != "_ember_grad")
                self._parameters[name] = replacement
            grad = param.grad
            if grad is not None:
                with no_grad():
                    converted_grad = fn(grad)
                if converted_grad is not grad or converted is not param:
                    self._parameters[name].grad = converted_grad.requires_grad_(
                        grad.requires_grad)
        for name, buffer in self._buffers.items():
            if buffer is not None:
                self._buffers[name] = fn(buffer)
        return self

    def apply(self, fn):
        """apply(fn) -> Module

        Calls fn on every submodule (children first) and then on self, e.g. to initialise
        weights.
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs):
        """to(device=None, dtype=None, non_blocking=False) -> Module

        Moves and/or casts the parameters and buffers: to(device), to(dtype), to(tensor) (its
        device and dtype), to(device, dtype). A dtype applies to floating-point tensors only.
        """
        device, dtype = _parse_to(*args, **kwargs)
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                            f"desired dtype={dtype}")
        options = {"device": device} if device is not None else {}

        def convert(tensor):
            if dtype is not None and tensor.is_floating_point():
                return tensor.to(dtype=dtype, **options)
            return tensor.to(**options) if options else tensor

        return self._apply(convert)

    def cpu(self):
        """cpu() -> Module

        Moves all parameters and buffers to the CPU.
        """
        return self._apply(lambda tensor: tensor.cpu())

    def cuda(self, device=None):
        """cuda(device=None) -> Module

        Moves all parameters and buffers to a CUDA device (raises where CUDA is unavailable).
        """
        return self._apply(lambda tensor: tensor.cuda(device))

    def type(self, dst_type):
        """type(dst_type) -> Module

        Casts all parameters and buffers to dst_type.
        """
        return self._apply(lambda tensor: tensor.type(dst_type))

    def _cast_floating(self, dtype):
        return self._apply(lambda tensor: tensor.to(dtype) if tensor.is_floating_point()
                           else tensor)

    def float(self):
        """float() -> Module

        Casts floating-point parameters and buffers to float32.
        """
        return self._cast_floating(_C.float32)

    def double(self):
        """double() -> Module

        Casts floating-point parameters and buffers to float64.
        """
        return self._cast_floating(_C.float64)

    def half(self):
        """half() -> Module

        Casts floating-point parameters and buffers to float16.
        """
        return self._cast_floating(_C.float16)

    def bfloat16(self):
        """bfloat16() -> Module

        Casts floating-point parameters and buffers to bfloat16.
        """
        return self._cast_floating(_C.bfloat16)

    # ----- state dict -----

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        """Puts this module's own parameters and persistent buffers (not its submodules') into
        destination under prefix; detached unless keep_vars."""
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buffer if keep_vars else buffer.detach()
        if type(self).get_extra_state is not Module.get_extra_state:
            destination[prefix + "_extra_state"] = self.get_extra_state()

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """state_dict(*, destination=None, prefix='', keep_vars=False) -> OrderedDict

        The module's state: every parameter and persistent buffer by dotted name, detached
        unless keep_vars (the tensors share memory with the module's).
        """
        if args:  # PyTorch's deprecated positional form (destination, prefix, keep_vars)
            warnings.warn("Positional args are being deprecated, use kwargs instead.",
                          stacklevel=2)
            destination, prefix, keep_vars = (list(args) + [destination, prefix, keep_vars][
                len(args):])[:3]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = {"version": self._version}
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in self._state_dict_pre_hooks.values():
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            result = hook(self, destination, prefix, local_metadata)
            if result is not None:
                destination = result
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Copies this module's own entries of state_dict (keys starting with prefix) into its
        parameters and persistent buffers, recording missing and unexpected keys and errors."""
        for hook in self._load_state_dict_pre_hooks.values():
            hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                 error_msgs)
        local_state = {name: value for name, value in itertools.chain(
            self._parameters.items(),
            ((name, buffer) for name, buffer in self._buffers.items()
             if name not in self._non_persistent_buffers_set)) if value is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            source = state_dict[key]
            if not isinstance(source, _C.Tensor):
                error_msgs.append(f'While copying the parameter named "{key}", expected '
                                  "ember.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(source)}")
                continue
            if source.shape != param.shape:
                error_msgs.append(f"size mismatch for {key}: copying a param with shape "
                                  f"{source.shape} from checkpoint, the shape in current model "
                                  f"is {param.shape}.")
                continue
            try:
                with no_grad():
                    if assign:
                        self._assign_state(name, param, source)
                    else:
                        param.copy_(source)
            except Exception as error:  # noqa: BLE001 (reported with the others, as PyTorch)
                error_msgs.append(f'While copying the parameter named "{key}", whose dimensions '
                                  f"in the model are {param.shape} and whose dimensions in the "
                                  f"checkpoint are {source.shape}, an exception occurred : "
                                  f"{error.args}.")
        extra_state_key = prefix + "_extra_state"
        if type(self).set_extra_state is not Module.set_extra_state:
            if extra_state_key in state_dict:
                self.set_extra_state(state_dict[extra_state_key])
            elif strict:
                missing_keys.append(extra_state_key)
        if strict:
            for key in state_dict:
                if key.startswith(prefix) and key != extra_state_key:
                    name = key[len(prefix):].split(".", 1)[0]
                    if name not in self._modules and name not in local_state:
                        unexpected_keys.append(key)

    def _assign_state(self, name, current, source):
        """load_state_dict(assign=True): the checkpoint's tensor itself replaces the current one
        (a parameter stays a parameter with its requires_grad)."""
        if name in self._parameters:
            if not isinstance(source, Parameter):
                source = Parameter(source, requires_grad=current.requires_grad)
            self._parameters[name] = source
        else:
            self._buffers[name] = source

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """load_state_dict(state_dict, strict=True, assign=False) -> IncompatibleKeys

        Copies parameters and buffers from state_dict into this module and its submodules. With
        strict, missing or unexpected keys raise; a shape mismatch always raises, naming the key
        and both shapes. Returns (missing_keys, unexpected_keys).
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing_keys, unexpected_keys, error_msgs = [], [], []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata

        def load(module, local_state_dict, prefix=""):
            local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_metadata["assign_to_params_buffers"] = assign
            module._load_from_state_dict(local_state_dict, prefix, local_metadata, True,
                                         missing_keys, unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {key: value for key, value in local_state_dict.items()
                                 if key.startswith(child_prefix)}, child_prefix)
            incompatible = _IncompatibleKeys(missing_keys, unexpected_keys)
            for hook in module._load_state_dict_post_hooks.values():
                hook(module, incompatible)

        load(self, state_dict)
        if strict:
            if unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{key}"' for key in unexpected_keys)))
            if missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{key}"' for key in missing_keys)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    def register_state_dict_pre_hook(self, hook):
        """register_state_dict_pre_hook(hook) -> RemovableHandle

        hook(module, prefix, keep_vars) runs before state_dict collects this module's state.
        """
        return self._add_hook(self._state_dict_pre_hooks, hook)

    def _register_state_dict_hook(self, hook):
        return self._add_hook(self._state_dict_hooks, hook)

    def _register_load_state_dict_pre_hook(self, hook, with_module=False):
        if with_module:
            hook = functools.partial(hook, self)
        return self._add_hook(self._load_state_dict_pre_hooks, hook)

    def register_load_state_dict_post_hook(self, hook):
        """register_load_state_dict_post_hook(hook) -> RemovableHandle

        hook(module, incompatible_keys) runs after load_state_dict loaded this module; it may
        edit the missing and unexpected key lists in place.
        """
        return self._add_hook(self._load_state_dict_post_hooks, hook)

    # ----- hooks and calling -----

    @staticmethod
    def _add_hook(hooks, hook, *, prepend=False, flags=()):
        handle = RemovableHandle(hooks, extra_dict=list(flags))
        hooks[handle.id] = hook
        for flag in flags:
            flag[handle.id] = True
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """register_forward_pre_hook(hook, *, prepend=False, with_kwargs=False) -> RemovableHandle

        hook(module, args) runs before forward; returning a value (a tuple, or one value that
        becomes a 1-tuple) replaces args. With with_kwargs, hook(module, args, kwargs) returns
        None or (args, kwargs).
        """
        flags = [self._forward_pre_hooks_with_kwargs] if with_kwargs else []
        return self._add_hook(self._forward_pre_hooks, hook, prepend=prepend, flags=flags)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """register_forward_hook(hook, *, prepend=False, with_kwargs=False, always_call=False)
        -> RemovableHandle

        hook(module, args, output) runs after forward; returning a value replaces the output.
        With with_kwargs, hook(module, args, kwargs, output); with always_call, it runs even when
        forward raises.
        """
        flags = ([self._forward_hooks_with_kwargs] if with_kwargs else []) + (
            [self._forward_hooks_always_called] if always_call else [])
        return self._add_hook(self._forward_hooks, hook, prepend=prepend, flags=flags)

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """register_full_backward_pre_hook(hook, prepend=False) -> RemovableHandle

        hook(module, grad_output) runs when the gradients of the module's outputs are computed;
        returning a tuple replaces grad_output.
        """
        return self._add_hook(self._backward_pre_hooks, hook, prepend=prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """register_full_backward_hook(hook, prepend=False) -> RemovableHandle

        hook(module, grad_input, grad_output) runs when the gradients of the module's inputs are
        computed (grad_input has None for inputs that are not tensors requiring grad); returning
        a tuple replaces grad_input.
        """
        return self._add_hook(self._backward_hooks, hook, prepend=prepend)

    def _call_hooked(self, args, kwargs):
        """forward between the global and the module's hooks (Module.__call__ when any is
        registered); global hooks run first."""
        result = None
        called = set()
        forward_hooks = [*_global_forward_hooks.items(), *self._forward_hooks.items()]
        always_called = (*_global_forward_hooks_always_called, *self._forward_hooks_always_called)
        try:
            for hook_id, hook in [*_global_forward_pre_hooks.items(),
                                  *self._forward_pre_hooks.items()]:
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    replaced = hook(self, args, kwargs)
                    if replaced is not None:
                        if not (isinstance(replaced, tuple) and len(replaced) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple of "
                                               f"(new_args, new_kwargs), but got {replaced}.")
                        args, kwargs = replaced
                else:
                    replaced = hook(self, args)
                    if replaced is not None:
                        args = replaced if isinstance(replaced, tuple) else (replaced,)
            backward_hook = None
            backward_hooks = [*_global_backward_hooks.values(), *self._backward_hooks.values()]
            backward_pre_hooks = [*_global_backward_pre_hooks.values(),
                                  *self._backward_pre_hooks.values()]
            if backward_hooks or backward_pre_hooks:
                backward_hook = BackwardHook(self, backward_hooks, backward_pre_hooks)
                args = backward_hook.setup_input_hook(args)
            result = self.forward(*args, **kwargs)
            for hook_id, hook in forward_hooks:
                called.add(hook_id)
                if hook_id in self._forward_hooks_with_kwargs:
                    replaced = hook(self, args, kwargs, result)
                else:
                    replaced = hook(self, args, result)
                if replaced is not None:
                    result = replaced
            if backward_hook is not None:
                if not isinstance(result, (_C.Tensor, tuple)):
                    warnings.warn("For backward hooks to be called, module output should be a "
                                  "Tensor or a tuple of Tensors but received "
                                  f"{type(result)}", stacklevel=3)
                else:
                    result = backward_hook.setup_output_hook(result)
            return result
        except Exception:
            for hook_id, hook in forward_hooks:
                if hook_id not in always_called or hook_id in called:
                    continue
                try:
                    if hook_id in self._forward_hooks_with_kwargs:
                        hook(self, args, kwargs, result)
                    else:
                        hook(self, args, result)
                except Exception as error:  # noqa: BLE001 (forward's error is the one raised)
                    warnings.warn("module forward hook with ``always_call=True`` raised an "
                                  "exception that was silenced as another error was raised in "
                                  f"forward: {error}", stacklevel=3)
            raise

    def __call__(self, *args, **kwargs):
        if (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                or self._backward_pre_hooks or _global_forward_pre_hooks
                or _global_forward_hooks or _global_backward_hooks
                or _global_backward_pre_hooks):
            return self._call_hooked(args, kwargs)
        return self.forward(*args, **kwargs)

    # ----- printing -----

    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """extra_repr() -> str

        The layer's own settings, printed inside its parentheses; override in layers.
        """
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): {_addindent(repr(module), 2)}"
                       for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"
