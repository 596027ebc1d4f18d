"""Gradients through ember.distributions: float64 gradcheck and gradgradcheck of rsample
(reparameterised draws, re-seeded on every call so that finite differences see the same noise)
and of log_prob, entropy, cdf and icdf, on contiguous, non-contiguous (transposed inside the
function) and broadcast parameters."""

import pytest

import ember
import ember.distributions as dists
from ember.autograd import gradcheck, gradgradcheck


def _positive(*shape):
    return (ember.rand(*shape, dtype=ember.float64) + 0.5).requires_grad_()


def _real(*shape):
    return ember.randn(*shape, dtype=ember.float64).requires_grad_()


def _uniform(low, width):
    return dists.Uniform(low, low + width)


def _tanh_affine(loc, scale):
    transforms = [dists.TanhTransform(), dists.AffineTransform(1.0, 2.0)]
    return dists.TransformedDistribution(dists.Normal(loc, scale), transforms)


def _affine_exp(loc, scale):
    return dists.TransformedDistribution(dists.Normal(loc, scale),
                                     [dists.AffineTransform(0.5, 1.5), dists.ExpTransform()])


REPARAMETERISED = {
    "Normal": (dists.Normal, [_real, _positive]),
    "LogNormal": (dists.LogNormal, [_real, _positive]),
    "Uniform": (_uniform, [_real, _positive]),
    "Laplace": (dists.Laplace, [_real, _positive]),
    "Exponential": (dists.Exponential, [_positive]),
    "TanhAffine": (_tanh_affine, [_real, _positive]),
    "AffineExp": (_affine_exp, [_real, _positive]),
}


def _inputs(kinds, layout):
    ember.manual_seed(3)
    if layout == "contiguous":
        return [kind(3, 4) for kind in kinds], lambda x: x
    if layout == "non_contiguous":
        return [kind(4, 3) for kind in kinds], lambda x: x.t()
    shapes = [(3, 1), (4,)]
    return [kind(*shape) for kind, shape in zip(kinds, shapes)], lambda x: x


@pytest.mark.parametrize("layout", ["contiguous", "non_contiguous", "broadcast"])
@pytest.mark.parametrize("name", list(REPARAMETERISED))
def test_rsample_gradients(name, layout):
    make, kinds = REPARAMETERISED[name]
    inputs, view = _inputs(kinds, layout)

    def draw(*params):
        ember.manual_seed(5)
        return make(*[view(p) for p in params]).rsample((2,))

    assert gradcheck(draw, tuple(inputs))
    assert gradgradcheck(draw, tuple(inputs))


@pytest.mark.parametrize("layout", ["contiguous", "non_contiguous", "broadcast"])
@pytest.mark.parametrize("name", list(REPARAMETERISED))
def test_log_prob_gradients(name, layout):
    make, kinds = REPARAMETERISED[name]
    inputs, view = _inputs(kinds, layout)
    with ember.no_grad():
        ember.manual_seed(6)
        value = make(*[view(p) for p in inputs]).sample()
    value.requires_grad_()

    def log_prob(value, *params):
        dist = make(*[view(p) for p in params])
        return dist.log_prob(value)

    # Uniform's density is flat in the value and steps at its bounds: its parameters only.
    args = (value.detach(), *inputs) if name == "Uniform" else (value, *inputs)
    assert gradcheck(log_prob, args)
    assert gradgradcheck(log_prob, args)


@pytest.mark.parametrize("layout", ["contiguous", "non_contiguous", "broadcast"])
def test_normal_entropy_cdf_icdf_gradients(layout):
    inputs, view = _inputs([_real, _positive], layout)
    value = ember.randn(3, 4, dtype=ember.float64).requires_grad_()
    probability = (ember.rand(3, 4, dtype=ember.float64) * 0.8 + 0.1).requires_grad_()

    def values(value, probability, loc, scale):
        dist = dists.Normal(view(loc), view(scale))
        return dist.entropy(), dist.cdf(value), dist.icdf(probability)

    assert gradcheck(values, (value, probability, *inputs))
    assert gradgradcheck(values, (value, probability, *inputs))


@pytest.mark.parametrize("parameter", ["probs", "logits"])
def test_bernoulli_and_categorical_log_prob_and_entropy_gradients(parameter):
    ember.manual_seed(7)
    raw = ember.rand(3, 4, dtype=ember.float64) * 0.8 + 0.1
    values = (ember.rand(3, 4) < 0.5).to(ember.float64)
    categories = ember.randint(0, 4, (3,))
    param = (raw if parameter == "probs" else ember.logit(raw)).requires_grad_()

    def bernoulli(p):
        dist = dists.Bernoulli(**{parameter: p}, validate_args=False)
        return dist.log_prob(values), dist.entropy()

    def categorical(p):
        dist = dists.Categorical(**{parameter: p}, validate_args=False)
        return dist.log_prob(categories), dist.entropy()

    for fn in (bernoulli, categorical):
        assert gradcheck(fn, (param,))
        assert gradgradcheck(fn, (param,))
