"""op_db entries of one op family: nn.functional.scaled_dot_product_attention.

Against a numpy softmax(q k^T scale + mask) v with PyTorch's math-path semantics: bool masks keep
True positions, float masks add, is_causal keeps j <= i, a fully masked row gives zeros (PyTorch's
_safe_softmax), enable_gqa shares each key/value head among consecutive query heads.
"""
import numpy as np
from op_db import FLOATING, Input, OpInfo, Sample, make_values, shape_tag

import ember


def ref_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                  enable_gqa=False):
    assert dropout_p == 0.0
    if enable_gqa:
        k = np.repeat(k, q.shape[-3] // k.shape[-3], axis=-3)
        v = np.repeat(v, q.shape[-3] // v.shape[-3], axis=-3)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    scores = np.matmul(q, np.swapaxes(k, -1, -2)) * scale
    if is_causal:
        attn_mask = np.tril(np.ones(scores.shape[-2:], dtype=bool))
    if attn_mask is not None and attn_mask.dtype == np.bool_:
        scores = np.where(attn_mask, scores, -np.inf)
    elif attn_mask is not None:
        scores = scores + attn_mask
    row_max = scores.max(axis=-1, keepdims=True) if scores.shape[-1] else scores[..., :1]
    masked_row = np.isneginf(row_max)
    weights = np.exp(scores - np.where(masked_row, 0.0, row_max))
    total = weights.sum(axis=-1, keepdims=True)
    weights = np.where(masked_row, 0.0, weights / np.where(masked_row, 1.0, total))
    return np.matmul(weights, v)


# (query, key, value shapes, mask shape or None, mask kind, keyword arguments)
CASES = [
    ((2, 3, 4), (2, 5, 4), (2, 5, 6), None, None, {}),
    ((2, 2, 3, 4), (2, 2, 3, 4), (2, 2, 3, 4), None, None, {"is_causal": True}),
    ((2, 4, 4), (2, 6, 4), (2, 6, 3), None, None, {"is_causal": True}),
    ((3, 4), (5, 4), (5, 2), (3, 5), "bool", {}),
    ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), (2, 1, 1, 5), "bool", {}),
    ((2, 3, 4), (2, 5, 4), (2, 5, 4), (5,), "float", {"scale": 0.3}),
    ((2, 4, 3, 4), (2, 2, 5, 4), (2, 2, 5, 3), (3, 5), "float", {"enable_gqa": True}),
    ((1, 2, 3, 4), (2, 1, 5, 4), (1, 1, 5, 4), None, None, {}),
    ((2, 0, 4), (2, 5, 4), (2, 5, 4), None, None, {}),
    ((2, 3, 4), (2, 0, 4), (2, 0, 4), None, None, {}),
]


def attention_samples(rng, dtype):
    found = []
    for shape_q, shape_k, shape_v, shape_mask, mask_kind, kwargs in CASES:
        args = tuple(Input(make_values(rng, shape, dtype, "unit"), dtype)
                     for shape in (shape_q, shape_k, shape_v))
        if mask_kind == "bool":
            mask = make_values(rng, shape_mask, ember.bool)
            mask[..., 0] = False  # every row drops a key; some rows lose all of them
            args += (Input(mask, ember.bool),)
        elif mask_kind == "float":
            args += (Input(make_values(rng, shape_mask, dtype, "unit"), dtype),)
        found.append(Sample(args, dict(kwargs), tag=shape_tag(shape_q, shape_k, shape_v),
                            k=max(shape_k[-2], 1) * shape_q[-1]))
    return found


ENTRIES = [
    OpInfo("nn.functional.scaled_dot_product_attention",
           ember.nn.functional.scaled_dot_product_attention, ref_attention, attention_samples,
           dtypes=FLOATING, kind="reduction"),
]
