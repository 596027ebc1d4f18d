"""Closed-form KL divergences of the distributions gamma.py, beta.py, dirichlet.py, poisson.py,
binomial.py and multivariate_normal.py, registered into kl_divergence's registry."""

import ember
from ember.distributions.beta import Beta
from ember.distributions.binomial import Binomial
from ember.distributions.dirichlet import Dirichlet
from ember.distributions.gamma import Gamma
from ember.distributions.kl import register_kl
from ember.distributions.multivariate_normal import (
    MultivariateNormal,
    _batch_mahalanobis,
    _broadcast_shape,
    _half_log_det,
)
from ember.distributions.poisson import Poisson

__all__ = []


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p, q):
    t1 = q.concentration * ember.log(p.rate / q.rate)
    t2 = ember.lgamma(q.concentration) - ember.lgamma(p.concentration)
    t3 = (p.concentration - q.concentration) * ember.digamma(p.concentration)
    t4 = (q.rate - p.rate) * (p.concentration / p.rate)
    return t1 + t2 + t3 + t4


@register_kl(Beta, Beta)
def _kl_beta_beta(p, q):
    sum_p = p.concentration1 + p.concentration0
    sum_q = q.concentration1 + q.concentration0
    t1 = (ember.lgamma(q.concentration1) + ember.lgamma(q.concentration0)
          + ember.lgamma(sum_p))
    t2 = (ember.lgamma(p.concentration1) + ember.lgamma(p.concentration0)
          + ember.lgamma(sum_q))
    t3 = (p.concentration1 - q.concentration1) * ember.digamma(p.concentration1)
    t4 = (p.concentration0 - q.concentration0) * ember.digamma(p.concentration0)
    t5 = (sum_q - sum_p) * ember.digamma(sum_p)
    return t1 - t2 + t3 + t4 + t5


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p, q):
    sum_p = p.concentration.sum(-1)
    sum_q = q.concentration.sum(-1)
    t1 = ember.lgamma(sum_p) - ember.lgamma(sum_q)
    t2 = (ember.lgamma(p.concentration) - ember.lgamma(q.concentration)).sum(-1)
    t3 = p.concentration - q.concentration
    t4 = ember.digamma(p.concentration) - ember.digamma(sum_p).unsqueeze(-1)
    return t1 - t2 + (t3 * t4).sum(-1)


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p, q):
    # xlogy: a zero rate of p contributes nothing (0 log 0 = 0).
    return ember.xlogy(p.rate, p.rate) - ember.xlogy(p.rate, q.rate) - (p.rate - q.rate)


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p, q):
    # Only for q.total_count <= p.total_count; where p has more trials, q misses support: inf.
    if (p.total_count < q.total_count).any():
        raise NotImplementedError(
            "KL between Binomials where q.total_count > p.total_count is not implemented")
    kl = p.total_count * (p.probs * (p.logits - q.logits) + ember.log1p(-p.probs)
                          - ember.log1p(-q.probs))
    return ember.where(p.total_count > q.total_count, float("inf"), kl)


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p, q):
    if p.event_shape != q.event_shape:
        raise ValueError("KL-divergence between two Multivariate Normals with different event "
                         "shapes cannot be computed")
    p_tril, q_tril = p._unbroadcasted_scale_tril, q._unbroadcasted_scale_tril
    half_log_det_ratio = _half_log_det(q_tril) - _half_log_det(p_tril)
    n = p.event_shape[0]
    shape = _broadcast_shape(q_tril.shape[:-2], p_tril.shape[:-2])
    # tr(Sigma_q^-1 Sigma_p) = || q_tril^-1 p_tril ||_F^2
    solved = ember.linalg.solve_triangular(q_tril.expand(shape + (n, n)),
                                           p_tril.expand(shape + (n, n)), upper=False)
    trace = solved.pow(2).sum((-2, -1))
    mahalanobis = _batch_mahalanobis(q_tril, q.loc - p.loc)
    return half_log_det_ratio + 0.5 * (trace + mahalanobis - n)
