"""The 2017 Variable API: since PyTorch 0.4, Variable(t, requires_grad=...) returns a tensor."""
from ember import _C


class _VariableMeta(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, _C.Tensor)


class Variable(metaclass=_VariableMeta):
    """Variable(data, requires_grad=False): the tensor data itself (requiring grad if asked), as
    since PyTorch 0.4."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        tensor = data.detach() if requires_grad else data
        if requires_grad:
            tensor.requires_grad_(True)
        return tensor
