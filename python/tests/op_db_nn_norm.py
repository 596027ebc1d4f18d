"""op_db entries of one op family: nn.functional's normalization ops (named
nn.functional.<name>).

layer_norm, batch_norm (training with batch statistics, eval with running ones), group_norm and
instance_norm against numpy's mean and biased variance over the normalized dims, with and
without weight and bias, on 2-d to 4-d inputs and empty batches.
"""
import numpy as np
from op_db import FLOATING, Input, OpInfo, Sample, make_values, shape_tag

import ember

EPS = 1e-5


def normalize(x, axes, eps):
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def per_channel(t, ndim):
    return t.reshape((1, -1) + (1,) * (ndim - 2))


def channel_affine(y, weight, bias):
    if weight is not None:
        y = y * per_channel(weight, y.ndim)
    if bias is not None:
        y = y + per_channel(bias, y.ndim)
    return y


def ref_layer_norm(x, normalized_shape, weight=None, bias=None, eps=EPS):
    axes = tuple(range(x.ndim - len(normalized_shape), x.ndim))
    y = normalize(x, axes, eps) if x.size else x
    if weight is not None:
        y = y * weight
    return y if bias is None else y + bias


def ref_batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
                   momentum=0.1, eps=EPS):
    if training:
        axes = (0,) + tuple(range(2, x.ndim))
        y = normalize(x, axes, eps) if x.size else x
    else:
        y = (x - per_channel(running_mean, x.ndim)) / np.sqrt(per_channel(running_var, x.ndim)
                                                              + eps)
    return channel_affine(y, weight, bias)


def ref_group_norm(x, num_groups, weight=None, bias=None, eps=EPS):
    if not x.size:
        return channel_affine(x, weight, bias)
    y = normalize(x.reshape(x.shape[0], num_groups, -1), (2,), eps).reshape(x.shape)
    return channel_affine(y, weight, bias)


def ref_instance_norm(x, running_mean=None, running_var=None, weight=None, bias=None,
                      use_input_stats=True, momentum=0.1, eps=EPS):
    y = normalize(x, tuple(range(2, x.ndim)), eps) if x.size else x
    return channel_affine(y, weight, bias)


def tensor(rng, shape, dtype, domain="unit"):
    return Input(make_values(rng, shape, dtype, domain), dtype)


# (input shape, normalized_shape, with weight, with bias)
LAYER_NORM_CASES = [((3, 4), (4,), True, True), ((2, 3, 4), (3, 4), True, True),
                    ((2, 3, 4), (4,), False, False), ((5, 6), (6,), True, False),
                    ((4, 5), (5,), False, True), ((0, 4), (4,), True, True)]
# (input shape, with affine)
CHANNEL_CASES = [((4, 3), True), ((2, 3, 5), True), ((2, 3, 2, 3), False), ((3, 2, 2, 2, 2), True)]


def layer_norm_samples(rng, dtype):
    found = []
    for shape, normalized_shape, with_weight, with_bias in LAYER_NORM_CASES:
        weight = tensor(rng, normalized_shape, dtype) if with_weight else None
        bias = tensor(rng, normalized_shape, dtype) if with_bias else None
        args = (tensor(rng, shape, dtype, "real"), normalized_shape, weight, bias)
        found.append(Sample(args, tag=shape_tag(shape), k=int(np.prod(normalized_shape))))
    found.append(Sample((tensor(rng, (3, 4), dtype, "real"), (4,)), kwargs={"eps": 0.5}, k=4))
    return found


def affine(rng, channels, dtype, with_affine):
    if not with_affine:
        return None, None
    return tensor(rng, (channels,), dtype), tensor(rng, (channels,), dtype)


def batch_norm_samples(rng, dtype):
    found = []
    for shape, with_affine in CHANNEL_CASES:
        weight, bias = affine(rng, shape[1], dtype, with_affine)
        k = int(np.prod(shape)) // shape[1]
        x = tensor(rng, shape, dtype, "real")
        found.append(Sample((x, None, None, weight, bias, True), tag=shape_tag(shape), k=k))
        running = (tensor(rng, (shape[1],), dtype), tensor(rng, (shape[1],), dtype, "positive"))
        found.append(Sample((x,) + running + (weight, bias), tag=shape_tag(shape), k=k))
    return found


def group_norm_samples(rng, dtype):
    found = []
    for shape, groups, with_affine in [((2, 4, 3), 2, True), ((3, 6), 3, False),
                                       ((2, 4, 2, 2), 4, True), ((2, 4, 2, 2), 1, True),
                                       ((0, 4, 3), 2, True)]:
        weight, bias = affine(rng, shape[1], dtype, with_affine)
        args = (tensor(rng, shape, dtype, "real"), groups, weight, bias)
        k = int(np.prod(shape[1:])) // groups
        found.append(Sample(args, tag=shape_tag(shape), k=max(k, 1)))
    return found


def instance_norm_samples(rng, dtype):
    found = []
    for shape, with_affine in CHANNEL_CASES[1:]:
        weight, bias = affine(rng, shape[1], dtype, with_affine)
        args = (tensor(rng, shape, dtype, "real"), None, None, weight, bias)
        found.append(Sample(args, tag=shape_tag(shape), k=int(np.prod(shape[2:]))))
    return found


F = ember.nn.functional
ENTRIES = [
    OpInfo("nn.functional.layer_norm", F.layer_norm, ref_layer_norm, layer_norm_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.batch_norm", F.batch_norm, ref_batch_norm, batch_norm_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.group_norm", F.group_norm, ref_group_norm, group_norm_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.instance_norm", F.instance_norm, ref_instance_norm,
           instance_norm_samples, dtypes=FLOATING, kind="reduction"),
]
