"""ember.linalg.LinAlgError (RELIABILITY T3): numerical failures of valid input (singular,
not positive-definite, non-converging) raise it, a RuntimeError subclass as torch.linalg's, with
torch.linalg's messages; the *_ex variants return the info instead unless check_errors=True.
NaN, inf and extremal finite input give a result or a typed error, never a crash or a hang.
"""
import numpy as np
import pytest

import ember

F64 = ember.float64
LinAlgError = ember.linalg.LinAlgError
SINGULAR = [[1.0, 2.0], [2.0, 4.0]]


def tensor(values):
    return ember.tensor(values, dtype=F64)


def test_linalg_error_is_a_runtime_error():
    assert issubclass(LinAlgError, RuntimeError)
    assert LinAlgError.__module__ == "ember.linalg"
    with pytest.raises(RuntimeError):
        ember.linalg.inv(tensor(SINGULAR))


def test_shape_errors_stay_plain_runtime_errors():
    with pytest.raises(RuntimeError) as caught:
        ember.linalg.inv(ember.zeros(2, 3, dtype=F64))
    assert not isinstance(caught.value, LinAlgError)


def test_inv_message():
    message = ("[linalg.inv] The diagonal element 2 is zero, the inversion could not be completed "
               "because the input matrix is singular.")
    with pytest.raises(LinAlgError) as caught:
        ember.linalg.inv(tensor(SINGULAR))
    assert str(caught.value) == message
    with pytest.raises(LinAlgError):
        ember.inverse(tensor(SINGULAR))
    with pytest.raises(LinAlgError):
        ember.linalg.matrix_power(tensor(SINGULAR), -1)


def test_batched_inv_names_the_batch_element():
    values = np.stack([np.eye(2)] * 3 + [SINGULAR])
    with pytest.raises(LinAlgError, match=r"^\[linalg.inv\] \(Batch element 3\): The diagonal "
                                          r"element 2 is zero, the inversion could not be "
                                          r"completed because the input matrix is singular.$"):
        ember.linalg.inv(tensor(values))


def test_solve_message():
    with pytest.raises(LinAlgError, match=r"^\[linalg.solve\] The solver failed because the input "
                                          r"matrix is singular.$"):
        ember.linalg.solve(tensor(SINGULAR), ember.ones(2, dtype=F64))


def test_cholesky_message():
    with pytest.raises(LinAlgError, match=r"^\[linalg.cholesky\] The factorization could not be "
                                          r"completed because the input is not positive-definite "
                                          r"\(the leading minor of order 2 is not "
                                          r"positive-definite\).$"):
        ember.linalg.cholesky(tensor([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(LinAlgError):
        ember.cholesky(tensor([[-1.0]]))


@pytest.mark.parametrize("op", ["inv_ex", "cholesky_ex"])
def test_ex_variants_return_info_unless_asked_to_check(op):
    bad = tensor([[1.0, 2.0], [2.0, 4.0]]) if op == "inv_ex" else tensor([[1.0, 2.0], [2.0, 1.0]])
    _, info = getattr(ember.linalg, op)(bad)
    assert info.item() == 2
    with pytest.raises(LinAlgError):
        getattr(ember.linalg, op)(bad, check_errors=True)


def test_solve_ex_returns_info():
    _, info = ember.linalg.solve_ex(tensor(SINGULAR), ember.ones(2, 1, dtype=F64))
    assert info.item() == 2
    with pytest.raises(LinAlgError, match="singular"):
        ember.linalg.solve_ex(tensor(SINGULAR), ember.ones(2, 1, dtype=F64), check_errors=True)


@pytest.mark.parametrize("op,what", [("eigh", "eigh"), ("eigvalsh", "eigh"), ("svd", "svd"),
                                     ("svdvals", "svdvals")])
@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_input_does_not_converge(op, what, value):
    a = ember.full((3, 3), value, dtype=F64)
    with pytest.raises(LinAlgError, match=rf"^\[linalg.{what}\] The algorithm failed to converge "
                                          r"because the input matrix contained non-finite "
                                          r"values.$"):
        getattr(ember.linalg, op)(a)


def test_non_finite_batch_element_is_named():
    a = ember.eye(3, dtype=F64).repeat(2, 1, 1)
    a[1, 0, 0] = float("nan")
    with pytest.raises(LinAlgError, match=r"\(Batch element 1\): The algorithm failed"):
        ember.linalg.eigh(a)


def test_lstsq_gels_rank_deficient():
    with pytest.raises(LinAlgError, match=r"^\[linalg.lstsq\] The least squares solution could not "
                                          r"be computed because the input matrix does not have "
                                          r"full rank \(error code: \d\).$"):
        ember.linalg.lstsq(tensor([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]),
                           ember.ones(3, 1, dtype=F64), driver="gels")


EXTREME_OPS = {
    "det": ember.linalg.det, "slogdet": ember.linalg.slogdet, "inv_ex": ember.linalg.inv_ex,
    "solve_ex": lambda a: ember.linalg.solve_ex(a, a), "cholesky_ex": ember.linalg.cholesky_ex,
    "qr": ember.linalg.qr, "eigh": ember.linalg.eigh, "svd": ember.linalg.svd,
    "pinv": ember.linalg.pinv, "matrix_rank": ember.linalg.matrix_rank,
    "matrix_exp": ember.linalg.matrix_exp,
    "matrix_norm 2": lambda a: ember.linalg.matrix_norm(a, 2),
    **{f"lstsq {driver}": (lambda a, driver=driver: ember.linalg.lstsq(a, a, driver=driver))
       for driver in ("gels", "gelsy", "gelsd", "gelss")},
}


@pytest.mark.parametrize("name", sorted(EXTREME_OPS))
@pytest.mark.parametrize("dtype", [ember.float32, F64])
@pytest.mark.parametrize("value", ["nan", "inf", "max", "subnormal", "zero"])
def test_extreme_input_gives_a_result_or_a_typed_error(name, dtype, value):
    info = ember.finfo(dtype)
    number = {"nan": float("nan"), "inf": float("inf"), "max": info.max,
              "subnormal": info.tiny / 4, "zero": 0.0}[value]
    a = ember.eye(3, dtype=dtype)
    a[0, 1] = number
    a[2, 2] = number
    try:
        EXTREME_OPS[name](a)
    except RuntimeError as error:
        assert str(error).startswith("[")
