"""op_db entries of one op family: nn.functional's activation ops (named nn.functional.<name>),
the softmax family, dropout, distances, one_hot and gumbel_softmax."""
import math

import numpy as np
from op_db import (
    FLOATING,
    LARGE,
    UNARY_SHAPES,
    Input,
    OpInfo,
    Sample,
    make_values,
    ref_erf,
    round_to,
    shape_tag,
)

import ember
import ember.nn.functional as F  # noqa: N812 (PyTorch's idiom)

# ---------------------------------------------------------------- softmax family

# (shape, dim) of the softmax family: last and inner dims, rows of 33 and 300 (vector bodies and
# tails), 0-d and empty inputs.
SOFTMAX_CASES = [((3, 5), -1), ((3, 5), 0), ((2, 3, 4), 1), ((33, 17), 0), ((4, 300), 1),
                 ((300,), 0), ((2, 17, 3), -2), ((0, 3), 1), ((2, 0), 1), ((), 0)]


def softmax_samples(rng, dtype):
    found = []
    for shape, dim in SOFTMAX_CASES:
        x = Input(make_values(rng, shape, dtype), dtype)
        k = shape[dim] if shape else 1
        found.append(Sample((x,), {"dim": dim}, shape_tag(shape), k=k))
    # dtype=: the input is cast first (to a wider type here, as the loss functions do).
    x = Input(make_values(rng, (3, 5), dtype), dtype)
    found.append(Sample((x,), {"dim": 1, "dtype": ember.float64}, k=5, out_dtype=ember.float64))
    return found


def large_softmax_samples(rng, dtype):
    x = Input(make_values(rng, LARGE, dtype), dtype)
    return [Sample((x,), {"dim": -1}, k=LARGE[1]), Sample((x,), {"dim": 0}, k=LARGE[0])]


def ref_log_softmax(x, dim, dtype=None):
    if x.ndim == 0:
        return x - x  # 0, or NaN for a non-finite x
    if x.size == 0:
        return x.copy()
    shifted = x - np.max(x, axis=dim, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))


def ref_softmax(x, dim, dtype=None):
    return np.exp(ref_log_softmax(x, dim))


def ref_softmin(x, dim, dtype=None):
    return ref_softmax(-x, dim)


# ---------------------------------------------------------------- elementwise activations


def activation_samples(scale=1, kwargs_list=({},)):
    """UNARY_SHAPES of values in [-3, 3] * scale (a power of two, so exact in every dtype)."""

    def samples(rng, dtype):
        found = []
        for shape in UNARY_SHAPES:
            x = Input(round_to(make_values(rng, shape, dtype) * scale, dtype), dtype)
            found.extend(Sample((x,), dict(kwargs), shape_tag(shape)) for kwargs in kwargs_list)
        return found

    return samples


def large_activation_samples(rng, dtype):
    return [Sample((Input(make_values(rng, LARGE, dtype), dtype),))]


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def ref_elu(x, alpha=1.0, inplace=False):
    return np.where(x > 0, x, alpha * np.expm1(x))


def ref_celu(x, alpha=1.0, inplace=False):
    return np.where(x > 0, x, alpha * np.expm1(x / alpha))


def ref_gelu(x, approximate="none"):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + ref_erf(x / math.sqrt(2)))


def ref_softplus(x, beta=1.0, threshold=20.0):
    return np.where(x * beta > threshold, x, np.log1p(np.exp(beta * x)) / beta)


def ref_hardtanh(x, min_val=-1.0, max_val=1.0, inplace=False):
    return np.clip(x, min_val, max_val)


def ref_leaky_relu(x, negative_slope=0.01, inplace=False):
    return np.where(x > 0, x, x * negative_slope)


def ref_threshold(x, threshold, value, inplace=False):
    return np.where(x > threshold, x, value)


def ref_softshrink(x, lambd=0.5):
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0.0))


def ref_hardshrink(x, lambd=0.5):
    return np.where(np.abs(x) > lambd, x, 0.0)


def ref_hardswish(x, inplace=False):
    return np.where(x <= -3, 0.0, np.where(x >= 3, x, x * (x + 3) / 6))


def ref_glu(x, dim=-1):
    a, b = np.split(x, 2, axis=dim)
    return a / (1 + np.exp(-b))


def ref_prelu(x, weight):
    shape = (weight.size,) + (1,) * (x.ndim - 2) if x.ndim >= 2 else ()
    return np.where(x > 0, x, weight.reshape(shape) * x)


def ref_rrelu(x, lower=1 / 8, upper=1 / 3, training=False, inplace=False):
    return ref_leaky_relu(x, (lower + upper) / 2)


def glu_samples(rng, dtype):
    cases = [((3, 4), -1), ((4, 3), 0), ((2, 6, 3), 1), ((0, 4), 1), ((2, 0), 0)]
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), {"dim": dim},
                   shape_tag(shape)) for shape, dim in cases]


def prelu_samples(rng, dtype):
    found = []
    for shape, channels in [((2, 3, 4), 3), ((2, 3), 3), ((2, 3, 4), 1), ((5,), 1), ((), 1),
                            ((0, 3), 3)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        weight = Input(round_to(rng.uniform(0.0, 0.5, (channels,)), dtype), dtype)
        found.append(Sample((x, weight), {}, shape_tag(shape)))
    return found


def inplace_keyword(function):
    """function(x, ..., inplace=True): PyTorch's inplace= form as an in-place variant."""

    def call(x, *args, **kwargs):
        return function(x, *args, inplace=True, **kwargs)

    return call


def activation(name, ref, kwargs_list=({},), scale=1, inplace=None, named_inplace=False,
               large=False, kind="unary"):
    """An entry nn.functional.<name>; inplace: an in-place callable, named_inplace: F.<name>_
    exists too."""
    function = getattr(F, name)
    functions = (f"nn.functional.{name}",) + ((f"nn.functional.{name}_",) if named_inplace else ())
    return OpInfo(f"nn.functional.{name}", function, ref, activation_samples(scale, kwargs_list),
                  dtypes=FLOATING, kind=kind, inplace=inplace, functions=functions,
                  large=large_activation_samples if large else None)


def sigmoid_np(x):
    return 1 / (1 + np.exp(-x))


ACTIVATIONS = [
    activation("relu", lambda x, inplace=False: np.maximum(x, 0), inplace=F.relu_,
               named_inplace=True),
    activation("relu6", lambda x, inplace=False: np.clip(x, 0, 6), scale=4,
               inplace=inplace_keyword(F.relu6), large=True),
    activation("leaky_relu", ref_leaky_relu, ({}, {"negative_slope": 0.25}),
               inplace=F.leaky_relu_, named_inplace=True, large=True),
    activation("elu", ref_elu, ({}, {"alpha": 0.5}), inplace=F.elu_, named_inplace=True,
               large=True),
    activation("selu", lambda x, inplace=False: SELU_SCALE * ref_elu(x, SELU_ALPHA),
               inplace=F.selu_, named_inplace=True),
    activation("celu", ref_celu, ({}, {"alpha": 2.0}), inplace=F.celu_, named_inplace=True),
    activation("gelu", ref_gelu, ({}, {"approximate": "tanh"}), large=True),
    activation("silu", lambda x, inplace=False: x * sigmoid_np(x),
               inplace=inplace_keyword(F.silu), large=True),
    activation("mish", lambda x, inplace=False: x * np.tanh(np.log1p(np.exp(x))),
               inplace=inplace_keyword(F.mish)),
    activation("hardtanh", ref_hardtanh, ({}, {"min_val": -0.5, "max_val": 2.0}),
               inplace=F.hardtanh_, named_inplace=True),
    activation("hardsigmoid", lambda x, inplace=False: np.clip(x / 6 + 0.5, 0, 1), scale=2,
               inplace=inplace_keyword(F.hardsigmoid), large=True),
    activation("hardswish", ref_hardswish, scale=2,
               inplace=inplace_keyword(F.hardswish), large=True),
    activation("softplus", ref_softplus, ({}, {"beta": 2.0, "threshold": 3.0}), scale=4,
               large=True),
    activation("softsign", lambda x: x / (1 + np.abs(x))),
    activation("softshrink", ref_softshrink, ({}, {"lambd": 1.0})),
    activation("hardshrink", ref_hardshrink, ({}, {"lambd": 1.0})),
    activation("tanhshrink", lambda x: x - np.tanh(x)),
    activation("threshold", ref_threshold, ({"threshold": 0.5, "value": -2.0},),
               inplace=F.threshold_, named_inplace=True, kind="elementwise"),
    activation("logsigmoid", lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))), scale=8),
    activation("rrelu", ref_rrelu, ({}, {"lower": 0.25, "upper": 0.5}), inplace=F.rrelu_,
               named_inplace=True),
    activation("sigmoid", sigmoid_np),
    activation("tanh", np.tanh),
]

# ---------------------------------------------------------------- dropout

DROPOUT_SHAPES = [(4, 6), (2, 3, 5), (7,), (0, 3), ()]


def dropout_samples(kwargs_list, shapes=DROPOUT_SHAPES):
    def samples(rng, dtype):
        found = []
        for shape in shapes:
            x = Input(make_values(rng, shape, dtype, "positive"), dtype)
            found.extend(Sample((x,), dict(kwargs), shape_tag(shape)) for kwargs in kwargs_list)
        return found

    return samples


def check_dropout(result, x, p=0.5, training=True, inplace=False):
    """Every element is dropped (0) or kept and scaled by 1 / (1 - p)."""
    got = result.float().numpy().astype(np.float64)
    assert got.shape == x.shape
    if not training or p == 0:
        np.testing.assert_allclose(got, x, rtol=1e-2)
        return
    kept = got != 0
    np.testing.assert_allclose(got[kept], x[kept] / (1 - p), rtol=1e-2)


ALPHA = 1.7580993408473766


def check_alpha_dropout(result, x, p=0.5, training=False, inplace=False):
    """Kept elements are a x + b, dropped ones a (-alpha) + b (Klambauer et al.)."""
    got = result.float().numpy().astype(np.float64)
    assert got.shape == x.shape
    if not training or p == 0:
        np.testing.assert_allclose(got, x, rtol=1e-2)
        return
    a = 1 / math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p))
    b = ALPHA * a * p
    dropped = np.isclose(got, b - ALPHA * a, rtol=1e-2, atol=1e-2)
    kept = np.isclose(got, a * x + b, rtol=1e-2, atol=1e-2)
    assert (dropped | kept).all()


def check_channel_dropout(result, x, p=0.5, training=True, inplace=False):
    check_dropout(result, x, p, training)
    if training and p and x.size and x.ndim >= 2:
        got = result.float().numpy()
        channels = got.reshape(got.shape[0], got.shape[1], -1) if x.ndim > 2 else got[None]
        zero = (channels == 0).all(axis=-1)
        nonzero = (channels != 0).all(axis=-1)
        assert (zero | nonzero).all(), "a channel was only partly dropped"


def channel_samples(dims):
    def samples(rng, dtype):
        found = []
        for shape in ((2, 3) + (4,) * (dims - 2), (3,) + (4,) * (dims - 2),
                      (0, 3) + (2,) * (dims - 2)):
            x = Input(make_values(rng, shape, dtype, "positive"), dtype)
            found.append(Sample((x,), {"p": 0.5, "training": True}, shape_tag(shape)))
            found.append(Sample((x,), {"training": False}, shape_tag(shape)))
        return found

    return samples


def dropout_entry(name, check, samples):
    return OpInfo(f"nn.functional.{name}", getattr(F, name), None, samples, dtypes=FLOATING,
                  check=check)


DROPOUTS = [
    dropout_entry("dropout", check_dropout,
                  dropout_samples(({"p": 0.5}, {"p": 0.2, "training": False}, {"p": 0.0},
                                   {"p": 1.0}))),
    dropout_entry("alpha_dropout", check_alpha_dropout,
                  dropout_samples(({"p": 0.5, "training": True}, {"p": 0.3},
                                   {"p": 0.25, "training": True}))),
    dropout_entry("feature_alpha_dropout", check_alpha_dropout,
                  dropout_samples(({"p": 0.5, "training": True}, {"p": 0.3}),
                                  shapes=[(4, 6), (2, 3, 5), (0, 3)])),
    dropout_entry("dropout1d", check_channel_dropout, channel_samples(3)),
    dropout_entry("dropout2d", check_channel_dropout, channel_samples(4)),
    dropout_entry("dropout3d", check_channel_dropout, channel_samples(5)),
]

# ---------------------------------------------------------------- distances and encodings


def ref_normalize(x, p=2.0, dim=1, eps=1e-12):
    norm = np.sum(np.abs(x) ** p, axis=dim, keepdims=True) ** (1 / p)
    return x / np.maximum(norm, eps)


def ref_cosine_similarity(x1, x2, dim=1, eps=1e-8):
    x1, x2 = np.broadcast_arrays(x1, x2)
    return np.sum(ref_normalize(x1, 2, dim, eps) * ref_normalize(x2, 2, dim, eps), axis=dim)


def ref_pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    diff = np.abs(x1 - x2 + eps)
    return np.sum(diff ** p, axis=-1, keepdims=keepdim) ** (1 / p)


def ref_pdist(x, p=2.0):
    n = x.shape[0]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    return np.array([np.sum(np.abs(x[i] - x[j]) ** p) ** (1 / p) for i, j in pairs],
                    dtype=np.float64).reshape(len(pairs))


def normalize_samples(rng, dtype):
    found = []
    for shape, kwargs in [((3, 5), {}), ((3, 5), {"dim": 0, "p": 1.0}), ((2, 3, 4), {"p": 3.0}),
                          ((4,), {"dim": 0}), ((0, 3), {})]:
        x = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((x,), kwargs, shape_tag(shape), k=shape[kwargs.get("dim", 1)]))
    return found


def pair_samples(cases):
    def samples(rng, dtype):
        found = []
        for shape1, shape2, kwargs in cases:
            x1 = Input(make_values(rng, shape1, dtype), dtype)
            x2 = Input(make_values(rng, shape2, dtype), dtype)
            found.append(Sample((x1, x2), kwargs, shape_tag(shape1, shape2),
                                k=max(shape1[-1:] + shape2[-1:])))
        return found

    return samples


def pdist_samples(rng, dtype):
    found = []
    for shape, kwargs in [((4, 3), {}), ((5, 2), {"p": 1.0}), ((3, 4), {"p": 3.0}), ((1, 3), {}),
                          ((0, 3), {})]:
        found.append(Sample((Input(make_values(rng, shape, dtype), dtype),), kwargs,
                            shape_tag(shape), k=shape[1]))
    return found


def one_hot_samples(rng, dtype):
    found = []
    for shape, kwargs in [((5,), {}), ((2, 3), {"num_classes": 6}), ((), {"num_classes": 4}),
                          ((0,), {"num_classes": 3})]:
        x = Input(rng.integers(0, 4, shape).astype(np.int64), ember.int64)
        found.append(Sample((x,), kwargs, shape_tag(shape)))
    return found


def ref_one_hot(x, num_classes=-1):
    if num_classes == -1:
        num_classes = int(x.max()) + 1
    return (x[..., None] == np.arange(num_classes)).astype(np.int64)


def gumbel_samples(rng, dtype):
    found = []
    for shape, kwargs in [((3, 5), {}), ((3, 5), {"hard": True}), ((4, 3), {"dim": 0, "tau": 0.5}),
                          ((2, 3, 4), {"hard": True, "dim": 1})]:
        found.append(Sample((Input(make_values(rng, shape, dtype), dtype),), kwargs))
    return found


def check_gumbel(result, logits, tau=1.0, hard=False, dim=-1):
    got = result.float().numpy().astype(np.float64)
    assert got.shape == logits.shape
    np.testing.assert_allclose(got.sum(axis=dim), 1.0, rtol=2e-2)
    assert (got >= 0).all()
    if hard:
        assert set(np.unique(got)) <= {0.0, 1.0}


DISTANCES = [
    OpInfo("nn.functional.normalize", F.normalize, ref_normalize, normalize_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.cosine_similarity", F.cosine_similarity, ref_cosine_similarity,
           pair_samples([((3, 5), (3, 5), {}), ((4, 5), (5,), {"dim": -1}),
                         ((2, 3, 4), (2, 1, 4), {"dim": 2, "eps": 1e-6}),
                         ((3, 4), (3, 4), {"dim": 0})]),
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.pairwise_distance", F.pairwise_distance, ref_pairwise_distance,
           pair_samples([((3, 5), (3, 5), {}), ((4, 5), (5,), {"p": 1.0}),
                         ((2, 3, 4), (2, 3, 4), {"keepdim": True, "p": 3.0}), ((5,), (5,), {}),
                         ((0, 3), (0, 3), {})]),
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.pdist", F.pdist, ref_pdist, pdist_samples, dtypes=(ember.float32,
                                                                             ember.float64),
           kind="reduction", layouts=("contiguous", "transposed", "sliced")),
    OpInfo("nn.functional.one_hot", F.one_hot, ref_one_hot, one_hot_samples, dtypes=(ember.int64,),
           kind="exact", layouts=("contiguous", "sliced", "expanded")),
    OpInfo("nn.functional.gumbel_softmax", F.gumbel_softmax, None, gumbel_samples,
           dtypes=FLOATING, check=check_gumbel),
]

ENTRIES = [
    OpInfo("nn.functional.softmax", F.softmax, ref_softmax, softmax_samples, dtypes=FLOATING,
           kind="reduction", method="softmax", functions=("softmax", "nn.functional.softmax"),
           large=large_softmax_samples),
    OpInfo("nn.functional.log_softmax", F.log_softmax, ref_log_softmax, softmax_samples,
           dtypes=FLOATING, kind="reduction", method="log_softmax",
           functions=("log_softmax", "nn.functional.log_softmax"), large=large_softmax_samples),
    OpInfo("nn.functional.softmin", F.softmin, ref_softmin, softmax_samples, dtypes=FLOATING,
           kind="reduction", functions=("nn.functional.softmin",)),
    OpInfo("nn.functional.glu", F.glu, ref_glu, glu_samples, dtypes=FLOATING,
           kind="elementwise"),
    OpInfo("nn.functional.prelu", F.prelu, ref_prelu, prelu_samples, dtypes=FLOATING,
           kind="elementwise"),
    *ACTIVATIONS,
    *DROPOUTS,
    *DISTANCES,
]
