"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Random numbers (Generators, multinomial, poisson, randperm, in-place fills, ...).
"""

RANDOM = "random sampling: no gradient w.r.t. the sampled values"
NON_DIFFERENTIABLE = {  # op_db name -> why it is not gradient-checked
    **dict.fromkeys(("randperm", "multinomial", "randint_like", "random_", "geometric_"),
                    "random integers (or indices): no gradient"),
    **dict.fromkeys(("poisson", "exponential_", "log_normal_", "cauchy_"), RANDOM),
    # PyTorch records a graph that gives mean and std zero gradients, which finite differences
    # of a fresh sample cannot confirm; test_tensor_api_gaps.py checks the zeros.
    "normal_tensor": RANDOM,
}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
