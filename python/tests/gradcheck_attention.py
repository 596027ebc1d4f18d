"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional.scaled_dot_product_attention: fused path (dropout_p = 0, and dropout under a fixed
seed) and math composite.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); the
"broadcast" cases pass expanded inputs or masks that broadcast over batch and heads.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere

NAME = "nn.functional.scaled_dot_product_attention"


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    sdpa = ember.nn.functional.scaled_dot_product_attention
    add(NAME, "L != S, E != Ev", sdpa, real(2, 3, 4), real(2, 5, 4), real(2, 5, 2))
    add(NAME, "causal", lambda q, k, v: sdpa(q, k, v, is_causal=True),
        real(1, 2, 4, 3), real(1, 2, 3, 3), real(1, 2, 3, 2))
    add(NAME, "float mask", lambda q, k, v, m: sdpa(q, k, v, m, scale=0.7),
        real(2, 3, 2), real(2, 4, 2), real(2, 4, 3), real(3, 4))
    add(NAME, "bool mask with a fully masked row",
        lambda q, k, v: sdpa(q, k, v, ember.tensor([[True, False, True], [False, False, False]])),
        real(2, 2, 3), real(2, 3, 3), real(2, 3, 2))
    add(NAME, "broadcast", lambda q, k, v: sdpa(q, k.expand(2, 4, 3), v),
        real(2, 3, 3), real(4, 3), real(1, 4, 2))
    add(NAME, "gqa", lambda q, k, v: sdpa(q, k, v, enable_gqa=True),
        real(1, 4, 2, 3), real(1, 2, 3, 3), real(1, 2, 3, 2))

    def seeded_dropout(q, k, v):
        # Every evaluation draws the same mask: the fused kernel's, regenerated in its backward.
        ember.manual_seed(0)
        return sdpa(q, k, v, dropout_p=0.3)

    add(NAME, "fused dropout, fixed seed", seeded_dropout,
        real(2, 3, 4), real(2, 5, 4), real(2, 5, 2))
