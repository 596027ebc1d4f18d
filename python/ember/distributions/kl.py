"""kl_divergence(p, q) and its registry (PyTorch's torch.distributions.kl): register_kl(P, Q)
adds an implementation for a pair of distribution types; a call dispatches on the most specific
registered pair for type(p) and type(q), and warns when the most specific match is ambiguous
(one pair more specific in p, another in q)."""

import math
import warnings

import ember
from ember.distributions.bernoulli import Bernoulli
from ember.distributions.categorical import Categorical
from ember.distributions.distribution import Distribution
from ember.distributions.exp_family import ExponentialFamily
from ember.distributions.exponential import Exponential
from ember.distributions.independent import Independent
from ember.distributions.laplace import Laplace
from ember.distributions.normal import Normal
from ember.distributions.one_hot_categorical import OneHotCategorical
from ember.distributions.transformed_distribution import TransformedDistribution
from ember.distributions.uniform import Uniform
from ember.distributions.utils import _sum_rightmost

__all__ = ["kl_divergence", "register_kl"]

_KL_REGISTRY = {}  # (type_p, type_q) -> implementation
_KL_MEMOIZE = {}  # (type(p), type(q)) -> the implementation dispatched to


def register_kl(type_p, type_q):
    """A decorator registering the KL(p || q) implementation for a pair of Distribution
    subclasses. Register the most specific pair when two registrations would tie."""
    for kind in (type_p, type_q):
        if not isinstance(kind, type) or not issubclass(kind, Distribution):
            raise TypeError(
                f"Expected type_p and type_q to be subclasses of Distribution but got {kind!r}"
            )

    def decorator(fun):
        _KL_REGISTRY[type_p, type_q] = fun
        _KL_MEMOIZE.clear()
        return fun

    return decorator


def _dispatch_kl(type_p, type_q):
    """The implementation of the most specific registered pair (specificity: position in each
    type's method resolution order, p first; then q first, to detect ambiguity)."""
    matches = [
        (super_p, super_q)
        for super_p, super_q in _KL_REGISTRY
        if issubclass(type_p, super_p) and issubclass(type_q, super_q)
    ]
    if not matches:
        return NotImplemented
    mro_p, mro_q = type_p.__mro__, type_q.__mro__
    by_p_first = min(matches, key=lambda m: (mro_p.index(m[0]), mro_q.index(m[1])))
    by_q_first = min(matches, key=lambda m: (mro_q.index(m[1]), mro_p.index(m[0])))
    left_fun = _KL_REGISTRY[by_p_first]
    if left_fun is not _KL_REGISTRY[by_q_first]:
        warnings.warn(
            f"Ambiguous kl_divergence({type_p.__name__}, {type_q.__name__}). "
            f"Please register_kl({by_p_first[0].__name__}, {by_q_first[1].__name__})",
            RuntimeWarning,
            stacklevel=3,
        )
    return left_fun


def kl_divergence(p, q):
    """KL(p || q) = E_p[log p(x) - log q(x)], of the batch shape of p and q.

    Raises NotImplementedError when no pair of their types (or their bases) is registered."""
    try:
        fun = _KL_MEMOIZE[type(p), type(q)]
    except KeyError:
        fun = _dispatch_kl(type(p), type(q))
        _KL_MEMOIZE[type(p), type(q)] = fun
    if fun is NotImplemented:
        raise NotImplementedError(
            f"No KL(p || q) is implemented for p type {p.__class__.__name__} and q type "
            f"{q.__class__.__name__}"
        )
    return fun(p, q)


def _infinite_like(tensor):
    return ember.full_like(tensor, math.inf)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    # log p = -softplus(-logits), log(1 - p) = -softplus(logits); a zero weight zeroes its term
    # (0 * log 0 = 0), also where q's log-probability is -inf.
    softplus = ember.nn.functional.softplus
    ones_term = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    zeros_term = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    ones_term = ember.where(p.probs == 0, ember.zeros_like(ones_term), ones_term)
    zeros_term = ember.where(p.probs == 1, ember.zeros_like(zeros_term), zeros_term)
    return ones_term + zeros_term


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    terms = p.probs * (p.logits - q.logits)
    terms = ember.where((q.probs == 0).expand_as(terms), _infinite_like(terms), terms)
    terms = ember.where((p.probs == 0).expand_as(terms), ember.zeros_like(terms), terms)
    return terms.sum(-1)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehotcategorical_onehotcategorical(p, q):
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    variance_ratio = (p.scale / q.scale).pow(2)
    mean_term = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (variance_ratio + mean_term - 1 - variance_ratio.log())


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    result = ((q.high - q.low) / (p.high - p.low)).log()
    outside = (q.low > p.low) | (q.high < p.high)
    return ember.where(outside, _infinite_like(result), result)


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p, q):
    rate_ratio = q.rate / p.rate
    return rate_ratio - 1 - rate_ratio.log()


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p, q):
    scale_ratio = p.scale / q.scale
    loc_distance = (p.loc - q.loc).abs()
    return (
        -scale_ratio.log()
        + loc_distance / q.scale
        + scale_ratio * ember.exp(-loc_distance / p.scale)
        - 1
    )


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p, q):
    # E_p[log p] = -log(high - low); E_p[log q] integrates the quadratic over the interval.
    width = p.high - p.low
    mean_square = (p.high.pow(3) - p.low.pow(3)) / (3 * width)
    expected_square_distance = mean_square - 2 * q.loc * (p.high + p.low) / 2 + q.loc.pow(2)
    return (
        -width.log()
        + q.scale.log()
        + 0.5 * math.log(2 * math.pi)
        + expected_square_distance / (2 * q.scale.pow(2))
    )


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p, q):
    # E_p[x] = 1/rate, E_p[x^2] = 2/rate^2; E_p[log p] = log(rate) - 1.
    expected_square_distance = 2 / p.rate.pow(2) - 2 * q.loc / p.rate + q.loc.pow(2)
    return (
        p.rate.log()
        - 1
        + q.scale.log()
        + 0.5 * math.log(2 * math.pi)
        + expected_square_distance / (2 * q.scale.pow(2))
    )


@register_kl(Independent, Independent)
def _kl_independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError(
            "KL between Independent distributions with different reinterpreted_batch_ndims"
        )
    result = kl_divergence(p.base_dist, q.base_dist)
    return _sum_rightmost(result, p.reinterpreted_batch_ndims)


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p, q):
    if p.transforms != q.transforms:
        raise NotImplementedError("KL between TransformedDistributions with different transforms")
    if p.event_shape != q.event_shape:
        raise NotImplementedError(
            "KL between TransformedDistributions with different event shapes"
        )
    return _sum_rightmost(
        kl_divergence(p.base_dist, q.base_dist),
        len(p.event_shape) - len(p.base_dist.event_shape),
    )


@register_kl(ExponentialFamily, ExponentialFamily)
def _kl_expfamily_expfamily(p, q):
    # The Bregman divergence of the log normaliser between q's and p's natural parameters.
    if type(p) is not type(q):
        raise NotImplementedError(
            "The cross KL-divergence between different exponential families cannot be computed "
            "using Bregman divergences"
        )
    p_nparams = [param.detach().requires_grad_() for param in p._natural_params]
    q_nparams = q._natural_params
    lg_normal = p._log_normalizer(*p_nparams)
    gradients = ember.autograd.grad(lg_normal.sum(), p_nparams, create_graph=True)
    result = q._log_normalizer(*q_nparams) - lg_normal
    for pnp, qnp, g in zip(p_nparams, q_nparams, gradients):
        term = (qnp - pnp) * g
        result = result - _sum_rightmost(term, len(q.event_shape))
    return result
