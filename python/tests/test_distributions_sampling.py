"""The distributions whose draws come from the C++ sampling ops (_standard_gamma,
_sample_dirichlet, binomial): seeded sample moments, the implicit reparameterisation gradients
of Gamma, Beta and Dirichlet (against scipy's CDF derivative, and as unbiased estimates of the
gradient of the mean), the pathwise gradient in Gamma's rate, and the ops' bad inputs."""

import math

import numpy as np
import pytest
from scipy import special, stats

import ember
from ember.distributions import Beta, Binomial, Dirichlet, Gamma, MultivariateNormal, Poisson

D = ember.float64
COV = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])


def t(values, dtype=D):
    return ember.tensor(np.asarray(values, dtype=np.float64), dtype=dtype)


def n(tensor):
    return np.asarray(tensor.detach().numpy(), dtype=np.float64)


def leaf(values):
    return t(values).requires_grad_()


def within(values, expected, stddev, count):
    assert abs(np.mean(values) - expected) <= 6 * stddev / math.sqrt(count), (
        f"mean {np.mean(values)} vs {expected}")


def test_sample_moments():
    ember.manual_seed(0)
    count = 20000
    g = n(Gamma(t([0.4, 3.0]), t([2.0, 0.5])).sample((count,)))
    within(g[:, 0], 0.2, math.sqrt(0.4) / 2, count)
    within(g[:, 1], 6.0, math.sqrt(3.0) / 0.5, count)
    b = n(Beta(t([0.5]), t([2.0])).sample((count,)))
    within(b, 0.2, math.sqrt(stats.beta(0.5, 2.0).var()), count)
    alpha = np.array([1.0, 2.0, 7.0])
    d = n(Dirichlet(t(alpha)).sample((count,)))
    np.testing.assert_allclose(d.sum(-1), 1.0, atol=1e-12)
    for i in range(3):
        within(d[:, i], alpha[i] / 10, math.sqrt(stats.dirichlet(alpha).var()[i]), count)
    p = n(Poisson(t([4.0])).sample((count,)))
    within(p, 4.0, 2.0, count)
    bi = n(Binomial(t([30.0]), logits=t([0.4])).sample((count,)))
    prob = 1 / (1 + math.exp(-0.4))
    within(bi, 30 * prob, math.sqrt(30 * prob * (1 - prob)), count)
    m = n(MultivariateNormal(t([1.0, -1.0, 0.0]), covariance_matrix=t(COV)).sample((count,)))
    np.testing.assert_allclose(np.cov(m.T), COV, atol=6 * 2.0 * math.sqrt(2 / count))
    assert Gamma(t([1e-3]), t([1.0])).sample((100,)).min().item() > 0
    assert Beta(2.0, 3.0).sample((4,)).shape == (4,)
    assert Gamma(ember.ones(0, 2, dtype=D), ember.ones(0, 2, dtype=D)).sample().shape == (0, 2)
    assert Binomial(t([[3.0], [5.0]]), probs=t([0.2, 0.9])).sample((6,)).shape == (6, 2, 2)




def test_float32_samples_keep_dtype_and_support():
    g = Gamma(ember.full((1000,), 0.01), ember.ones(1000))
    sample = g.rsample()
    assert sample.dtype == ember.float32 and sample.min().item() > 0
    assert ember.isfinite(g.log_prob(sample)).all().item()




def test_gradcheck_gamma_rsample_in_rate():
    """With the concentration fixed, a reseeded Gamma rsample is the standard gamma draw over
    the rate: a fixed function of the rate."""

    def gamma_rate(rate):
        ember.manual_seed(4)
        return Gamma(t([0.5, 2.0, 7.0]), rate).rsample((3,))

    assert ember.autograd.gradcheck(gamma_rate, (leaf([0.7, 1.5, 3.0]),))


def test_gamma_rsample_gradient_is_the_implicit_derivative():
    concentration = leaf([0.05, 0.6, 1.0, 4.5, 60.0, 2500.0])
    rate = 1.7
    sample = Gamma(concentration, rate).rsample((50,))
    sample.sum().backward()
    x = n(sample) * rate
    c = n(concentration)
    step = 1e-6 * c
    d_cdf = (special.gammainc(c + step, x) - special.gammainc(c - step, x)) / (2 * step)
    expected = (-d_cdf / stats.gamma.pdf(x, c) / rate).sum(0)
    np.testing.assert_allclose(n(concentration.grad), expected, rtol=1e-5)




def unbiased(per_sample, expected):
    """The mean of per-sample gradients (rows) is `expected` within 6 standard errors."""
    per_sample = n(per_sample)
    stderr = per_sample.std(0) / math.sqrt(per_sample.shape[0])
    assert (np.abs(per_sample.mean(0) - expected) <= 6 * stderr + 1e-12).all(), (
        f"{per_sample.mean(0)} vs {expected} (stderr {stderr})")




def test_reparameterised_gradients_are_unbiased():
    """E[d rsample / d theta] = d E[rsample] / d theta (the mean's closed-form gradient), with
    one parameter row per draw so that .grad holds the per-draw gradients."""
    ember.manual_seed(5)
    count = 20000
    concentration = leaf(np.tile([0.3, 2.0, 9.0], (count, 1)))
    Gamma(concentration, 2.0).rsample().sum().backward()
    unbiased(concentration.grad, np.full(3, 0.5))

    a, b = leaf(np.tile([0.5, 3.0], (count, 1))), leaf(np.tile([2.0, 1.0], (count, 1)))
    Beta(a, b).rsample().sum().backward()
    a_, b_ = np.array([0.5, 3.0]), np.array([2.0, 1.0])
    unbiased(a.grad, b_ / (a_ + b_) ** 2)
    unbiased(b.grad, -a_ / (a_ + b_) ** 2)

    alpha_ = np.array([0.7, 1.5, 4.0])
    alpha = leaf(np.tile(alpha_, (count, 1)))
    Dirichlet(alpha).rsample()[:, 0].sum().backward()
    total = alpha_.sum()
    expected = -alpha_[0] / total**2 * np.ones(3)
    expected[0] += 1 / total
    unbiased(alpha.grad, expected)




def test_sampling_ops_reject_bad_parameters():
    with pytest.raises(RuntimeError, match=r"\[_standard_gamma\] expects alpha finite and > 0"):
        ember._standard_gamma(t([1.0, -2.0]))
    with pytest.raises(RuntimeError, match=r"\[_standard_gamma\] expects a floating point"):
        ember._standard_gamma(ember.ones(2, dtype=ember.int64))
    with pytest.raises(RuntimeError, match=r"\[binomial\] expects prob in \[0, 1\]"):
        ember.binomial(t([3.0]), t([1.5]))
    with pytest.raises(RuntimeError, match=r"\[binomial\] expects count integral and >= 0"):
        ember.binomial(t([-1.0]), t([0.5]))
    with pytest.raises(RuntimeError, match=r"\[_sample_dirichlet\] expects alpha with at least"):
        ember._sample_dirichlet(t(1.0))
    with pytest.raises(RuntimeError, match=r"\[_standard_gamma_grad\]"):
        ember._standard_gamma_grad(t([1.0, 2.0]), t([1.0, 2.0, 3.0]))




def test_sampling_ops_follow_their_generator():
    for draw in (lambda g: ember._standard_gamma(ember.full((50,), 0.7), generator=g),
                 lambda g: ember.binomial(ember.full((50,), 9.0), ember.full((50,), 0.4),
                                          generator=g),
                 lambda g: ember._sample_dirichlet(ember.ones(5, 3), generator=g)):
        first = draw(ember.Generator().manual_seed(9))
        assert ember.equal(first, draw(ember.Generator().manual_seed(9)))
        assert not ember.equal(first, draw(ember.Generator().manual_seed(10)))
