"""op_db entries of one op family: multi-head attention
(nn.functional.multi_head_attention_forward).

Checked against ref_multi_head_attention, numpy written from PyTorch's documented equations:
project q, k, v; append bias_k/bias_v and a zero key; split the heads; softmax(q k^T / sqrt(d) +
masks) v; join the heads and project out. Bool masks mean True = not attended.
"""
import numpy as np
from op_db import Input, OpInfo, Sample, make_values

import ember

DTYPES = (ember.float32, ember.float64)


def _additive(mask):
    if mask is None:
        return None
    if mask.dtype == np.bool_:
        return np.where(mask, -np.inf, 0.0)
    return mask


def _pad_last(mask):
    if mask is None:
        return None
    return np.pad(mask, [(0, 0)] * (mask.ndim - 1) + [(0, 1)])


def ref_multi_head_attention(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
                             in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p,
                             out_proj_weight, out_proj_bias, training=True,
                             key_padding_mask=None, need_weights=True, attn_mask=None,
                             use_separate_proj_weight=False, q_proj_weight=None,
                             k_proj_weight=None, v_proj_weight=None, static_k=None,
                             static_v=None, average_attn_weights=True, is_causal=False):
    """(output, weights) in float64; dropout_p must be 0 (or training False)."""
    assert dropout_p == 0 or not training
    batched = query.ndim == 3
    if not batched:
        query, key, value = query[:, None], key[:, None], value[:, None]
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask[None]
    tgt_len, batch, embed_dim = query.shape
    head_dim = embed_dim // num_heads
    if use_separate_proj_weight:
        w_q, w_k, w_v = q_proj_weight, k_proj_weight, v_proj_weight
    else:
        w_q, w_k, w_v = np.split(in_proj_weight, 3)
    b_q, b_k, b_v = (np.split(in_proj_bias, 3) if in_proj_bias is not None else (0.0,) * 3)
    q = query @ w_q.T + b_q
    k = key @ w_k.T + b_k
    v = value @ w_v.T + b_v
    attn_mask = _additive(attn_mask)
    key_padding_mask = _additive(key_padding_mask)
    if bias_k is not None:
        k = np.concatenate([k, np.tile(bias_k, (1, batch, 1))])
        v = np.concatenate([v, np.tile(bias_v, (1, batch, 1))])
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    heads = batch * num_heads
    q = q.reshape(tgt_len, heads, head_dim).transpose(1, 0, 2)
    k = k.reshape(k.shape[0], heads, head_dim).transpose(1, 0, 2)
    v = v.reshape(v.shape[0], heads, head_dim).transpose(1, 0, 2)
    if add_zero_attn:
        k = np.concatenate([k, np.zeros((heads, 1, head_dim))], axis=1)
        v = np.concatenate([v, np.zeros((heads, 1, head_dim))], axis=1)
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    src_len = k.shape[1]
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(head_dim)
    if attn_mask is not None:
        scores = scores + attn_mask
    if key_padding_mask is not None:
        per_head = np.broadcast_to(key_padding_mask[:, None, None, :],
                                   (batch, num_heads, 1, src_len))
        scores = scores + per_head.reshape(heads, 1, src_len)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    output = (weights @ v).transpose(1, 0, 2).reshape(tgt_len, batch, embed_dim)
    output = output @ out_proj_weight.T
    if out_proj_bias is not None:
        output = output + out_proj_bias
    weights = weights.reshape(batch, num_heads, tgt_len, src_len)
    if average_attn_weights:
        weights = weights.mean(axis=1)
    if not batched:
        return output[:, 0], weights[0]
    return output, weights


# (name, L, S, N (0: unbatched), E, heads, kdim, vdim, options)
CASES = [
    ("plain", 3, 4, 2, 4, 2, 4, 4, {}),
    ("separate weights", 3, 4, 2, 4, 2, 3, 5, {}),
    ("bool masks", 3, 4, 2, 4, 2, 4, 4, {"bool_masks": True}),
    ("float 3-d mask, per head", 3, 4, 2, 4, 2, 4, 4,
     {"float_mask": True, "average_attn_weights": False}),
    ("bias_kv, zero attn", 3, 4, 2, 4, 2, 4, 4, {"bias_kv": True, "add_zero_attn": True}),
    ("unbatched", 3, 4, 0, 4, 1, 4, 4, {"bool_masks": True}),
    ("no bias", 2, 2, 1, 2, 1, 2, 2, {"no_bias": True}),
]


def mha_samples(rng, dtype):
    found = []
    for _, tgt_len, src_len, batch, embed_dim, heads, kdim, vdim, case in CASES:
        def tensor(*shape):
            return Input(make_values(rng, shape, dtype, "unit"), dtype)

        lead = (batch,) if batch else ()
        separate = kdim != embed_dim or vdim != embed_dim
        args = (tensor(tgt_len, *lead, embed_dim), tensor(src_len, *lead, kdim),
                tensor(src_len, *lead, vdim), embed_dim, heads,
                None if separate else tensor(3 * embed_dim, embed_dim),
                None if case.get("no_bias") else tensor(3 * embed_dim),
                tensor(1, 1, embed_dim) if case.get("bias_kv") else None,
                tensor(1, 1, embed_dim) if case.get("bias_kv") else None,
                bool(case.get("add_zero_attn")), 0.0, tensor(embed_dim, embed_dim),
                None if case.get("no_bias") else tensor(embed_dim))
        kwargs = {"average_attn_weights": case.get("average_attn_weights", True)}
        if separate:
            kwargs.update(use_separate_proj_weight=True,
                          q_proj_weight=tensor(embed_dim, embed_dim),
                          k_proj_weight=tensor(embed_dim, kdim),
                          v_proj_weight=tensor(embed_dim, vdim))
        if case.get("bool_masks"):
            # Masks that leave every query at least one key (key 0 is never masked).
            attn = rng.random((tgt_len, src_len)) < 0.4
            attn[:, 0] = False
            padding = rng.random((max(batch, 1), src_len)) < 0.4
            padding[:, 0] = False
            kwargs["attn_mask"] = Input(attn, ember.bool)
            kwargs["key_padding_mask"] = Input(padding if batch else padding[0], ember.bool)
        if case.get("float_mask"):
            kwargs["attn_mask"] = tensor(batch * heads, tgt_len, src_len)
        found.append(Sample(args, kwargs, k=max(src_len, embed_dim)))
    return found


ENTRIES = [
    OpInfo("nn.functional.multi_head_attention_forward",
           ember.nn.functional.multi_head_attention_forward, ref_multi_head_attention,
           mha_samples, dtypes=DTYPES, kind="reduction", out_dtype=lambda d: (d, d),
           layouts=("contiguous", "transposed")),
]
