"""ember.distributions' argument and sample validation: PyTorch's ValueError messages for
parameters outside their constraints and values outside the support or of the wrong shape,
validate_args=False and Distribution.set_default_validate_args, and the constraints themselves."""

import math

import pytest

import ember
import ember.distributions as dists
from ember.distributions import constraints


@pytest.fixture(autouse=True)
def _validation_on():
    yield
    dists.Distribution.set_default_validate_args(True)


@pytest.mark.parametrize(
    "make, param, constraint",
    [
        (lambda: dists.Normal(0.0, ember.tensor([1.0, -1.0])), "scale",
         "GreaterThan(lower_bound=0.0)"),
        (lambda: dists.Normal(ember.tensor([float("nan")]), 1.0), "loc", "Real()"),
        (lambda: dists.Bernoulli(ember.tensor([1.5])), "probs",
         "Interval(lower_bound=0.0, upper_bound=1.0)"),
        (lambda: dists.Categorical(ember.tensor([0.5, -0.1])), "probs", "Simplex()"),
        (lambda: dists.Exponential(ember.tensor([0.0])), "rate", "GreaterThan(lower_bound=0.0)"),
        (lambda: dists.Laplace(0.0, -2.0), "scale", "GreaterThan(lower_bound=0.0)"),
        (lambda: dists.LogNormal(0.0, -2.0), "scale", "GreaterThan(lower_bound=0.0)"),
    ],
)
def test_invalid_parameters_raise_pytorchs_value_error(make, param, constraint):
    with pytest.raises(ValueError) as error:
        make()
    message = str(error.value)
    assert message.startswith(f"Expected parameter {param} (Tensor of shape ")
    assert f"to satisfy the constraint {constraint}, but found invalid values:" in message


def test_uniform_and_parameter_choice_errors():
    with pytest.raises(ValueError, match="Uniform is not defined when low>= high"):
        dists.Uniform(1.0, 0.0)
    for cls in (dists.Bernoulli, dists.Categorical, dists.OneHotCategorical):
        with pytest.raises(ValueError, match="Either `probs` or `logits` must be specified"):
            cls()
        with pytest.raises(ValueError, match="Either `probs` or `logits` must be specified"):
            cls(ember.tensor([0.5, 0.5]), ember.tensor([0.0, 0.0]))
    with pytest.raises(ValueError, match="`probs` parameter must be at least one-dimensional"):
        dists.Categorical(ember.tensor(1.0))
    with pytest.raises(ValueError, match="Expected reinterpreted_batch_ndims <= len"):
        dists.Independent(dists.Normal(ember.zeros(2), 1.0), 2)


def test_values_outside_the_support_raise():
    with pytest.raises(ValueError) as error:
        dists.Exponential(ember.tensor([1.0])).log_prob(ember.tensor([-1.0]))
    assert "Expected value argument (Tensor of shape (1,)) to be within the support " in str(
        error.value
    )
    assert "(GreaterThanEq(lower_bound=0.0)) of the distribution Exponential(rate: " in str(
        error.value
    )
    with pytest.raises(ValueError, match="to be within the support \\(Boolean\\(\\)\\)"):
        dists.Bernoulli(0.5).log_prob(ember.tensor(0.5))
    with pytest.raises(ValueError, match="IntegerInterval\\(lower_bound=0, upper_bound=1\\)"):
        dists.Categorical(ember.tensor([0.5, 0.5])).log_prob(ember.tensor(2))
    with pytest.raises(ValueError, match="Interval\\(lower_bound="):
        dists.Uniform(0.0, 1.0).log_prob(ember.tensor(2.0))


def test_value_type_and_shape_errors():
    dist = dists.Normal(ember.zeros(3), 1.0)
    with pytest.raises(ValueError, match="The value argument to log_prob must be a Tensor"):
        dist.log_prob(0.5)
    with pytest.raises(ValueError, match="Value is not broadcastable with batch_shape"):
        dist.log_prob(ember.zeros(2))
    one_hot = dists.OneHotCategorical(ember.tensor([0.5, 0.5]))
    with pytest.raises(ValueError, match="The right-most size of value must match event_shape"):
        one_hot.log_prob(ember.tensor([1.0, 0.0, 0.0]))


def test_validation_can_be_turned_off():
    assert dists.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
    dists.Distribution.set_default_validate_args(False)
    dist = dists.Exponential(ember.tensor([1.0]))
    assert dist.log_prob(ember.tensor([-1.0])).item() == 1.0  # no support check
    dists.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        dists.Exponential(ember.tensor([1.0])).log_prob(ember.tensor([-1.0]))
    with pytest.raises(ValueError, match="set_default_validate_args expects True or False"):
        dists.Distribution.set_default_validate_args(1.5)


def test_missing_methods_raise_not_implemented():
    class Bare(dists.Distribution):
        arg_constraints = {}  # noqa: RUF012 (PyTorch's class-level dict)

    bare = Bare()
    for name in ("mean", "mode", "variance"):
        with pytest.raises(NotImplementedError, match=f"does not implement {name}"):
            getattr(bare, name)
    with pytest.raises(NotImplementedError, match="does not implement rsample"):
        bare.sample()
    with pytest.raises(NotImplementedError):
        dists.Independent(dists.Bernoulli(ember.tensor([0.5, 0.5])), 1).enumerate_support()


def test_constraints_check_and_repr():
    x = ember.tensor([-1.0, 0.0, 0.5, 1.0, 2.0])
    assert constraints.real.check(x).all()
    assert constraints.positive.check(x).tolist() == [False, False, True, True, True]
    assert constraints.nonnegative.check(x).tolist() == [False, True, True, True, True]
    assert constraints.unit_interval.check(x).tolist() == [False, True, True, True, False]
    assert constraints.half_open_interval(0.0, 1.0).check(x).tolist() == [
        False, True, True, False, False]
    assert constraints.boolean.check(x).tolist() == [False, True, False, True, False]
    assert constraints.nonnegative_integer.check(x).tolist() == [False, True, False, True, True]
    assert constraints.integer_interval(0, 1).check(x).tolist() == [
        False, True, False, True, False]
    assert constraints.greater_than(0.5).check(x).tolist() == [False, False, False, True, True]
    assert constraints.less_than(0.5).check(x).tolist() == [True, True, False, False, False]
    assert constraints.simplex.check(ember.tensor([[0.2, 0.8], [0.5, 0.6]])).tolist() == [
        True, False]
    assert constraints.one_hot.check(ember.tensor([[0.0, 1.0], [1.0, 1.0]])).tolist() == [
        True, False]
    vectors = constraints.independent(constraints.positive, 1)
    assert vectors.event_dim == 1
    assert vectors.check(ember.tensor([[1.0, 2.0], [1.0, -2.0]])).tolist() == [True, False]
    assert repr(vectors) == "IndependentConstraint(GreaterThan(lower_bound=0.0), 1)"
    assert repr(constraints.real_vector) == "IndependentConstraint(Real(), 1)"
    matrix = ember.tensor([[2.0, 0.0], [1.0, 3.0]])
    assert constraints.lower_cholesky.check(matrix).item()
    assert constraints.positive_definite.check(matrix @ matrix.t()).item()
    assert not constraints.symmetric.check(matrix).item()
    assert constraints.is_dependent(constraints.dependent)
    with pytest.raises(ValueError, match="Cannot determine validity of dependent constraint"):
        constraints.dependent.check(x)
    concatenated = constraints.cat([constraints.positive, constraints.real], 0, [2, 3])
    assert concatenated.check(x).tolist() == [
        False, False, True, True, True]
    stacked = constraints.stack([constraints.positive, constraints.real], 0)
    assert stacked.check(ember.tensor([[-1.0, 1.0], [-1.0, 1.0]])).tolist() == [
        [False, True], [True, True]]


def test_numbers_are_values_when_validation_is_off():
    normal = dists.Normal(0.0, 1.0, validate_args=False)
    assert normal.log_prob(0.5).item() == pytest.approx(-0.5 * 0.25 - 0.5 * math.log(2 * math.pi))
    assert normal.cdf(0.0).item() == pytest.approx(0.5)
    assert dists.Bernoulli(0.3, validate_args=False).log_prob(1.0).item() == pytest.approx(
        math.log(0.3))
    categorical = dists.Categorical(ember.tensor([0.25, 0.75]), validate_args=False)
    assert categorical.log_prob(1).item() == pytest.approx(math.log(0.75))
