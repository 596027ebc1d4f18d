"""spectral_norm and remove_spectral_norm (torch.nn.utils', PyTorch 1.13's hook form): before
every forward the weight becomes weight_orig / sigma, sigma estimated by power iteration on the
buffers weight_u and weight_v (updated in training mode only); the step is the C++ op
_spectral_norm."""
import ember
from ember._C import _nn
from ember.nn.functional import normalize
from ember.nn.parameter import Parameter
from ember.nn.utils._parameters import check_not_hooked, remove_hook

__all__ = ["SpectralNorm", "remove_spectral_norm", "spectral_norm"]


class SpectralNorm:
    """The forward pre-hook that sets module.<name> to <name>_orig / sigma."""

    def __init__(self, name="weight", n_power_iterations=1, dim=0, eps=1e-12):
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.name = name
        self.dim = dim
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def compute_weight(self, module, do_power_iteration):
        return _nn._spectral_norm(getattr(module, self.name + "_orig"),
                                  getattr(module, self.name + "_u"),
                                  getattr(module, self.name + "_v"), self.dim,
                                  self.n_power_iterations, self.eps, do_power_iteration)

    @staticmethod
    def apply(module, name, n_power_iterations, dim, eps):
        check_not_hooked(module, SpectralNorm, name, "spectral_norm")
        hook = SpectralNorm(name, n_power_iterations, dim, eps)
        weight = module._parameters[name]
        dim = hook.dim if hook.dim >= 0 else hook.dim + weight.dim()
        height = weight.shape[dim]
        width = weight.numel() // height if height else 0
        with ember.no_grad():
            u = normalize(ember.empty(height, dtype=weight.dtype).normal_(0, 1), dim=0,
                          eps=hook.eps)
            v = normalize(ember.empty(width, dtype=weight.dtype).normal_(0, 1), dim=0,
                          eps=hook.eps)
        delattr(module, name)
        module.register_parameter(name + "_orig", weight)
        setattr(module, name, weight.detach())
        module.register_buffer(name + "_u", u)
        module.register_buffer(name + "_v", v)
        module.register_forward_pre_hook(hook)
        return hook

    def remove(self, module):
        with ember.no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        delattr(module, self.name)
        delattr(module, self.name + "_u")
        delattr(module, self.name + "_v")
        delattr(module, self.name + "_orig")
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module, inputs):
        setattr(module, self.name,
                self.compute_weight(module, do_power_iteration=module.training))


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None) -> Module

    Divides the parameter `name` by its spectral norm before every forward: the parameter moves
    to <name>_orig and the buffers <name>_u, <name>_v hold the power iteration's vectors (drawn
    from N(0, 1) and normalized). dim=None: 1 for the transposed convolutions, else 0.
    """
    if dim is None:
        transposed = type(module).__name__ in ("ConvTranspose1d", "ConvTranspose2d",
                                               "ConvTranspose3d")
        dim = 1 if transposed else 0
    SpectralNorm.apply(module, name, n_power_iterations, dim, eps)
    return module


def remove_spectral_norm(module, name="weight"):
    """remove_spectral_norm(module, name='weight') -> Module

    Replaces <name>_orig, <name>_u and <name>_v by one parameter `name` (the current
    normalized weight) and removes the hook.
    """
    return remove_hook(module, SpectralNorm, name, "spectral_norm")
