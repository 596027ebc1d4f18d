"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's normalization ops.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); input,
weight and bias are all checked, to first and second order (the second through the composite
formula of autograd/derivatives_norm.cpp). The "broadcast" cases pass an expanded input.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    F = ember.nn.functional
    add("nn.functional.layer_norm", "affine",
        lambda x, w, b: F.layer_norm(x, (4,), w, b), real(3, 4), real(4), real(4))
    add("nn.functional.layer_norm", "2 normalized dims",
        lambda x, w, b: F.layer_norm(x, (2, 3), w, b), real(2, 2, 3), real(2, 3), real(2, 3))
    add("nn.functional.layer_norm", "no affine", lambda x: F.layer_norm(x, (3,)), real(4, 3))
    add("nn.functional.layer_norm", "weight only",
        lambda x, w: F.layer_norm(x, (3,), w), real(2, 3), real(3))
    add("nn.functional.layer_norm", "broadcast input",
        lambda x, w, b: F.layer_norm(x.expand(3, 4), (4,), w, b), real(4), real(4), real(4))
    add("nn.functional.batch_norm", "training",
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        real(4, 3, 2), real(3), real(3))
    add("nn.functional.batch_norm", "training 2-d", lambda x: F.batch_norm(x, None, None,
                                                                           training=True),
        real(5, 2))
    add("nn.functional.batch_norm", "eval",
        lambda x, w, b: F.batch_norm(x, ember.zeros(3, dtype=x.dtype),
                                     ember.ones(3, dtype=x.dtype), w, b),
        real(2, 3, 2), real(3), real(3))
    add("nn.functional.group_norm", "affine",
        lambda x, w, b: F.group_norm(x, 2, w, b), real(2, 4, 3), real(4), real(4))
    add("nn.functional.group_norm", "no affine", lambda x: F.group_norm(x, 3, eps=0.1),
        real(2, 3, 2, 2))
    add("nn.functional.batch_norm", "training 4-d, running stats, weight only",
        lambda x, w: F.batch_norm(x, ember.zeros(2, dtype=x.dtype), ember.ones(2, dtype=x.dtype),
                                  w, training=True),
        real(2, 2, 2, 3), real(2))
    add("nn.functional.batch_norm", "training 5-d, bias only",
        lambda x, b: F.batch_norm(x, None, None, None, b, training=True),
        real(2, 2, 2, 1, 2), real(2))
    add("nn.functional.batch_norm", "broadcast input",
        lambda x, w, b: F.batch_norm(x.expand(3, 2, 4), None, None, w, b, training=True),
        real(2, 4), real(2), real(2))
    add("nn.functional.group_norm", "bias only, 4-d",
        lambda x, b: F.group_norm(x, 2, None, b), real(2, 4, 2, 2), real(4))
    add("nn.functional.instance_norm", "affine",
        lambda x, w, b: F.instance_norm(x, weight=w, bias=b), real(2, 3, 4), real(3), real(3))
    add("nn.functional.instance_norm", "broadcast input",
        lambda x: F.instance_norm(x.expand(2, 2, 3)), real(2, 3))
