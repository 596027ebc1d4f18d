"""weight_norm and remove_weight_norm (torch.nn.utils', PyTorch 1.13's hook form): the weight is
recomputed as _weight_norm(weight_v, weight_g, dim) before every forward."""
import ember
from ember.nn.parameter import Parameter
from ember.nn.utils._parameters import check_not_hooked, remove_hook

__all__ = ["WeightNorm", "remove_weight_norm", "weight_norm"]


class WeightNorm:
    """The forward pre-hook that rebuilds module.<name> from <name>_g and <name>_v."""

    def __init__(self, name, dim):
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module):
        return ember._weight_norm(getattr(module, self.name + "_v"),
                                  getattr(module, self.name + "_g"), self.dim)

    @staticmethod
    def apply(module, name, dim):
        check_not_hooked(module, WeightNorm, name, "weight_norm")
        hook = WeightNorm(name, dim)
        weight = getattr(module, name)
        del module._parameters[name]
        magnitude = ember.norm_except_dim(weight.detach(), 2, hook.dim)
        module.register_parameter(name + "_g", Parameter(magnitude))
        module.register_parameter(name + "_v", Parameter(weight.detach()))
        setattr(module, name, hook.compute_weight(module))
        module.register_forward_pre_hook(hook)
        return hook

    def remove(self, module):
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """weight_norm(module, name='weight', dim=0) -> Module

    Replaces the parameter `name` by a magnitude <name>_g (norm_except_dim(weight, 2, dim)) and a
    direction <name>_v (the weight itself), and recomputes the weight from them before every
    forward. dim=None normalizes over the whole tensor.
    """
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module, name="weight"):
    """remove_weight_norm(module, name='weight') -> Module

    Folds <name>_g and <name>_v back into one parameter `name` and removes the hook.
    """
    return remove_hook(module, WeightNorm, name, "weight_norm")
