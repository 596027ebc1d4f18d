"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)): nn.utils'
norm_except_dim and _weight_norm, to first and second order, in v and g, over each dim and over
the whole tensor (dim=-1)."""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("norm_except_dim", "dim 0", lambda v: ember.norm_except_dim(v, 2, 0),
        real(3, 4, domain="nonzero"))
    add("norm_except_dim", "dim 1 of 3-d", lambda v: ember.norm_except_dim(v, 2, 1),
        real(2, 3, 2, domain="nonzero"))
    add("norm_except_dim", "whole tensor", lambda v: ember.norm_except_dim(v, 2, -1),
        real(3, 2, domain="nonzero"))
    add("_weight_norm", "dim 0", lambda v, g: ember._weight_norm(v, g, 0),
        real(3, 4, domain="nonzero"), real(3, 1))
    add("_weight_norm", "dim 1", lambda v, g: ember._weight_norm(v, g, 1),
        real(2, 3, 2, domain="nonzero"), real(1, 3, 1))
    add("_weight_norm", "whole tensor", lambda v, g: ember._weight_norm(v, g, -1),
        real(3, 2, domain="nonzero"), real())
    add("_weight_norm", "broadcast v", lambda v, g: ember._weight_norm(v.expand(3, 4), g, 0),
        real(4, domain="nonzero"), real(3, 1))
