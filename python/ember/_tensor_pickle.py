"""copy.copy, copy.deepcopy and pickle for ember.Tensor and its Python subclasses (nn.Parameter).

As PyTorch's: copy.copy shares the data; deepcopy copies a leaf's data (keeping its strides
where the data is dense), requires_grad, `.grad`, class and `__dict__` attributes, mapping each
tensor of one deepcopy to one copy; pickle stores the values, dtype, shape, requires_grad, class
and attributes. The binding keeps a tensor's grad object in its `__dict__`: that is not state.
"""
import copy

from ember import _C
from ember.autograd.grad_mode import no_grad

_GRAD_OBJECT_KEY = "_ember_grad"


def _attributes(tensor):
    return {key: value for key, value in tensor.__dict__.items() if key != _GRAD_OBJECT_KEY}


def _as_class(data, cls, requires_grad):
    """data (a tensor without history that nothing else refers to) as a cls instance."""
    if cls is not _C.Tensor:
        return _C.Tensor._make_subclass(cls, data, requires_grad)
    if requires_grad:
        data.requires_grad_(True)
    return data


def tensor_copy(self):
    """copy.copy(tensor): a tensor sharing the data, with the same class and attributes."""
    result = _as_class(self.detach(), type(self), self.requires_grad)
    result.__dict__.update(_attributes(self))
    return result


def tensor_deepcopy(self, memo):
    """copy.deepcopy(tensor): a leaf with its own copy of the data, grad and attributes."""
    if not self.is_leaf:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the "
                           "deepcopy protocol at the moment")
    if id(self) in memo:
        return memo[id(self)]
    with no_grad():
        data = self.clone()  # preserve_format: a dense tensor keeps its strides
    result = _as_class(data, type(self), self.requires_grad)
    memo[id(self)] = result
    if self.grad is not None:
        result.grad = copy.deepcopy(self.grad, memo)
    for key, value in _attributes(self).items():
        result.__dict__[key] = copy.deepcopy(value, memo)
    return result


def tensor_reduce_ex(self, protocol):
    """pickle: the values as a NumPy array (bfloat16, which NumPy lacks, as float32: exact)."""
    values = self.detach().cpu()
    if values.dtype == _C.bfloat16:
        values = values.float()
    state = (values.numpy(), self.dtype, str(self.device), self.requires_grad, type(self),
             _attributes(self))
    return (_rebuild_tensor, state)


def _rebuild_tensor(values, dtype, device, requires_grad, cls, attributes):
    data = _C.from_numpy(values).to(dtype=dtype, device=device)
    result = _as_class(data, cls, requires_grad)
    result.__dict__.update(attributes)
    return result
