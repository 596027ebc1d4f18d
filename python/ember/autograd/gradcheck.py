"""gradcheck and gradgradcheck (RELIABILITY T4/T5), with PyTorch's semantics.

Thin shells over the C++ checks (ember/autograd/gradcheck.h): full mode compares the whole
Jacobian from autograd (one backward per output element) with central finite differences,
perturbing the inputs in place element by element under no_grad; fast_mode=True compares
v^T J u for random unit vectors u and v instead (one backward per output, two evaluations per
input). gradgradcheck runs gradcheck on (inputs, grad_outputs) -> autograd.grad(func(inputs),
inputs, grad_outputs, create_graph=True).
"""
from ember import _C

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck when a check fails (a RuntimeError)."""


def _as_tuple(value):
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


def _outcome(message, raise_exception):
    if not message:
        return True
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, *,
              nondet_tol=0.0, check_grad_dtypes=False, fast_mode=False, seed=0):
    """gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, *,
    nondet_tol=0.0, check_grad_dtypes=False, fast_mode=False, seed=0) -> bool

    True when autograd's derivatives of func(*inputs) match central finite differences.

    inputs: a tensor or a tuple of tensors (and other arguments); those with requires_grad are
    checked and must be floating point (use float64), without stride-0 dimensions. The
    floating-point tensor outputs are compared; one that does not require grad must have a
    zero numerical derivative. On a mismatch raises GradcheckError (a RuntimeError) "Jacobian
    mismatch for output i with respect to input j" (i counts the floating outputs, j the inputs
    that require grad, as in PyTorch), or returns False when raise_exception is False.
    nondet_tol: how far two backward passes may differ (the reentrancy check).
    fast_mode: compare v^T J u along random directions (seeded by `seed`) instead of the
    full Jacobians.
    """
    message = _C._autograd.gradcheck(func, _as_tuple(inputs), None, False, eps, atol, rtol,
                                     nondet_tol, fast_mode, check_grad_dtypes, seed)
    return _outcome(message, raise_exception)


def gradgradcheck(func, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, *, nondet_tol=0.0, check_grad_dtypes=False,
                  fast_mode=False, seed=0):
    """gradgradcheck(func, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
    raise_exception=True, *, nondet_tol=0.0, check_grad_dtypes=False, fast_mode=False,
    seed=0) -> bool

    Second-order gradcheck: checks autograd.grad(func(*inputs), inputs, grad_outputs,
    create_graph=True) with gradcheck, w.r.t. the inputs and the grad_outputs.

    grad_outputs: one per floating output of func; when None, seeded random values in [-1, 1)
    that require grad.
    """
    grad_outputs = None if grad_outputs is None else list(_as_tuple(grad_outputs))
    message = _C._autograd.gradcheck(func, _as_tuple(inputs), grad_outputs, True, eps, atol,
                                     rtol, nondet_tol, fast_mode, check_grad_dtypes, seed)
    return _outcome(message, raise_exception)
