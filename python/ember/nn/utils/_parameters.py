"""What nn.utils' functions share: their parameters argument (one tensor or an iterable of
them) and the lookup of their reparametrisation hooks among a module's forward pre-hooks."""
import ember


def as_list(parameters):
    if isinstance(parameters, ember.Tensor):
        return [parameters]
    return list(parameters)


def check_not_hooked(module, hook_type, name, label):
    """Raises if module already has a hook_type hook on the parameter `name`."""
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, hook_type) and hook.name == name:
            raise RuntimeError(f"Cannot register two {label} hooks on the same parameter {name}")


def remove_hook(module, hook_type, name, label):
    """Undoes module's hook_type hook on `name` (hook.remove) and drops it; returns module."""
    for key, hook in module._forward_pre_hooks.items():
        if isinstance(hook, hook_type) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return module
    raise ValueError(f"{label} of '{name}' not found in {module}")
