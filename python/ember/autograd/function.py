"""ember.autograd.Function: custom differentiable operations written in Python, with PyTorch's
API (static forward(ctx, ...) and backward(ctx, ...), called through .apply)."""
from ember import _C
from ember.autograd.grad_mode import no_grad


class FunctionCtx:
    """What forward leaves for backward: saved tensors (version-checked), flags, any attribute."""

    def __init__(self, inputs):
        self._saved = _C._autograd.AutogradContext()
        self._dirty = []
        self._non_differentiable = []
        self.needs_input_grad = tuple(isinstance(arg, _C.Tensor) and arg.requires_grad
                                      for arg in inputs)
        self._tensor_arguments = tuple(isinstance(arg, _C.Tensor) for arg in inputs)
        self.materialize_grads = True

    def save_for_backward(self, *tensors):
        self._saved.save_for_backward(list(tensors))

    @property
    def saved_tensors(self):
        """The saved tensors; raises if one was modified in place since, or after backward
        freed them (the C++ SavedTensor checks, as for built-in ops)."""
        return self._saved.saved_tensors()

    def mark_dirty(self, *tensors):
        self._dirty.extend(tensors)

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable.extend(tensors)

    def set_materialize_grads(self, value):
        self.materialize_grads = value

    def _release_saved(self):
        self._saved.release_saved()


class Function:
    """Subclass with @staticmethod forward(ctx, *args) and backward(ctx, *grads); call apply."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom Function")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement the backward function for custom Function")

    @classmethod
    def apply(cls, *args):
        ctx = FunctionCtx(args)
        with no_grad():
            outputs = cls.forward(ctx, *args)
        return _C._autograd.record_function(cls, ctx, tuple(args), outputs, list(ctx._dirty),
                                            list(ctx._non_differentiable))
