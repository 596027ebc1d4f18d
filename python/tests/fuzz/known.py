"""Defects already filed (issue 6) that the fuzzers would otherwise report again.

Each entry names the issue item it stands for and matches exactly those cases; remove it when
the fix lands (the fuzzers then check the case like any other).
"""
import numpy as np

import ember

# Exceptions that name a problem with the call; anything else escaping an op is a defect, and
# so is a typed one whose message shows a C++ exception or an internal invariant.
TYPED = (RuntimeError, ValueError, TypeError, IndexError, NotImplementedError, OverflowError)
UNTYPED_MARKERS = ("std::", "bad_cast", "bad_alloc", "vector::", "basic_string", "internal")
# Known defects that show as an exception: (issue item, a piece of the message).
MESSAGES = [
    ("issue 6 spurious errors: mm of valid strided operands is not GEMM-compatible",
     "operand layout is not GEMM-compatible"),
]


def classify_error(error):
    """("error" | "skip" | "fail", detail) for an exception a case raised."""
    message = str(error)
    for reason, piece in MESSAGES:
        if piece in message:
            return "skip", reason
    if not isinstance(error, TYPED) or any(marker in message for marker in UNTYPED_MARKERS):
        return "fail", f"untyped exception {type(error).__name__}: {message[:300]}"
    return "error", f"{type(error).__name__}: {message[:200]}"


DIVISIONS = {"floor_divide", "remainder", "div_trunc", "div_floor"}


def wraps_to_zero(value, dtype):
    """A Python int that becomes 0 when stored in an integer dtype (256 in uint8, say)."""
    bits = 8 * np.dtype(str(dtype).removeprefix("ember.")).itemsize
    return isinstance(value, int) and not isinstance(value, bool) and value % (1 << bits) == 0


def _integer_scalar_divisor_wraps(case):
    # issue 6, Crashes: "integer //, %, remainder, floor_divide, div(rounding_mode=) by a Python
    # int that wraps to 0 in the tensor's dtype dies with SIGFPE".
    if case.info.name not in DIVISIONS or case.dtype.is_floating_point or case.dtype == ember.bool:
        return False
    return any(wraps_to_zero(arg, case.dtype) for arg in case.args[1:])


def _scalar_out_of_range(case):
    # issue 6, Wrong values: "a Python scalar that does not fit the tensor's dtype must raise as
    # PyTorch does" (ember stores it wrapped).
    if case.dtype.is_floating_point or case.dtype == ember.bool:
        return False
    info = np.iinfo(str(case.dtype).removeprefix("ember."))
    return any(isinstance(arg, int) and not isinstance(arg, bool) and
               not info.min <= arg <= info.max for arg in case.args)


def _std_of_huge_values(case):
    # issue 6, Wrong values: "std of huge values overflows to inf" (the squares overflow).
    if case.info.name != "std":
        return False
    arg = case.args[0]
    limit = np.sqrt(float(np.finfo(np.float32).max if arg.dtype == ember.bfloat16
                          else np.finfo(arg.values.dtype).max))
    finite = arg.values[np.isfinite(arg.values)]
    return bool(finite.size and np.abs(finite.astype(np.float64)).max() >= limit)


def _alpha_of_zero_dim_integer(case):
    # NEW (fuzz_findings.md 3): add/sub(x, python_int, alpha=) of a 0-d integer x gives int64.
    first = case.args[0] if case.args else None
    return (case.info.name in ("add_alpha", "sub_alpha") and hasattr(first, "values")
            and first.values.ndim == 0 and not case.dtype.is_floating_point
            and any(isinstance(arg, int) and not isinstance(arg, bool) for arg in case.args[1:]))


def _alpha_product_overflows(case):
    # NEW (fuzz_findings.md 6): add/sub(x, y, alpha=) rounds alpha * y to the dtype before the
    # addition, so it overflows where x + alpha * y (one rounding, as PyTorch's FMA) does not.
    if case.info.name not in ("add_alpha", "sub_alpha") or not case.dtype.is_floating_point:
        return False
    alpha = abs(float(case.kwargs.get("alpha", 1)))
    biggest = float(np.finfo(np.float32 if case.dtype == ember.bfloat16 else
                             str(case.dtype).removeprefix("ember.")).max)
    for arg in case.args[1:]:
        values = np.asarray(getattr(arg, "values", arg), dtype=np.float64)
        finite = np.abs(values[np.isfinite(values)])
        if finite.size and finite.max() * alpha > biggest:
            return True
    return False


OPCALL = [
    ("NEW fuzz_findings.md 6: alpha * other overflows before the addition",
     _alpha_product_overflows),
    ("NEW fuzz_findings.md 3: alpha with a 0-d integer tensor and a Python int",
     _alpha_of_zero_dim_integer),
    ("issue 6 wrong values: std of huge values overflows", _std_of_huge_values),
    ("issue 6 crashes: integer division by a Python int wrapping to 0",
     _integer_scalar_divisor_wraps),
    ("issue 6 wrong values: Python scalar out of the dtype's range", _scalar_out_of_range),
]


def opcall_reason(case):
    """The KNOWN entry an op-call case falls under, or ""."""
    for reason, matches in OPCALL:
        if matches(case):
            return reason
    return ""


def graph_reason(program):
    """The KNOWN entry an autograd program falls under, or ""."""
    for reason, matches in GRAPH:
        if matches(program):
            return reason
    return ""


def _basic_view_of_expanded(program):
    # issue 6, Wrong gradients: "b.expand(5, 3)[:] (and [...], as_strided) accumulates 5x too
    # much".
    expanded = set()
    for step in program.steps:
        if step.op == "expand":
            expanded.add(step.result)
        elif step.operands and step.operands[0] in expanded:
            if step.op in ("getitem", "as_strided"):
                return True
            if step.op in ("permute", "transpose", "unsqueeze", "reshape_view"):
                expanded.add(step.result)
    return False


def _norm_or_std_of_constant(program):
    # issue 6, Wrong gradients: "norm()/std() of a zero or constant tensor give NaN gradients".
    return any(step.op in ("norm", "std") and step.constant_input for step in program.steps)


GRAPH = [
    ("issue 6 wrong gradients: basic view of an expanded tensor", _basic_view_of_expanded),
    ("issue 6 wrong gradients: norm/std of a constant", _norm_or_std_of_constant),
]


def _advanced(case):
    return any(not isinstance(k, (int, slice, type(None), type(Ellipsis))) for k in case.key)


def _empty_slice(case):
    """The key holds a slice that selects nothing from its dim (so the view is empty)."""
    dim = 0
    shape = case.x.values.shape
    for k in case.key:
        if k is Ellipsis:
            dim = len(shape) - sum(1 for j in case.key if j is not None and j is not Ellipsis
                                   and not isinstance(j, bool)) + dim
            continue
        if k is None or isinstance(k, bool):
            continue
        if isinstance(k, slice) and dim < len(shape) and len(range(*k.indices(shape[dim]))) == 0:
            return True
        dim += getattr(getattr(k, "values", None), "ndim", 1) if not isinstance(k, slice) else 1
    return False


def _index_empty_step_dim(case):
    # issue 6, Crashes: "advanced indexing and index_select on a tensor with an empty dimension
    # made by a step slice corrupt the heap". Any non-contiguous layout does it (fuzz_findings.md
    # 5: a permuted one too).
    strided_empty = case.x.layout != "contiguous" and 0 in case.x.values.shape
    if case.op == "index_select":
        return strided_empty
    return (strided_empty or _empty_slice(case)) and _advanced(case)


def _index_put_empty(case):
    # issue 6, Crashes: "index_put with an empty slice writes elements it must not or reads a
    # 0-byte storage".
    if not case.op.startswith("setitem") or not _advanced(case):
        return False
    try:
        return case.expected().size == 0
    except (IndexError, ValueError):
        return False


def _bool_with_tensor_index(case):
    # issue 6, Wrong values: "zeros(2, 3, 4)[True, tensor([0, 1]), 1] has the wrong shape".
    return any(isinstance(k, bool) for k in case.key) and _advanced(case)


INDEX = [
    ("issue 6 crashes: advanced index / index_select of a stepped empty dim",
     _index_empty_step_dim),
    ("issue 6 crashes: index_put selecting nothing", _index_put_empty),
    ("issue 6 wrong values: Python bool with a tensor index", _bool_with_tensor_index),
]


def index_reason(case):
    """The KNOWN entry an indexing case falls under, or ""."""
    for reason, matches in INDEX:
        if matches(case):
            return reason
    return ""
