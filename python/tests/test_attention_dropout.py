"""scaled_dot_product_attention's dropout inside the fused kernel (Note [fused attention]): the
keep rate, the mask being one bernoulli fill of the (..., L, S) weights from the global
generator (so the math composite and the fused kernel draw the same mask from the same seed),
values and gradients against the composite with that mask, and O(L) saved memory with dropout."""
import numpy as np
import pytest

import ember

sdpa = ember.nn.functional.scaled_dot_product_attention
math_sdpa = ember._C._nn._scaled_dot_product_attention_math


def uniform(rng, *shape, dtype=ember.float64):
    return ember.tensor(rng.uniform(-1, 1, shape), dtype=dtype)


@pytest.mark.parametrize("p", [0.1, 0.3, 0.8])
def test_keep_rate_and_scale_of_kept_weights(p):
    """With q = 0 every weight is 1 / S, and value = I makes the output the dropped weights."""
    batch, length, keys = 3, 100, 200  # several query blocks (64) and key blocks (128)
    q = ember.zeros(batch, length, 8)
    k = uniform(np.random.default_rng(0), batch, keys, 8, dtype=ember.float32)
    v = ember.eye(keys).expand(batch, keys, keys)
    ember.manual_seed(1)
    out = sdpa(q, k, v, dropout_p=p).numpy()
    kept = out != 0
    draws = kept.size
    assert abs(kept.mean() - (1 - p)) < 5 * np.sqrt(p * (1 - p) / draws)
    np.testing.assert_allclose(out[kept], 1 / ((1 - p) * keys), rtol=1e-6)


def test_mask_is_a_bernoulli_fill_of_the_weights_shape():
    rng = np.random.default_rng(2)
    q, k, v = uniform(rng, 2, 70, 4), uniform(rng, 2, 130, 4), uniform(rng, 2, 130, 3)
    p = 0.4
    ember.manual_seed(7)
    out = sdpa(q, k, v, dropout_p=p).numpy()
    ember.manual_seed(7)
    keep = ember.empty(2, 70, 130).bernoulli_(1 - p).numpy()
    scores = q.numpy() @ k.numpy().transpose(0, 2, 1) / 2.0
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(out, (weights * keep / (1 - p)) @ v.numpy(), rtol=1e-10)


def test_generator_advances_and_seed_reproduces():
    rng = np.random.default_rng(3)
    q, k, v = uniform(rng, 4, 6, 3), uniform(rng, 4, 9, 3), uniform(rng, 4, 9, 2)
    ember.manual_seed(5)
    first, second = sdpa(q, k, v, dropout_p=0.5).numpy(), sdpa(q, k, v, dropout_p=0.5).numpy()
    ember.manual_seed(5)
    again = sdpa(q, k, v, dropout_p=0.5).numpy()
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)


def test_dropout_one_gives_zeros():
    rng = np.random.default_rng(4)
    out = sdpa(uniform(rng, 2, 3, 4), uniform(rng, 2, 5, 4), uniform(rng, 2, 5, 3), dropout_p=1.0)
    np.testing.assert_array_equal(out.numpy(), np.zeros((2, 3, 3)))


# (query, key, value shapes, mask shape or None, mask kind, keyword arguments): blocks of the
# kernel, causal, broadcast batch dims, bool and float masks, GQA.
DROPOUT_CASES = [
    ((2, 3, 5), (2, 7, 5), (2, 7, 3), None, None, {}),
    ((2, 2, 70, 8), (2, 2, 150, 8), (2, 2, 150, 5), None, None, {}),
    ((1, 2, 130, 4), (1, 2, 130, 4), (1, 2, 130, 6), None, None, {"is_causal": True}),
    ((3, 2, 9, 4), (1, 2, 11, 4), (3, 1, 11, 2), (3, 1, 9, 11), "bool", {}),
    ((2, 2, 70, 4), (2, 2, 131, 4), (2, 2, 131, 4), (131,), "float", {"scale": 0.3}),
    ((1, 6, 5, 4), (1, 2, 7, 4), (1, 2, 7, 3), None, None, {"enable_gqa": True}),
]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("case", range(len(DROPOUT_CASES)))
def test_fused_dropout_matches_math_composite_with_the_same_mask(case, dtype):
    """The same seed gives both paths the same mask: values and all three gradients agree."""
    shape_q, shape_k, shape_v, shape_mask, mask_kind, kwargs = DROPOUT_CASES[case]
    rng = np.random.default_rng(case)
    q, k, v = (uniform(rng, *shape, dtype=dtype).requires_grad_()
               for shape in (shape_q, shape_k, shape_v))
    mask = None
    if mask_kind == "bool":
        mask = ember.tensor(rng.random(shape_mask) < 0.6)
    elif mask_kind == "float":
        mask = uniform(rng, *shape_mask, dtype=dtype)
    tolerance = 1e-4 if dtype == ember.float32 else 1e-10
    results = []
    for op in (sdpa, lambda *a, **kw: math_sdpa(*a, **kw)[0]):
        for t in (q, k, v):
            t.grad = None
        ember.manual_seed(11)
        out = op(q, k, v, mask, dropout_p=0.35, **kwargs)
        grad = np.random.default_rng(100 + case).uniform(-1, 1, tuple(out.shape))
        out.backward(ember.tensor(grad, dtype=dtype))
        results.append([out.detach().numpy()] + [t.grad.numpy() for t in (q, k, v)])
    for fused, math in zip(*results):
        np.testing.assert_allclose(fused, math, rtol=tolerance, atol=tolerance)


def test_double_backward_with_dropout_matches_math_composite():
    """create_graph differentiates the composite rule, which redraws the mask as a tensor."""
    rng = np.random.default_rng(9)
    q, k, v = (uniform(rng, 2, n, 3).requires_grad_() for n in (4, 6, 6))
    grads = []
    for op in (sdpa, lambda *a, **kw: math_sdpa(*a, **kw)[0]):
        ember.manual_seed(3)
        out = op(q, k, v, dropout_p=0.5)
        (gq,) = ember.autograd.grad((out * out).sum(), (q,), create_graph=True)
        grads.append(ember.autograd.grad(gq.sum(), (q, k, v)))
    for fused, math in zip(*grads):
        np.testing.assert_allclose(fused.numpy(), math.numpy(), rtol=1e-10, atol=1e-12)


def test_dropout_keeps_saved_memory_linear():
    """No L x S mask is stored: with dropout the forward holds what it holds without."""
    rng = np.random.default_rng(0)
    q, k, v = (ember.tensor(rng.uniform(-1, 1, (1, 1024, 64)), dtype=ember.float32)
               .requires_grad_() for _ in range(3))
    before = ember._C._allocator_stats()["allocated_bytes"]
    out = sdpa(q, k, v, dropout_p=0.2)
    held = ember._C._allocator_stats()["allocated_bytes"] - before
    out.sum().backward()
    assert held <= 1024 * 64 * 4 + 1024 * 4 + 65536  # out + lse (+ rounding)
    assert np.isfinite(q.grad.numpy()).all()
