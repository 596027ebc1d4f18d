"""ember.distributions.transforms and TransformedDistribution: inverses, log|det J| against
autograd's derivative, the inverse's negated Jacobian, caching, composition, equality and shapes,
and the change-of-variables density against hand-derived formulas and scipy.stats."""

import math

import numpy as np
import pytest
from scipy import stats

import ember
import ember.distributions as dists
from ember.distributions import constraints


def _x(low=-2.0, high=2.0):
    ember.manual_seed(0)
    return (ember.rand(5, dtype=ember.float64) * (high - low) + low).requires_grad_()


ELEMENTWISE = {
    "exp": (dists.ExpTransform(), _x),
    "sigmoid": (dists.SigmoidTransform(), _x),
    "tanh": (dists.TanhTransform(), _x),
    "softplus": (dists.SoftplusTransform(), _x),
    "affine": (dists.AffineTransform(0.5, -2.0), _x),
    "affine_tensor": (dists.AffineTransform(ember.tensor(0.5, dtype=ember.float64),
                                            ember.linspace(-2, 2, 5, dtype=ember.float64) + 0.1),
                      _x),
    "power": (dists.PowerTransform(ember.tensor(2.5, dtype=ember.float64)),
              lambda: _x(0.5, 2.0)),
    "compose": (dists.ComposeTransform([dists.AffineTransform(0.1, 0.5), dists.TanhTransform(),
                                        dists.AffineTransform(1.0, 3.0)]), _x),
}


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_inverse_and_log_abs_det_jacobian(name):
    transform, make_x = ELEMENTWISE[name]
    x = make_x()
    y = transform(x)
    assert ember.allclose(transform.inv(y), x, rtol=1e-9, atol=1e-9)
    (dy_dx,) = ember.autograd.grad(y.sum(), x)
    ladj = transform.log_abs_det_jacobian(x, y)
    assert ember.allclose(ladj, dy_dx.abs().log(), rtol=1e-9, atol=1e-9)
    assert ember.allclose(transform.inv.log_abs_det_jacobian(y, x), -ladj)
    assert transform.inv.inv is transform
    assert transform.bijective
    assert constraints.real.check(x).all() or name == "power"
    assert transform.codomain.check(y).all()


def test_sign_and_monotone_cdf():
    assert dists.ExpTransform().sign == 1 and dists.AffineTransform(0.0, -2.0).sign == -1
    assert dists.ComposeTransform([dists.AffineTransform(0.0, -1.0),
                                   dists.AffineTransform(0.0, -3.0)]).sign == 1
    flipped = dists.TransformedDistribution(dists.Normal(0.0, 1.0),
                                            dists.AffineTransform(1.0, -2.0))
    value = ember.tensor([0.0, 1.0, 3.0])
    expected = stats.norm(1.0, 2.0).cdf(value.numpy())
    np.testing.assert_allclose(flipped.cdf(value).numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(flipped.icdf(ember.tensor(expected)).numpy(), value.numpy(),
                               rtol=1e-5, atol=1e-5)


def test_cache_returns_the_original_input():
    transform = dists.TanhTransform().with_cache(1)
    x = ember.tensor([30.0], dtype=ember.float64)  # tanh(30) rounds to 1: atanh would be inf
    y = transform(x)
    assert transform.inv(y) is x
    assert dists.TanhTransform().with_cache(0) is not None
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        dists.ExpTransform(cache_size=2)


def test_equality_and_repr():
    assert dists.ExpTransform() == dists.ExpTransform()
    assert dists.ExpTransform() != dists.SigmoidTransform()
    assert dists.AffineTransform(1.0, 2.0) == dists.AffineTransform(1.0, 2.0)
    assert dists.AffineTransform(1.0, 2.0) != dists.AffineTransform(1.0, 3.0)
    assert dists.ComposeTransform([dists.ExpTransform()]) == dists.ComposeTransform(
        [dists.ExpTransform()])
    assert dists.ExpTransform().inv == dists.ExpTransform().inv
    assert repr(dists.ExpTransform()) == "ExpTransform()"
    assert repr(dists.ExpTransform().inv) == "_InverseTransform(ExpTransform())"
    identity = dists.transforms.identity_transform
    x = ember.tensor([1.0, 2.0])
    assert identity(x) is x and (identity.log_abs_det_jacobian(x, x) == 0).all()


def test_shape_transforms():
    reshape = dists.ReshapeTransform((2, 3), (6,))
    x = ember.arange(12.0).reshape(2, 2, 3)
    y = reshape(x)
    assert y.shape == (2, 6) and ember.equal(reshape.inv(y), x)
    assert reshape.log_abs_det_jacobian(x, y).shape == (2,)
    assert reshape.forward_shape((4, 2, 3)) == (4, 6)
    with pytest.raises(ValueError, match="different numbers of elements"):
        dists.ReshapeTransform((2, 3), (5,))
    softmax = dists.SoftmaxTransform()
    probs = softmax(ember.tensor([[0.0, 1.0, 2.0]]))
    assert ember.allclose(probs.sum(-1), ember.tensor([1.0]))
    assert constraints.simplex.check(probs).all()
    event_affine = dists.AffineTransform(0.0, ember.tensor([1.0, 2.0, 4.0]), event_dim=1)
    ladj = event_affine.log_abs_det_jacobian(ember.zeros(5, 3), ember.zeros(5, 3))
    assert ladj.shape == (5,) and ember.allclose(ladj, ember.full((5,), math.log(8.0)))
    independent = dists.IndependentTransform(dists.ExpTransform(), 1)
    z = ember.zeros(4, 3)
    assert independent.log_abs_det_jacobian(z, independent(z)).shape == (4,)
    assert independent.domain.event_dim == 1


def test_transformed_distribution_densities():
    affine = dists.TransformedDistribution(dists.Normal(0.0, 1.0),
                                           dists.AffineTransform(1.0, 2.0))
    value = ember.tensor([-1.0, 0.5, 4.0], dtype=ember.float64)
    np.testing.assert_allclose(affine.log_prob(value).numpy(),
                               stats.norm(1.0, 2.0).logpdf(value.numpy()), rtol=1e-6)
    # y = 1 + 2 tanh(x), x ~ N(0.3, 0.7): log p(y) = log N(x) - log 2 - log(1 - tanh(x)^2).
    squashed = dists.TransformedDistribution(
        dists.Normal(ember.tensor(0.3, dtype=ember.float64), 0.7),
        [dists.TanhTransform(), dists.AffineTransform(1.0, 2.0)],
    )
    x = np.array([-1.0, 0.2, 0.9])
    y = ember.tensor(1.0 + 2.0 * np.tanh(x))
    expected = stats.norm(0.3, 0.7).logpdf(x) - math.log(2.0) - np.log1p(-np.tanh(x) ** 2)
    np.testing.assert_allclose(squashed.log_prob(y).numpy(), expected, rtol=1e-9)
    assert repr(squashed.support) == "Real()"  # the last transform's codomain
    ember.manual_seed(1)
    draws = squashed.sample((1000,))
    assert draws.shape == (1000,) and ((draws > -1) & (draws < 3)).all()


def test_transformed_distribution_event_shapes():
    base = dists.Normal(ember.zeros(4, 3), 1.0)
    event = dists.TransformedDistribution(base, dists.AffineTransform(0.0, 2.0, event_dim=1))
    assert event.batch_shape == (4,) and event.event_shape == (3,)
    value = ember.randn(4, 3)
    expected = base.log_prob(value / 2).sum(-1) - 3 * math.log(2.0)
    assert ember.allclose(event.log_prob(value), expected, atol=1e-6)
    assert event.expand((2, 4)).batch_shape == (2, 4)
    with pytest.raises(ValueError, match="transforms must be a Transform or"):
        dists.TransformedDistribution(base, "exp")
    log_normal = dists.LogNormal(ember.tensor([0.0, 1.0]), 1.0)
    assert log_normal.expand((3, 2)).batch_shape == (3, 2)
    assert isinstance(log_normal.expand((3, 2)), dists.LogNormal)
