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


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("poison", [float("nan"), float("inf")])
def test_nan_or_infinite_score_makes_its_row_nan_as_the_math_path(dtype, poison):
    q, k, v = uniform(3, 4, dtype=dtype), uniform(70, 4, dtype=dtype), uniform(70, 2, dtype=dtype)
    q[1, 0] = poison  # row 1's scores: NaN, or +-inf (inf - inf in the softmax)
    k[65, 1] = float("nan")  # one NaN score in every row, in the second key block
    for out in (sdpa(q, k, v), math_sdpa(q, k, v)[0]):
        assert np.isnan(out.numpy()).all()
    k[65, 1] = 0.0
    fused, math = sdpa(q, k, v).numpy(), math_sdpa(q, k, v)[0].numpy()
    assert np.isnan(fused[1]).all() and np.isnan(math[1]).all()
    np.testing.assert_allclose(fused[[0, 2]], math[[0, 2]], rtol=1e-5)


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


# (query, key, value shapes, mask shape or None, mask kind, keyword arguments): L != S, E != Ev,
# batch and head dims that broadcast, bool and float masks that broadcast, causal with L > S
# and L < S, GQA, and sizes above the kernel's blocks (64 queries, 128 keys).
FUSED_CASES = [
    ((2, 3, 5), (2, 7, 5), (2, 7, 3), None, None, {}),
    ((2, 2, 70, 8), (2, 2, 150, 8), (2, 2, 150, 5), None, None, {}),
    ((1, 2, 130, 4), (1, 2, 130, 4), (1, 2, 130, 6), None, None, {"is_causal": True}),
    ((2, 90, 4), (2, 40, 4), (2, 40, 4), None, None, {"is_causal": True}),
    ((2, 40, 4), (2, 140, 4), (2, 140, 4), None, None, {"is_causal": True, "scale": 0.2}),
    ((3, 2, 9, 4), (1, 2, 11, 4), (3, 1, 11, 2), (3, 1, 9, 11), "bool", {}),
    ((2, 2, 70, 4), (2, 2, 131, 4), (2, 2, 131, 4), (131,), "float", {}),
    ((2, 2, 6, 4), (2, 2, 5, 4), (2, 2, 5, 4), (2, 1, 6, 1), "bool", {}),
    ((1, 6, 5, 4), (1, 2, 7, 4), (1, 2, 7, 3), (5, 7), "float", {"enable_gqa": True}),
]


def fused_case_inputs(case, dtype, seed):
    shape_q, shape_k, shape_v, shape_mask, mask_kind, kwargs = case
    rng = np.random.default_rng(seed)
    tensors = [ember.tensor(rng.uniform(-2, 2, shape), dtype=dtype).requires_grad_()
               for shape in (shape_q, shape_k, shape_v)]
    mask = None
    if mask_kind == "bool":
        keep = rng.random(shape_mask) < 0.6
        keep.reshape(-1, shape_mask[-1])[0] = False  # one fully masked row
        mask = ember.tensor(keep)
    elif mask_kind == "float":
        mask = ember.tensor(rng.uniform(-3, 1, shape_mask), dtype=dtype)
    return tensors, mask, kwargs


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("case", range(len(FUSED_CASES)))
def test_fused_matches_math_composite_values_and_gradients(case, dtype):
    tolerance = 1e-4 if dtype == ember.float32 else 1e-10
    (q, k, v), mask, kwargs = fused_case_inputs(FUSED_CASES[case], dtype, case)
    results = []
    for op in (sdpa, lambda *a, **kw: math_sdpa(*a, **kw)[0]):
        for t in (q, k, v):
            t.grad = None
        out = op(q, k, v, mask, **kwargs)
        rng = np.random.default_rng(100 + case)
        out.backward(ember.tensor(rng.uniform(-1, 1, tuple(out.shape)), dtype=dtype))
        results.append([out.detach().numpy()] + [t.grad.numpy() for t in (q, k, v)])
    for fused, math in zip(*results):
        np.testing.assert_allclose(fused, math, rtol=tolerance, atol=tolerance)


def test_fused_reads_non_contiguous_inputs():
    rng = np.random.default_rng(3)
    base = ember.tensor(rng.uniform(-1, 1, (2, 9, 3, 8)))
    q, k, v = (t.transpose(1, 2) for t in (base[..., :4], base[..., 4:], base[..., ::2]))
    mask = ember.tensor(rng.random((9, 9)) < 0.7).t()
    np.testing.assert_allclose(sdpa(q, k, v, mask).numpy(),
                               math_sdpa(q.contiguous(), k.contiguous(), v.contiguous(),
                                         mask.contiguous())[0].numpy(), atol=1e-12)


def test_fused_path_saves_only_linear_memory_at_1024():
    """Autograd keeps q, k, v, out and the row log-sum-exp: O(L) memory, no L x S matrix."""
    rng = np.random.default_rng(0)
    q, k, v = (ember.tensor(rng.uniform(-1, 1, (1, 1024, 64)), dtype=ember.float32)
               .requires_grad_() for _ in range(3))
    held = {}
    for name, op in (("fused", sdpa), ("math", lambda *a, **kw: math_sdpa(*a, **kw)[0])):
        before = ember._C._allocator_stats()["allocated_bytes"]
        out = op(q, k, v, is_causal=True)
        held[name] = ember._C._allocator_stats()["allocated_bytes"] - before
        out.sum().backward()
        del out
    scores_bytes = 1024 * 1024 * 4
    assert held["fused"] <= 1024 * 64 * 4 + 1024 * 4 + 65536  # out + lse (+ rounding)
    assert held["math"] >= scores_bytes  # the measure does see an L x S matrix
