"""ExponentialFamily: distributions whose density is exp(<t(x), theta> - F(theta) + k(x)); the
entropy and the KL between two of the same family then follow from the log normaliser F by
automatic differentiation (Bregman divergence), as in PyTorch."""

import ember
from ember.distributions.distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Subclasses provide _natural_params, _log_normalizer and _mean_carrier_measure."""

    @property
    def _natural_params(self):
        """The natural parameters theta, a tuple of tensors."""
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        """F(theta) of the natural parameters."""
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        """E[k(x)] under the distribution."""
        raise NotImplementedError

    def entropy(self):
        """-E[log p(x)] = F(theta) - <theta, grad F(theta)> - E[k(x)]."""
        result = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = ember.autograd.grad(lg_normal.sum(), nparams, create_graph=True)
        result = result + lg_normal
        for np, g in zip(nparams, gradients):
            result = result - (np * g).reshape(self._batch_shape + (-1,)).sum(-1)
        return result
