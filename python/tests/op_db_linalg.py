"""op_db entries of one op family:
Linear algebra (ember.linalg, einsum, tensordot, baddbmm, ...).

The references are numpy.linalg / scipy.linalg. Decompositions whose factors are unique only up
to signs (qr, eigh, svd) are compared through sign-normalized factors. Inputs are
well-conditioned (diagonally dominant, or A A^T + n I where positive-definiteness is needed), so
the float32 tolerance scales with the matrix size only (k).
"""
import numpy as np
import scipy.linalg
from op_db import Input, OpInfo, Sample, make_values, shape_tag

import ember

FLOAT = (ember.float32, ember.float64)

# ---------------------------------------------------------------- inputs


def well_conditioned(rng, shape):
    """Random matrices with a dominant diagonal (condition number ~ 1-3)."""
    values = rng.uniform(-1, 1, shape)
    n = shape[-1]
    if len(shape) >= 2 and shape[-2] == n and n > 0:
        values = values + 2 * n * np.eye(n) * rng.choice([-1.0, 1.0], shape[:-1])[..., None]
    return values


def spd(rng, shape):
    values = rng.uniform(-1, 1, shape)
    n = shape[-1]
    return values @ np.swapaxes(values, -1, -2) + n * np.eye(n)


def as_input(values, dtype):
    values = np.asarray(values)
    return Input(values.astype(np.float64 if dtype == ember.float64 else np.float32), dtype)


SQUARE_SHAPES = [(3, 3), (2, 4, 4), (1, 1), (5, 5), (0, 0), (2, 0, 0), (0, 3, 3)]
RECT_SHAPES = [(4, 3), (3, 5), (2, 4, 2), (5, 5), (0, 3), (3, 0)]


def matrix_samples(make=well_conditioned, shapes=SQUARE_SHAPES, kwargs_list=({},)):
    def samples(rng, dtype):
        found = []
        for shape in shapes:
            for kwargs in kwargs_list:
                a = as_input(make(rng, shape), dtype)
                found.append(Sample((a,), dict(kwargs), shape_tag(shape),
                                    k=max(shape[-1] if shape else 1, 1) * 8))
        return found

    return samples


def system_samples(shapes, make_a=well_conditioned, kwargs_list=({},)):
    def samples(rng, dtype):
        found = []
        for shape_a, shape_b in shapes:
            for kwargs in kwargs_list:
                a = as_input(make_a(rng, shape_a), dtype)
                b = as_input(rng.uniform(-1, 1, shape_b), dtype)
                found.append(Sample((a, b), dict(kwargs), shape_tag(shape_a, shape_b),
                                    k=max(shape_a[-1], 1) * 8))
        return found

    return samples


SYSTEM_SHAPES = [((3, 3), (3, 2)), ((2, 4, 4), (2, 4, 1)), ((4, 4), (2, 4, 3)),
                 ((2, 3, 3), (3, 2)), ((3, 3), (3,)), ((0, 0), (0, 2)), ((3, 3), (3, 0))]

# ---------------------------------------------------------------- references


def batched(function):
    """Applies a 2-D numpy function matrix by matrix over leading dims."""
    def ref(a, *args, **kwargs):
        a = np.asarray(a)
        if a.ndim == 2:
            return function(a, *args, **kwargs)
        batch = a.shape[:-2]
        items = a.reshape((int(np.prod(batch)),) + a.shape[-2:])
        results = [function(item, *args, **kwargs) for item in items]
        if not results:  # an empty batch: the result's shape from one identity matrix
            probe = function(np.eye(*a.shape[-2:]), *args, **kwargs)
            if isinstance(probe, tuple):
                return tuple(np.zeros(batch + np.shape(part)) for part in probe)
            return np.zeros(batch + np.shape(probe))
        if isinstance(results[0], tuple):
            return tuple(np.stack(parts).reshape(batch + np.shape(parts[0]))
                         for parts in zip(*results))
        return np.stack(results).reshape(batch + np.shape(results[0]))
    return ref


def ref_solve(a, b, left=True):
    if not left:
        return np.swapaxes(ref_solve(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    matrix = b[..., None] if vector else b
    batch = np.broadcast_shapes(a.shape[:-2], matrix.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    matrix = np.broadcast_to(matrix, batch + matrix.shape[-2:])
    if a.shape[-1] == 0 or matrix.shape[-1] == 0:
        result = np.zeros(matrix.shape)
    else:
        result = np.linalg.solve(a, matrix)
    return result[..., 0] if vector else result


def ref_inv(a):
    return np.linalg.inv(a) if a.size else np.zeros(a.shape)


def ref_det(a):
    return np.linalg.det(a) if a.shape[-1] else np.ones(a.shape[:-2])


def ref_slogdet(a):
    if not a.shape[-1]:
        return np.ones(a.shape[:-2]), np.zeros(a.shape[:-2])
    sign, logabsdet = np.linalg.slogdet(a)
    return sign, logabsdet


def ref_cholesky(a, upper=False):
    if not a.size:
        return np.zeros(a.shape)
    lower = np.linalg.cholesky(a)
    return np.swapaxes(lower, -1, -2) if upper else lower


def ref_solve_triangular(a, b, upper, left=True, unitriangular=False):
    a = np.triu(a) if upper else np.tril(a)
    if unitriangular:
        n = a.shape[-1]
        a = a * (1 - np.eye(n)) + np.eye(n)
    return ref_solve(a, b, left) if left else ref_solve(a, b, False)


def sign_fix_columns(q, r):
    """Q, R with R's diagonal non-negative (the unique QR of a full-rank matrix)."""
    k = min(r.shape[-2], r.shape[-1])
    signs = np.ones(q.shape[:-2] + (q.shape[-1],))
    diagonal = np.diagonal(r, axis1=-2, axis2=-1)[..., :k]
    signs[..., :k] = np.where(diagonal < 0, -1.0, 1.0)
    return ((q * signs[..., None, :]).astype(q.dtype),
            (r * signs[..., :r.shape[-2], None]).astype(r.dtype))


def to_ember(*arrays):
    return tuple(ember.from_numpy(np.ascontiguousarray(array)) for array in arrays)


def qr_normalized(op):
    def call(a, mode="reduced"):
        q, r = op(a, mode)
        return to_ember(*sign_fix_columns(q.numpy(), r.numpy()))
    return call


def ref_qr(a, mode="reduced"):
    q, r = np.linalg.qr(a, mode=mode)
    return sign_fix_columns(q, r)


def eigh_normalized(a, UPLO="L"):  # noqa: N803  (PyTorch's keyword)
    values, vectors = ember.linalg.eigh(a, UPLO)
    v = vectors.numpy()
    signs = np.where(np.take_along_axis(v, np.abs(v).argmax(-2)[..., None, :], -2) < 0, -1.0, 1.0)
    return values, ember.from_numpy(np.ascontiguousarray((v * signs).astype(v.dtype)))


def ref_eigh(a, UPLO="L"):  # noqa: N803
    values, v = np.linalg.eigh(a, UPLO=UPLO)
    signs = np.where(np.take_along_axis(v, np.abs(v).argmax(-2)[..., None, :], -2) < 0, -1.0, 1.0)
    return values, v * signs


def ref_svdvals(a):
    k = min(a.shape[-2], a.shape[-1])
    return np.linalg.svd(a, compute_uv=False) if k else np.zeros(a.shape[:-2] + (0,))


def svd_reconstructed(a, full_matrices=True):
    """U diag(S) Vh and U^T U (sign-free invariants of the factors)."""
    u, s, vh = ember.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    uk, vk = u[..., :, :k], vh[..., :k, :]
    return s, ember.matmul(uk * s.unsqueeze(-2), vk), ember.matmul(u.mT, u)


def ref_svd_reconstructed(a, full_matrices=True):
    m = a.shape[-2]
    cols = m if full_matrices else min(a.shape[-2], a.shape[-1])
    return ref_svdvals(a), a, np.broadcast_to(np.eye(cols), a.shape[:-2] + (cols, cols))


def ref_pinv(a, atol=None, rtol=None, hermitian=False):
    if not a.size:
        return np.zeros(a.shape[:-2] + (a.shape[-1], a.shape[-2]))
    return np.linalg.pinv(a, hermitian=hermitian)


def ref_matrix_rank(a, atol=None, rtol=None, hermitian=False):
    if not a.size:
        return np.zeros(a.shape[:-2], dtype=np.int64)
    return np.linalg.matrix_rank(a, hermitian=hermitian).astype(np.int64)


def ref_lstsq_solution(a, b, driver=None):
    if b.ndim == a.ndim - 1:
        return (np.linalg.pinv(a) @ b[..., None])[..., 0]
    return np.linalg.pinv(a) @ b


def ref_matrix_norm(a, ord="fro", dim=(-2, -1), keepdim=False):
    if ord in ("fro", "nuc"):
        return np.linalg.norm(a, ord=ord, axis=dim, keepdims=keepdim)
    return np.linalg.norm(a, ord=ord, axis=dim, keepdims=keepdim)


def ref_vector_norm(x, ord=2, dim=None, keepdim=False):
    axis = tuple(range(x.ndim)) if dim is None else dim
    magnitude = np.abs(x)
    if ord == float("inf"):
        return magnitude.max(axis=axis, keepdims=keepdim)
    return (magnitude**ord).sum(axis=axis, keepdims=keepdim) ** (1.0 / ord)


def ref_matrix_norm_or_vector(x, ord=None, dim=None, keepdim=False):
    return np.linalg.norm(x, ord=ord, axis=dim, keepdims=keepdim)


def ref_einsum(equation, *operands):
    return np.einsum(equation, *operands)


def ref_tensordot(a, b, dims=2):
    return np.tensordot(a, b, axes=dims)


def ref_scaled(product):
    def ref(input, a, b, beta=1, alpha=1):
        value = alpha * product(a, b)
        return value if beta == 0 else beta * input + value
    return ref


def ref_addbmm(input, a, b, beta=1, alpha=1):
    value = alpha * np.matmul(a, b).sum(0)
    return value if beta == 0 else beta * input + value


# ---------------------------------------------------------------- sample helpers


def einsum_samples(rng, dtype):
    cases = [("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("ij,jk", [(3, 4), (4, 2)]),
             ("ii->i", [(4, 4)]), ("ii", [(3, 3)]), ("ij->ji", [(2, 3)]), ("i,i->", [(5,), (5,)]),
             ("i,j->ij", [(3,), (2,)]), ("...ij,...jk->...ik", [(2, 3, 4), (4, 2)]),
             ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]), ("ij,jk,kl->il", [(2, 3), (3, 4),
                                                                              (4, 2)]),
             ("b i j , b j k", [(2, 2, 3), (2, 3, 2)]), ("iij->j", [(3, 3, 2)]),
             ("ij,ij->", [(0, 3), (0, 3)])]
    found = []
    for equation, shapes in cases:
        inputs = [as_input(rng.uniform(-1, 1, shape), dtype) for shape in shapes]
        found.append(Sample((equation, *inputs), tag=shape_tag(*shapes), k=16))
    return found


def tensordot_samples(rng, dtype):
    found = []
    for shape_a, shape_b, dims in [((3, 4, 5), (4, 5, 2), 2), ((3, 4), (4, 2), 1),
                                   ((2, 3), (3, 2), ([1], [0])),
                                   ((2, 3, 4), (4, 2, 3), ([1, 2], [2, 0])), ((2,), (3,), 0)]:
        a = as_input(rng.uniform(-1, 1, shape_a), dtype)
        b = as_input(rng.uniform(-1, 1, shape_b), dtype)
        found.append(Sample((a, b), {"dims": dims}, k=20))
    return found


def scaled_samples(shapes, scalings=({}, {"beta": 0.5, "alpha": 2.0}, {"beta": 0, "alpha": -1})):
    def samples(rng, dtype):
        found = []
        for shape_input, shape_a, shape_b in shapes:
            arrays = [as_input(make_values(rng, shape, dtype, "unit"), dtype)
                      for shape in (shape_input, shape_a, shape_b)]
            found += [Sample(tuple(arrays), scaling, shape_tag(shape_input, shape_a, shape_b),
                             k=16) for scaling in scalings]
        return found
    return samples


def kron_samples(rng, dtype):
    found = []
    for shape_a, shape_b in [((2, 3), (3, 2)), ((2,), (3,)), ((2, 2), (3,)), ((1, 2, 2), (2, 1)),
                             ((0, 2), (2, 2))]:
        a = as_input(make_values(rng, shape_a, dtype, "unit"), dtype)
        b = as_input(make_values(rng, shape_b, dtype, "unit"), dtype)
        found.append(Sample((a, b), tag=shape_tag(shape_a, shape_b)))
    return found


def norm_samples(kwargs_list, shapes=((3, 4), (2, 3, 4), (4, 4))):
    def samples(rng, dtype):
        found = []
        for shape in shapes:
            for kwargs in kwargs_list:
                x = as_input(rng.uniform(-1, 1, shape), dtype)
                found.append(Sample((x,), dict(kwargs), k=32))
        return found
    return samples


SPD_SHAPES = [(3, 3), (2, 4, 4), (1, 1), (0, 0)]


def ref_cholesky_solve(b, lower, upper=False):
    # Only the factor's triangle is read (as LAPACK's potrs does).
    factor = np.swapaxes(np.triu(lower), -1, -2) if upper else np.tril(lower)
    return ref_solve(factor @ np.swapaxes(factor, -1, -2), b)


def cholesky_solve_samples(rng, dtype):
    found = []
    for shape_b, shape_l, upper in [((3, 2), (3, 3), False), ((2, 4, 1), (2, 4, 4), True)]:
        lower = ref_cholesky(spd(rng, shape_l))
        factor = np.swapaxes(lower, -1, -2) if upper else lower
        found.append(Sample((as_input(rng.uniform(-1, 1, shape_b), dtype),
                             as_input(factor, dtype)), {"upper": upper}, k=32))
    return found


def legacy_qr(call):
    def qr(a, some=True):
        q, r = call(a, some)
        return to_ember(*sign_fix_columns(q.numpy(), r.numpy()))
    return qr


def legacy_svd(call):
    """S and U diag(S) V^T from the legacy (U, S, V) result."""
    def svd(a):
        u, s, v = call(a)
        return s, ember.matmul(u * s.unsqueeze(-2), v.mT)
    return svd


def multi_dot_of_operands(*operands, **kwargs):
    return ember.linalg.multi_dot(list(operands), **kwargs)


multi_dot_of_operands.__doc__ = ember.linalg.multi_dot.__doc__  # its signature, for test_out.py


def linalg_entry(name, ref, samples, op=None, **info):
    function = name.split(".")[-1]
    if op is None:
        op = getattr(ember.linalg, function) if name.startswith("linalg.") else getattr(ember, name)
    info.setdefault("dtypes", FLOAT)
    info.setdefault("kind", "reduction")
    # The expanded layout repeats a row or a matrix, making solves singular: not for these.
    info.setdefault("layouts", LAYOUTS3)
    return OpInfo(name, op, ref, samples, **info)


def chain_samples(rng, dtype):
    """multi_dot's operands: matrices, with a 1-D first or last operand as a vector."""
    chains = [((2, 3), (3, 4), (4, 2)), ((3,), (3, 4), (4,)), ((2, 3), (3, 2)),
              ((5, 2), (2, 6), (6, 3), (3, 4))]
    return [Sample(tuple(as_input(rng.uniform(-1, 1, shape), dtype) for shape in chain), {},
                   shape_tag(*chain), k=32) for chain in chains]


LAYOUTS3 = ("contiguous", "transposed", "sliced")
ALL_LAYOUTS = LAYOUTS3 + ("expanded",)

ENTRIES = [
    linalg_entry("linalg.multi_dot", lambda *operands: np.linalg.multi_dot(operands),
                 chain_samples, op=multi_dot_of_operands, supports_out=True, layouts=ALL_LAYOUTS),
    linalg_entry("linalg.lstsq", ref_lstsq_solution,
                 system_samples([((4, 3), (4, 2)), ((3, 3), (3, 1)), ((2, 5, 3), (2, 5, 2)),
                                 ((3, 5), (3, 2)), ((2, 4, 3), (1, 4, 2)), ((4, 3), (4,))],
                                make_a=well_conditioned,
                                kwargs_list=({}, {"driver": "gels"}, {"driver": "gelsd"},
                                             {"driver": "gelss"})),
                 op=lambda a, b, **kwargs: ember.linalg.lstsq(a, b, **kwargs).solution,
                 out_op=ember.linalg.lstsq, supports_out=True),
    linalg_entry("linalg.det", batched(ref_det), matrix_samples(), supports_out=True),
    linalg_entry("linalg.slogdet", ref_slogdet, matrix_samples(),
                 out_dtype=lambda dtype: (dtype, dtype), supports_out=True),
    linalg_entry("linalg.inv", ref_inv, matrix_samples(), supports_out=True),
    linalg_entry("linalg.inv_ex", lambda a: (ref_inv(a), np.zeros(a.shape[:-2], np.int32)),
                 matrix_samples(), out_dtype=lambda dtype: (dtype, ember.int32), supports_out=True),
    linalg_entry("linalg.solve", ref_solve,
                 system_samples(SYSTEM_SHAPES, kwargs_list=({}, {"left": True})),
                 supports_out=True),
    linalg_entry("linalg.solve_ex",
                 lambda a, b: (ref_solve(a, b), np.zeros(
                     np.broadcast_shapes(a.shape[:-2], b.shape[:-2] if b.ndim >= a.ndim else
                                         a.shape[:-2]), np.int32)),
                 system_samples(SYSTEM_SHAPES[:4]), out_dtype=lambda dtype: (dtype, ember.int32),
                 supports_out=True),
    linalg_entry("linalg.solve_triangular", ref_solve_triangular,
                 system_samples([((3, 3), (3, 2)), ((2, 4, 4), (2, 4, 3)), ((4, 4), (2, 4, 1)),
                                 ((0, 0), (0, 2))],
                                kwargs_list=({"upper": True}, {"upper": False},
                                             {"upper": True, "unitriangular": True})),
                 supports_out=True),
    linalg_entry("linalg.cholesky", ref_cholesky,
                 matrix_samples(spd, kwargs_list=({}, {"upper": True})), supports_out=True),
    linalg_entry("linalg.cholesky_ex",
                 lambda a, upper=False: (ref_cholesky(a, upper),
                                         np.zeros(a.shape[:-2], np.int32)),
                 matrix_samples(spd), out_dtype=lambda dtype: (dtype, ember.int32),
                 supports_out=True),
    linalg_entry("linalg.qr", batched(ref_qr), op=qr_normalized(ember.linalg.qr),
                 samples=matrix_samples(shapes=[(4, 3), (3, 5), (2, 4, 2), (3, 3)],
                                        kwargs_list=({}, {"mode": "complete"})),
                 out_dtype=lambda dtype: (dtype, dtype), layouts=LAYOUTS3,
                 out_op=ember.linalg.qr, supports_out=True),
    linalg_entry("linalg.eigh", ref_eigh, op=eigh_normalized,
                 samples=matrix_samples(spd, shapes=[(3, 3), (2, 4, 4), (1, 1)],
                                        kwargs_list=({}, {"UPLO": "U"})),
                 out_dtype=lambda dtype: (dtype, dtype), layouts=LAYOUTS3,
                 out_op=ember.linalg.eigh, supports_out=True),
    linalg_entry("linalg.eigvalsh", lambda a, UPLO="L": np.linalg.eigvalsh(a, UPLO=UPLO),  # noqa: N803
                 matrix_samples(spd, shapes=[(3, 3), (2, 4, 4)], kwargs_list=({}, {"UPLO": "U"})),
                 supports_out=True),
    linalg_entry("linalg.svd", ref_svd_reconstructed, op=svd_reconstructed, samples=
                 matrix_samples(shapes=[(4, 3), (3, 5), (2, 3, 3)],
                                kwargs_list=({}, {"full_matrices": False})),
                 out_dtype=lambda dtype: (dtype, dtype, dtype),
                 out_op=ember.linalg.svd, supports_out=True),
    # An input requiring grad takes the full SVD (for the backward), whose values differ in the
    # last bits from the values-only path: test_out.py's no_grad check allows for that.
    linalg_entry("linalg.svdvals", ref_svdvals, matrix_samples(shapes=RECT_SHAPES),
                 supports_out=True),
    linalg_entry("linalg.pinv", ref_pinv, matrix_samples(shapes=[(4, 3), (3, 5), (2, 3, 3)]),
                 supports_out=True),
    linalg_entry("linalg.matrix_rank", ref_matrix_rank,
                 matrix_samples(shapes=[(4, 3), (3, 5), (2, 3, 3)]),
                 out_dtype=lambda dtype: ember.int64, supports_out=True),
    linalg_entry("linalg.matrix_power", lambda a, n: np.linalg.matrix_power(a, n),
                 matrix_samples(shapes=[(3, 3), (2, 4, 4)],
                                kwargs_list=({"n": 0}, {"n": 1}, {"n": 3}, {"n": -2})),
                 supports_out=True),
    linalg_entry("linalg.matrix_exp", batched(scipy.linalg.expm),
                 matrix_samples(lambda rng, shape: rng.uniform(-1, 1, shape) * 2,
                                shapes=[(3, 3), (2, 4, 4), (1, 1)])),
    linalg_entry("linalg.vector_norm", ref_vector_norm,
                 norm_samples(({}, {"ord": 1}, {"ord": float("inf")}, {"ord": 3, "dim": 1},
                               {"ord": 2, "dim": (0, 1), "keepdim": True})), supports_out=True),
    linalg_entry("linalg.matrix_norm", ref_matrix_norm,
                 norm_samples(({}, {"ord": "nuc"}, {"ord": 1}, {"ord": -1}, {"ord": 2},
                               {"ord": -2}, {"ord": float("inf")}, {"ord": float("-inf")},
                               {"ord": 1, "keepdim": True})), supports_out=True),
    linalg_entry("linalg.norm", ref_matrix_norm_or_vector,
                 norm_samples(({"dim": 1}, {"ord": "fro", "dim": (0, 1)}, {"ord": 2, "dim": 0}),
                              shapes=((3, 4), (4, 4))), supports_out=True),
    linalg_entry("einsum", ref_einsum, einsum_samples, layouts=ALL_LAYOUTS),
    linalg_entry("tensordot", ref_tensordot, tensordot_samples, layouts=ALL_LAYOUTS,
                 supports_out=True),
    linalg_entry("kron", np.kron, kron_samples, method="kron", layouts=ALL_LAYOUTS,
                 supports_out=True),
    linalg_entry("baddbmm", ref_scaled(np.matmul),
                 scaled_samples([((2, 3, 4), (2, 3, 5), (2, 5, 4)), ((4,), (2, 3, 5), (2, 5, 4))]),
                 method="baddbmm", layouts=ALL_LAYOUTS, supports_out=True),
    linalg_entry("addbmm", ref_addbmm, scaled_samples([((3, 4), (2, 3, 5), (2, 5, 4))]),
                 method="addbmm", layouts=ALL_LAYOUTS, supports_out=True),
    linalg_entry("addmv", ref_scaled(np.matmul), scaled_samples([((3,), (3, 5), (5,)),
                                                                  ((1,), (3, 5), (5,))]),
                 method="addmv", layouts=ALL_LAYOUTS, supports_out=True),
    linalg_entry("addr", ref_scaled(np.outer), scaled_samples([((3, 4), (3,), (4,)),
                                                                ((4,), (3,), (4,))]),
                 method="addr", layouts=ALL_LAYOUTS, supports_out=True),
    # legacy top-level names and their Tensor methods
    linalg_entry("det", batched(ref_det), matrix_samples(), method="det"),
    linalg_entry("logdet", lambda a: np.log(ref_det(a)), matrix_samples(spd, shapes=SPD_SHAPES),
                 method="logdet"),
    linalg_entry("slogdet", ref_slogdet, matrix_samples(), method="slogdet",
                 out_dtype=lambda dtype: (dtype, dtype), supports_out=True),
    linalg_entry("inverse", ref_inv, matrix_samples(), method="inverse", supports_out=True),
    linalg_entry("cholesky", ref_cholesky, matrix_samples(spd, shapes=SPD_SHAPES,
                                                          kwargs_list=({}, {"upper": True})),
                 method="cholesky", supports_out=True),
    linalg_entry("cholesky_solve", ref_cholesky_solve, cholesky_solve_samples, supports_out=True),
    linalg_entry("cholesky_inverse",
                 lambda lower: ref_inv(np.tril(lower) @ np.swapaxes(np.tril(lower), -1, -2)),
                 matrix_samples(lambda rng, shape: ref_cholesky(spd(rng, shape)),
                                shapes=SPD_SHAPES),
                 method="cholesky_inverse", supports_out=True),
    linalg_entry("qr", batched(lambda a, some=True: ref_qr(a, "reduced" if some else "complete")),
                 op=legacy_qr(ember.qr), method=legacy_qr(lambda a, some: a.qr(some)),
                 methods=("qr",),
                 out_dtype=lambda dtype: (dtype, dtype),
                 samples=matrix_samples(shapes=[(4, 3), (3, 3), (2, 4, 2)],
                                        kwargs_list=({}, {"some": False})),
                 layouts=LAYOUTS3, out_op=ember.qr, supports_out=True),
    linalg_entry("svd", lambda a: (ref_svdvals(a), a), op=legacy_svd(ember.svd),
                 method=legacy_svd(lambda a: a.svd()), methods=("svd",),
                 samples=matrix_samples(shapes=[(4, 3), (3, 5), (2, 3, 3)]),
                 out_dtype=lambda dtype: (dtype, dtype), out_op=ember.svd, supports_out=True),
    linalg_entry("pinverse", ref_pinv, matrix_samples(shapes=[(4, 3), (3, 5), (2, 3, 3)]),
                 method="pinverse"),
    linalg_entry("matrix_power", lambda a, n: np.linalg.matrix_power(a, n),
                 matrix_samples(shapes=[(3, 3), (2, 4, 4)], kwargs_list=({"n": 2}, {"n": -1})),
                 method="matrix_power", supports_out=True),
    linalg_entry("matrix_exp", batched(scipy.linalg.expm),
                 matrix_samples(lambda rng, shape: rng.uniform(-1, 1, shape),
                                shapes=[(3, 3), (2, 4, 4)]),
                 method="matrix_exp"),
]
