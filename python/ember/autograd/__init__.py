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


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulates the gradients of `tensors` into the leaves' .grad (or into `inputs` only)."""
    if isinstance(tensors, _C.Tensor):
        tensors = [tensors]
    if isinstance(grad_tensors, _C.Tensor):
        grad_tensors = [grad_tensors]
    if isinstance(inputs, _C.Tensor):
        inputs = [inputs]
    _C._autograd.backward(list(tensors), None if grad_tensors is None else list(grad_tensors),
                          retain_graph, create_graph, None if inputs is None else list(inputs))


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Returns d(outputs)/d(inputs) as a tuple, without touching any .grad."""
    if isinstance(outputs, _C.Tensor):
        outputs = [outputs]
    if isinstance(inputs, _C.Tensor):
        inputs = [inputs]
    if isinstance(grad_outputs, _C.Tensor):
        grad_outputs = [grad_outputs]
    return _C._autograd.grad(list(outputs), list(inputs),
                             None if grad_outputs is None else list(grad_outputs), retain_graph,
                             create_graph, allow_unused)
