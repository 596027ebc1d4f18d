"""ember.linalg beyond op_db: errors for bad input (typed, naming op, shapes and dtypes), the
*_ex variants' info, singular and indefinite input, einsum's equation forms, and properties of
decompositions (orthogonality, reconstruction) that values alone do not show."""
import numpy as np
import pytest

import ember

F64 = ember.float64


def tensor(values, dtype=F64):
    return ember.tensor(np.asarray(values, dtype=np.float64).tolist(), dtype=dtype)


def spd(n, batch=(), seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1, 1, batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("op", [ember.linalg.inv, ember.linalg.det, ember.linalg.cholesky,
                                ember.linalg.slogdet, ember.linalg.eigh])
def test_non_square_raises(op):
    with pytest.raises(RuntimeError, match=r"square matrices, but they are 3 by 4"):
        op(ember.zeros(3, 4, dtype=F64))


@pytest.mark.parametrize("op", [ember.linalg.inv, ember.linalg.det, ember.linalg.svdvals])
def test_one_dimensional_input_raises(op):
    with pytest.raises(RuntimeError, match=r"at least 2 dimensions"):
        op(ember.zeros(3, dtype=F64))


@pytest.mark.parametrize("dtype", [ember.int64, ember.int32, ember.bool])
def test_integer_input_raises(dtype):
    with pytest.raises(RuntimeError, match=r"linalg.inv\] Expected a floating point tensor"):
        ember.linalg.inv(ember.zeros(2, 2, dtype=dtype))


@pytest.mark.parametrize("dtype", [ember.float16, ember.bfloat16])
def test_low_precision_raises(dtype):
    with pytest.raises(RuntimeError, match=r"Low precision dtypes not supported"):
        ember.linalg.cholesky(ember.ones(2, 2, dtype=dtype))


def test_singular_inverse_names_the_zero_pivot():
    a = tensor([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(RuntimeError, match=r"linalg.inv\] The diagonal element 2 is zero, the "
                                           r"inversion could not be completed because the input "
                                           r"matrix is singular."):
        ember.linalg.inv(a)
    with pytest.raises(RuntimeError, match="singular"):
        ember.inverse(a)


def test_singular_batch_names_the_batch_element():
    values = np.stack([np.eye(2), [[1.0, 2.0], [2.0, 4.0]]])
    with pytest.raises(RuntimeError, match=r"\(Batch element 1\): The diagonal element 2"):
        ember.linalg.inv(tensor(values))


def test_inv_ex_returns_info():
    values = np.stack([np.eye(2), [[1.0, 2.0], [2.0, 4.0]]])
    inverse, info = ember.linalg.inv_ex(tensor(values))
    assert info.dtype == ember.int32
    assert info.tolist() == [0, 2]
    np.testing.assert_allclose(inverse[0].numpy(), np.eye(2))
    with pytest.raises(RuntimeError, match="Batch element 1"):
        ember.linalg.inv_ex(tensor(values), check_errors=True)


def test_solve_singular_raises():
    with pytest.raises(RuntimeError, match=r"linalg.solve\] The solver failed because the input "
                                           r"matrix is singular"):
        ember.linalg.solve(ember.zeros(2, 2, dtype=F64), ember.ones(2, dtype=F64))


def test_cholesky_not_positive_definite():
    a = tensor([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(RuntimeError, match=r"linalg.cholesky\] The factorization could not be "
                                           r"completed because the input is not positive-definite "
                                           r"\(the leading minor of order 2 is not "
                                           r"positive-definite\)."):
        ember.linalg.cholesky(a)
    lower, info = ember.linalg.cholesky_ex(a)
    assert info.item() == 2
    assert lower.shape == (2, 2)


def test_solve_shape_and_dtype_errors():
    a = ember.eye(3, dtype=F64)
    with pytest.raises(RuntimeError, match=r"Incompatible shapes of A and B .*3x3 and 4x1"):
        ember.linalg.solve(a, ember.ones(4, 1, dtype=F64))
    with pytest.raises(RuntimeError, match=r"same dtype.*float64.*float32"):
        ember.linalg.solve(a, ember.ones(3, 1))


def test_qr_mode_and_eigh_uplo_errors():
    with pytest.raises(ValueError, match="unrecognized mode 'full'"):
        ember.linalg.qr(ember.eye(2, dtype=F64), mode="full")
    with pytest.raises(ValueError, match="UPLO argument must be 'L' or 'U'"):
        ember.linalg.eigh(ember.eye(2, dtype=F64), UPLO="X")


def test_einsum_errors():
    a = ember.ones(2, 3)
    with pytest.raises(ValueError, match=r"number of subscripts in the equation \(3\) does not "
                                         r"match the number of dimensions \(2\) for operand 0"):
        ember.einsum("ijk", a)
    with pytest.raises(ValueError, match="invalid subscript given at index 1"):
        ember.einsum("i1", a)
    with pytest.raises(ValueError, match="more operands were provided"):
        ember.einsum("ij", a, a)
    with pytest.raises(ValueError, match="output subscript k does not appear"):
        ember.einsum("ij->k", a)
    with pytest.raises(ValueError, match="subscript j has size 2 for operand 1 which does not "
                                         "broadcast with previously seen size 3"):
        ember.einsum("ij,jk->ik", a, ember.ones(2, 2))
    with pytest.raises(ValueError, match="repeated for operand 0 but the sizes don't match"):
        ember.einsum("ii->i", a)


def test_matrix_norm_bad_order():
    with pytest.raises(ValueError, match="Order 3 not supported"):
        ember.linalg.matrix_norm(ember.ones(2, 2), ord=3)


# ---------------------------------------------------------------- values and properties


def test_solve_left_false_and_vector_rhs():
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)
    b = rng.uniform(-1, 1, (2, 3))
    x = ember.linalg.solve(tensor(a), tensor(b), left=False)
    np.testing.assert_allclose(x.numpy() @ a, b, atol=1e-12)
    v = rng.uniform(-1, 1, 3)
    np.testing.assert_allclose(ember.linalg.solve(tensor(a), tensor(v)).numpy(),
                               np.linalg.solve(a, v), atol=1e-12)


def test_solve_triangular_right_side():
    rng = np.random.default_rng(2)
    a = np.triu(rng.uniform(-1, 1, (3, 3))) + 3 * np.eye(3)
    b = rng.uniform(-1, 1, (2, 3))
    x = ember.linalg.solve_triangular(tensor(a), tensor(b), upper=True, left=False)
    np.testing.assert_allclose(x.numpy() @ a, b, atol=1e-12)


def test_det_of_singular_matrix_is_zero():
    assert ember.linalg.det(tensor([[1.0, 2.0], [2.0, 4.0]])).item() == 0.0
    sign, logabsdet = ember.linalg.slogdet(tensor([[1.0, 2.0], [2.0, 4.0]]))
    assert sign.item() == 0.0 and logabsdet.item() == -np.inf
    assert np.isnan(ember.logdet(tensor([[0.0, 1.0], [1.0, 0.0]])).item())


def test_qr_r_mode_and_orthogonality():
    rng = np.random.default_rng(3)
    a = rng.uniform(-1, 1, (5, 3))
    q, r = ember.linalg.qr(tensor(a), mode="r")
    assert q.numel() == 0 and r.shape == (3, 3)
    q, r = ember.linalg.qr(tensor(a), mode="complete")
    np.testing.assert_allclose(q.numpy().T @ q.numpy(), np.eye(5), atol=1e-12)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), a, atol=1e-12)


def test_eigh_reconstructs():
    a = spd(4, (2,))
    values, vectors = ember.linalg.eigh(tensor(a))
    v = vectors.numpy()
    np.testing.assert_allclose(v @ (values.numpy()[..., None] * np.swapaxes(v, -1, -2)), a,
                               atol=1e-10)
    assert (np.diff(values.numpy(), axis=-1) >= 0).all()


def test_svd_full_and_legacy():
    rng = np.random.default_rng(4)
    a = rng.uniform(-1, 1, (4, 3))
    u, s, vh = ember.linalg.svd(tensor(a))
    assert u.shape == (4, 4) and s.shape == (3,) and vh.shape == (3, 3)
    u, s, v = ember.svd(tensor(a))
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ v.numpy().T, a, atol=1e-12)
    u, s, v = ember.svd(tensor(a), compute_uv=False)
    assert u.shape == (4, 4) and not u.numpy().any()


def test_lstsq_overdetermined():
    rng = np.random.default_rng(5)
    a = rng.uniform(-1, 1, (6, 3))
    b = rng.uniform(-1, 1, (6, 2))
    solution, residuals, rank, singular_values = ember.linalg.lstsq(tensor(a), tensor(b),
                                                                     driver="gelsd")
    expected, expected_residuals, expected_rank, expected_sv = np.linalg.lstsq(a, b, rcond=None)
    np.testing.assert_allclose(solution.numpy(), expected, atol=1e-12)
    np.testing.assert_allclose(residuals.numpy(), expected_residuals, atol=1e-12)
    assert rank.item() == expected_rank
    np.testing.assert_allclose(singular_values.numpy(), expected_sv, atol=1e-12)
    solution, residuals, rank, singular_values = ember.linalg.lstsq(tensor(a), tensor(b))
    assert residuals.numel() == 0 and singular_values.numel() == 0


def test_multi_dot_with_vectors():
    rng = np.random.default_rng(6)
    arrays = [rng.uniform(-1, 1, 4), rng.uniform(-1, 1, (4, 5)), rng.uniform(-1, 1, (5, 2)),
              rng.uniform(-1, 1, 2)]
    result = ember.linalg.multi_dot([tensor(x) for x in arrays])
    np.testing.assert_allclose(result.numpy(), np.linalg.multi_dot(arrays), atol=1e-12)


def test_einsum_list_form_and_implicit_output():
    a = tensor(np.arange(6.0).reshape(2, 3))
    b = tensor(np.arange(12.0).reshape(3, 4))
    np.testing.assert_allclose(ember.einsum("ij,jk", [a, b]).numpy(), a.numpy() @ b.numpy())
    np.testing.assert_allclose(ember.einsum("ba", a).numpy(), a.numpy().T)


def test_einsum_matches_bmm():
    rng = np.random.default_rng(7)
    a = tensor(rng.uniform(-1, 1, (3, 4, 5)))
    b = tensor(rng.uniform(-1, 1, (3, 5, 2)))
    np.testing.assert_array_equal(ember.einsum("bij,bjk->bik", a, b).numpy(),
                                  ember.bmm(a, b).numpy())


def test_cholesky_upper_is_transpose():
    a = tensor(spd(3))
    upper = ember.linalg.cholesky(a, upper=True)
    np.testing.assert_allclose(upper.numpy().T @ upper.numpy(), a.numpy(), atol=1e-12)


def test_batched_parallel_path_matches_loop():
    """A batch large enough for the parallel path gives the per-matrix results."""
    a = spd(6, (300,), seed=8)
    lower = ember.linalg.cholesky(tensor(a)).numpy()
    np.testing.assert_allclose(lower, np.linalg.cholesky(a), atol=1e-12)


def test_gradient_node_names():
    a = tensor(spd(3)).requires_grad_()
    assert ember.linalg.cholesky(a).grad_fn.name() == "LinalgCholeskyExBackward0"
    assert ember.linalg.slogdet(a)[1].grad_fn.name() == "LinalgSlogdetBackward0"
