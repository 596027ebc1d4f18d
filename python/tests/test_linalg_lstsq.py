"""linalg.lstsq through LAPACK's drivers (RELIABILITY T1-T5): solutions against numpy's lstsq
(the minimum-norm solution), PyTorch's rules for which results are empty per driver and shape,
rcond, batches and broadcasting, vector right-hand sides, rank-deficient input, errors, and the
gradient (through the pseudo-inverse) by gradcheck and gradgradcheck.
"""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck, gradgradcheck

F64 = ember.float64
DRIVERS = ["gels", "gelsy", "gelsd", "gelss"]


def tensor(values, dtype=F64):
    return ember.tensor(np.asarray(values), dtype=dtype)


def random(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("m,n", [(6, 3), (3, 6), (4, 4)])
def test_solution_matches_numpy(driver, m, n):
    a, b = random((m, n), 1), random((m, 2), 2)
    result = ember.linalg.lstsq(tensor(a), tensor(b), driver=driver)
    expected, residuals, rank, singular_values = np.linalg.lstsq(a, b, rcond=None)
    np.testing.assert_allclose(result.solution.numpy(), expected, atol=1e-10)
    assert result.solution.dtype == F64
    tall = m > n
    if driver == "gelsy":
        assert result.residuals.shape == (0,)
    else:
        assert result.residuals.shape == ((2,) if tall else (0,))
        if tall:
            np.testing.assert_allclose(result.residuals.numpy(), residuals, atol=1e-10)
    if driver == "gels":
        assert result.rank.shape == (0,)
    else:
        assert result.rank.dtype == ember.int64 and result.rank.item() == rank
    if driver in ("gelsd", "gelss"):
        np.testing.assert_allclose(result.singular_values.numpy(), singular_values, atol=1e-12)
        assert not result.singular_values.requires_grad
    else:
        assert result.singular_values.shape == (0,)


@pytest.mark.parametrize("driver", ["gelsy", "gelsd", "gelss"])
def test_rank_deficient_gives_the_minimum_norm_solution(driver):
    a = random((5, 3), 3)
    a[:, 2] = a[:, 1]
    b = random((5, 2), 4)
    result = ember.linalg.lstsq(tensor(a), tensor(b), driver=driver)
    np.testing.assert_allclose(result.solution.numpy(), np.linalg.pinv(a) @ b, atol=1e-10)
    assert result.rank.item() == 2
    assert result.residuals.shape == (0,)  # not full rank


def test_rcond_sets_the_rank():
    a = np.diag([1.0, 1e-3, 1e-8])
    b = np.ones((3, 1))
    for driver in ("gelsd", "gelss", "gelsy"):
        assert ember.linalg.lstsq(tensor(a), tensor(b), driver=driver).rank.item() == 3
        result = ember.linalg.lstsq(tensor(a), tensor(b), rcond=1e-5, driver=driver)
        assert result.rank.item() == 2
        np.testing.assert_allclose(result.solution.numpy()[:, 0], [1.0, 1e3, 0.0], rtol=1e-9)


@pytest.mark.parametrize("driver", DRIVERS)
def test_batched_and_broadcast(driver):
    a, b = random((2, 1, 5, 3), 5), random((1, 3, 5, 2), 6)
    result = ember.linalg.lstsq(tensor(a), tensor(b), driver=driver)
    assert result.solution.shape == (2, 3, 3, 2)
    a_full, b_full = np.broadcast_to(a, (2, 3, 5, 3)), np.broadcast_to(b, (2, 3, 5, 2))
    expected = np.linalg.pinv(a_full) @ b_full
    np.testing.assert_allclose(result.solution.numpy(), expected, atol=1e-10)
    if driver != "gels":
        assert result.rank.shape == (2, 3) and (result.rank.numpy() == 3).all()
    if driver in ("gelsd", "gelss"):
        assert result.singular_values.shape == (2, 3, 3)
    if driver != "gelsy":
        assert result.residuals.shape == (2, 3, 2)


def test_vector_right_hand_side_and_layouts():
    a, b = random((5, 3), 7), random(5, 8)
    transposed = ember.from_numpy(np.ascontiguousarray(a.T)).mT
    sliced = ember.from_numpy(np.repeat(b, 2))[::2]
    result = ember.linalg.lstsq(transposed, sliced, driver="gels")
    np.testing.assert_allclose(result.solution.numpy(), np.linalg.pinv(a) @ b, atol=1e-10)
    assert result.solution.shape == (3,) and result.residuals.shape == (1,)


def test_float32():
    a, b = random((6, 3), 9), random((6, 2), 10)
    result = ember.linalg.lstsq(tensor(a, ember.float32), tensor(b, ember.float32))
    assert result.solution.dtype == ember.float32
    np.testing.assert_allclose(result.solution.numpy(), np.linalg.pinv(a) @ b, atol=1e-5)


def test_empty_and_non_finite_input():
    result = ember.linalg.lstsq(ember.zeros(0, 3, dtype=F64), ember.zeros(0, 2, dtype=F64),
                                driver="gelsd")
    assert result.solution.shape == (3, 2) and not result.solution.numpy().any()
    assert result.rank.item() == 0
    for driver in DRIVERS:
        result = ember.linalg.lstsq(ember.full((3, 2), float("nan"), dtype=F64),
                                    ember.ones(3, 1, dtype=F64), driver=driver)
        assert np.isnan(result.solution.numpy()).all()
        result = ember.linalg.lstsq(ember.eye(3, dtype=F64),
                                    ember.full((3, 1), float("inf"), dtype=F64), driver=driver)
        assert np.isnan(result.solution.numpy()).all()


def test_errors():
    a = ember.ones(5, 3, dtype=F64)
    with pytest.raises(ValueError, match=r"\[linalg.lstsq\] parameter `driver` should be one of"):
        ember.linalg.lstsq(a, ember.ones(5, 1, dtype=F64), driver="gesv")
    with pytest.raises(RuntimeError, match=r"input.size\(-2\) should match other.size\(-1\)"):
        ember.linalg.lstsq(a, ember.ones(4, dtype=F64))
    with pytest.raises(RuntimeError, match=r"input.dim\(\) must be greater or equal"):
        ember.linalg.lstsq(a, ember.ones(2, 5, 1, dtype=F64))
    with pytest.raises(RuntimeError, match=r"same dtype.*float64.*float32"):
        ember.linalg.lstsq(a, ember.ones(5, 1))
    with pytest.raises(RuntimeError, match=r"Expected a floating point tensor"):
        ember.linalg.lstsq(ember.ones(5, 3, dtype=ember.int64), ember.ones(5, 1, dtype=ember.int64))


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("m,n", [(5, 3), (3, 5), (3, 3)])
def test_gradients(driver, m, n):
    a = ember.from_numpy(random((m, n), 11) + np.eye(m, n)).requires_grad_()
    b = ember.from_numpy(random((m, 2), 12)).requires_grad_()

    def solution(x, y):
        return ember.linalg.lstsq(x, y, driver=driver).solution

    assert gradcheck(solution, (a, b))
    assert gradgradcheck(solution, (a, b))


def test_gradients_broadcast_and_residuals():
    a = ember.from_numpy(np.ascontiguousarray(random((3, 5), 13).T)).requires_grad_()
    b = ember.from_numpy(random((2, 5, 1), 14)).requires_grad_()
    assert gradcheck(lambda x, y: ember.linalg.lstsq(x.unsqueeze(0), y).solution, (a, b))
    b = b[0]
    assert gradcheck(lambda x, y: ember.linalg.lstsq(x, y, driver="gelsd").residuals, (a, b))
    assert gradgradcheck(lambda x, y: ember.linalg.lstsq(x, y, driver="gels").residuals, (a, b))


def test_rank_deficient_gradient_matches_pinv():
    values = random((5, 3), 15)
    values[:, 2] = values[:, 0]
    a = ember.from_numpy(values.copy()).requires_grad_()
    b = ember.from_numpy(random((5, 2), 16))
    ember.linalg.lstsq(a, b, driver="gelsd").solution.sum().backward()
    reference = ember.from_numpy(values.copy()).requires_grad_()
    ember.matmul(ember.linalg.pinv(reference), b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), reference.grad.numpy(), atol=1e-10)
