"""det and slogdet gradients at singular matrices (RELIABILITY T4, T5): det's gradient is the
cofactor matrix for every A (rank n - 1: nonzero; rank n - 2 and lower: zero), checked against
the minors and by float64 gradcheck on contiguous, transposed and broadcast singular leaves, and
gradgradcheck at rank n - 1. slogdet's is infinite there: backward gives non-finite values
instead of raising.

gradgradcheck at rank n - 2 and lower is not run: there two singular values are zero, where the
SVD's derivative (which the second derivative goes through) is undefined.
"""
import numpy as np
import pytest

import ember
from ember.autograd import gradcheck, gradgradcheck

F64 = ember.float64


def rank_deficient(n, rank, seed, batch=()):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, batch + (n, rank)) @ rng.uniform(-1, 1, batch + (rank, n))


def cofactor(a):
    n = a.shape[-1]
    result = np.zeros_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=-2), j, axis=-1)
            result[..., i, j] = (-1) ** (i + j) * (np.linalg.det(minor) if n > 1 else 1.0)
    return result


def leaf(values, layout):
    if layout == "transposed":
        tensor = ember.from_numpy(np.ascontiguousarray(np.swapaxes(values, -1, -2))).mT
    else:
        tensor = ember.from_numpy(np.array(values))
    return tensor.requires_grad_()


def test_det_gradient_of_a_2x2_singular_matrix():
    a = ember.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=F64, requires_grad=True)
    ember.linalg.det(a).backward()
    np.testing.assert_allclose(a.grad.numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)


@pytest.mark.parametrize("n,rank", [(2, 1), (3, 2), (3, 1), (4, 3), (4, 2), (3, 0)])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_det_gradient_is_the_cofactor_matrix(n, rank, layout):
    values = rank_deficient(n, rank, seed=10 * n + rank, batch=(2,))
    values[0] += np.eye(n)  # a batch of one invertible and one singular matrix
    a = leaf(values, layout)
    ember.linalg.det(a).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), cofactor(values), atol=1e-12)
    for legacy in (ember.det, ember.Tensor.det):
        b = leaf(values, layout)
        legacy(b).sum().backward()
        np.testing.assert_allclose(b.grad.numpy(), cofactor(values), atol=1e-12)


@pytest.mark.parametrize("n,rank", [(2, 1), (3, 2), (3, 1), (4, 3), (4, 2)])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_det_gradcheck_at_singular_matrices(n, rank, layout):
    a = leaf(rank_deficient(n, rank, seed=n + 7 * rank), layout)
    assert gradcheck(ember.linalg.det, (a,))


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_det_gradgradcheck_at_rank_n_minus_1(n, layout):
    a = leaf(rank_deficient(n, n - 1, seed=3 * n), layout)
    assert gradgradcheck(ember.linalg.det, (a,))


def test_det_checks_on_broadcast_singular_input():
    a = leaf(rank_deficient(3, 2, seed=4), "contiguous")

    def det_of_expanded(x):
        return ember.linalg.det(x.expand(2, 3, 3) * ember.tensor([1.0, 2.0], dtype=F64)[:, None,
                                                                                       None])

    assert gradcheck(det_of_expanded, (a,))
    assert gradgradcheck(det_of_expanded, (a,))


def test_det_gradgradcheck_on_invertible_batches():
    a = leaf(rank_deficient(3, 3, seed=5, batch=(2,)) + 2 * np.eye(3), "transposed")
    assert gradgradcheck(ember.linalg.det, (a,))


def test_slogdet_gradient_at_a_singular_matrix_is_infinite_not_an_error():
    a = ember.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=F64, requires_grad=True)
    sign, logabsdet = ember.linalg.slogdet(a)
    assert sign.item() == 0 and logabsdet.item() == -np.inf
    logabsdet.backward()
    assert not np.isfinite(a.grad.numpy()).any()


def test_slogdet_gradient_of_a_mixed_batch():
    values = np.stack([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]])
    a = ember.from_numpy(values.copy()).requires_grad_()
    ember.linalg.slogdet(a)[1].sum().backward()
    np.testing.assert_allclose(a.grad.numpy()[1], np.linalg.inv(values[1]).T, atol=1e-12)
    assert not np.isfinite(a.grad.numpy()[0]).any()
