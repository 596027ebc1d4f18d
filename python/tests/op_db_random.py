"""op_db entries of one op family:
Random numbers (Generators, multinomial, poisson, randperm, in-place fills, ...).

Random results have no reference: each entry's check asserts the support (shape, dtype, range,
integrality) and, on samples large enough, the first moments within 6 standard errors. The draws
are fixed by test_reference's manual_seed, so a check that passes once passes every time.
"""
import numpy as np
from op_db import (
    ALL,
    NUMERIC,
    WRITABLE,
    Input,
    OpInfo,
    Sample,
    as_numpy,
    make_values,
    round_to,
    same_dtype,
    shape_tag,
)

import ember

SHAPES = [(3, 4), (40, 30), (0, 3), ()]  # (40, 30): 1200 draws for the moment checks
INT64 = {"out_dtype": lambda dtype: ember.int64}


def within(values, expected, stddev, where):
    """The mean of values is expected within 6 standard errors (stddev: of one draw)."""
    error = 6 * stddev / np.sqrt(values.size)
    assert abs(values.mean() - expected) <= error, f"{where}: mean {values.mean()} vs {expected}"


def fill_samples(*args):
    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, shape, dtype), dtype),) + args,
                       tag=shape_tag(shape)) for shape in SHAPES]

    return samples


def moments_if_large(values, mean, stddev, where):
    if values.size >= 1000:
        within(values.astype(np.float64), mean, stddev, where)


# ---------------------------------------------------------------- randperm


def randperm_samples(rng, dtype):
    largest = 100 if dtype in (ember.int8, ember.uint8, ember.bfloat16) else 1000
    found = [Sample((n,), {"dtype": dtype}) for n in (1, 10, largest)]
    found.append(Sample((0,), {"dtype": dtype}, tag="zero_size"))
    found.append(Sample((50,), {"dtype": dtype, "generator": ember.Generator().manual_seed(1)}))
    if dtype == ember.int64:
        found.append(Sample((7,)))
    return found


def check_randperm(result, n, dtype=None, generator=None):
    values = as_numpy(result)
    assert values.shape == (n,)
    assert (np.sort(values) == np.arange(n)).all()


# ---------------------------------------------------------------- multinomial


def weights(rng, shape, dtype, zeros=0):
    """Positive weights with `zeros` zero columns at the front."""
    values = make_values(rng, shape, dtype, "positive")
    values[..., :zeros] = 0
    return Input(values, dtype)


def multinomial_samples(rng, dtype):
    return [Sample((weights(rng, (4, 6), dtype, zeros=2), 3)),
            Sample((weights(rng, (6,), dtype), 6)),
            Sample((weights(rng, (3, 5), dtype, zeros=1), 40, True)),
            Sample((Input(round_to(np.array([1.0, 2.0, 3.0, 4.0]), dtype), dtype), 4000),
                   {"replacement": True}),
            Sample((weights(rng, (2, 8), dtype), 2),
                   {"generator": ember.Generator().manual_seed(3)}),
            Sample((weights(rng, (0, 4), dtype), 2), tag="zero_size")]


def check_multinomial(result, probs, num_samples, replacement=False, generator=None):
    values = as_numpy(result)
    rows = probs.reshape(-1, probs.shape[-1])
    assert values.shape == probs.shape[:-1] + (num_samples,)
    drawn = values.reshape(rows.shape[0], num_samples)
    for row, picks in zip(rows, drawn):
        assert (row[picks] > 0).all(), "drew a category of weight 0"
        if not replacement:
            assert len(set(picks.tolist())) == num_samples, "repeated a category"
        elif num_samples >= 1000:
            for category, weight in enumerate(row / row.sum()):
                share = (picks == category).astype(np.float64)
                within(share, weight, np.sqrt(weight * (1 - weight)), f"category {category}")


# ---------------------------------------------------------------- poisson


def poisson_samples(rng, dtype):
    found = []
    for shape in [(3, 4), (0, 3), ()]:
        rates = round_to(rng.integers(0, 20, shape).astype(np.float64), dtype)
        tag = shape_tag(shape)
        found.append(Sample((Input(rates, dtype),), tag=tag))
    for rate in (0.5, 30.0):
        found.append(Sample((Input(round_to(np.full((40, 50), rate), dtype), dtype),)))
    return found


def check_poisson(result, rates, generator=None):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == rates.shape
    assert (values >= 0).all() and (values == np.trunc(values)).all()
    assert (values[rates == 0] == 0).all()
    if values.size >= 1000:
        rate = rates.flat[0]
        within(values, rate, np.sqrt(rate), f"poisson({rate})")


# ---------------------------------------------------------------- randint_like


def randint_like_samples(rng, dtype):
    found = []
    for shape in [(3, 4), (0, 3), ()]:
        tag = shape_tag(shape)
        like = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((like, 10), tag=tag))
        found.append(Sample((like, 2, 7), tag=tag))
    return found


def check_randint_like(result, like, low, high=None):
    low, high = (0, low) if high is None else (low, high)
    values = as_numpy(result).astype(np.float64)
    assert values.shape == like.shape
    assert ((values >= low) & (values < high)).all() and (values == np.trunc(values)).all()


# ---------------------------------------------------------------- in-place fills


def check_exponential(result, x, lambd):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == x.shape and (values >= 0).all()
    moments_if_large(values, 1 / lambd, 1 / lambd, "exponential_")


def check_geometric(result, x, p):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == x.shape
    assert (values >= 1).all() and (values == np.trunc(values)).all()
    moments_if_large(values, 1 / p, np.sqrt(1 - p) / p, "geometric_")


def check_log_normal(result, x, mean, std):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == x.shape and (values > 0).all()
    moments_if_large(np.log(values), mean, std, "log_normal_")


def check_cauchy(result, x, median, sigma):
    values = as_numpy(result).astype(np.float64)
    assert values.shape == x.shape and not np.isnan(values).any()
    if values.size >= 1000:  # the sample median's standard error is pi sigma / (2 sqrt(n))
        assert abs(np.median(values) - median) <= 6 * np.pi * sigma / (2 * np.sqrt(values.size))


# random_'s inclusive upper bound per dtype without arguments: the largest value, or 2^digits.
RANDOM_UPPER = {ember.bool: 1, ember.uint8: 255, ember.int8: 127, ember.int16: 2**15 - 1,
                ember.int32: 2**31 - 1, ember.int64: 2**63 - 1, ember.float16: 2**11,
                ember.bfloat16: 2**8, ember.float32: 2**24, ember.float64: 2**53}


def random_samples(rng, dtype):
    found = []
    for shape in SHAPES:
        tag = shape_tag(shape)
        x = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((x,), tag=tag))
        found.append(Sample((x, 2), tag=tag))
        if dtype != ember.bool:
            found.append(Sample((x, 3, 9), tag=tag))
            if dtype.is_signed:
                found.append(Sample((x, -4, 4), tag=tag))
    return found


def check_random(result, x, *bounds, **kwargs):
    low, high = (0, None) if not bounds else (0, bounds[0]) if len(bounds) == 1 else bounds
    values = as_numpy(result)
    assert values.shape == x.shape
    if high is None:
        assert (values >= 0).all() and (values <= RANDOM_UPPER[result.dtype]).all()
        return
    values = values.astype(np.float64)
    assert ((values >= low) & (values < high)).all() and (values == np.trunc(values)).all()
    if values.size >= 1000:
        assert set(np.unique(values).tolist()) == set(range(low, high)), "missed a value"


# ---------------------------------------------------------------- normal with tensors


def normal_tensor_samples(rng, dtype):
    mean = Input(round_to(np.array([[-5.0], [5.0]]), dtype), dtype)
    std = Input(round_to(np.full((1, 2000), 2.0), dtype), dtype)
    zero_std = Input(round_to(np.zeros((3, 4)), dtype), dtype)
    means = Input(make_values(rng, (3, 4), dtype), dtype)
    return [Sample((mean, std)), Sample((means, zero_std)), Sample((means, 0.0)),
            Sample((1.5, zero_std)),
            Sample((mean, std), {"generator": ember.Generator().manual_seed(4)}),
            Sample((Input(make_values(rng, (0, 3), dtype), dtype), 1.0), tag="zero_size")]


def check_normal_tensor(result, mean, std=1.0, generator=None):
    values = as_numpy(result).astype(np.float64)
    expected = np.broadcast(np.asarray(mean), np.asarray(std)).shape
    assert values.shape == expected
    if not np.any(std):
        assert (values == np.broadcast_to(mean, expected)).all()
    if values.size >= 1000:
        for row, centre in zip(values, np.asarray(mean).flat):
            within(row, centre, 2.0, "normal(mean, std)")


RANDOM = {"kind": "exact", "layouts": ("contiguous", "transposed", "sliced")}

ENTRIES = [
    OpInfo("randperm", ember.randperm, None, randperm_samples, dtypes=NUMERIC, kind="exact",
           layouts=("contiguous",), check=check_randperm, supports_out=True),
    OpInfo("multinomial", ember.multinomial, None, multinomial_samples, methods=("multinomial",),
           check=check_multinomial, **INT64, **RANDOM, supports_out=True),
    OpInfo("poisson", ember.poisson, None, poisson_samples, check=check_poisson, **RANDOM),
    OpInfo("randint_like", ember.randint_like, None, randint_like_samples, dtypes=NUMERIC,
           check=check_randint_like, **RANDOM),
    OpInfo("normal_tensor", ember.normal, None, normal_tensor_samples, functions=(),
           check=check_normal_tensor, out_dtype=same_dtype, **RANDOM, supports_out=True),
    OpInfo("exponential_", lambda x, lambd: x.exponential_(lambd), None, fill_samples(2.0),
           kind="exact", functions=(), methods=("exponential_",), layouts=WRITABLE,
           check=check_exponential),
    OpInfo("geometric_", lambda x, p: x.geometric_(p), None, fill_samples(0.3), dtypes=NUMERIC,
           kind="exact", functions=(), methods=("geometric_",), layouts=WRITABLE,
           check=check_geometric),
    OpInfo("log_normal_", lambda x, mean, std: x.log_normal_(mean, std), None,
           fill_samples(0.0, 0.5), kind="exact", functions=(), methods=("log_normal_",),
           layouts=WRITABLE, check=check_log_normal),
    OpInfo("cauchy_", lambda x, median, sigma: x.cauchy_(median, sigma), None,
           fill_samples(1.0, 2.0), kind="exact", functions=(), methods=("cauchy_",),
           layouts=WRITABLE, check=check_cauchy),
    OpInfo("random_", lambda x, *bounds: x.random_(*bounds), None, random_samples, dtypes=ALL,
           kind="exact", functions=(), methods=("random_",), layouts=WRITABLE,
           check=check_random),
]
