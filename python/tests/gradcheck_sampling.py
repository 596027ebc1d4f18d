"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Parameterised samplers (_standard_gamma and its gradient, _sample_dirichlet, binomial).
"""

IMPLICIT = ("implicit reparameterisation: the gradient holds the sample's CDF value fixed, which "
            "finite differences of a fresh (or reseeded) sample do not; op_db_sampling checks "
            "_standard_gamma_grad against scipy's CDF derivative and test_distributions_extra "
            "checks the backward pass against it and as an unbiased gradient of the mean")
NON_DIFFERENTIABLE = {  # op_db name -> why it is not gradient-checked
    "_standard_gamma": IMPLICIT,
    "_sample_dirichlet": IMPLICIT,
    "_standard_gamma_grad": "a gradient formula without a derivative of its own (as PyTorch's)",
    "binomial": "random integers: no gradient",
}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
