"""ember.distributions' values against scipy.stats on contiguous, non-contiguous, broadcast and
empty batch shapes (log_prob, entropy, mean, variance, cdf, icdf), sample shapes and moments of
seeded draws, manual_seed reproducibility, expand and enumerate_support.

Moment tolerances: the mean of n draws is within 6 standard errors (sigma / sqrt(n)) of the true
mean, a bound a correct sampler misses with probability about 2e-9 per check; the draws are also
seeded, so the tests are deterministic."""

import math

import numpy as np
import pytest
from scipy import stats

import ember
import ember.distributions as dists

RNG = np.random.default_rng(0)
LAYOUTS = ["contiguous", "non_contiguous", "broadcast", "empty"]


def _real(shape):
    return RNG.normal(size=shape)


def _positive(shape):
    return RNG.uniform(0.5, 2.0, size=shape)


def _params(kinds, layout):
    """numpy parameters and the matching ember tensors (float64) in `layout`."""
    if layout == "contiguous":
        arrays = [kind((3, 4)) for kind in kinds]
        return arrays, [ember.tensor(a) for a in arrays]
    if layout == "non_contiguous":
        arrays = [kind((4, 3)) for kind in kinds]
        tensors = [ember.tensor(a).t() for a in arrays]
        assert not tensors[0].is_contiguous()
        return [a.T for a in arrays], tensors
    if layout == "broadcast" and len(kinds) == 1:  # a stride-0 parameter
        array = kinds[0]((4,))
        return [np.broadcast_to(array, (3, 4))], [ember.tensor(array).expand(3, 4)]
    if layout == "broadcast":
        shapes = [(3, 1), (4,)] + [(3, 4)] * (len(kinds) - 2)
        arrays = [kind(shape) for kind, shape in zip(kinds, shapes)]
        return arrays, [ember.tensor(a) for a in arrays]
    arrays = [kind((0, 4)) for kind in kinds]
    return arrays, [ember.tensor(a) for a in arrays]


def _np(x):
    return x.detach().numpy()


def _close(actual, expected, rtol=1e-9, atol=1e-12):
    np.testing.assert_allclose(_np(actual), np.broadcast_to(expected, tuple(actual.shape)),
                               rtol=rtol, atol=atol)


# name -> (ember class, parameter kinds, scipy frozen distribution from numpy parameters,
#          a value in the support from numpy parameters broadcast, has cdf/icdf)
CONTINUOUS = {
    "Normal": (dists.Normal, [_real, _positive], lambda loc, s: stats.norm(loc, s),
               lambda loc, s: loc + s * RNG.normal(size=loc.shape)),
    "LogNormal": (dists.LogNormal, [_real, _positive],
                  lambda loc, s: stats.lognorm(s=s, scale=np.exp(loc)),
                  lambda loc, s: np.exp(loc + s * RNG.normal(size=loc.shape))),
    "Uniform": (dists.Uniform, [_real, _positive],
                lambda low, width: stats.uniform(low, width),
                lambda low, width: low + width * RNG.uniform(0.05, 0.95, size=low.shape)),
    "Exponential": (dists.Exponential, [_positive], lambda rate: stats.expon(scale=1 / rate),
                    lambda rate: RNG.exponential(size=rate.shape) / rate),
    "Laplace": (dists.Laplace, [_real, _positive], lambda loc, s: stats.laplace(loc, s),
                lambda loc, s: loc + s * RNG.laplace(size=loc.shape)),
}


def _make(name, tensors):
    cls = CONTINUOUS[name][0]
    if name == "Uniform":  # parameters are (low, width) so that low < high in every layout
        return cls(tensors[0], tensors[0] + tensors[1])
    return cls(*tensors)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(CONTINUOUS))
def test_continuous_values_match_scipy(name, layout):
    _, kinds, frozen, draw = CONTINUOUS[name]
    arrays, tensors = _params(kinds, layout)
    dist = _make(name, tensors)
    shape = np.broadcast_shapes(*[a.shape for a in arrays])
    assert tuple(dist.batch_shape) == shape
    arrays = [np.broadcast_to(a, shape) for a in arrays]
    reference = frozen(*arrays)
    value = draw(*arrays)
    _close(dist.log_prob(ember.tensor(value)), reference.logpdf(value))
    _close(dist.entropy(), reference.entropy())
    _close(dist.mean, reference.mean())
    _close(dist.variance, reference.var())
    _close(dist.stddev, reference.std())
    _close(dist.cdf(ember.tensor(value)), reference.cdf(value))
    probability = RNG.uniform(0.05, 0.95, size=shape)
    _close(dist.icdf(ember.tensor(probability)), reference.ppf(probability), rtol=1e-7)


@pytest.mark.parametrize("name", list(CONTINUOUS))
def test_continuous_samples_shapes_moments_and_seeds(name):
    _, kinds, frozen, _ = CONTINUOUS[name]
    arrays, tensors = _params(kinds, "broadcast")
    dist = _make(name, tensors)
    assert dist.sample().shape == dist.batch_shape
    assert dist.sample((2, 5)).shape == (2, 5) + tuple(dist.batch_shape)
    assert dist.rsample((0,)).shape == (0,) + tuple(dist.batch_shape)
    n = 20000
    ember.manual_seed(11)
    draws = dist.sample((n,))
    ember.manual_seed(11)
    assert ember.equal(draws, dist.sample((n,)))
    shape = tuple(dist.batch_shape)
    reference = frozen(*[np.broadcast_to(a, shape) for a in arrays])
    error = np.abs(_np(draws).mean(0) - reference.mean())
    assert np.all(error < 6 * reference.std() / math.sqrt(n))
    assert ember.all(dist.support.check(draws))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_bernoulli_matches_scipy_from_probs_and_logits(layout):
    arrays, tensors = _params([lambda s: RNG.uniform(0.05, 0.95, size=s)], layout)
    p = arrays[0]
    value = (RNG.uniform(size=p.shape) < 0.5).astype(np.float64)
    logits = ember.logit(tensors[0])
    for dist in (dists.Bernoulli(probs=tensors[0]), dists.Bernoulli(logits=logits)):
        reference = stats.bernoulli(p)
        _close(dist.log_prob(ember.tensor(value)), reference.logpmf(value), rtol=1e-8)
        # scipy's bernoulli.entropy cannot take an empty batch: its formula, by hand.
        _close(dist.entropy(), -(p * np.log(p) + (1 - p) * np.log1p(-p)), rtol=1e-8)
        _close(dist.mean, p, rtol=1e-8)
        _close(dist.variance, p * (1 - p), rtol=1e-8)


def test_bernoulli_samples_mode_and_support():
    dist = dists.Bernoulli(ember.tensor([0.1, 0.5, 0.8], dtype=ember.float64))
    ember.manual_seed(2)
    draws = dist.sample((20000,))
    assert draws.shape == (20000, 3) and draws.dtype == ember.float64
    p = np.array([0.1, 0.5, 0.8])
    assert np.all(np.abs(_np(draws).mean(0) - p) < 6 * np.sqrt(p * (1 - p) / 20000))
    mode = _np(dist.mode)
    assert mode[0] == 0 and np.isnan(mode[1]) and mode[2] == 1
    assert dist.enumerate_support().shape == (2, 3)
    assert dist.enumerate_support(expand=False).shape == (2, 1)
    assert dists.Bernoulli(0.3).batch_shape == ()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_categorical_matches_scipy(layout):
    arrays, tensors = _params([_positive], layout)
    weights = arrays[0]
    probs = weights / weights.sum(-1, keepdims=True)
    value = RNG.integers(0, 4, size=weights.shape[:-1])
    for dist in (dists.Categorical(probs=tensors[0]), dists.Categorical(logits=tensors[0].log())):
        assert tuple(dist.batch_shape) == weights.shape[:-1]
        expected = np.take_along_axis(np.log(probs), value[..., None], -1)[..., 0]
        _close(dist.log_prob(ember.tensor(value)), expected)
        _close(dist.entropy(), stats.entropy(probs, axis=-1))
        _close(dist.probs, probs)
        assert ember.isnan(dist.mean).all() and dist.mean.shape == dist.batch_shape
        assert ember.equal(dist.mode, ember.tensor(probs.argmax(-1)))


def test_categorical_log_prob_broadcasts_values_against_the_batch():
    dist = dists.Categorical(probs=ember.tensor([[0.2, 0.8], [0.6, 0.4]], dtype=ember.float64))
    values = ember.tensor([[0], [1], [0]])  # (3, 1) against batch (2,)
    expected = np.log([[0.2, 0.6], [0.8, 0.4], [0.2, 0.6]])
    _close(dist.log_prob(values), expected)
    _close(dist.log_prob(dist.enumerate_support()), np.log([[0.2, 0.6], [0.8, 0.4]]))


def test_categorical_samples_and_zero_probabilities():
    probs = ember.tensor([0.1, 0.0, 0.6, 0.3], dtype=ember.float64)
    dist = dists.Categorical(probs)
    ember.manual_seed(4)
    draws = dist.sample((20000,))
    assert draws.dtype == ember.int64 and draws.shape == (20000,)
    counts = np.bincount(_np(draws), minlength=4) / 20000
    p = _np(probs)
    assert counts[1] == 0
    assert np.all(np.abs(counts - p) <= 6 * np.sqrt(p * (1 - p) / 20000))
    assert math.isclose(dist.entropy().item(), stats.entropy(p), rel_tol=1e-12)
    assert dists.Categorical(probs.expand(2, 3, 4)).sample((5,)).shape == (5, 2, 3)


def test_one_hot_categorical():
    probs = ember.tensor([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]], dtype=ember.float64)
    dist = dists.OneHotCategorical(probs)
    assert dist.batch_shape == (2,) and dist.event_shape == (3,)
    ember.manual_seed(1)
    draws = dist.sample((7,))
    assert draws.shape == (7, 2, 3) and ember.all(draws.sum(-1) == 1)
    value = ember.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], dtype=ember.float64)
    _close(dist.log_prob(value), np.log([0.5, 0.7]))
    _close(dist.entropy(), stats.entropy(_np(probs), axis=-1))
    assert dist.enumerate_support().shape == (3, 2, 3)
    _close(dist.mode, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])


def test_expand_shares_parameters_and_keeps_values():
    dist = dists.Normal(ember.tensor([0.0, 1.0]), ember.tensor([1.0, 2.0]))
    wide = dist.expand((3, 2))
    assert wide.batch_shape == (3, 2) and wide.loc.stride()[0] == 0
    value = ember.tensor([0.5, -0.5])
    assert ember.allclose(wide.log_prob(value)[1], dist.log_prob(value))
    for small in (dists.Bernoulli(ember.tensor([0.3])), dists.Categorical(ember.tensor([0.3, 0.7])),
                  dists.Exponential(ember.tensor([2.0])), dists.Uniform(0.0, ember.tensor([2.0])),
                  dists.Laplace(0.0, ember.tensor([1.0])),
                  dists.LogNormal(0.0, ember.tensor([1.0]))):
        assert small.expand((4, 1)).batch_shape == (4, 1)
        assert small.expand((4, 1)).sample().shape[:2] == (4, 1)


def test_independent_sums_the_reinterpreted_dims():
    base = dists.Normal(ember.zeros(2, 3, dtype=ember.float64), 1.0)
    dist = dists.Independent(base, 1)
    assert dist.batch_shape == (2,) and dist.event_shape == (3,)
    value = ember.tensor(RNG.normal(size=(2, 3)))
    _close(dist.log_prob(value), stats.norm().logpdf(_np(value)).sum(-1))
    _close(dist.entropy(), 3 * stats.norm().entropy())
    assert dist.rsample((4,)).shape == (4, 2, 3)
    assert repr(dist).startswith("Independent(Normal(")


def test_sample_n_warns_and_samples():
    with pytest.warns(UserWarning, match="sample_n"):
        assert dists.Normal(0.0, 1.0).sample_n(3).shape == (3,)


def test_perplexity_and_repr():
    dist = dists.Normal(0.0, 1.0)
    assert math.isclose(dist.perplexity().item(), math.exp(stats.norm().entropy()), rel_tol=1e-6)
    assert repr(dist) == "Normal(loc: 0.0, scale: 1.0)"
    expected = "Normal(loc: ember.Size([2]), scale: ember.Size([2]))"
    assert repr(dists.Normal(ember.zeros(2), 1.0)) == expected
