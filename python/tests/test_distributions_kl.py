"""kl_divergence: every registered pair against a Monte-Carlo estimate E_p[log p(x) - log q(x)]
(seeded; within 6 standard errors of the estimate, plus 1e-3 for the float64 noise of the
estimate itself) and against closed forms; the registry's dispatch on the most specific pair,
its ambiguity warning and the error for a pair without an implementation."""

import math

import numpy as np
import pytest

import ember
import ember.distributions as dists


def _t(*values):
    return ember.tensor(list(values), dtype=ember.float64)


PAIRS = {
    "normal": (dists.Normal(_t(0.0, 1.0), _t(1.0, 0.5)), dists.Normal(_t(0.5, -1.0), _t(2.0, 1.5))),
    "bernoulli": (dists.Bernoulli(_t(0.2, 0.9)), dists.Bernoulli(_t(0.5, 0.3))),
    "categorical": (dists.Categorical(ember.tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]],
                                               dtype=ember.float64)),
                    dists.Categorical(ember.tensor([[0.3, 0.3, 0.4], [0.2, 0.2, 0.6]],
                                               dtype=ember.float64))),
    "one_hot": (
        dists.OneHotCategorical(_t(0.2, 0.3, 0.5)),
        dists.OneHotCategorical(_t(0.4, 0.4, 0.2)),
    ),
    "uniform": (
        dists.Uniform(_t(0.0, -1.0), _t(1.0, 0.5)),
        dists.Uniform(_t(-0.5, -2.0), _t(2.0, 1.0)),
    ),
    "exponential": (dists.Exponential(_t(1.0, 3.0)), dists.Exponential(_t(2.0, 0.5))),
    "laplace": (
        dists.Laplace(_t(0.0, 1.0), _t(1.0, 0.5)),
        dists.Laplace(_t(0.5, -1.0), _t(2.0, 1.5)),
    ),
    "uniform_normal": (
        dists.Uniform(_t(0.0, -1.0), _t(1.0, 0.5)),
        dists.Normal(_t(0.5, 0.0), _t(1.0, 2.0)),
    ),
    "exponential_normal": (
        dists.Exponential(_t(1.0, 3.0)),
        dists.Normal(_t(0.5, 0.0), _t(1.0, 2.0)),
    ),
    "independent": (dists.Independent(dists.Normal(_t(0.0, 1.0), _t(1.0, 0.5)), 1),
                    dists.Independent(dists.Normal(_t(0.5, -1.0), _t(2.0, 1.5)), 1)),
    "lognormal": (
        dists.LogNormal(_t(0.0, 1.0), _t(1.0, 0.5)),
        dists.LogNormal(_t(0.5, -1.0), _t(2.0, 1.5)),
    ),
    "transformed": (
        dists.TransformedDistribution(dists.Normal(_t(0.0), _t(1.0)),
                                  [dists.TanhTransform(), dists.AffineTransform(1.0, 2.0)]),
        dists.TransformedDistribution(dists.Normal(_t(0.3), _t(0.7)),
                                  [dists.TanhTransform(), dists.AffineTransform(1.0, 2.0)]),
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_kl_matches_monte_carlo(name):
    p, q = PAIRS[name]
    ember.manual_seed(0)
    n = 200000
    x = p.sample((n,))
    if name == "transformed":  # keep the draws off tanh's +-1, where the inverse is infinite
        x = x.clamp(-1.0 + 1e-6, 3.0 - 1e-6)
    samples = (p.log_prob(x) - q.log_prob(x)).numpy()
    estimate = samples.mean(0)
    tolerance = 6 * samples.std(0) / math.sqrt(n) + 1e-3
    kl = dists.kl_divergence(p, q).numpy()
    assert kl.shape == estimate.shape
    np.testing.assert_array_less(np.abs(kl - estimate), tolerance)


def test_kl_closed_forms_and_infinities():
    kl = dists.kl_divergence(dists.Normal(0.0, 1.0), dists.Normal(1.0, 2.0)).item()
    assert math.isclose(kl, math.log(2.0) + (1 + 1) / 8 - 0.5, rel_tol=1e-6)
    assert dists.kl_divergence(dists.Normal(0.0, 1.0), dists.Normal(0.0, 1.0)).item() == 0.0
    # q lacks mass where p has it: infinite; p lacks mass where q has it: finite.
    assert dists.kl_divergence(dists.Uniform(0.0, 2.0), dists.Uniform(0.0, 1.0)).item() == math.inf
    assert math.isclose(
        dists.kl_divergence(dists.Uniform(0.0, 1.0), dists.Uniform(0.0, 2.0)).item(), math.log(2.0),
        rel_tol=1e-6)
    zero_p = dists.Categorical(_t(0.0, 1.0))
    assert dists.kl_divergence(zero_p, dists.Categorical(_t(0.5, 0.5))).item() == pytest.approx(
        math.log(2.0))
    assert dists.kl_divergence(dists.Categorical(_t(0.5, 0.5)), zero_p).item() == math.inf
    kl = dists.kl_divergence(dists.Bernoulli(_t(0.0)), dists.Bernoulli(_t(0.5)))
    assert kl.item() == pytest.approx(math.log(2.0))


def test_kl_is_differentiable():
    loc = _t(0.3).requires_grad_()
    dists.kl_divergence(dists.Normal(loc, 1.0), dists.Normal(0.0, 1.0)).sum().backward()
    assert math.isclose(loc.grad.item(), 0.3, rel_tol=1e-12)  # d(loc^2 / 2)/dloc


def test_expfamily_bregman_fallback_matches_closed_form():
    from ember.distributions.kl import _kl_expfamily_expfamily

    p, q = PAIRS["exponential"]
    np.testing.assert_allclose(_kl_expfamily_expfamily(p, q).detach().numpy(),
                               dists.kl_divergence(p, q).numpy(), rtol=1e-10)
    p, q = PAIRS["normal"]
    np.testing.assert_allclose(_kl_expfamily_expfamily(p, q).detach().numpy(),
                               dists.kl_divergence(p, q).numpy(), rtol=1e-10)


def test_unregistered_pairs_raise():
    with pytest.raises(NotImplementedError,
                       match="No KL\\(p \\|\\| q\\) is implemented for p type Laplace and q type "
                             "Bernoulli"):
        dists.kl_divergence(dists.Laplace(0.0, 1.0), dists.Bernoulli(0.5))
    with pytest.raises(NotImplementedError, match="different reinterpreted_batch_ndims"):
        dists.kl_divergence(dists.Independent(dists.Normal(ember.zeros(2, 2), 1.0), 1),
                        dists.Independent(dists.Normal(ember.zeros(2, 2), 1.0), 2))
    with pytest.raises(TypeError, match="subclasses of Distribution"):
        dists.register_kl(int, dists.Normal)


def test_registry_dispatches_on_the_most_specific_pair_and_warns_on_ambiguity():
    class MyNormal(dists.Normal):
        pass

    class MyOtherNormal(dists.Normal):
        pass

    p, q = MyNormal(0.0, 1.0), MyOtherNormal(1.0, 1.0)
    generic = dists.kl_divergence(p, q)  # falls back on (Normal, Normal)
    assert math.isclose(generic.item(), 0.5, rel_tol=1e-6)

    @dists.register_kl(MyNormal, dists.Normal)
    def _left(p, q):
        return ember.tensor(1.0)

    assert dists.kl_divergence(p, q).item() == 1.0

    @dists.register_kl(dists.Normal, MyOtherNormal)
    def _right(p, q):
        return ember.tensor(2.0)

    with pytest.warns(RuntimeWarning, match="Ambiguous kl_divergence\\(MyNormal, MyOtherNormal\\)"):
        assert dists.kl_divergence(p, q).item() == 1.0

    @dists.register_kl(MyNormal, MyOtherNormal)
    def _exact(p, q):
        return ember.tensor(3.0)

    assert dists.kl_divergence(p, q).item() == 3.0
