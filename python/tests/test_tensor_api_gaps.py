"""Regressions of the tensor API against PyTorch's behaviour (issue 8): masked_fill with a tensor
value, scatter prod's double backward with two zeros, scatter_reduce_ in place, integer and
mixed dtypes of hypot/logaddexp/heaviside, the split family's one-node backward and its pieces
under in-place writes, logcumsumexp's second derivative at large inputs,
NaNs in unique and mode, random_'s argument forms and the graph of normal with tensor mean and
std."""
import math

import numpy as np
import pytest

import ember
from ember.autograd import gradcheck, gradgradcheck

F64 = ember.float64
NAN = float("nan")


def leaf(values, dtype=F64):
    return ember.tensor(values, dtype=dtype, requires_grad=True)


# ---------------------------------------------------------------- masked_fill with a tensor value

MASK = ember.tensor([[True, False, True], [False, False, True]])


@pytest.mark.parametrize("in_place", [False, True])
def test_masked_fill_tensor_value_gradient_is_the_masked_sum(in_place):
    x = leaf(np.arange(6.0).reshape(2, 3))
    value = leaf(2.5)
    y = x.clone().masked_fill_(MASK, value) if in_place else x.masked_fill(MASK, value)
    assert y.tolist() == [[2.5, 1.0, 2.5], [3.0, 4.0, 2.5]]
    (y * ember.arange(6.0, dtype=F64).reshape(2, 3)).sum().backward()
    assert value.grad.item() == 0.0 + 2.0 + 5.0
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [3.0, 4.0, 0.0]]


def test_masked_fill_tensor_value_gradchecks_on_layouts():
    value = leaf(0.75)
    transposed = ember.tensor(np.arange(12.0).reshape(3, 4), dtype=F64).t().requires_grad_()
    sliced = ember.tensor(np.arange(24.0).reshape(4, 6), dtype=F64)[:, ::2].requires_grad_()
    masks = (ember.tensor([True, False, True]),  # broadcast over the rows
             ember.tensor([[True, False, False, True], [False, True, False, True],
                           [True, True, False, False]]).t())
    for x in (transposed, sliced):
        for mask in masks:
            assert gradcheck(lambda a, v, m=mask: a.masked_fill(m, v), (x, value))
            assert gradgradcheck(lambda a, v, m=mask: a.masked_fill(m, v), (x, value))
            assert gradcheck(lambda a, v, m=mask: a.clone().masked_fill_(m, v), (x, value))


def test_masked_fill_value_cast_to_self_dtype_and_alias_of_self():
    x = ember.zeros(2, 3, dtype=ember.int64)
    assert x.masked_fill(MASK, ember.tensor(2.7)).tolist() == [[2, 0, 2], [0, 0, 2]]
    assert x.masked_fill_(MASK, ember.tensor(3)) is x and x.tolist() == [[3, 0, 3], [0, 0, 3]]
    # The value is an element of self that the fill overwrites: it is read first.
    y = ember.arange(6.0).reshape(2, 3)
    y.masked_fill_(MASK, y[0, 0] + 0)
    z = ember.arange(6.0).reshape(2, 3)
    z.masked_fill_(ember.tensor([[False, True, True], [True, True, True]]), z[0, 0])
    assert z.tolist() == [[0.0] * 3] * 2


def test_masked_fill_value_of_dim_above_zero_raises_and_writes_nothing():
    x = ember.zeros(2, 3)
    for call in (lambda: x.masked_fill(MASK, ember.ones(1)),
                 lambda: x.masked_fill_(MASK, ember.ones(1)),
                 lambda: ember.masked_fill(x, MASK, ember.ones(3))):
        with pytest.raises(RuntimeError,
                           match="only supports a 0-dimensional value tensor, but got tensor "
                                 "with 1 dimension"):
            call()
    assert x.tolist() == [[0.0] * 3] * 2


# ---------------------------------------------------------------- the split family's backward

@pytest.mark.parametrize("pieces", [
    lambda x: x.split(2), lambda x: x.split([1, 3, 2]), lambda x: x.chunk(4),
    lambda x: x.unbind(0), lambda x: x.tensor_split(4), lambda x: x.tensor_split([2, 5]),
    lambda x: x.tensor_split([4, 1]),
])
def test_split_family_records_one_node_for_all_pieces(pieces):
    x = leaf(np.arange(12.0).reshape(6, 2))
    parts = pieces(x)
    nodes = [p.grad_fn for p in parts]
    assert all(node == nodes[0] for node in nodes)
    weights = [float(i + 1) for i in range(len(parts))]
    sum((p * w).sum() for p, w in zip(parts, weights)).backward()
    # The same pieces of the row numbers tell which rows each weight reaches.
    reference = np.zeros((6, 2))
    for rows, weight in zip(pieces(ember.arange(6)), weights):
        np.add.at(reference, np.atleast_1d(rows.numpy()), weight)
    assert np.array_equal(x.grad.numpy(), reference)


MULTI_OUTPUT_PIECES = [
    ("SplitBackward0", lambda y: y.split(3)), ("SplitBackward0", lambda y: y.chunk(2)),
    ("SplitWithSizesBackward0", lambda y: y.split([3, 3])),
    ("UnbindBackward0", lambda y: y.view(2, 3).unbind(0)),
]


@pytest.mark.parametrize("name,pieces", MULTI_OUTPUT_PIECES)
def test_split_pieces_refuse_in_place_writes_while_recording(name, pieces):
    x = leaf(np.arange(6.0))
    y = x * 1
    second = pieces(y)[1]
    message = f"Output 1 of {name} is a view and is being modified inplace"
    with pytest.raises(RuntimeError, match=message):
        second.mul_(2)
    with pytest.raises(RuntimeError, match="returns multiple views"):
        second[0] = 5.0  # a view of a piece, as in PyTorch
    assert y.tolist() == list(range(6))


@pytest.mark.parametrize("name,pieces", MULTI_OUTPUT_PIECES)
def test_split_pieces_are_views_written_in_place_without_recording(name, pieces):
    x = leaf(np.arange(6.0))
    y = x * 1
    parts = pieces(y)
    version = parts[1]._version()
    with ember.no_grad():
        parts[1].mul_(2)
    assert parts[1]._version() > version
    assert y.tolist() == [0.0, 1.0, 2.0, 6.0, 8.0, 10.0]
    # The no-grad write is invisible to autograd: the pieces keep their one node.
    assert parts[1].grad_fn.name() == name
    (parts[0].sum() + 10 * parts[1].sum()).backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0, 10.0, 10.0, 10.0]
    plain = ember.arange(6.0)
    plain.split(3)[1].mul_(2)  # nothing requires grad: no restriction
    assert plain.tolist() == [0.0, 1.0, 2.0, 6.0, 8.0, 10.0]


def test_tensor_split_pieces_are_slices_that_accept_in_place_writes():
    x = leaf(np.arange(6.0))
    y = x * 1
    first, second = y.tensor_split(2)
    second.mul_(3)
    assert y.tolist() == [0.0, 1.0, 2.0, 9.0, 12.0, 15.0]
    (y.sum() + first.sum()).backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0, 3.0, 3.0, 3.0]


def test_split_pieces_follow_in_place_writes_into_their_base():
    x = leaf(np.arange(6.0))
    y = x * 1
    first, second = y.split(3)
    y.mul_(2)
    assert second.tolist() == [6.0, 8.0, 10.0]
    (first.sum() + 10 * second.sum()).backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0, 20.0, 20.0, 20.0]


def test_split_grad_fn_names_match_pytorch():
    x = leaf(np.arange(6.0))
    assert x.split(2)[0].grad_fn.name() == "SplitBackward0"
    assert x.split([2, 4])[0].grad_fn.name() == "SplitWithSizesBackward0"
    assert x.unbind()[0].grad_fn.name() == "UnbindBackward0"


# ---------------------------------------------------------------- scatter prod with zeros

def test_scatter_reduce_prod_second_derivative_with_two_zeros_matches_formula():
    # out = x * s0 * s1 * s2 into one target; with s0 = s1 = 0, d2 out / ds0 ds1 = x * s2.
    x = leaf([3.0])
    s = leaf([0.0, 0.0, 5.0])
    index = ember.tensor([0, 0, 0])
    out = x.scatter_reduce(0, index, s, "prod")
    (grad_s,) = ember.autograd.grad(out.sum(), [s], create_graph=True)
    assert grad_s.tolist() == [0.0, 0.0, 0.0]
    (second,) = ember.autograd.grad(grad_s[0], [s])
    assert second.tolist() == [0.0, 15.0, 0.0]
    assert gradgradcheck(lambda a, b: a.scatter_reduce(0, index, b, "prod"), (x, s))
    three = leaf([0.0, 0.0, 0.0])
    assert gradgradcheck(lambda a, b: a.scatter_reduce(0, index, b, "prod"), (x, three))


# ---------------------------------------------------------------- scatter_reduce_ in place

@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_scatter_reduce_in_place_reads_an_overlapping_src_before_writing(reduce):
    base = ember.arange(1.0, 9.0, dtype=F64).reshape(2, 4)
    expected_base = base.numpy().copy()
    self_view, src = base[:, :2], base[:, 1:3]
    index = ember.tensor([[0, 0], [1, 0]])
    expected = ember.tensor(expected_base[:, :2]).scatter_reduce(
        1, index, ember.tensor(expected_base[:, 1:3]), reduce)
    self_view.scatter_reduce_(1, index, src, reduce)
    assert np.allclose(base[:, :2].numpy(), expected.numpy())
    assert np.array_equal(base[:, 2:].numpy(), expected_base[:, 2:])


def test_scatter_reduce_in_place_failures_write_nothing():
    x = ember.arange(6.0).reshape(2, 3)
    index = ember.tensor([[0, 1, 2]])
    src = ember.ones(1, 3)
    with pytest.raises(IndexError):
        x.scatter_reduce_(1, ember.tensor([[0, 1, 7]]), src, "prod")
    with pytest.raises(RuntimeError, match="reduce argument must be either sum"):
        x.scatter_reduce_(1, index, src, "max")
    with pytest.raises(RuntimeError, match="Expected self.dtype to be equal to src.dtype"):
        x.scatter_reduce_(1, index, src.to(F64), "amax")
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        ember.zeros(1).expand(2, 3).scatter_reduce_(1, index, src, "sum")
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    weights = leaf(np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        weights.scatter_reduce_(1, index, src.to(F64), "sum")
    assert weights.tolist() == [[0.0] * 3] * 2


# ---------------------------------------------------------------- dtypes of hypot, heaviside

@pytest.mark.parametrize("name", ["hypot", "logaddexp", "logaddexp2"])
@pytest.mark.parametrize("dtype", [ember.int64, ember.int32, ember.uint8, ember.bool])
def test_float_only_binary_ops_refuse_integer_tensors(name, dtype):
    a = ember.ones(2, dtype=dtype)
    with pytest.raises(RuntimeError, match=rf"{name}.*not implemented for '{dtype_name(dtype)}'"):
        getattr(ember, name)(a, a)
    # One floating operand promotes, as in PyTorch.
    result = getattr(ember, name)(a, ember.ones(2))
    assert result.dtype == ember.float32


def dtype_name(dtype):
    return str(dtype).replace("ember.", "")


def test_heaviside_refuses_tensors_of_different_dtypes():
    x = ember.tensor([-1.0, 0.0, 2.0])
    for values in (ember.tensor([1]), ember.tensor([0.5], dtype=F64)):
        with pytest.raises(RuntimeError,
                           match="heaviside is not yet implemented for tensors with different "
                                 "dtypes"):
            ember.heaviside(x, values)
        with pytest.raises(RuntimeError, match="different dtypes"):
            x.clone().heaviside_(values)
    assert ember.heaviside(ember.tensor([-1, 0, 2]), ember.tensor([7])).tolist() == [0, 7, 1]


# ---------------------------------------------------------------- logcumsumexp at large inputs

@pytest.mark.parametrize("values", [
    [1000.0, -1000.0, 999.0, -998.0], [-1000.0, -1001.0, -999.5, -1000.0],
    [1000.0, 1001.0, 1000.5, 999.0], [-1000.0, 1000.0, -1000.0, 1000.0],
])
def test_logcumsumexp_second_derivative_is_finite_and_right_at_large_inputs(values):
    x = leaf(values)
    assert gradcheck(lambda t: ember.logcumsumexp(t, 0), (x,))
    assert gradgradcheck(lambda t: ember.logcumsumexp(t, 0), (x,))
    rows = leaf([values, values[::-1]])
    assert gradgradcheck(lambda t: ember.logcumsumexp(t, 1), (rows,))


# ---------------------------------------------------------------- NaNs in unique and mode

def test_unique_counts_each_nan_apart_and_sorts_them_last():
    x = ember.tensor([NAN, 1.0, NAN, 2.0, 1.0, NAN])
    values, inverse, counts = ember.unique(x, return_inverse=True, return_counts=True)
    assert np.array_equal(values.numpy(), [1.0, 2.0, NAN, NAN, NAN], equal_nan=True)
    assert inverse.tolist() == [2, 0, 3, 1, 0, 4]
    assert counts.tolist() == [2, 1, 1, 1, 1]
    values, inverse, counts = ember.unique_consecutive(
        ember.tensor([NAN, NAN, 1.0, 1.0, NAN]), return_inverse=True, return_counts=True)
    assert np.array_equal(values.numpy(), [NAN, NAN, 1.0, NAN], equal_nan=True)
    assert inverse.tolist() == [0, 1, 2, 2, 3]
    assert counts.tolist() == [1, 1, 2, 1]
    rows = ember.tensor([[NAN, 1.0], [NAN, 1.0]])
    values, inverse, counts = ember.unique(rows, dim=0, return_inverse=True, return_counts=True)
    assert values.shape == (2, 2) and inverse.tolist() == [0, 1] and counts.tolist() == [1, 1]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.float16, ember.bfloat16])
def test_mode_counts_each_nan_apart(dtype):
    assert ember.mode(ember.tensor([NAN, NAN, NAN, 1.0, 1.0], dtype=dtype)).values.item() == 1.0
    assert ember.mode(ember.tensor([NAN, 2.0, 1.0, NAN], dtype=dtype)).values.item() == 1.0
    assert math.isnan(ember.mode(ember.tensor([NAN, NAN], dtype=dtype)).values.item())
    values, indices = ember.tensor([[NAN, 3.0, NAN, 3.0], [NAN] * 4], dtype=dtype).mode(1)
    assert values[0].item() == 3.0 and indices[0].item() == 3 and math.isnan(values[1].item())


def test_mode_of_integers_with_the_all_ones_key_still_groups():
    x = ember.tensor([255, 255, 3], dtype=ember.uint8)
    assert ember.mode(x).values.item() == 255


def test_scatter_add_on_bool_is_a_logical_or_like_pytorch():
    x = ember.zeros(3, dtype=ember.bool)
    index = ember.tensor([0, 0, 1])
    src = ember.tensor([True, True, False])
    assert x.scatter_add(0, index, src).tolist() == [True, False, False]
    assert x.scatter_add_(0, index, src) is x and x.tolist() == [True, False, False]


# ---------------------------------------------------------------- random_'s argument forms

UPPER_FLOAT32 = 2 ** 24


def test_random_forms_follow_pytorchs_parser():
    t = ember.empty(20000)
    t.random_(2)
    assert set(t.unique().tolist()) == {0.0, 1.0}
    t.random_(to=3)
    assert set(t.unique().tolist()) == {0.0, 1.0, 2.0}
    t.random_(2, 5)
    assert set(t.unique().tolist()) == {2.0, 3.0, 4.0}
    t.random_(**{"from": 2, "to": 4})
    assert set(t.unique().tolist()) == {2.0, 3.0}
    t.random_(2, to=4)
    assert set(t.unique().tolist()) == {2.0, 3.0}
    for call in (lambda: t.random_(2, None), lambda: t.random_(**{"from": 2, "to": None})):
        call()
        assert t.min().item() >= 2 and t.max().item() > 1000 and t.max().item() <= UPPER_FLOAT32
    t.random_()
    assert t.min().item() >= 0 and t.max().item() > 1000


@pytest.mark.parametrize("kwargs", [{"from": 2}, {"to": None}, {"from_": 2}])
def test_random_forms_pytorch_refuses(kwargs):
    t = ember.zeros(4)
    with pytest.raises(TypeError):
        t.random_(**kwargs)
    with pytest.raises(TypeError):
        t.random_(None)
    assert t.tolist() == [0.0] * 4


# ---------------------------------------------------------------- normal with tensor mean/std

def test_normal_with_tensor_mean_and_std_records_zero_gradients():
    mean = leaf(np.zeros((2, 1)))
    std = leaf(np.ones(3))
    sample = ember.normal(mean, std)
    assert sample.shape == (2, 3) and sample.requires_grad and sample.grad_fn is not None
    sample.sum().backward()
    assert mean.grad.tolist() == [[0.0], [0.0]] and std.grad.tolist() == [0.0] * 3
    for draw, source in ((lambda: ember.normal(mean, 2.0), mean),
                         (lambda: ember.normal(0.5, std), std)):
        source.grad = None
        draw().sum().backward()
        assert not source.grad.numpy().any()
    plain = ember.normal(ember.zeros(3), ember.ones(3))
    assert not plain.requires_grad
