"""op_db entries of one op family: nn.functional's loss ops (named nn.functional.<name>).

Each reference is the loss's formula written out in numpy (PyTorch's documented definition),
reduced by `reduction`.
"""
import numpy as np
import scipy.special
from op_db import Input, OpInfo, Sample, make_values

import ember
from ember.nn import functional as F  # noqa: N812 (PyTorch's spelling)

REDUCTIONS = ("none", "mean", "sum")
REAL_DTYPES = (ember.float32, ember.float64)
ALL_FLOATING = (ember.float32, ember.float64, ember.bfloat16)


def reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def sample(*args, k=1, **kwargs):
    shapes = [arg.values.shape for arg in args if isinstance(arg, Input)]
    tag = "zero_size" if any(0 in shape for shape in shapes) else "regular"
    return Sample(tuple(args), kwargs, tag=tag, k=max(k, 1))


def floats(rng, shape, dtype, domain="real"):
    return Input(make_values(rng, shape, dtype, domain), dtype)


def signs(rng, shape, dtype):
    return Input(rng.choice([-1.0, 1.0], shape).astype(np.float64), dtype)


def classes(rng, shape, count, ignore=None):
    values = rng.integers(0, count, shape)
    if ignore is not None and values.size:
        values.reshape(-1)[::3] = ignore
    return Input(values.astype(np.int64), ember.int64)


def entry(name, ref, samples, dtypes=REAL_DTYPES):
    return OpInfo(f"nn.functional.{name}", getattr(F, name), ref, samples, dtypes=dtypes,
                  kind="reduction")


# ---------------------------------------------------------------- elementwise losses


def ref_l1(x, y, reduction="mean"):
    return reduce(np.abs(x - y), reduction)


def ref_mse(x, y, reduction="mean"):
    return reduce((x - y) ** 2, reduction)


def ref_smooth_l1(x, y, reduction="mean", beta=1.0):
    d = np.abs(x - y)
    loss = d if beta == 0 else np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)
    return reduce(loss, reduction)


def ref_huber(x, y, reduction="mean", delta=1.0):
    d = np.abs(x - y)
    return reduce(np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


def ref_soft_margin(x, y, reduction="mean"):
    return reduce(np.log1p(np.exp(-y * x)), reduction)


def pair_samples(options=({},), target=None, broadcast=True):
    def samples(rng, dtype):
        found = []
        shapes = [((3, 5), (3, 5)), ((2, 3, 4), (2, 3, 4)), ((0, 3), (0, 3))]
        if broadcast:
            shapes.append(((3, 5), (5,)))
        for (shape, target_shape) in shapes:
            for reduction in REDUCTIONS:
                for kwargs in options:
                    y = (target(rng, target_shape, dtype) if target
                         else floats(rng, target_shape, dtype))
                    found.append(sample(floats(rng, shape, dtype), y, reduction=reduction,
                                        k=int(np.prod(shape)), **kwargs))
        return found

    return samples


# ---------------------------------------------------------------- classification losses


def class_dim(x):
    return 0 if x.ndim == 1 else 1


def ref_nll(x, t, weight=None, ignore_index=-100, reduction="mean"):
    by_class = np.moveaxis(x, class_dim(x), -1)
    w = np.ones(by_class.shape[-1]) if weight is None else weight
    kept = t != ignore_index
    safe = np.where(kept, t, 0)
    picked = np.take_along_axis(by_class, safe[..., None], -1)[..., 0]
    target_weight = np.where(kept, w[safe], 0.0)
    # PyTorch skips ignored positions: 0 there even where the input is NaN or inf.
    loss = np.where(kept, -picked * target_weight, 0.0)
    if reduction == "mean":
        return loss.sum() / target_weight.sum()
    return reduce(loss, reduction)


def log_softmax(x):
    shifted = x - x.max(axis=class_dim(x), keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=class_dim(x), keepdims=True))


def ref_cross_entropy(x, t, weight=None, ignore_index=-100, reduction="mean",
                      label_smoothing=0.0):
    logp = log_softmax(x)
    dim = class_dim(x)
    count = x.shape[dim]
    shape = [1] * x.ndim
    shape[dim] = count
    w = np.ones(count) if weight is None else weight
    if np.issubdtype(t.dtype, np.floating):  # class probabilities
        q = t * (1 - label_smoothing) + label_smoothing / count
        loss = -(logp * q * w.reshape(shape)).sum(axis=dim)
        if reduction == "mean":
            return loss.sum() / (x.size / count)
        return reduce(loss, reduction)
    nll = ref_nll(logp, t, weight, ignore_index, reduction)
    kept = t != ignore_index
    smooth = np.where(kept, -(logp * w.reshape(shape)).sum(axis=dim), 0.0)
    if reduction == "mean":
        smooth = smooth.sum() / np.where(kept, w[np.where(kept, t, 0)], 0.0).sum()
    else:
        smooth = reduce(smooth, reduction)
    return (1 - label_smoothing) * nll + smooth * label_smoothing / count


# (input shape, target shape) for input (C), (N, C) and (N, C, d1, d2).
CLASS_SHAPES = [((4,), ()), ((5, 4), (5,)), ((2, 3, 4, 2), (2, 4, 2)), ((0, 3), (0,))]


def classification_samples(probabilities=False, smoothing=False):
    def samples(rng, dtype):
        found = []
        for shape, target_shape in CLASS_SHAPES:
            count = shape[class_dim(np.empty(shape))]
            weight = floats(rng, (count,), dtype, "positive")
            for reduction in REDUCTIONS:
                options = [{}, {"weight": weight}, {"ignore_index": 1},
                           {"weight": weight, "ignore_index": 0}]
                if smoothing:
                    options += [{"label_smoothing": 0.2},
                                {"label_smoothing": 0.3, "weight": weight, "ignore_index": 1}]
                for kwargs in options:
                    t = classes(rng, target_shape, count, kwargs.get("ignore_index"))
                    found.append(sample(floats(rng, shape, dtype), t, reduction=reduction,
                                        k=int(np.prod(shape)), **kwargs))
                if probabilities:
                    p = rng.uniform(0, 1, shape)
                    p = p / np.maximum(p.sum(axis=class_dim(p), keepdims=True), 1e-9)
                    for kwargs in ({}, {"weight": weight}, {"label_smoothing": 0.1}):
                        found.append(sample(floats(rng, shape, dtype), Input(p, dtype),
                                            reduction=reduction, k=int(np.prod(shape)),
                                            **kwargs))
        return found

    return samples


def ref_bce(x, y, weight=None, reduction="mean"):
    loss = -(y * np.maximum(np.log(x), -100) + (1 - y) * np.maximum(np.log1p(-x), -100))
    return reduce(loss if weight is None else loss * weight, reduction)


def ref_bce_logits(x, y, weight=None, reduction="mean", pos_weight=None):
    log_sigmoid = -np.logaddexp(0, -x)
    log_complement = -np.logaddexp(0, x)
    pw = 1.0 if pos_weight is None else pos_weight
    loss = -(pw * y * log_sigmoid + (1 - y) * log_complement)
    return reduce(loss if weight is None else loss * weight, reduction)


def binary_samples(logits):
    def samples(rng, dtype):
        found = []
        for shape in ((3, 5), (2, 3, 4), (0, 3)):
            domain = "real" if logits else "probability"
            weight = floats(rng, shape[-1:], dtype, "positive")
            options = [{}, {"weight": weight}]
            if logits:
                options += [{"pos_weight": floats(rng, shape[-1:], dtype, "positive")}]
            for reduction in REDUCTIONS:
                for kwargs in options:
                    y = floats(rng, shape, dtype, "probability")
                    found.append(sample(floats(rng, shape, dtype, domain), y,
                                        reduction=reduction, k=int(np.prod(shape)), **kwargs))
        return found

    return samples


# ---------------------------------------------------------------- likelihood losses


def ref_kl_div(x, y, reduction="mean", log_target=False):
    # PyTorch's xlogy(target, target): 0 at a zero target, NaN at a negative one.
    loss = np.exp(y) * (y - x) if log_target else scipy.special.xlogy(y, y) - y * x
    if reduction == "batchmean":
        return loss.sum() / x.shape[0]
    return reduce(loss, reduction)


def kl_samples(rng, dtype):
    found = []
    for shape in ((3, 5), (2, 3, 4)):
        for reduction in REDUCTIONS + ("batchmean",):
            x = floats(rng, shape, dtype, "unit")
            probabilities = make_values(rng, shape, dtype, "probability")
            probabilities.reshape(-1)[::4] = 0
            found.append(sample(x, Input(probabilities, dtype), reduction=reduction,
                                k=int(np.prod(shape))))
            found.append(sample(x, floats(rng, shape, dtype, "unit"), reduction=reduction,
                                log_target=True, k=int(np.prod(shape))))
    return found


def ref_poisson(x, y, log_input=True, full=False, eps=1e-8, reduction="mean"):
    loss = np.exp(x) - y * x if log_input else x - y * np.log(x + eps)
    if full:
        safe = np.where(y > 1, y, 2.0)
        stirling = safe * np.log(safe) - safe + 0.5 * np.log(2 * np.pi * safe)
        loss = loss + np.where(y > 1, stirling, 0.0)
    return reduce(loss, reduction)


def poisson_samples(rng, dtype):
    found = []
    for shape in ((3, 5), (2, 3, 4)):
        for reduction in REDUCTIONS:
            for log_input in (True, False):
                for full in (False, True):
                    x = floats(rng, shape, dtype, "unit" if log_input else "positive")
                    y = Input(rng.integers(0, 5, shape).astype(np.float64), dtype)
                    found.append(sample(x, y, log_input=log_input, full=full,
                                        reduction=reduction, k=int(np.prod(shape))))
    return found


def ref_gaussian(x, y, var, full=False, eps=1e-6, reduction="mean"):
    if var.shape != x.shape and var.shape == x.shape[:-1]:
        var = var[..., None]
    var = np.maximum(var, eps)
    loss = 0.5 * (np.log(var) + (x - y) ** 2 / var)
    if full:
        loss = loss + 0.5 * np.log(2 * np.pi)
    return reduce(loss, reduction)


def gaussian_samples(rng, dtype):
    found = []
    for shape, var_shape in (((3, 5), (3, 5)), ((3, 5), (3,)), ((3, 5), (3, 1)),
                             ((2, 3, 4), (2, 3, 4))):
        for reduction in REDUCTIONS:
            for full in (False, True):
                var = make_values(rng, var_shape, dtype, "positive")
                var.reshape(-1)[0] = 0  # clamped to eps
                found.append(sample(floats(rng, shape, dtype), floats(rng, shape, dtype),
                                    Input(var, dtype), full=full, reduction=reduction,
                                    k=int(np.prod(shape))))
    return found


# ---------------------------------------------------------------- margin and embedding losses


def ref_margin_ranking(x1, x2, y, margin=0, reduction="mean"):
    return reduce(np.maximum(0, -y * (x1 - x2) + margin), reduction)


def margin_ranking_samples(rng, dtype):
    found = []
    for shape in ((6,), (3, 4)):
        for reduction in REDUCTIONS:
            for margin in (0.0, 0.5):
                found.append(sample(floats(rng, shape, dtype), floats(rng, shape, dtype),
                                    signs(rng, shape, dtype), margin=margin,
                                    reduction=reduction, k=int(np.prod(shape))))
    return found


def ref_hinge_embedding(x, y, margin=1.0, reduction="mean"):
    loss = np.where(y != 1, np.maximum(0, margin - x), 0) + np.where(y != -1, x, 0)
    return reduce(loss, reduction)


def hinge_samples(rng, dtype):
    found = []
    for shape in ((6,), (3, 4)):
        for reduction in REDUCTIONS:
            for margin in (1.0, 0.5):
                found.append(sample(floats(rng, shape, dtype), signs(rng, shape, dtype),
                                    margin=margin, reduction=reduction, k=int(np.prod(shape))))
    return found


def ref_cosine_embedding(x1, x2, y, margin=0, reduction="mean"):
    cosine = (x1 * x2).sum(-1) / np.sqrt(((x1 * x1).sum(-1) + 1e-12) *
                                         ((x2 * x2).sum(-1) + 1e-12))
    loss = np.where(y == 1, 1 - cosine, 0) + np.where(y == -1, np.maximum(0, cosine - margin), 0)
    return reduce(loss, reduction)


def cosine_samples(rng, dtype):
    found = []
    for shape in ((4, 5), (5,)):
        for reduction in REDUCTIONS:
            for margin in (0.0, 0.3):
                found.append(sample(floats(rng, shape, dtype), floats(rng, shape, dtype),
                                    signs(rng, shape[:-1], dtype), margin=margin,
                                    reduction=reduction, k=int(np.prod(shape))))
    return found


def ref_triplet(a, p, n, margin=1.0, p_norm=2, eps=1e-6, swap=False, reduction="mean"):
    def distance(u, v):
        return (np.abs(u - v + eps) ** p_norm).sum(-1) ** (1 / p_norm)

    d_negative = distance(a, n)
    if swap:
        d_negative = np.minimum(d_negative, distance(p, n))
    return reduce(np.maximum(0, margin + distance(a, p) - d_negative), reduction)


def triplet_op(a, positive, n, margin=1.0, p_norm=2, eps=1e-6, swap=False, reduction="mean"):
    return F.triplet_margin_loss(a, positive, n, margin=margin, p=p_norm, eps=eps, swap=swap,
                                 reduction=reduction)


def triplet_samples(rng, dtype):
    found = []
    for shape in ((4, 5), (5,)):
        for reduction in REDUCTIONS:
            for kwargs in ({}, {"margin": 2.0, "swap": True}, {"p_norm": 1}, {"p_norm": 3}):
                found.append(sample(floats(rng, shape, dtype), floats(rng, shape, dtype),
                                    floats(rng, shape, dtype), reduction=reduction,
                                    k=int(np.prod(shape)), **kwargs))
    return found


def ref_multilabel_soft_margin(x, y, weight=None, reduction="mean"):
    loss = -(y * -np.logaddexp(0, -x) + (1 - y) * -np.logaddexp(0, x))
    if weight is not None:
        loss = loss * weight
    return reduce(loss.sum(-1) / x.shape[-1], reduction)


def multilabel_soft_samples(rng, dtype):
    found = []
    for shape in ((4, 5), (5,)):
        weight = floats(rng, shape[-1:], dtype, "positive")
        for reduction in REDUCTIONS:
            for kwargs in ({}, {"weight": weight}):
                y = Input(rng.integers(0, 2, shape).astype(np.float64), dtype)
                found.append(sample(floats(rng, shape, dtype), y, reduction=reduction,
                                    k=int(np.prod(shape)), **kwargs))
    return found


def ref_multi_margin(x, t, p=1, margin=1.0, weight=None, reduction="mean"):
    rows = x.reshape(-1, x.shape[-1])
    targets = t.reshape(-1)
    losses = []
    for row, target in zip(rows, targets):
        total = 0.0
        for j, value in enumerate(row):
            if j != target:
                hinge = max(0.0, margin - row[target] + value) ** p
                total += hinge * (1.0 if weight is None else weight[target])
        losses.append(total / row.size)
    return reduce(np.array(losses).reshape(t.shape), reduction)


def multi_margin_samples(rng, dtype):
    found = []
    for shape, target_shape in (((4, 5), (4,)), ((5,), ())):
        weight = floats(rng, shape[-1:], dtype, "positive")
        for reduction in REDUCTIONS:
            for kwargs in ({}, {"p": 2, "margin": 0.5}, {"weight": weight}):
                found.append(sample(floats(rng, shape, dtype, "unit"),
                                    classes(rng, target_shape, shape[-1]), reduction=reduction,
                                    k=int(np.prod(shape)), **kwargs))
    return found


def ref_multilabel_margin(x, t, reduction="mean"):
    rows = x.reshape(-1, x.shape[-1])
    labels = t.reshape(-1, t.shape[-1])
    losses = []
    for row, row_labels in zip(rows, labels):
        listed = []
        for label in row_labels:
            if label < 0:
                break
            listed.append(label)
        total = sum(max(0.0, 1 - (row[j] - row[k])) for j in listed for k in range(row.size)
                    if k not in listed)
        losses.append(total / row.size)
    return reduce(np.array(losses).reshape(x.shape[:-1]), reduction)


def multilabel_margin_samples(rng, dtype):
    found = []
    for shape in ((4, 5), (5,)):
        for reduction in REDUCTIONS:
            labels = rng.integers(-1, shape[-1], shape)
            labels.reshape(-1, shape[-1])[:, -1] = -1
            found.append(sample(floats(rng, shape, dtype, "unit"),
                                Input(labels.astype(np.int64), ember.int64), reduction=reduction,
                                k=int(np.prod(shape))))
    return found


def ref_ctc(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
            zero_infinity=False):
    """The sum over alignments by the alpha recursion in probability space (float64)."""
    batched = log_probs.ndim == 3
    probabilities = np.exp(log_probs if batched else log_probs[:, None])
    input_lengths = np.atleast_1d(input_lengths)
    target_lengths = np.atleast_1d(target_lengths)
    losses = []
    offset = 0
    for n in range(probabilities.shape[1]):
        length = int(target_lengths[n])
        if targets.ndim == 2:
            labels = targets[n, :length]
        else:
            labels = targets[offset:offset + length]
            offset += length
        extended = [blank]
        for label in labels:
            extended += [int(label), blank]
        alpha = np.zeros(len(extended))
        frames = int(input_lengths[n])
        for t in range(frames):
            emitted = probabilities[t, n, extended]
            if t == 0:
                alpha[:2] = emitted[:2]
                continue
            previous = alpha.copy()
            for s in range(len(extended)):
                total = previous[s] + (previous[s - 1] if s >= 1 else 0.0)
                if s >= 2 and extended[s] != blank and extended[s] != extended[s - 2]:
                    total += previous[s - 2]
                alpha[s] = total * emitted[s]
        if frames == 0:
            likelihood = 1.0 if length == 0 else 0.0
        else:
            likelihood = alpha[-1] + (alpha[-2] if length > 0 else 0.0)
        loss = -np.log(likelihood) if likelihood > 0 else np.inf
        losses.append(0.0 if zero_infinity and np.isinf(loss) else loss)
    losses = np.array(losses)
    if reduction == "mean":
        return (losses / np.maximum(target_lengths, 1)).mean()
    if reduction == "sum":
        return losses.sum()
    return losses if batched else losses[0]


def log_softmax_last(values):
    return values - np.log(np.exp(values).sum(-1, keepdims=True))


def ctc_samples(rng, dtype):
    found = []
    frames, batch, count = 6, 3, 4
    for reduction in REDUCTIONS:
        log_probs = Input(log_softmax_last(rng.normal(size=(frames, batch, count))), dtype)
        lengths = Input(np.array([6, 4, 5]), ember.int64)
        target_lengths = np.array([3, 0, 2])
        padded = rng.integers(1, count, (batch, 3))
        padded[0, 1] = padded[0, 0]  # a repeated label needs a blank between
        found.append(sample(log_probs, Input(padded, ember.int64), lengths,
                            Input(target_lengths, ember.int64), reduction=reduction,
                            k=frames * batch * count))
        concatenated = np.concatenate([padded[n, :target_lengths[n]] for n in range(batch)])
        found.append(sample(log_probs, Input(concatenated, ember.int64), lengths,
                            Input(target_lengths, ember.int64), reduction=reduction,
                            k=frames * batch * count))
        # blank 3; a target too long for its frames costs inf, or 0 with zero_infinity.
        impossible = Input(np.array([[0, 1, 0], [0, 0, 1], [2, 2, 2]]), ember.int64)
        for zero_infinity in (False, True):
            found.append(sample(log_probs, impossible, Input(np.array([6, 2, 4]), ember.int64),
                                Input(np.array([3, 3, 3]), ember.int64), blank=3,
                                reduction=reduction, zero_infinity=zero_infinity,
                                k=frames * batch * count))
        unbatched = Input(log_softmax_last(rng.normal(size=(frames, count))), dtype)
        found.append(sample(unbatched, Input(np.array([1, 2]), ember.int64),
                            Input(np.array(5), ember.int64), Input(np.array(2), ember.int64),
                            reduction=reduction, k=frames * count))
    return found


ENTRIES = [
    entry("l1_loss", ref_l1, pair_samples(), ALL_FLOATING),
    entry("mse_loss", ref_mse, pair_samples(), ALL_FLOATING),
    entry("smooth_l1_loss", ref_smooth_l1,
          pair_samples(({}, {"beta": 0.5}, {"beta": 0.0}, {"beta": 2.0}))),
    entry("huber_loss", ref_huber, pair_samples(({}, {"delta": 0.5}, {"delta": 2.0}))),
    entry("soft_margin_loss", ref_soft_margin, pair_samples(target=signs, broadcast=False)),
    entry("nll_loss", ref_nll, classification_samples()),
    entry("cross_entropy", ref_cross_entropy,
          classification_samples(probabilities=True, smoothing=True)),
    entry("binary_cross_entropy", ref_bce, binary_samples(logits=False)),
    entry("binary_cross_entropy_with_logits", ref_bce_logits, binary_samples(logits=True)),
    entry("kl_div", ref_kl_div, kl_samples),
    entry("poisson_nll_loss", ref_poisson, poisson_samples),
    entry("gaussian_nll_loss", ref_gaussian, gaussian_samples),
    entry("margin_ranking_loss", ref_margin_ranking, margin_ranking_samples),
    entry("hinge_embedding_loss", ref_hinge_embedding, hinge_samples),
    entry("cosine_embedding_loss", ref_cosine_embedding, cosine_samples),
    OpInfo("nn.functional.triplet_margin_loss", triplet_op, ref_triplet, triplet_samples,
           dtypes=REAL_DTYPES, kind="reduction", functions=("nn.functional.triplet_margin_loss",)),
    entry("multilabel_soft_margin_loss", ref_multilabel_soft_margin, multilabel_soft_samples),
    entry("multi_margin_loss", ref_multi_margin, multi_margin_samples),
    entry("multilabel_margin_loss", ref_multilabel_margin, multilabel_margin_samples),
    # expanded lengths would no longer match the targets
    OpInfo("nn.functional.ctc_loss", F.ctc_loss, ref_ctc, ctc_samples, dtypes=REAL_DTYPES,
           kind="reduction", layouts=("contiguous", "transposed", "sliced")),
]
