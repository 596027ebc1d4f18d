"""biject_to / transform_to: each registered constraint maps unconstrained values into it, the
bijections invert and their log|det J| matches autograd's (StickBreakingTransform's triangular
Jacobian against the full Jacobian), and unregistered constraints raise. Also
OneHotCategoricalStraightThrough's straight-through gradient."""

import ember.distributions.constraint_registry
import numpy as np
import pytest

import ember
import ember.distributions as dists
from ember.distributions import constraints

CONSTRAINTS = [
    constraints.real,
    constraints.positive,
    constraints.nonnegative,
    constraints.greater_than(2.0),
    constraints.greater_than_eq(-1.0),
    constraints.less_than(3.0),
    constraints.unit_interval,
    constraints.interval(-2.0, 5.0),
    constraints.half_open_interval(0.0, 4.0),
    constraints.independent(constraints.positive, 1),
]


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=repr)
def test_elementwise_constraints_round_trip(constraint):
    ember.manual_seed(0)
    x = (ember.randn(4, 3, dtype=ember.float64) * 2).requires_grad_()
    for registry in (dists.biject_to, dists.transform_to):
        transform = registry(constraint)
        y = transform(x)
        assert constraint.check(y).all()
        assert ember.allclose(transform.inv(y), x, rtol=1e-7, atol=1e-7)
    transform = dists.biject_to(constraint)
    y = transform(x)
    (dy_dx,) = ember.autograd.grad(y.sum(), x)
    expected = dy_dx.abs().log()
    if constraint.event_dim:
        expected = expected.sum(-1)
    assert ember.allclose(transform.log_abs_det_jacobian(x, y), expected, rtol=1e-9, atol=1e-9)


def test_simplex_stick_breaking_and_softmax():
    ember.manual_seed(1)
    x = ember.randn(2, 3, dtype=ember.float64)
    stick = dists.biject_to(constraints.simplex)
    assert isinstance(stick, dists.StickBreakingTransform)
    y = stick(x)
    assert y.shape == (2, 4) and constraints.simplex.check(y).all()
    assert ember.allclose(stick.inv(y), x, rtol=1e-9, atol=1e-9)
    assert ember.allclose(stick(ember.zeros(3, dtype=ember.float64)),
                          ember.full((4,), 0.25, dtype=ember.float64))
    # log|det| of the map onto the first K-1 coordinates (the last one is determined).
    for row in range(2):
        point = x[row].clone()
        jacobian = np.stack([
            ember.autograd.grad(stick(point.requires_grad_())[i], point)[0].numpy()
            for i in range(3)
        ])
        expected = np.log(abs(np.linalg.det(jacobian)))
        assert np.isclose(stick.log_abs_det_jacobian(x[row], y[row]).item(), expected)
    assert stick.forward_shape((5, 3)) == (5, 4) and stick.inverse_shape((5, 4)) == (5, 3)
    softmax = dists.transform_to(constraints.simplex)
    assert constraints.simplex.check(softmax(x)).all()


def test_lower_cholesky():
    x = ember.randn(3, 3, dtype=ember.float64).tril()  # the upper part is dropped
    transform = dists.biject_to(constraints.lower_cholesky)
    y = transform(x)
    assert constraints.lower_cholesky.check(y).item()
    assert ember.allclose(transform.inv(y), x)


def test_registration_and_errors():
    with pytest.raises(NotImplementedError, match="Cannot transform _Boolean constraints"):
        dists.biject_to(constraints.boolean)
    with pytest.raises(TypeError, match="Expected constraint to be either a Constraint"):
        dists.biject_to.register(int, lambda c: None)
    registry = dists.constraint_registry.ConstraintRegistry()

    @registry.register(constraints.positive)
    def _to_positive(constraint):
        return dists.SoftplusTransform()

    assert isinstance(registry(constraints.positive), dists.SoftplusTransform)


def test_one_hot_categorical_straight_through():
    logits = ember.tensor([[0.1, 0.5, -0.3]], dtype=ember.float64).requires_grad_()
    dist = dists.OneHotCategoricalStraightThrough(logits=logits)
    ember.manual_seed(2)
    sample = dist.rsample((4,))
    assert sample.shape == (4, 1, 3) and ember.all(sample.detach().sum(-1) == 1)
    (sample * ember.tensor([1.0, 2.0, 3.0], dtype=ember.float64)).sum().backward()
    probs = dist.probs.detach()
    weights = ember.tensor([1.0, 2.0, 3.0], dtype=ember.float64)
    expected = 4 * probs * (weights - (probs * weights).sum(-1, keepdim=True))
    assert ember.allclose(logits.grad, expected)
