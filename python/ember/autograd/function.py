"""ember.autograd.Function: custom differentiable operations written in Python, with PyTorch's
API (static forward(ctx, ...) and backward(ctx, ...), called through .apply)."""
from ember import _C
from ember.autograd.grad_mode import no_grad


class FunctionCtx:
    """What forward leaves for backward: saved tensors (version-checked), flags, any attribute."""

    def __init__(self, inputs):
        self._saved = None
        self._saved_versions = ()
        self._dirty = []
        self._non_differentiable = []
        self._released = False
        self.needs_input_grad = tuple(isinstance(arg, _C.Tensor) and arg.requires_grad
                                      for arg in inputs)
        self._tensor_arguments = tuple(isinstance(arg, _C.Tensor) for arg in inputs)
        self.materialize_grads = True

    def save_for_backward(self, *tensors):
        self._saved = tensors
        self._saved_versions = tuple(None if t is None else t._version() for t in tensors)

    @property
    def saved_tensors(self):
        if self._released:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Specify retain_graph=True if you "
                "need to backward through the graph a second time.")
        if self._saved is None:
            return ()
        for tensor, version in zip(self._saved, self._saved_versions):
            if tensor is not None and tensor._version() != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: saved tensor of shape {list(tensor.shape)} is at "
                    f"version {tensor._version()}; expected version {version} instead.")
        return self._saved

    def mark_dirty(self, *tensors):
        self._dirty.extend(tensors)

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable.extend(tensors)

    def set_materialize_grads(self, value):
        self.materialize_grads = value

    def _release_saved(self):
        self._saved = None
        self._released = True


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
