"""Helpers shared by ember.distributions (PyTorch's torch.distributions.utils): broadcasting of
parameters, the probs/logits conversions (C++: ember/distributions/functional.h) and
lazy_property."""

from functools import update_wrapper
from numbers import Number

import ember
from ember import _C

euler_constant = 0.57721566490153286060  # Euler-Mascheroni constant


def broadcast_all(*values):
    """Broadcasts tensors and Python numbers together; numbers become tensors of the default
    dtype (or of the tensors' dtype when there are tensors), as PyTorch's broadcast_all."""
    if not all(ember.is_tensor(v) or isinstance(v, Number) for v in values):
        raise ValueError(
            "Input arguments must all be instances of numbers.Number, ember.Tensor or objects "
            "implementing __ember_function__."
        )
    if not all(ember.is_tensor(v) for v in values):
        dtype = ember.get_default_dtype()
        for value in values:
            if ember.is_tensor(value):
                dtype = value.dtype
                break
        values = [v if ember.is_tensor(v) else ember.tensor(v, dtype=dtype) for v in values]
    return ember.broadcast_tensors(*values)


def _standard_normal(shape, dtype):
    return ember.randn(shape, dtype=dtype)


def _sum_rightmost(value, dim):
    """Sums out the rightmost `dim` dims of value."""
    if dim == 0:
        return value
    return value.sum(tuple(range(-dim, 0)))


def clamp_probs(probs):
    return _C._distributions.clamp_probs(probs)


def logits_to_probs(logits, is_binary=False):
    """sigmoid(logits) when is_binary, else softmax over the last dim."""
    return _C._distributions.logits_to_probs(logits, is_binary)


def probs_to_logits(probs, is_binary=False):
    """Log-odds when is_binary, else log-probabilities; probs are clamped first."""
    return _C._distributions.probs_to_logits(probs, is_binary)


class lazy_property:
    """A property computed on first access and then stored on the instance (so a parameter
    derived from another, such as logits from probs, costs nothing until it is used)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        update_wrapper(self, wrapped)

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return _lazy_property_and_property(self.wrapped)
        with ember.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class _lazy_property_and_property(lazy_property, property):
    """lazy_property seen on the class: a property too, so that introspection sees one."""

    def __init__(self, wrapped):
        property.__init__(self, wrapped)


def broadcast_shape(*shapes):
    """The broadcast of shapes (ember.broadcast_tensors' rule, on zero-stride views)."""
    scalar = ember.empty(())
    return ember.broadcast_tensors(*[scalar.expand(tuple(shape)) for shape in shapes])[0].shape


def _as_value(value, dtype):
    """value as a tensor for the C++ math: Python numbers (accepted when validation is off, as
    PyTorch's formulas accept them) become tensors of dtype."""
    return value if isinstance(value, ember.Tensor) else ember.tensor(value, dtype=dtype)
