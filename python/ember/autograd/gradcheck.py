"""gradcheck and gradgradcheck (RELIABILITY T4/T5), with PyTorch's semantics.

gradcheck compares the full Jacobian computed by autograd (one backward per output element,
with a one-hot grad_output) against central finite differences computed by perturbing the
inputs in place, element by element, under no_grad. gradgradcheck runs gradcheck on the
function (inputs, grad_outputs) -> autograd.grad(func(inputs), inputs, grad_outputs,
create_graph=True), which checks the second-order gradients.
"""
import numpy as np

import ember
from ember import _C
from ember.autograd.grad_mode import enable_grad, no_grad

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck when a check fails (a RuntimeError)."""


def _as_tuple(value):
    if isinstance(value, tuple):
        return value
    if isinstance(value, list):
        return tuple(value)
    return (value,)


def _is_tensor(value):
    return isinstance(value, _C.Tensor)


def _checked_outputs(outputs):
    """The floating-point tensor outputs: the ones whose Jacobian is compared."""
    return [o for o in _as_tuple(outputs) if _is_tensor(o) and o.dtype.is_floating_point]


def _to_numpy(tensor):
    """A float64 numpy copy of a tensor's values (any floating dtype)."""
    tensor = tensor.detach()
    if tensor.dtype != ember.float64:
        tensor = tensor.to(ember.float64)
    return np.array(tensor.numpy(), dtype=np.float64, copy=True)


class _Perturber:
    """Writes single elements of an input in place, bypassing autograd and the version counter
    (like PyTorch's gradcheck, which writes through x.data)."""

    def __init__(self, tensor):
        self._tensor = tensor.detach()
        self._array = None
        if self._tensor.dtype in (ember.float64, ember.float32, ember.float16):
            self._array = self._tensor.numpy()  # shares memory, strides included

    def get(self, index):
        if self._array is not None:
            return float(self._array[index])
        return self._tensor[index].item()

    def set(self, index, value):
        if self._array is not None:
            self._array[index] = value
        else:
            with no_grad():
                self._tensor[index] = value


def _evaluate(func, inputs):
    with no_grad():
        return [_to_numpy(o) for o in _checked_outputs(func(*inputs))]


def _numerical_jacobian(func, inputs, checked, output_sizes, eps):
    """jacobians[i][j]: (numel of input j, numel of output i) central differences."""
    jacobians = [[np.zeros((inputs[j].numel(), size)) for j in checked] for size in output_sizes]
    for column, j in enumerate(checked):
        perturber = _Perturber(inputs[j])
        for flat, index in enumerate(np.ndindex(*tuple(inputs[j].shape))):
            original = perturber.get(index)
            try:
                perturber.set(index, original - eps)
                minus = _evaluate(func, inputs)
                perturber.set(index, original + eps)
                plus = _evaluate(func, inputs)
            finally:
                perturber.set(index, original)
            for i, (low, high) in enumerate(zip(minus, plus)):
                jacobians[i][column][flat] = ((high - low) / (2 * eps)).reshape(-1)
    return jacobians


def _analytical_jacobian(outputs, inputs, checked, check_grad_dtypes):
    """jacobians[i][j] from one autograd.grad call per output element (one-hot grad_output)."""
    wrt = [inputs[j] for j in checked]
    jacobians = []
    for i, output in enumerate(outputs):
        rows = [np.zeros((inputs[j].numel(), output.numel())) for j in checked]
        jacobians.append(rows)
        if not output.requires_grad:
            continue  # no graph: the analytical derivative is zero
        for k in range(output.numel()):
            one_hot = np.zeros(output.numel())
            one_hot[k] = 1.0
            grad_output = ember.from_numpy(one_hot.reshape(tuple(output.shape))).to(output.dtype)
            grads = ember.autograd.grad([output], wrt, [grad_output], retain_graph=True,
                                        allow_unused=True)
            for column, (j, grad) in enumerate(zip(checked, grads)):
                if grad is None:
                    continue
                if tuple(grad.shape) != tuple(inputs[j].shape):
                    raise GradcheckError(
                        f"Gradient has incorrect size: output {i}, input {column}: expected "
                        f"{list(inputs[j].shape)}, got {list(grad.shape)}")
                if check_grad_dtypes and grad.dtype != inputs[j].dtype:
                    raise GradcheckError(
                        f"Gradient has dtype mismatch: output {i}, input {column}: expected "
                        f"{inputs[j].dtype}, got {grad.dtype}")
                rows[column][:, k] = _to_numpy(grad).reshape(-1)
    return jacobians


def _check_inputs(inputs):
    checked = []
    for j, value in enumerate(inputs):
        if not (_is_tensor(value) and value.requires_grad):
            continue
        if not value.dtype.is_floating_point:
            raise GradcheckError(f"gradcheck: input {j} requires grad but is not floating point")
        for size, stride in zip(value.shape, value.stride()):
            if size > 1 and stride == 0:
                raise GradcheckError(
                    f"The {j}th input has a dimension with stride 0. gradcheck only supports "
                    "inputs that are non-overlapping to be able to compute the numerical "
                    "gradients correctly. You should call .contiguous on the input before "
                    "passing it to gradcheck.")
        checked.append(j)
    if not checked:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of the them have requires_grad=True.")
    return checked


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def _format(values):
    return np.array2string(values, precision=6, max_line_width=100, threshold=400)


def gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, *,
              nondet_tol=0.0, check_grad_dtypes=False):
    """True when autograd's Jacobian of func(*inputs) matches central finite differences.

    inputs: a tensor or a tuple of tensors (and other arguments); those with requires_grad are
    checked and must be floating point (use float64), without stride-0 dimensions. The
    floating-point tensor outputs are compared; one that does not require grad must have a
    zero numerical derivative. On a mismatch raises GradcheckError (a RuntimeError) "Jacobian
    mismatch for output i with respect to input j" (i counts the floating outputs, j the inputs
    that require grad, as in PyTorch), or returns False when raise_exception is False.
    nondet_tol: how far two backward passes may differ (the reentrancy check).
    """
    inputs = _as_tuple(inputs)
    checked = _check_inputs(inputs)
    with enable_grad():
        outputs = _checked_outputs(func(*inputs))
    sizes = [o.numel() for o in outputs]
    try:
        analytical = _analytical_jacobian(outputs, inputs, checked, check_grad_dtypes)
        again = _analytical_jacobian(outputs, inputs, checked, check_grad_dtypes)
    except GradcheckError as error:
        return _fail(str(error), raise_exception)
    numerical = _numerical_jacobian(func, inputs, checked, sizes, eps)
    for i in range(len(outputs)):
        for column in range(len(checked)):
            a, n = analytical[i][column], numerical[i][column]
            if not np.all(np.abs(a - n) <= atol + rtol * np.abs(n)):
                return _fail(f"Jacobian mismatch for output {i} with respect to input {column},\n"
                             f"numerical:{_format(n)}\nanalytical:{_format(a)}\n",
                             raise_exception)
            if not np.all(np.abs(a - again[i][column]) <= nondet_tol):
                return _fail(f"Backward is not reentrant, i.e., running backward with same input "
                             f"and grad_output multiple times gives different values, although "
                             f"analytical gradient matches numerical gradient. The tolerance "
                             f"for nondeterminism was {nondet_tol}.", raise_exception)
    return True


def _random_grad_outputs(outputs, seed):
    rng = np.random.default_rng(seed)
    grads = []
    for output in outputs:
        values = rng.uniform(-1.0, 1.0, tuple(output.shape))
        grad = ember.from_numpy(np.asarray(values, dtype=np.float64)).to(output.dtype)
        grads.append(grad.requires_grad_())
    return tuple(grads)


def gradgradcheck(func, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, *, nondet_tol=0.0, check_grad_dtypes=False, seed=0):
    """Second-order gradcheck: checks autograd.grad(func(*inputs), inputs, grad_outputs,
    create_graph=True) with gradcheck, w.r.t. the inputs and the grad_outputs.

    grad_outputs: one per floating output of func; when None, seeded random values in [-1, 1)
    that require grad.
    """
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    if grad_outputs is None:
        with enable_grad():
            outputs = _checked_outputs(func(*inputs))
        grad_outputs = _random_grad_outputs(outputs, seed)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    count = len(grad_outputs)
    differentiable = [j for j, x in enumerate(inputs) if _is_tensor(x) and x.requires_grad]

    def first_order(*args):
        with enable_grad():  # the finite differences call this under no_grad
            input_args, grads = args[:-count], args[-count:]
            outputs = _checked_outputs(func(*input_args))
            pairs = [(o, g) for o, g in zip(outputs, grads) if o.requires_grad]
            if not pairs:
                return ()
            result = ember.autograd.grad([o for o, _ in pairs],
                                         [input_args[j] for j in differentiable],
                                         [g for _, g in pairs], create_graph=True,
                                         allow_unused=True)
            return tuple(g for g in result if g is not None)

    return gradcheck(first_order, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_grad_dtypes=check_grad_dtypes)
