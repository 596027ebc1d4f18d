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
MESSAGES = []


def classify_error(error):
    """("error" | "skip" | "fail", detail) for an exception a case raised."""
    message = str(error)
    for reason, piece in MESSAGES:
        if piece in message:
            return "skip", reason
    if not isinstance(error, TYPED) or any(marker in message for marker in UNTYPED_MARKERS):
        return "fail", f"untyped exception {type(error).__name__}: {message[:300]}"
    return "error", f"{type(error).__name__}: {message[:200]}"


# The ops of ember.linalg built on LAPACK (and their legacy names), whose results for NaN, inf
# and extremal inputs depend on the algorithm.
LINALG_FACTORIZATIONS = tuple(f"linalg.{name}" for name in (
    "det", "slogdet", "inv", "inv_ex", "solve", "solve_ex", "solve_triangular", "cholesky",
    "cholesky_ex", "qr", "eigh", "eigvalsh", "svd", "svdvals", "pinv", "matrix_rank",
    "matrix_power", "matrix_exp", "matrix_norm", "norm", "lstsq")) + (
    "det", "logdet", "slogdet", "inverse", "cholesky", "cholesky_solve", "cholesky_inverse", "qr",
    "svd", "pinverse", "matrix_power", "matrix_exp")


def non_finite_factorization(case):
    """What LAPACK makes of NaN/inf input is the algorithm's own (which triangle it reads, where
    a pivot search or an iteration stops, how NaN spreads): numpy's results differ from LAPACK's
    and PyTorch's, so there is nothing to compare."""
    if case.info.name not in LINALG_FACTORIZATIONS:
        return False
    for arg in case.args:
        if not hasattr(arg, "values"):
            continue
        magnitude = np.abs(np.asarray(arg.values, dtype=float))
        # NaN/inf, or the sprinkled extremal finite values (near the dtype's max, subnormal,
        # exact zeros), which make a matrix singular or so ill-conditioned that any two
        # algorithms disagree.
        if not np.isfinite(magnitude).all() or ((magnitude > 1e30) | (magnitude < 1e-30)).any():
            return True
    return False


def infinite_quantile_input(case):
    """numpy's quantile interpolates an exact hit v[k] as v[k] + 0 * (v[k+1] - v[k]), which is
    NaN when a neighbour is infinite; PyTorch and ember return v[k] (so numpy cannot judge)."""
    if case.info.name not in ("quantile", "nanquantile"):
        return False
    values = [arg.values for arg in case.args[:1] if hasattr(arg, "values")]
    return any(np.isinf(np.asarray(v, dtype=float)).any() for v in values)



def extremal_values_in(case, names):
    """Whether case is one of the ops `names` with a NaN, inf or extremal (beyond 1e30 or below
    1e-30) input value."""
    if case.info.name not in names:
        return False
    for arg in case.args:
        if hasattr(arg, "values") and np.asarray(arg.values).dtype.kind == "f":
            magnitude = np.abs(np.asarray(arg.values, dtype=float))
            if not np.isfinite(magnitude).all() or ((magnitude > 1e30) | (magnitude < 1e-30)).any():
                return True
    return False


def ill_conditioned_float32_matrix(case):
    """A float32 pseudo-inverse of a matrix with condition number beyond 1e2 is accurate only to
    about cond * 6e-8, past the op's float32 tolerance; LAPACK and numpy round differently (a
    batch with cond about 700 differed by 4e-5 relative)."""
    if case.info.name not in ("pinverse", "linalg.pinv") or case.dtype != ember.float32:
        return False
    matrices = [np.asarray(arg.values, dtype=float) for arg in case.args
                if hasattr(arg, "values") and np.ndim(arg.values) >= 2]
    for matrix in matrices:
        if matrix.size and np.isfinite(matrix).all():
            singular = np.linalg.svd(matrix, compute_uv=False)
            if (singular[..., 0] > 1e2 * singular[..., -1]).any():
                return True
    return False


def nan_histogram_bins(case):
    """histogram with a NaN among its bin edges: numpy's reference then counts nonsense
    (negative counts), so it cannot judge the result."""
    if case.info.name != "histogram":
        return False
    edges = [np.asarray(arg.values, dtype=float) for arg in case.args[1:2]
             if hasattr(arg, "values")]
    return any(np.isnan(values).any() for values in edges)


# Op-call cases: (issue item, predicate on the case).
OPCALL = []

# Op-call cases that run without a reference to compare with: (why, predicate on the case). A
# crash, a hang or an untyped exception still fails them; a result or a typed error (LinAlgError)
# passes.
UNCOMPARED = [("LAPACK ops on non-finite or extremal input", non_finite_factorization),
              ("numpy's quantile reference: NaN from an infinite neighbour",
               infinite_quantile_input),
              ("float32 pinverse of an ill-conditioned matrix", ill_conditioned_float32_matrix),
              ("numpy's histogram reference: NaN bin edges", nan_histogram_bins),
              # A float64 reference does not overflow where the op's float32 intermediate
              # product does (addcmul: inf + (-inf) is nan in PyTorch too); CTC's alpha
              # recursion over values that are not log-probabilities has no meaningful result.
              ("intermediate overflow or non-log-probabilities",
               lambda case: extremal_values_in(case, ("addcmul", "addcdiv",
                                                      "nn.functional.ctc_loss")))]
# float32 convolutions sum products in blocks (oneDNN) where a float64 reference does not
# overflow; lerp's float32 end - start and cross's a1 b2 - a2 b1 overflow as PyTorch's do.
UNCOMPARED.append(("float32 intermediate overflow in a convolution, lerp or cross",
                   lambda case: extremal_values_in(case, (
                       "lerp", "cross", "linalg.cross", "convolution",
                       *(f"nn.functional.conv{k}d" for k in (1, 2, 3)),
                       *(f"nn.functional.conv_transpose{k}d" for k in (1, 2, 3))))))

# normalize's eps (1e-12) rounds to 0 in float16, so a zero norm gives 0/0 = NaN, as in PyTorch
# (clamp_min casts the scalar to the tensor's dtype); the float64 reference keeps eps.
UNCOMPARED.append(("float16 normalize: eps underflows to 0",
                   lambda case: case.info.name == "nn.functional.normalize"
                   and case.dtype == ember.float16))



def infinite_attention_value(case):
    """Whether case is scaled_dot_product_attention with an infinite value entry."""
    if case.info.name != "nn.functional.scaled_dot_product_attention" or len(case.args) < 3:
        return False
    value = case.args[2]
    return hasattr(value, "values") and bool(np.isinf(np.asarray(value.values, dtype=float)).any())


# The fused attention kernel skips the keys is_causal masks out, as PyTorch's flash kernel does;
# the math reference multiplies their zero weights by the values, and 0 * inf is NaN.
UNCOMPARED.append(("attention: an infinite value under a masked-out key",
                   infinite_attention_value))
# affine_grid's float64 reference adds theta's products one by one: with entries near float64's
# max a partial sum overflows (inf - inf = NaN) where ember's result is finite and right.
UNCOMPARED.append(("affine_grid: float64 intermediate overflow in the reference",
                   lambda case: extremal_values_in(case, ("nn.functional.affine_grid",))))


def opcall_reason(case):
    """The KNOWN entry an op-call case falls under, or ""."""
    for reason, matches in OPCALL:
        if matches(case):
            return reason
    return ""


def uncompared_reason(case):
    """The UNCOMPARED entry an op-call case falls under, or ""."""
    for reason, matches in UNCOMPARED:
        if matches(case):
            return reason
    return ""


def graph_reason(program):
    """The KNOWN entry an autograd program falls under, or ""."""
    for reason, matches in GRAPH:
        if matches(program):
            return reason
    return ""


GRAPH = []

# Indexing cases: (issue item, predicate on the case).
INDEX = []


def index_reason(case):
    """The KNOWN entry an indexing case falls under, or ""."""
    for reason, matches in INDEX:
        if matches(case):
            return reason
    return ""
