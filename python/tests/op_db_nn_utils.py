"""op_db entries of one op family: nn.utils' tensor ops, torch.norm_except_dim and
torch._weight_norm.

Both against numpy norms over every axis except dim (dim=-1: over all of them), on 1-d to 4-d
inputs, every dim, pow 1 and 2, and empty tensors.
"""
import numpy as np
from op_db import FLOATING, Input, OpInfo, Sample, make_values, shape_tag

import ember


def except_dim_axes(ndim, dim):
    return tuple(axis for axis in range(ndim) if axis != dim) if dim != -1 else tuple(range(ndim))


def ref_norm_except_dim(v, pow=2, dim=0):
    axes = except_dim_axes(v.ndim, dim)
    result = (np.abs(v) ** pow).sum(axis=axes, keepdims=dim != -1) ** (1.0 / pow)
    return result.astype(v.dtype)


def ref_weight_norm(v, g, dim=0):
    return v * (g.reshape(ref_norm_except_dim(v, 2, dim).shape) / ref_norm_except_dim(v, 2, dim))


# (v shape, dim)
CASES = [((4,), 0), ((3, 4), 0), ((3, 4), 1), ((3, 4), -1), ((2, 3, 4), 1), ((2, 3, 4), 2),
         ((2, 3, 2, 2), 0), ((2, 3, 2, 2), -1), ((0, 3), 1)]


def tensor(rng, shape, dtype, domain="real"):
    return Input(make_values(rng, shape, dtype, domain), dtype)


def norm_except_dim_samples(rng, dtype):
    found = []
    for shape, dim in CASES:
        k = max(int(np.prod(shape)) // (shape[dim] if dim != -1 and shape[dim] else 1), 1)
        for order in (1, 2):
            found.append(Sample((tensor(rng, shape, dtype), order, dim), tag=shape_tag(shape), k=k))
    return found


def weight_norm_samples(rng, dtype):
    found = []
    for shape, dim in CASES:
        if 0 in shape:
            continue
        g_shape = () if dim == -1 else tuple(n if axis == dim else 1
                                             for axis, n in enumerate(shape))
        k = int(np.prod(shape))
        found.append(Sample((tensor(rng, shape, dtype, "nonzero"), tensor(rng, g_shape, dtype),
                             dim), tag=shape_tag(shape), k=k))
    # g as one value per slice, without the size-1 dims (what PyTorch's 1-D g also accepts)
    found.append(Sample((tensor(rng, (3, 4), dtype, "nonzero"), tensor(rng, (3,), dtype), 0), k=4))
    return found


ENTRIES = [
    OpInfo("norm_except_dim", ember.norm_except_dim, ref_norm_except_dim, norm_except_dim_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("_weight_norm", ember._weight_norm, ref_weight_norm, weight_norm_samples,
           dtypes=FLOATING, kind="reduction"),
]
