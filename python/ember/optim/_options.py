"""Checks the optimizers share: PyTorch's accepted-but-irrelevant flags (foreach, fused,
capturable, differentiable) and the ranges of common options."""

__all__ = ["check_flags", "check_non_negative"]


def check_flags(name, *, foreach=None, fused=None, capturable=False, differentiable=False):
    """Accepts foreach=/fused=/capturable= as PyTorch does (ember's update is always one fused
    multi-tensor op on the CPU, so each choice runs the same op); differentiable=True, a step
    recorded by autograd, is not supported."""
    if differentiable:
        raise NotImplementedError(f"{name}: differentiable=True (a step recorded by autograd) is "
                                  "not supported by ember's fused optimizers")
    if fused and foreach:
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def check_non_negative(what, value):
    """ValueError naming the option unless 0 <= value (PyTorch's messages)."""
    if not value >= 0.0:
        raise ValueError(f"Invalid {what}: {value}")
