"""Gamma, Beta, Dirichlet, Poisson, Binomial and MultivariateNormal and their KL divergences:
values against scipy.stats (contiguous, non-contiguous, broadcast and empty parameters), seeded
sample moments, gradients (gradcheck of log_prob and of the pathwise MVN rsample; the implicit
reparameterisation gradients of Gamma, Beta and Dirichlet against scipy's CDF derivative and
as unbiased estimates of the gradient of the mean), validate_args errors, and KL against closed
forms and Monte Carlo."""

import math

import numpy as np
import pytest
from scipy import special, stats

import ember
from ember.distributions import (
    Beta,
    Binomial,
    Dirichlet,
    Gamma,
    MultivariateNormal,
    Poisson,
    kl_divergence,
)

D = ember.float64


def t(values, dtype=D):
    return ember.tensor(np.asarray(values, dtype=np.float64), dtype=dtype)


def n(tensor):
    return np.asarray(tensor.detach().numpy(), dtype=np.float64)


def close(actual, expected, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(n(actual), expected, rtol=rtol, atol=atol)


def noncontiguous(values):
    """A transposed view holding `values` (2-D)."""
    return t(np.ascontiguousarray(np.asarray(values).T)).t()


def within(values, expected, stddev, count):
    assert abs(np.mean(values) - expected) <= 6 * stddev / math.sqrt(count), (
        f"mean {np.mean(values)} vs {expected}")


# ---------------------------------------------------------------- values against scipy

C = np.array([[0.3, 1.0, 2.5], [4.0, 0.7, 9.0]])
R = np.array([[2.0, 0.5, 1.0], [3.0, 1.5, 0.25]])
X = np.array([[0.2, 1.3, 2.0], [0.9, 0.05, 7.5]])
LAYOUTS = {"contiguous": t, "non-contiguous": noncontiguous}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_gamma_matches_scipy(layout):
    make = LAYOUTS[layout]
    g = Gamma(make(C), make(R))
    reference = stats.gamma(C, scale=1 / R)
    close(g.log_prob(make(X)), reference.logpdf(X))
    close(g.entropy(), reference.entropy())
    close(g.mean, reference.mean())
    close(g.variance, reference.var())
    close(g.mode, np.maximum((C - 1) / R, 0))


def test_gamma_broadcast_and_empty():
    g = Gamma(t([1.0, 2.0, 3.0]), 2.0)
    assert g.batch_shape == (3,)
    close(g.log_prob(t([[0.5], [1.5]])), stats.gamma([1.0, 2.0, 3.0], scale=0.5).logpdf(
        np.array([[0.5], [1.5]])))
    empty = Gamma(ember.ones(0, 2, dtype=D), ember.ones(0, 2, dtype=D))
    assert empty.log_prob(ember.ones(0, 2, dtype=D)).shape == (0, 2)
    assert Gamma(2.0, 3.0).batch_shape == ()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_beta_matches_scipy(layout):
    make = LAYOUTS[layout]
    a, b = C, R
    x = np.array([[0.2, 0.5, 0.9], [0.01, 0.7, 0.35]])
    beta = Beta(make(a), make(b))
    reference = stats.beta(a, b)
    close(beta.log_prob(make(x)), reference.logpdf(x))
    close(beta.entropy(), reference.entropy())
    close(beta.mean, reference.mean())
    close(beta.variance, reference.var())
    assert Beta(2.0, 3.0).batch_shape == ()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_dirichlet_matches_scipy(layout):
    alpha = np.array([[0.5, 2.0, 3.0], [1.5, 0.8, 4.0]])
    x = np.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
    d = Dirichlet(LAYOUTS[layout](alpha))
    assert d.batch_shape == (2,) and d.event_shape == (3,)
    for row in range(2):
        reference = stats.dirichlet(alpha[row])
        close(d.log_prob(t(x))[row], reference.logpdf(x[row]))
        close(d.entropy()[row], reference.entropy())
        close(d.mean[row], reference.mean())
        close(d.variance[row], reference.var())
    close(Dirichlet(t([2.0, 3.0, 5.0])).mode, np.array([1.0, 2.0, 4.0]) / 7)
    close(Dirichlet(t([0.5, 0.9, 0.2])).mode, np.array([0.0, 1.0, 0.0]))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_poisson_matches_scipy(layout):
    rate = np.array([[0.5, 3.0, 12.0], [0.0, 40.0, 1.0]])
    k = np.array([[0.0, 2.0, 15.0], [0.0, 33.0, 4.0]])
    p = Poisson(LAYOUTS[layout](rate))
    close(p.log_prob(t(k)), stats.poisson(rate).logpmf(k))
    close(p.mean, rate)
    close(p.mode, np.floor(rate))
    assert Poisson(t(rate)).expand((4, 2, 3)).sample().shape == (4, 2, 3)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_binomial_matches_scipy(layout):
    count = np.array([[5.0, 10.0, 0.0], [20.0, 1.0, 7.0]])
    prob = np.array([[0.3, 0.9, 0.5], [0.05, 0.5, 0.6]])
    k = np.array([[2.0, 10.0, 0.0], [3.0, 1.0, 0.0]])
    make = LAYOUTS[layout]
    reference = stats.binom(count, prob)
    for dist in (Binomial(make(count), probs=make(prob)),
                 Binomial(make(count), logits=make(special.logit(prob)))):
        close(dist.log_prob(make(k)), reference.logpmf(k), rtol=1e-9)
        close(dist.mean, reference.mean())
        close(dist.variance, reference.var())
        close(dist.mode, np.minimum(np.floor((count + 1) * prob), count))


def test_binomial_enumerate_support_and_entropy():
    b = Binomial(4, probs=t([0.2, 0.7]))
    support = b.enumerate_support()
    assert support.shape == (5, 2)
    close(support[:, 1], np.arange(5.0))
    assert b.enumerate_support(expand=False).shape == (5, 1)
    close(b.entropy(), stats.binom(4, [0.2, 0.7]).entropy())
    close(ember.exp(b.log_prob(support)).sum(0), np.ones(2))
    with pytest.raises(NotImplementedError, match="Inhomogeneous total count"):
        Binomial(t([2.0, 3.0]), probs=t([0.5, 0.5])).enumerate_support()


COV = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])


@pytest.mark.parametrize("form", ["covariance_matrix", "precision_matrix", "scale_tril"])
def test_multivariate_normal_matches_scipy(form):
    loc = np.array([[0.5, -1.0, 2.0], [0.0, 0.0, 1.0]])
    matrix = {"covariance_matrix": COV, "precision_matrix": np.linalg.inv(COV),
              "scale_tril": np.linalg.cholesky(COV)}[form]
    mvn = MultivariateNormal(t(loc), **{form: t(matrix)})
    assert mvn.batch_shape == (2,) and mvn.event_shape == (3,)
    x = np.array([[0.1, 0.2, 0.3], [-1.0, 2.0, 0.5]])
    for row in range(2):
        reference = stats.multivariate_normal(loc[row], COV)
        close(mvn.log_prob(t(x))[row], reference.logpdf(x[row]), rtol=1e-9)
        close(mvn.entropy()[row], reference.entropy(), rtol=1e-9)
    close(mvn.covariance_matrix[0], COV, rtol=1e-9)
    close(mvn.precision_matrix[1], np.linalg.inv(COV), rtol=1e-9)
    close(mvn.scale_tril[0], np.linalg.cholesky(COV), rtol=1e-9)
    close(mvn.variance, np.broadcast_to(np.diag(COV), (2, 3)), rtol=1e-9)


def test_multivariate_normal_broadcast_batches():
    covs = np.stack([COV, 2 * COV])  # batch (2,) of matrices against loc batch (4, 1)
    loc = np.arange(12.0).reshape(4, 1, 3) / 10
    mvn = MultivariateNormal(t(loc), covariance_matrix=t(covs))
    assert mvn.batch_shape == (4, 2)
    x = np.zeros(3)
    lp = n(mvn.log_prob(t(x)))
    assert lp.shape == (4, 2)
    np.testing.assert_allclose(lp[3, 1], stats.multivariate_normal(loc[3, 0], 2 * COV).logpdf(x),
                               rtol=1e-9)
    assert mvn.rsample((5,)).shape == (5, 4, 2, 3)
    assert mvn.expand((6, 4, 2)).sample().shape == (6, 4, 2, 3)
    assert MultivariateNormal(ember.zeros(0, 3, dtype=D), covariance_matrix=t(COV)).sample(
        (2,)).shape == (2, 0, 3)


# ---------------------------------------------------------------- gradients


def leaf(values):
    return t(values).requires_grad_()


def test_poisson_and_multivariate_normal_sample_moments():
    ember.manual_seed(0)
    count = 20000
    p = n(Poisson(t([4.0])).sample((count,)))
    within(p, 4.0, 2.0, count)
    m = n(MultivariateNormal(t([1.0, -1.0, 0.0]), covariance_matrix=t(COV)).sample((count,)))
    for i in range(3):
        within(m[:, i], [1.0, -1.0, 0.0][i], math.sqrt(COV[i, i]), count)
    np.testing.assert_allclose(np.cov(m.T), COV, atol=6 * 2.0 * math.sqrt(2 / count))


def test_gradcheck_multivariate_normal_rsample():
    """rsample is loc + L eps: a fixed function of loc and scale_tril once the noise is fixed
    (reseeded)."""

    def draw(loc, s):
        ember.manual_seed(3)
        return MultivariateNormal(loc, scale_tril=s.tril()).rsample((4,))

    assert ember.autograd.gradcheck(draw, (leaf([0.5, -1.0, 2.0]), leaf(np.linalg.cholesky(COV))))


def test_gradcheck_log_prob():
    x = t([[0.3, 1.2], [2.0, 0.7]])
    assert ember.autograd.gradcheck(lambda c, r: Gamma(c, r).log_prob(x),
                                    (leaf([[0.5, 2.0], [3.0, 1.2]]), leaf([1.5, 0.4])))
    u = t([[0.3, 0.6], [0.8, 0.1]])
    assert ember.autograd.gradcheck(lambda a, b: Beta(a, b).log_prob(u),
                                    (leaf([[0.5, 2.0], [3.0, 1.2]]), leaf([1.5, 0.4])))
    simplex = t([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
    assert ember.autograd.gradcheck(lambda a: Dirichlet(a).log_prob(simplex),
                                    (leaf([[0.5, 2.0, 1.0], [3.0, 1.2, 0.9]]),))
    assert ember.autograd.gradcheck(lambda r: Poisson(r).log_prob(t([0.0, 3.0, 5.0])),
                                    (leaf([0.5, 2.0, 6.0]),))
    assert ember.autograd.gradcheck(
        lambda logits: Binomial(t([5.0, 8.0]), logits=logits).log_prob(t([2.0, 8.0])),
        (leaf([0.3, -1.2]),))
    assert ember.autograd.gradcheck(
        lambda p: Binomial(t([5.0, 8.0]), probs=p).log_prob(t([2.0, 3.0])), (leaf([0.3, 0.6]),))
    tril = np.linalg.cholesky(COV)
    assert ember.autograd.gradcheck(
        lambda loc, s: MultivariateNormal(loc, scale_tril=s.tril()).log_prob(t([0.1, 0.2, 0.3])),
        (leaf([0.5, -1.0, 2.0]), leaf(tril)))
    assert ember.autograd.gradcheck(
        lambda cov: MultivariateNormal(t([0.0, 0.0, 0.0]),
                                       covariance_matrix=(cov + cov.mT) / 2).entropy(),
        (leaf(COV),))


# ---------------------------------------------------------------- validate_args


@pytest.mark.parametrize("build", [
    lambda: Gamma(t([1.0, -1.0]), t([1.0, 1.0])),
    lambda: Gamma(t([1.0]), t([0.0])),
    lambda: Beta(t([0.0]), t([1.0])),
    lambda: Dirichlet(t([1.0, -0.5])),
    lambda: Poisson(t([-1.0])),
    lambda: Binomial(t([3.0]), probs=t([1.5])),
    lambda: Binomial(t([2.5]), probs=t([0.5])),
    lambda: MultivariateNormal(t([0.0, 0.0]), covariance_matrix=t([[1.0, 2.0], [2.0, 1.0]])),
    lambda: MultivariateNormal(t([0.0, 0.0]), scale_tril=t([[1.0, 0.0], [0.5, -1.0]])),
], ids=["gamma-concentration", "gamma-rate", "beta", "dirichlet", "poisson", "binomial-probs",
        "binomial-count", "mvn-not-pd", "mvn-tril-diagonal"])
def test_validate_args_rejects_bad_parameters(build):
    with pytest.raises(ValueError, match="Expected parameter .* to satisfy the constraint"):
        build()


def test_validate_args_rejects_values_outside_the_support():
    with pytest.raises(ValueError, match="to be within the support"):
        Gamma(t([1.0]), t([1.0])).log_prob(t([-1.0]))
    with pytest.raises(ValueError, match="to be within the support"):
        Beta(t([1.0]), t([1.0])).log_prob(t([1.5]))
    with pytest.raises(ValueError, match="to be within the support"):
        Dirichlet(t([1.0, 1.0])).log_prob(t([0.5, 0.6]))
    with pytest.raises(ValueError, match="to be within the support"):
        Poisson(t([1.0])).log_prob(t([1.5]))
    with pytest.raises(ValueError, match="to be within the support"):
        Binomial(t([3.0]), probs=t([0.5])).log_prob(t([4.0]))
    assert Gamma(t([1.0]), t([1.0]), validate_args=False).batch_shape == (1,)


def test_constructor_errors():
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        Binomial(3, probs=t([0.5]), logits=t([0.0]))
    with pytest.raises(ValueError, match="Exactly one of covariance_matrix"):
        MultivariateNormal(t([0.0]), covariance_matrix=t([[1.0]]), scale_tril=t([[1.0]]))
    with pytest.raises(ValueError, match="at least one-dimensional"):
        MultivariateNormal(t(0.0), covariance_matrix=t([[1.0]]))
    with pytest.raises(ValueError, match="at least one-dimensional"):
        Dirichlet(t(1.0))


# ---------------------------------------------------------------- KL divergence


def test_kl_closed_forms():
    p, q = Poisson(t([0.0, 2.0, 5.0])), Poisson(t([1.0, 3.0, 0.5]))
    rate_p, rate_q = np.array([0.0, 2.0, 5.0]), np.array([1.0, 3.0, 0.5])
    close(kl_divergence(p, q), special.xlogy(rate_p, rate_p / rate_q) - rate_p + rate_q)
    probs_p, probs_q = np.array([0.2, 0.6]), np.array([0.5, 0.3])
    expected = 6 * (special.xlogy(probs_p, probs_p / probs_q)
                    + special.xlogy(1 - probs_p, (1 - probs_p) / (1 - probs_q)))
    close(kl_divergence(Binomial(6, probs=t(probs_p)), Binomial(6, probs=t(probs_q))), expected,
          rtol=1e-9)
    more = kl_divergence(Binomial(t([7.0, 6.0]), probs=t(probs_p)),
                         Binomial(t([6.0, 6.0]), probs=t(probs_q)))
    assert math.isinf(n(more)[0]) and np.isclose(n(more)[1], expected[1])
    with pytest.raises(NotImplementedError):
        kl_divergence(Binomial(5, probs=t([0.5])), Binomial(6, probs=t([0.5])))
    # MVN: 1/2 (tr(Sq^-1 Sp) + (mq - mp)' Sq^-1 (mq - mp) - k + log det Sq / det Sp)
    cov_q = np.array([[1.0, 0.2, 0.0], [0.2, 2.0, 0.3], [0.0, 0.3, 1.5]])
    loc_p, loc_q = np.array([0.1, 0.2, -0.3]), np.array([1.0, -0.5, 0.0])
    inv_q = np.linalg.inv(cov_q)
    diff = loc_q - loc_p
    expected = 0.5 * (np.trace(inv_q @ COV) + diff @ inv_q @ diff - 3
                      + np.log(np.linalg.det(cov_q) / np.linalg.det(COV)))
    close(kl_divergence(MultivariateNormal(t(loc_p), covariance_matrix=t(COV)),
                        MultivariateNormal(t(loc_q), precision_matrix=t(inv_q))), expected,
          rtol=1e-9)
    with pytest.raises(ValueError, match="different event shapes"):
        kl_divergence(MultivariateNormal(t([0.0]), covariance_matrix=t([[1.0]])),
                      MultivariateNormal(t(loc_q), covariance_matrix=t(cov_q)))


@pytest.mark.parametrize("pair", ["gamma", "beta", "dirichlet"])
def test_kl_matches_monte_carlo(pair):
    """KL(p, q) = E_p[log p - log q], over numpy's draws from p."""
    rng = np.random.default_rng(6)
    count = 40000
    if pair == "gamma":
        p, q = Gamma(t([0.8, 3.0]), t([1.0, 2.0])), Gamma(t([1.5, 2.0]), t([0.5, 2.5]))
        x = rng.gamma([0.8, 3.0], 1 / np.array([1.0, 2.0]), (count, 2))
    elif pair == "beta":
        p, q = Beta(t([0.8, 3.0]), t([1.0, 2.0])), Beta(t([1.5, 2.0]), t([0.5, 2.5]))
        x = rng.beta([0.8, 3.0], [1.0, 2.0], (count, 2))
    else:
        p, q = Dirichlet(t([[0.8, 3.0, 1.0]])), Dirichlet(t([[1.5, 2.0, 0.7]]))
        x = rng.dirichlet([0.8, 3.0, 1.0], count)[:, None, :]
    log_ratio = n(p.log_prob(t(x)) - q.log_prob(t(x)))
    expected = log_ratio.mean(0)
    stderr = log_ratio.std(0) / math.sqrt(count)
    assert (np.abs(n(kl_divergence(p, q)) - expected) <= 6 * stderr).all()
    close(kl_divergence(p, p), np.zeros(p.batch_shape), atol=1e-12)
