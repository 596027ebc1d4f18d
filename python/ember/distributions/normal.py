"""Normal(loc, scale): the C++ math of ember/distributions/functional.h behind PyTorch's API."""

import math
from numbers import Number

import ember
from ember import _C
from ember.distributions import constraints
from ember.distributions.exp_family import ExponentialFamily
from ember.distributions.utils import _as_value, broadcast_all

__all__ = ["Normal"]


class Normal(ExponentialFamily):
    """The normal distribution N(loc, scale^2), parameters broadcast together."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _mean_carrier_measure = 0

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        if isinstance(loc, Number) and isinstance(scale, Number):
            batch_shape = ember.Size()
        else:
            batch_shape = self.loc.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Normal, _instance)
        batch_shape = ember.Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        super(Normal, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def rsample(self, sample_shape=()):
        shape = self._extended_shape(sample_shape)
        return _C._distributions.normal_rsample(self.loc, self.scale, list(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value = _as_value(value, self.loc.dtype)
        return _C._distributions.normal_log_prob(self.loc, self.scale, value)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return _C._distributions.normal_cdf(self.loc, self.scale, _as_value(value, self.loc.dtype))

    def icdf(self, value):
        return _C._distributions.normal_icdf(self.loc, self.scale, _as_value(value, self.loc.dtype))

    def entropy(self):
        return _C._distributions.normal_entropy(self.scale)

    @property
    def _natural_params(self):
        return (self.loc / self.scale.pow(2), -0.5 * self.scale.pow(2).reciprocal())

    def _log_normalizer(self, x, y):
        return -0.25 * x.pow(2) / y + 0.5 * ember.log(-math.pi / y)
