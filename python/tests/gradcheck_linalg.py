"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
Linear algebra (ember.linalg, einsum, tensordot, baddbmm, ...).

Inputs are made well-conditioned inside each case: diagonally dominant for solves and
determinants, x x^T + n I for the positive-definite ops, and symmetrized for eigh (which reads one
triangle, so the check runs on the symmetric function of the leaf).
"""
import ember

NON_DIFFERENTIABLE = {  # op_db name -> why it is not gradient-checked
    "linalg.matrix_rank": "integer result",
    "linalg.inv_ex": "checked through linalg.inv (the same solve); info is an integer",
    "linalg.solve_ex": "checked through linalg.solve; info is an integer",
    "linalg.cholesky_ex": "checked through linalg.cholesky; info is an integer",
}
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def dominant(x):
    n = x.shape[-1]
    return x + 3 * n * ember.eye(n, dtype=x.dtype)


def positive_definite(x):
    n = x.shape[-1]
    return ember.matmul(x, x.mT) + n * ember.eye(n, dtype=x.dtype)


def symmetric(x):
    return x + x.mT


def separated(x):
    """A symmetric matrix with well-separated eigenvalues (1, 4, 7, ...) plus x's perturbation."""
    n = x.shape[-1]
    spread = ember.tensor([3.0 * i + 1 for i in range(n)], dtype=x.dtype)
    return 0.1 * symmetric(x) + spread.unsqueeze(-1) * ember.eye(n, dtype=x.dtype)


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("linalg.multi_dot", "three", lambda a, b, c: ember.linalg.multi_dot([a, b, c]),
        real(2, 3), real(3, 4), real(4, 2))
    add("linalg.lstsq", "4x3", lambda a, b: ember.linalg.lstsq(a, b).solution, real(4, 3),
        real(4, 2))
    linalg = ember.linalg
    add("linalg.det", "3x3", lambda x: linalg.det(dominant(x)), real(3, 3))
    add("linalg.det", "batch", lambda x: linalg.det(dominant(x)), real(2, 2, 2))
    add("linalg.slogdet", "3x3", lambda x: linalg.slogdet(dominant(x))[1], real(3, 3))
    add("linalg.inv", "3x3", lambda x: linalg.inv(dominant(x)), real(3, 3))
    add("linalg.solve", "matrix", lambda a, b: linalg.solve(dominant(a), b), real(3, 3),
        real(3, 2))
    add("linalg.solve", "broadcast", lambda a, b: linalg.solve(dominant(a), b), real(2, 2, 2),
        real(2, 1))
    add("linalg.solve", "left=False", lambda a, b: linalg.solve(dominant(a), b, left=False),
        real(3, 3), real(2, 3))
    add("linalg.solve_triangular", "upper",
        lambda a, b: linalg.solve_triangular(dominant(a), b, upper=True), real(3, 3), real(3, 2))
    add("linalg.solve_triangular", "lower unit right",
        lambda a, b: linalg.solve_triangular(dominant(a), b, upper=False, left=False,
                                             unitriangular=True), real(3, 3), real(2, 3))
    add("linalg.cholesky", "3x3", lambda x: linalg.cholesky(positive_definite(x)), real(3, 3))
    add("linalg.cholesky", "upper", lambda x: linalg.cholesky(positive_definite(x), upper=True),
        real(2, 3, 3))
    add("linalg.qr", "tall", lambda x: linalg.qr(x), real(4, 3))
    add("linalg.qr", "square", lambda x: linalg.qr(dominant(x)), real(3, 3))
    add("linalg.eigh", "3x3", lambda x: linalg.eigh(separated(x)), real(3, 3))
    add("linalg.eigvalsh", "3x3", lambda x: linalg.eigvalsh(separated(x)), real(3, 3))
    add("linalg.svd", "tall", lambda x: linalg.svd(separated(x)[..., :2], full_matrices=False),
        real(3, 3))
    add("linalg.svd", "square", lambda x: linalg.svd(separated(x))[1], real(3, 3))
    add("linalg.svdvals", "wide", lambda x: linalg.svdvals(separated(x)[:2]), real(3, 3))
    add("linalg.pinv", "tall", lambda x: linalg.pinv(separated(x)[..., :2]), real(3, 3))
    add("linalg.matrix_power", "n=3", lambda x: linalg.matrix_power(x, 3), real(3, 3))
    add("linalg.matrix_power", "n=-2", lambda x: linalg.matrix_power(dominant(x), -2), real(2, 2))
    add("linalg.matrix_exp", "3x3", linalg.matrix_exp, real(3, 3))
    add("linalg.vector_norm", "ord 3", lambda x: linalg.vector_norm(x, 3, dim=1),
        real(3, 4, domain="nonzero"))
    add("linalg.matrix_norm", "fro", linalg.matrix_norm, real(3, 4))
    add("linalg.matrix_norm", "nuc", lambda x: linalg.matrix_norm(separated(x), "nuc"), real(3, 3))
    add("linalg.matrix_norm", "ord 1", lambda x: linalg.matrix_norm(x, 1), real(3, 4))
    add("linalg.norm", "vector", lambda x: linalg.norm(x, dim=1), real(3, 4))
    add("einsum", "bmm", lambda a, b: ember.einsum("bij,bjk->bik", a, b), real(2, 2, 3),
        real(2, 3, 2))
    add("einsum", "three operands", lambda a, b, c: ember.einsum("ij,jk,k->i", a, b, c),
        real(2, 3), real(3, 2), real(2))
    add("einsum", "diagonal", lambda a: ember.einsum("ii->i", a), real(3, 3))
    add("tensordot", "dims=1", lambda a, b: ember.tensordot(a, b, 1), real(2, 3), real(3, 2))
    add("kron", "2x2", ember.kron, real(2, 2), real(2, 3))
    add("baddbmm", "scaled", lambda i, a, b: ember.baddbmm(i, a, b, beta=0.5, alpha=2),
        real(2, 2, 2), real(2, 2, 3), real(2, 3, 2))
    add("addbmm", "scaled", lambda i, a, b: ember.addbmm(i, a, b, beta=0.5, alpha=2), real(2, 2),
        real(2, 2, 3), real(2, 3, 2))
    add("addmv", "scaled", lambda i, a, b: ember.addmv(i, a, b, beta=0.5, alpha=2), real(2),
        real(2, 3), real(3))
    add("addr", "scaled", lambda i, a, b: ember.addr(i, a, b, beta=0.5, alpha=2), real(2, 3),
        real(2), real(3))
    # legacy names
    add("det", "3x3", lambda x: ember.det(dominant(x)), real(3, 3))
    add("logdet", "spd", lambda x: ember.logdet(positive_definite(x)), real(3, 3))
    add("slogdet", "3x3", lambda x: ember.slogdet(dominant(x))[1], real(3, 3))
    add("inverse", "3x3", lambda x: ember.inverse(dominant(x)), real(3, 3))
    add("cholesky", "3x3", lambda x: ember.cholesky(positive_definite(x)), real(3, 3))
    add("cholesky_solve", "lower",
        lambda b, x: ember.cholesky_solve(b, ember.linalg.cholesky(positive_definite(x))),
        real(3, 2), real(3, 3))
    add("cholesky_inverse", "lower",
        lambda x: ember.cholesky_inverse(ember.linalg.cholesky(positive_definite(x))), real(3, 3))
    add("qr", "tall", lambda x: ember.qr(x), real(4, 3))
    add("svd", "tall", lambda x: ember.svd(separated(x)[..., :2]), real(3, 3))
    add("pinverse", "tall", lambda x: ember.pinverse(separated(x)[..., :2]), real(3, 3))
    add("matrix_power", "n=2", lambda x: ember.matrix_power(x, 2), real(3, 3))
    add("matrix_exp", "2x2", ember.matrix_exp, real(2, 2))
