"""op_db entries of one op family:
Parameterised samplers (_standard_gamma and its gradient, _sample_dirichlet, binomial).

As in op_db_random: each check asserts the support and, on samples of at least 1000 draws, the
mean within 6 standard errors (the draws are fixed by test_reference's manual_seed).
_standard_gamma_grad is deterministic: it is checked against the implicit derivative from
scipy's regularized incomplete gamma function.
"""
import numpy as np
from op_db import Input, OpInfo, Sample, as_numpy, make_values, round_to, shape_tag
from op_db_random import within
from scipy import special, stats

import ember

RANDOM = {"kind": "exact", "layouts": ("contiguous", "transposed", "sliced")}


def constant(shape, value, dtype):
    return Input(round_to(np.full(shape, value), dtype), dtype)


# ---------------------------------------------------------------- _standard_gamma


def gamma_samples(rng, dtype):
    found = [Sample((Input(make_values(rng, shape, dtype, "positive"), dtype),),
                    tag=shape_tag(shape)) for shape in [(3, 4), (0, 3), ()]]
    for alpha in (0.25, 4.0, 2000.0):  # the boosted, the direct and the large-alpha regimes
        found.append(Sample((constant((40, 50), alpha, dtype),)))
    found.append(Sample((constant((30, 40), 2.5, dtype),),
                        {"generator": ember.Generator().manual_seed(5)}))
    return found


def check_gamma(result, alpha, generator=None):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == alpha.shape
    assert (values >= 0).all() and np.isfinite(values).all()
    if values.size >= 1000:
        a = float(alpha.flat[0])
        within(values, a, np.sqrt(a), f"_standard_gamma({a})")


# ---------------------------------------------------------------- _standard_gamma_grad


def implicit_gamma_grad(alpha, x):
    """d x / d alpha at fixed P(alpha, x): central differences of scipy's gammainc in alpha."""
    step = 1e-6 * alpha
    d_cdf = (special.gammainc(alpha + step, x) - special.gammainc(alpha - step, x)) / (2 * step)
    return -d_cdf / stats.gamma.pdf(x, alpha)


def gamma_grad_samples(rng, dtype):
    found = []
    for shape in [(3, 4), (0, 3), ()]:
        alpha = make_values(rng, shape, dtype, "positive")
        # x at quantiles 0.05 .. 0.95 of Gamma(alpha), where the reference is accurate.
        x = stats.gamma.ppf(rng.uniform(0.05, 0.95, shape), alpha.astype(np.float64))
        found.append(Sample((Input(alpha, dtype), Input(round_to(x, dtype), dtype)),
                            tag=shape_tag(shape)))
    alphas = np.array([[0.05], [0.7], [3.0], [40.0], [900.0], [1500.0]])
    x = stats.gamma.ppf(np.array([[0.1, 0.5, 0.9]]), alphas)
    found.append(Sample((Input(round_to(alphas, dtype), dtype), Input(round_to(x, dtype), dtype))))
    return found


def check_gamma_grad(result, alpha, x):
    alpha, x = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(x, np.float64))
    values = as_numpy(result).astype(np.float64)
    assert values.shape == alpha.shape
    rtol = 1e-5 if result.dtype == ember.float64 else 2e-2
    np.testing.assert_allclose(values, implicit_gamma_grad(alpha, x), rtol=rtol, atol=1e-12)


# ---------------------------------------------------------------- _sample_dirichlet


def dirichlet_samples(rng, dtype):
    found = [Sample((Input(make_values(rng, shape, dtype, "positive"), dtype),),
                    tag=shape_tag(shape)) for shape in [(3, 4), (0, 3), (5,)]]
    concentration = round_to(np.array([0.5, 2.0, 6.0]), dtype)
    found.append(Sample((Input(np.tile(concentration, (1500, 1)), dtype),)))
    return found


def check_dirichlet(result, alpha, generator=None):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == alpha.shape
    assert (values >= 0).all()
    tolerance = 1e-12 if result.dtype == ember.float64 else 1e-2
    np.testing.assert_allclose(values.sum(-1), 1.0, atol=tolerance * alpha.shape[-1])
    if values.shape[0] >= 1000:
        a = alpha[0].astype(np.float64)
        total = a.sum()
        for i, share in enumerate(a / total):
            stddev = np.sqrt(share * (1 - share) / (total + 1))
            within(values[:, i], share, stddev, f"_sample_dirichlet component {i}")


# ---------------------------------------------------------------- binomial


def binomial_samples(rng, dtype):
    found = []
    for shape in [(3, 4), (0, 3), ()]:
        count = round_to(rng.integers(0, 30, shape).astype(np.float64), dtype)
        prob = round_to(rng.uniform(0, 1, shape), dtype)
        found.append(Sample((Input(count, dtype), Input(prob, dtype)), tag=shape_tag(shape)))
    # inversion, BTRS, BTRS with p > 1/2 (flipped), and broadcast count against prob
    for count, prob in ((20.0, 0.25), (200.0, 0.375), (100.0, 0.75)):
        found.append(Sample((constant((40, 50), count, dtype), constant((40, 50), prob, dtype))))
    found.append(Sample((constant((3, 1), 10.0, dtype), constant((1, 4), 0.5, dtype))))
    found.append(Sample((constant((2, 3), 7.0, dtype), constant((2, 3), 1.0, dtype)),
                        {"generator": ember.Generator().manual_seed(2)}))
    return found


def check_binomial(result, count, prob, generator=None):
    count, prob = np.broadcast_arrays(np.asarray(count, np.float64), np.asarray(prob, np.float64))
    values = as_numpy(result).astype(np.float64)
    assert values.shape == count.shape
    assert (values >= 0).all() and (values <= count).all() and (values == np.trunc(values)).all()
    assert (values[prob == 0] == 0).all() and (values[prob == 1] == count[prob == 1]).all()
    if values.size >= 1000:
        n, p = float(count.flat[0]), float(prob.flat[0])
        within(values, n * p, np.sqrt(n * p * (1 - p)), f"binomial({n}, {p})")


ENTRIES = [
    OpInfo("_standard_gamma", ember._standard_gamma, None, gamma_samples, check=check_gamma,
           functions=(), **RANDOM),
    OpInfo("_standard_gamma_grad", ember._standard_gamma_grad, None, gamma_grad_samples,
           check=check_gamma_grad, functions=(), **RANDOM),
    OpInfo("_sample_dirichlet", ember._sample_dirichlet, None, dirichlet_samples,
           check=check_dirichlet, functions=(), **RANDOM),
    OpInfo("binomial", ember.binomial, None, binomial_samples, check=check_binomial, **RANDOM),
]
