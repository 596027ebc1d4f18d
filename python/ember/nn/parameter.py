"""nn.Parameter: a Tensor subclass that Modules register as a learnable parameter (torch.nn's)."""
from ember import _C


class Parameter(_C.Tensor):
    """Parameter(data=None, requires_grad=True) -> Parameter

    A tensor that a Module registers as a parameter when assigned as one of its attributes. It
    shares data's memory, has no history and requires grad by default. Being a Python subclass of
    Tensor, it keeps its class through C++ (in-place ops, `.grad`, hooks return the same object),
    while out-of-place ops return plain Tensors (as PyTorch's).
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _C.empty(0)
        return _C.Tensor._make_subclass(cls, data, requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__
