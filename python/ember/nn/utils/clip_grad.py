"""clip_grad_norm_ and clip_grad_value_ (torch.nn.utils'): the C++ ember::nn::utils functions."""
import warnings

from ember._C import _nn
from ember.nn.utils._parameters import as_list

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters):
    return [p.grad for p in as_list(parameters) if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False) -> Tensor

    Scales the gradients of parameters (a tensor or an iterable) in place by
    min(1, max_norm / (total_norm + 1e-6)), where total_norm is the norm_type-norm ('inf' for the
    largest magnitude) of all gradients together, and returns total_norm. Parameters without a
    gradient are skipped; error_if_nonfinite raises on a NaN or infinite total norm.
    """
    return _nn._clip_grad_norm_(_grads(parameters), float(max_norm), float(norm_type),
                                error_if_nonfinite)


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """clip_grad_norm(...) -> Tensor: the deprecated name of clip_grad_norm_."""
    warnings.warn("torch.nn.utils.clip_grad_norm is now deprecated in favor of "
                  "torch.nn.utils.clip_grad_norm_.", stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)


def clip_grad_value_(parameters, clip_value):
    """clip_grad_value_(parameters, clip_value) -> None

    Clamps the gradients of parameters (a tensor or an iterable) into [-clip_value, clip_value]
    in place.
    """
    _nn._clip_grad_value_(_grads(parameters), float(clip_value))
