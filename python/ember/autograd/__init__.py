"""ember.autograd: the define-by-run engine's Python API (as torch.autograd)."""
from ember import _C
from ember.autograd.anomaly_mode import detect_anomaly, set_detect_anomaly
from ember.autograd.function import Function, FunctionCtx
from ember.autograd.grad_mode import enable_grad, no_grad, set_grad_enabled
from ember.autograd.gradcheck import gradcheck, gradgradcheck
from ember.autograd.variable import Variable

__all__ = ["Function", "FunctionCtx", "Variable", "backward", "detect_anomaly", "enable_grad",
           "grad", "gradcheck", "gradgradcheck", "no_grad", "set_detect_anomaly",
           "set_grad_enabled"]


def _as_list(tensors):
    """A tensor or a sequence of tensors as a list; None stays None."""
    if tensors is None:
        return None
    return [tensors] if isinstance(tensors, _C.Tensor) else list(tensors)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None)

    Accumulates the gradients of `tensors` into the leaves' .grad (or into `inputs` only).
    """
    _C._autograd.backward(_as_list(tensors), _as_list(grad_tensors), retain_graph, create_graph,
                          _as_list(inputs))


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
    allow_unused=False) -> tuple[Tensor | None, ...]

    Returns d(outputs)/d(inputs) as a tuple, without touching any .grad.
    """
    return _C._autograd.grad(_as_list(outputs), _as_list(inputs), _as_list(grad_outputs),
                             retain_graph, create_graph, allow_unused)
