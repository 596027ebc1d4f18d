"""The matmul-family composites on non-contiguous and broadcast operands (RELIABILITY T2):
einsum, tensordot, kron, baddbmm, addbmm, addmv, addr, multi_dot and cdist on transposed, sliced
(every other element), expanded (stride 0) and batch-broadcast inputs, against numpy/scipy on
the same logical values. (test_ops.py runs the op_db samples in these layouts too; these cases add
broadcasting and mixed layouts within one call.)
"""
import numpy as np
import pytest
from scipy.spatial import distance

import ember

F64 = ember.float64
LAYOUTS = ("contiguous", "transposed", "sliced", "expanded")


def place(values, layout):
    """An ember tensor holding `values` in `layout` (expanded: the values of its first row or
    matrix repeated, returned with them)."""
    values = np.asarray(values, dtype=np.float64)
    if layout == "transposed" and values.ndim >= 2:
        return ember.from_numpy(np.ascontiguousarray(np.swapaxes(values, -1, -2))).mT, values
    if layout == "sliced" and values.ndim >= 1:
        wide = np.zeros(values.shape[:-1] + (2 * values.shape[-1],))
        wide[..., 1::2] = values
        return ember.from_numpy(wide)[..., 1::2], values
    if layout == "expanded" and values.ndim >= 1:
        first = values[:1]
        return ember.from_numpy(first.copy()).expand(*values.shape), np.broadcast_to(
            first, values.shape)
    return ember.from_numpy(values.copy()), values


def random(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


def check(result, expected):
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("equation,shapes", [
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ij,jk", [(3, 4), (4, 2)]),
    ("ii->i", [(4, 4)]),
    ("ij->ji", [(2, 3)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 2)]),
    ("...ij,...jk->...ik", [(1, 3, 4), (2, 4, 2)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("iij->j", [(3, 3, 2)]),
    ("i,j->ij", [(3,), (2,)]),
])
def test_einsum(layout, equation, shapes):
    placed = [place(random(shape, i), layout) for i, shape in enumerate(shapes)]
    result = ember.einsum(equation, *[tensor for tensor, _ in placed])
    check(result, np.einsum(equation, *[values for _, values in placed]))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape_a,shape_b,dims", [
    ((3, 4, 5), (4, 5, 2), 2), ((3, 4), (4, 2), 1), ((2, 3, 4), (4, 2, 3), ([1, 2], [2, 0])),
    ((2,), (3,), 0)])
def test_tensordot(layout, shape_a, shape_b, dims):
    a, a_values = place(random(shape_a, 1), layout)
    b, b_values = place(random(shape_b, 2), "transposed" if layout == "sliced" else layout)
    check(ember.tensordot(a, b, dims=dims), np.tensordot(a_values, b_values, axes=dims))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_kron(layout):
    a, a_values = place(random((2, 3), 1), layout)
    b, b_values = place(random((3, 2, 2), 2), layout)
    check(ember.kron(a, b), np.kron(a_values, b_values))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("input_shape", [(2, 3, 4), (3, 4), (4,), (1, 1, 4)])
def test_baddbmm(layout, input_shape):
    bias, bias_values = place(random(input_shape, 1), layout)
    b1, b1_values = place(random((2, 3, 5), 2), layout)
    b2, b2_values = place(random((2, 5, 4), 3), "transposed")
    result = ember.baddbmm(bias, b1, b2, beta=0.5, alpha=2.0)
    check(result, 0.5 * bias_values + 2.0 * b1_values @ b2_values)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("input_shape", [(3, 4), (4,), (1, 4)])
def test_addbmm(layout, input_shape):
    bias, bias_values = place(random(input_shape, 1), layout)
    b1, b1_values = place(random((2, 3, 5), 2), layout)
    b2, b2_values = place(random((2, 5, 4), 3), layout)
    result = ember.addbmm(bias, b1, b2, beta=0.5, alpha=2.0)
    check(result, 0.5 * bias_values + 2.0 * (b1_values @ b2_values).sum(0))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("input_shape", [(3,), (1,)])
def test_addmv(layout, input_shape):
    bias, bias_values = place(random(input_shape, 1), layout)
    mat, mat_values = place(random((3, 5), 2), layout)
    vec, vec_values = place(random(5, 3), layout)
    check(ember.addmv(bias, mat, vec, beta=0.5, alpha=2.0),
          0.5 * bias_values + 2.0 * mat_values @ vec_values)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("input_shape", [(3, 4), (4,), (3, 1)])
def test_addr(layout, input_shape):
    bias, bias_values = place(random(input_shape, 1), layout)
    v1, v1_values = place(random(3, 2), layout)
    v2, v2_values = place(random(4, 3), layout)
    check(ember.addr(bias, v1, v2, beta=0.5, alpha=2.0),
          0.5 * bias_values + 2.0 * np.outer(v1_values, v2_values))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("chain", [((2, 3), (3, 4), (4, 2)), ((3,), (3, 4), (4,)),
                                   ((5, 2), (2, 6), (6, 3), (3, 4))])
def test_multi_dot(layout, chain):
    placed = [place(random(shape, i), layout) for i, shape in enumerate(chain)]
    result = ember.linalg.multi_dot([tensor for tensor, _ in placed])
    check(result, np.linalg.multi_dot([values for _, values in placed]))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0])
@pytest.mark.parametrize("shape_a,shape_b", [((4, 3), (5, 3)), ((2, 4, 3), (1, 5, 3)),
                                             ((1, 4, 3), (2, 5, 3))])
def test_cdist(layout, p, shape_a, shape_b):
    a, a_values = place(random(shape_a, 1), layout)
    b, b_values = place(random(shape_b, 2), layout)
    batch = np.broadcast_shapes(shape_a[:-2], shape_b[:-2])
    a_full = np.broadcast_to(a_values, batch + shape_a[-2:])
    b_full = np.broadcast_to(b_values, batch + shape_b[-2:])
    expected = np.stack([distance.cdist(a_full[i], b_full[i], "minkowski", p=p)
                         for i in np.ndindex(*batch)]).reshape(batch + (shape_a[-2], shape_b[-2]))
    np.testing.assert_allclose(ember.cdist(a, b, p=p).numpy(), expected, rtol=1e-10, atol=1e-12)
