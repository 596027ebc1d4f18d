"""Bad inputs (RELIABILITY.md B1-B4, B6, B8-B11, B13-B17, T12, T14): each raises the declared
exception type with a message naming the problem, writes nothing, and leaves the process and the
other tensors usable."""
import sys

import numpy as np
import pytest
from op_db import OP_DB, Input, dtype_name

import ember


@pytest.fixture(autouse=True)
def process_survives():
    """After every bad input, ember still computes."""
    yield
    assert (ember.arange(3) + 1).tolist() == [1, 2, 3]


def ones(*shape, dtype=None):
    return ember.ones(*shape, dtype=dtype)


# ---------------------------------------------------------------- B1 broadcasting


def where_true(a, b):
    return ember.where(ember.ones(2, 3, dtype=ember.bool), a, b)


@pytest.mark.parametrize("op", [ember.add, ember.mul, ember.maximum, ember.eq, ember.logical_and,
                                where_true],
                         ids=["add", "mul", "maximum", "eq", "logical_and", "where"])
def test_broadcast_mismatch(op):
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match the size of "
                                           r"tensor b \(4\) at non-singleton dimension 1"):
        op(ones(2, 3), ones(2, 4))


def test_broadcast_mismatch_operator():
    with pytest.raises(RuntimeError, match="must match the size"):
        ones(2, 3) + ones(2, 4)


def test_inplace_cannot_grow_self():
    x = ember.zeros(3, 1)
    with pytest.raises(RuntimeError, match=r"output with shape \[3, 1\] doesn't match the "
                                           r"broadcast shape \[3, 4\]"):
        x.add_(ones(3, 4))
    assert x.tolist() == [[0.0], [0.0], [0.0]]


def test_copy_source_must_broadcast():
    x = ember.zeros(2, 3)
    with pytest.raises(RuntimeError, match="must match the size"):
        x.copy_(ones(4))
    with pytest.raises(RuntimeError, match="cannot be broadcast to the destination"):
        x.copy_(ones(2, 2, 3))
    assert x.sum().item() == 0


# ---------------------------------------------------------------- B2, B3 linear algebra


@pytest.mark.parametrize(("op", "a", "b", "message"), [
    (ember.mm, (2, 3), (4, 5), r"cannot be multiplied \(2x3 and 4x5\)"),
    (ember.matmul, (2, 3), (4, 5), r"cannot be multiplied \(2x3 and 4x5\)"),
    (ember.matmul, (7, 2, 3), (4, 5), r"cannot be multiplied"),
    (ember.bmm, (2, 2, 3), (2, 4, 5), r"cannot be multiplied \(2x2x3 and 2x4x5\)"),
    (ember.bmm, (2, 2, 3), (3, 3, 5), r"same batch size"),
    (ember.mv, (2, 3), (4,), r"size mismatch, got input \(2x3\), vec \(4\)"),
    (ember.dot, (3,), (4,), r"inconsistent tensor size"),
    (ember.mm, (2, 3, 1), (3, 2), r"must be a matrix"),
    (ember.bmm, (2, 3), (3, 2), r"must be 3D tensors"),
    (ember.dot, (3, 1), (3,), r"1D tensors expected"),
    (ember.outer, (3, 1), (3,), r"1D tensors expected"),
    (ember.matmul, (), (3,), r"at least 1D"),
], ids=["mm", "matmul", "matmul-batched", "bmm", "bmm-batch", "mv", "dot", "mm-3d", "bmm-2d",
        "dot-2d", "outer-2d", "matmul-0d"])
def test_matmul_shape_mismatch(op, a, b, message):
    with pytest.raises(RuntimeError, match=message):
        op(ones(*a), ones(*b))


def test_addmm_shape_mismatch():
    with pytest.raises(RuntimeError, match=r"cannot be multiplied \(2x3 and 4x5\)"):
        ember.addmm(ones(2, 5), ones(2, 3), ones(4, 5))


@pytest.mark.parametrize("op", [ember.mm, ember.matmul, ember.dot, ember.mv, ember.bmm],
                         ids=lambda op: op.__name__)
def test_matmul_dtype_mismatch(op):
    shapes = {"mm": ((2, 3), (3, 2)), "matmul": ((2, 3), (3, 2)), "dot": ((3,), (3,)),
              "mv": ((2, 3), (3,)), "bmm": ((2, 2, 3), (2, 3, 2))}[op.__name__]
    with pytest.raises(RuntimeError, match=r"same dtype, but got: float32 != float64"):
        op(ones(*shapes[0]), ones(*shapes[1], dtype=ember.float64))


def test_matmul_rejects_bool():
    with pytest.raises(RuntimeError, match="not implemented for 'bool'"):
        ember.mm(ones(2, 2, dtype=ember.bool), ones(2, 2, dtype=ember.bool))


# ---------------------------------------------------------------- B4 in-place cast


@pytest.mark.parametrize(("make", "call", "message"), [
    (lambda: ember.tensor([1, 2]), lambda x: x.add_(1.5), ("float32 can't be cast to the "
                                                          "desired output type int64")),
    (lambda: ember.tensor([1, 2]), lambda x: x.exp_(), "can't be cast to the desired output type"),
    (lambda: ember.tensor([1, 2]), lambda x: x.div_(ember.tensor([2, 2])),
     "can't be cast to the desired output type"),
    (lambda: ember.tensor([True]), lambda x: x.add_(ember.tensor([2])),
     "int64 can't be cast to the desired output type bool"),
    (lambda: ember.tensor([1, 2], dtype=ember.int32), lambda x: x.mul_(ember.ones(2)),
     "can't be cast to the desired output type int32"),
    (lambda: ember.tensor([1, 2]), lambda x: x.__iadd__(0.5),
     "can't be cast to the desired output type"),
    (lambda: ember.tensor([1, 2]), lambda x: x.sqrt_(), "can't be cast to the desired output"),
], ids=["add_-float", "exp_", "div_", "bool-add_", "int32-mul_", "iadd", "sqrt_"])
def test_inplace_cast(make, call, message):
    x = make()
    before = x.tolist()
    with pytest.raises(RuntimeError, match=message):
        call(x)
    assert x.tolist() == before


def float_operand(arg):
    if isinstance(arg, Input):
        # bool masks and int64 index tensors keep their dtype; every other operand is float.
        keep = arg.dtype in (ember.bool, ember.int64)
        return ember.tensor(arg.values, dtype=arg.dtype if keep else ember.float32)
    return arg


# Ops whose tensor operands must have self's dtype, as in PyTorch (gather/scatter family):
# test_scatter.py checks that another dtype is refused with self unchanged.
SAME_DTYPE_OPERANDS = {"scatter", "scatter_add", "scatter_reduce", "index_add", "index_copy",
                       "masked_scatter", "put"}


@pytest.mark.parametrize("info", [info for info in OP_DB
                                  if info.inplace and ember.float32 in info.dtypes
                                  and info.name not in SAME_DTYPE_OPERANDS],
                         ids=lambda info: info.name)
def test_every_inplace_op_checks_the_cast(info):
    """T12 for every in-place op on an int64 self with float operands: a floating result must
    be refused and leave self unchanged; any other result is written, cast to int64."""
    sample = next(sample for sample in info.sample_inputs(ember.float32)
                  if sample.tag == "regular" and isinstance(sample.args[0], Input))
    args = [float_operand(arg) for arg in sample.args[1:]]
    kwargs = {key: float_operand(value) for key, value in sample.kwargs.items()}
    self = ember.ones(*sample.args[0].values.shape, dtype=ember.int64)
    try:
        expected = info.op(self, *args, **kwargs)
    except RuntimeError:  # floating types only (frac, lerp): the in-place form refuses too
        with pytest.raises(RuntimeError, match=info.name):
            info.variant("inplace")(self, *args, **kwargs)
        assert (self == 1).all().item()
        return
    if expected.dtype.is_floating_point:
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type int64"):
            info.variant("inplace")(self, *args, **kwargs)
        assert (self == 1).all().item()
    else:
        info.variant("inplace")(self, *args, **kwargs)
        assert self.tolist() == expected.to(ember.int64).tolist()


# ---------------------------------------------------------------- B6 indices and dims


@pytest.mark.parametrize(("call", "message"), [
    (lambda: ember.ones(3)[5], r"index 5 is out of bounds for dimension 0 with size 3"),
    (lambda: ember.ones(3)[-4], r"index -4 is out of bounds for dimension 0 with size 3"),
    (lambda: ember.ones(2, 3)[:, 3], r"index 3 is out of bounds for dimension 1 with size 3"),
    (lambda: ember.ones(2, 3).select(1, 7), r"index 7 is out of bounds"),
    (lambda: ember.ones(3)[0, 0], r"too many indices for tensor of dimension 1"),
    (lambda: ember.tensor(1.0)[0], r"invalid index of a 0-dim tensor"),
    (lambda: ember.ones(3)[ember.tensor([True, False])], r"shape of the mask \[2\]"),
    (lambda: ember.ones(3)[1.5], r"only integers, slices"),
    (lambda: ember.index_select(ember.ones(3), 0, ember.tensor([3])), r"index 3 is out of bounds"),
    (lambda: ember.index_select(ember.ones(3), 0, ember.tensor([-1])), r"out of bounds"),
], ids=["getitem", "getitem-negative", "getitem-dim1", "select", "too-many", "0d", "mask-shape",
        "float-index", "index_select", "index_select-negative"])
def test_index_out_of_range(call, message):
    with pytest.raises(IndexError, match=message):
        call()


@pytest.mark.parametrize("call", [
    lambda x: x.sum(dim=5), lambda x: x.sum(dim=(0, -3)), lambda x: x.mean(2), lambda x: x.amax(-3),
    lambda x: x.max(2), lambda x: x.argmax(3), lambda x: x.var(2), lambda x: x.logsumexp(2),
    lambda x: x.all(2), lambda x: x.norm(dim=4), lambda x: x.transpose(0, 2),
    lambda x: x.squeeze(2), lambda x: x.unsqueeze(4), lambda x: x.flatten(0, 2),
    lambda x: x.select(2, 0), lambda x: x.narrow(-3, 0, 1), lambda x: x.unflatten(2, (1, 3)),
    lambda x: x.prod(2), lambda x: ember.index_select(x, 2, ember.tensor([0])),
], ids=["sum", "sum-tuple", "mean", "amax", "max", "argmax", "var", "logsumexp", "all", "norm",
        "transpose", "squeeze", "unsqueeze", "flatten", "select", "narrow", "unflatten", "prod",
        "index_select"])
def test_dim_out_of_range(call):
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of "):
        call(ember.ones(2, 3))


def test_dim_out_of_range_names_the_range():
    with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got 5\)"):
        ember.ones(2, 3).sum(dim=5)


def test_repeated_dims():
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times"):
        ember.ones(2, 3).sum((0, 0))
    with pytest.raises(RuntimeError, match="repeated dim"):
        ember.ones(2, 3).permute(0, 0)


# ---------------------------------------------------------------- B8 negative sizes


@pytest.mark.parametrize("call", [
    lambda: ember.empty(-1), lambda: ember.ones(2, -1, 3), lambda: ember.zeros((2, -3)),
    lambda: ember.full((2, -3), 1.0), lambda: ember.randn(-2), lambda: ember.rand(1, -1),
    lambda: ember.randint(3, (-1,)), lambda: ember.empty(size=(-4,)),
], ids=["empty", "ones", "zeros", "full", "randn", "rand", "randint", "empty-size"])
def test_negative_dimension(call):
    with pytest.raises(RuntimeError, match=r"Trying to create tensor with negative dimension -\d"):
        call()


def test_negative_dimension_message_shows_shape():
    with pytest.raises(RuntimeError, match=r"negative dimension -1: \[2, -1, 3\]"):
        ember.ones(2, -1, 3)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: ember.ones(6).reshape(4, 2), r"shape '\[4, 2\]' is invalid for input of size 6"),
    (lambda: ember.ones(6).view(-1, -1), "only one dimension can be inferred"),
    (lambda: ember.ones(6).reshape(-2, 3), "invalid shape dimension -2"),
    (lambda: ember.ones(3).expand(4), r"expanded size of the tensor \(4\) must match"),
    (lambda: ember.ones(3).expand(-1, -1), "expanded size"),
    (lambda: ember.ones(6).unflatten(0, (4, 2)), "is invalid for input of size 6"),
    (lambda: ember.ones(3).narrow(0, 2, 2), r"start \(2\) \+ length \(2\) exceeds"),
    (lambda: ember.ones(2, 3, 4).t(), r"expects a tensor with <= 2 dimensions"),
    (lambda: ember.ones(2, 3, 4).flatten(2, 1), "start_dim cannot come after end_dim"),
    (lambda: ember.ones(2, 3).permute(0), "number of dims don't match"),
    (lambda: ember.linspace(0, 1, -1), "number of steps must be non-negative"),
    (lambda: ember.eye(-1), "must be non-negative"),
], ids=["reshape", "view-two-inferred", "reshape-negative", "expand", "expand-negative",
        "unflatten", "narrow", "t-3d", "flatten", "permute", "linspace", "eye"])
def test_bad_shapes(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


# ---------------------------------------------------------------- B9 empty tensors


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_reduction_without_identity_on_empty(name):
    with pytest.raises(RuntimeError, match=r"Expected reduction dim to be specified for "
                                           r"input.numel\(\) == 0"):
        getattr(ember.empty(0, 3), name)()


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "argmax", "argmin"])
def test_reduction_over_empty_dim(name):
    with pytest.raises(IndexError, match=r"Expected reduction dim 0 to have non-zero size"):
        getattr(ember.empty(0, 3), name)(0)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reduction_of_empty(name):
    with pytest.raises((RuntimeError, IndexError), match=r"numel\(\) == 0"):
        getattr(ember.empty(0), name)()


def test_empty_norm_without_identity():
    with pytest.raises(RuntimeError, match="does not have an identity"):
        ember.empty(0, 3).norm(p=float("inf"))


@pytest.mark.parametrize(("call", "expected"), [
    (lambda x: x.sum(), 0.0), (lambda x: x.prod(), 1.0), (lambda x: x.mean(), float("nan")),
    (lambda x: x.all(), True), (lambda x: x.any(), False), (lambda x: x.norm(), 0.0),
    (lambda x: x.sum(0).tolist(), [0.0, 0.0, 0.0]), (lambda x: x.amax(1).tolist(), []),
    (lambda x: x.logsumexp(0).tolist(), [float("-inf")] * 3),
], ids=["sum", "prod", "mean", "all", "any", "norm", "sum-dim", "amax-nonempty-dim",
        "logsumexp"])
def test_empty_reductions_with_identity(call, expected):
    result = call(ember.empty(0, 3))
    value = result.item() if isinstance(result, ember.Tensor) else result
    np.testing.assert_equal(value, expected)


def test_item_of_empty():
    with pytest.raises(RuntimeError, match="a Tensor with 0 elements cannot be converted"):
        ember.empty(0).item()


# ---------------------------------------------------------------- B10, B11 sizes and memory


@pytest.mark.parametrize("shape", [(2**62, 2**62), (sys.maxsize,), (2**40, 2**40),
                                   (2**31, 2**31, 4), (2**61, 8)],
                         ids=["2^62-squared", "maxsize", "2^40-squared", "2^31-2^31-4", "bytes"])
def test_size_overflow(shape):
    with pytest.raises(RuntimeError, match="overflow"):
        ember.empty(*shape)


@pytest.mark.parametrize("factory", [ember.zeros, ember.ones, ember.randn],
                         ids=lambda factory: factory.__name__)
def test_size_overflow_other_factories(factory):
    with pytest.raises(RuntimeError, match="overflow"):
        factory(2**62, 2**62)


@pytest.mark.parametrize("size", [2**63, 2**64, -(2**63) - 1], ids=["2^63", "2^64", "-2^63-1"])
def test_size_beyond_int64_is_an_error(size):
    with pytest.raises((TypeError, RuntimeError, OverflowError, ValueError)):
        ember.empty(size)


def test_huge_allocation_raises_out_of_memory():
    assert issubclass(ember.OutOfMemoryError, RuntimeError)
    try:
        tensor = ember.empty(2**40, dtype=ember.float64)  # 8 TiB, never touched
    except ember.OutOfMemoryError as error:
        assert "not enough memory" in str(error)
        assert str(2**43) in str(error)  # the byte count
        return
    del tensor
    pytest.skip("the system's overcommit policy granted 8 TiB of address space")


# ---------------------------------------------------------------- B13 integer division


@pytest.mark.parametrize("call", [
    lambda: ember.tensor([1, 2]) // ember.tensor([0, 1]),
    lambda: ember.tensor([1, 2]) % 0,
    lambda: ember.remainder(ember.tensor([1, 2], dtype=ember.int8), ember.tensor([1, 0],
                                                                                 dtype=ember.int8)),
    lambda: ember.div(ember.tensor([1, 2]), 0, rounding_mode="trunc"),
    lambda: ember.div(ember.tensor([1, 2]), ember.tensor([0, 0]), rounding_mode="floor"),
    lambda: ember.tensor([1, 2]).floor_divide_(0),
    lambda: ember.floor_divide(5, ember.tensor([0], dtype=ember.uint8)),
], ids=["floor_divide", "remainder", "remainder-int8", "div-trunc", "div-floor", "in-place",
        "scalar-uint8"])
def test_integer_division_by_zero(call):
    with pytest.raises(RuntimeError, match="division by zero"):
        call()


def test_integer_division_by_zero_writes_nothing():
    x = ember.tensor([4, 6])
    with pytest.raises(RuntimeError, match="division by zero"):
        x.floor_divide_(ember.tensor([2, 0]))
    assert x.tolist() == [4, 6]


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: ember.tensor([-2**63]) % -1, [0]),
    (lambda: ember.tensor([1.0, -1.0, 0.0]) // 0, [float("inf"), float("-inf"), float("nan")]),
], ids=["int64-min-remainder", "float"])
def test_division_edge_cases_do_not_trap(call, expected):
    np.testing.assert_equal(call().tolist(), expected)


@pytest.mark.parametrize("call", [
    lambda: ember.tensor([-2**63]) // -1,
    lambda: ember.tensor([-2**31], dtype=ember.int32) // -1,
    lambda: ember.div(ember.tensor([-128], dtype=ember.int8), -1, rounding_mode="trunc"),
], ids=["int64-min", "int32-min", "int8-trunc"])
def test_minimum_divided_by_minus_one_raises(call):
    """The quotient does not fit the type: an error, neither a trap nor a silent wrap."""
    with pytest.raises(RuntimeError, match="integer overflow: .* divided by -1 does not fit"):
        call()


def test_nan_and_inf_propagate():
    """B12: IEEE results, no error."""
    values = (ember.tensor([-1.0, 0.0, 1.0]).log()).tolist()
    np.testing.assert_equal(values, [float("nan"), float("-inf"), 0.0])
    assert (ember.tensor([1.0]) / 0).tolist() == [float("inf")]


# ---------------------------------------------------------------- B14, B15 strides


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: x.as_strided((2,), (-1,)), "Negative strides are not supported"),
    (lambda x: x.as_strided((3,), (2,)), (r"storage of at least 5 elements, but the storage "
                                         r"holds only 4")),
    (lambda x: x.as_strided((2,), (1,), 3), "storage of at least 5 elements"),
    (lambda x: x.as_strided((2,), (1,), -1), "invalid storage offset"),
    (lambda x: x.as_strided((2, 2), (1,)), "mismatch in length of strides and shape"),
    (lambda x: x.as_strided((-1,), (1,)), "negative dimension"),
], ids=["negative-stride", "past-storage", "offset-past-storage", "negative-offset",
        "length-mismatch", "negative-size"])
def test_as_strided_bounds(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(ember.ones(4))


@pytest.mark.parametrize("make", [lambda: ember.ones(3, 4).t(), lambda: ember.ones(4, 5)[:, ::2],
                                  lambda: ember.ones(2, 3, 4).permute(2, 0, 1)],
                         ids=["transposed", "sliced", "permuted"])
def test_view_on_incompatible_strides(make):
    with pytest.raises(RuntimeError, match=r"view size is not compatible with input tensor's "
                                           r"size and stride.*Use \.reshape\(\.\.\.\) instead"):
        make().view(-1)


def test_reshape_copies_where_view_refuses():
    x = ember.arange(12.0).reshape(3, 4).t()
    assert x.reshape(-1).tolist() == np.arange(12.0).reshape(3, 4).T.reshape(-1).tolist()


def test_from_numpy_negative_strides():
    with pytest.raises(ValueError, match="negative strides are not currently supported"):
        ember.from_numpy(np.arange(3.0)[::-1])


@pytest.mark.parametrize("dtype", [np.uint16, np.complex64, np.float128 if hasattr(np, "float128")
                                   else np.uint32], ids=lambda dtype: np.dtype(dtype).name)
def test_from_numpy_unsupported_dtype(dtype):
    with pytest.raises(TypeError, match="can't convert np.ndarray of this dtype"):
        ember.from_numpy(np.ones(3, dtype=dtype))


def test_numpy_of_bfloat16():
    with pytest.raises(TypeError, match="NumPy has no bfloat16"):
        ember.ones(2, dtype=ember.bfloat16).numpy()


# ---------------------------------------------------------------- B16 internal overlap


OVERLAP = r"more than one element of the written-to tensor refers to a single memory location"


def inplace_cases():
    for info in OP_DB:
        if info.inplace:
            yield pytest.param(info, id=info.name)


@pytest.mark.parametrize("info", list(inplace_cases()))
def test_inplace_into_expanded_tensor(info):
    """Every in-place op refuses a stride-0 self (x.expand(3).cos_() was silently wrong)."""
    dtype = ember.float32 if ember.float32 in info.dtypes else info.dtypes[0]
    sample = next(sample for sample in info.sample_inputs(dtype)
                  if sample.tag == "regular" and isinstance(sample.args[0], Input)
                  and sample.args[0].values.ndim >= 1)
    base = ember.ones(*sample.args[0].values.shape[:-1], 1, dtype=dtype)
    self = base.expand(*sample.args[0].values.shape)

    def tensor_of(arg):
        return ember.tensor(arg.values, dtype=arg.dtype) if isinstance(arg, Input) else arg

    args = [tensor_of(arg) for arg in sample.args[1:]]
    kwargs = {key: tensor_of(value) for key, value in sample.kwargs.items()}
    with pytest.raises(RuntimeError, match=OVERLAP):
        info.variant("inplace")(self, *args, **kwargs)
    assert (base == 1).all().item()


@pytest.mark.parametrize("call", [
    lambda x: x.copy_(ember.ones(3, 4)), lambda x: x.fill_(2.0), lambda x: x.zero_(),
    lambda x: x.__setitem__(0, 2.0), lambda x: x.__iadd__(1.0), lambda x: x.uniform_(),
    lambda x: x.normal_(), lambda x: x.bernoulli_(0.5), lambda x: x.masked_fill_(
        ember.ones(3, 4, dtype=ember.bool), 1.0),
], ids=["copy_", "fill_", "zero_", "setitem", "iadd", "uniform_", "normal_", "bernoulli_",
        "masked_fill_"])
def test_writes_into_expanded_tensor(call):
    base = ember.ones(3, 1)
    with pytest.raises(RuntimeError, match=OVERLAP + r".*Please clone\(\)"):
        call(base.expand(3, 4))
    assert base.tolist() == [[1.0], [1.0], [1.0]]


# ---------------------------------------------------------------- B17 partial overlap

PARTIAL = r"some elements of the input tensor and the written-to tensor refer to a single memory"


@pytest.mark.parametrize("call", [
    lambda x: x.add_(x.t()), lambda x: x.mul_(x.t()), lambda x: x.__iadd__(x.t()),
    lambda x: x.copy_(x.t()), lambda x: x[1:].copy_(x[:-1]), lambda x: x[1:].sub_(x[:-1]),
    lambda x: x.maximum_(x.t()), lambda x: x.eq_(x.t()),
], ids=["add_", "mul_", "iadd", "copy_", "copy-shifted", "sub-shifted", "maximum_", "eq_"])
def test_partial_overlap(call):
    """Dense views of one storage that overlap without being equal are refused. (Overlap of
    non-dense views is not decided, as in PyTorch: RELIABILITY.md B17.)"""
    x = ember.arange(9.0).reshape(3, 3)
    with pytest.raises(RuntimeError, match=PARTIAL):
        call(x)
    assert x.reshape(-1).tolist() == list(np.arange(9.0))


def test_exact_self_alias_is_allowed():
    x = ember.arange(4.0).reshape(2, 2)
    x.add_(x)
    assert x.tolist() == [[0.0, 2.0], [4.0, 6.0]]
    x.mul_(x)
    assert x.tolist() == [[0.0, 4.0], [16.0, 36.0]]
    x.copy_(x)
    assert x.tolist() == [[0.0, 4.0], [16.0, 36.0]]


def test_disjoint_views_of_one_storage_are_allowed():
    x = ember.arange(6.0)
    x[:3].add_(x[3:])
    assert x.tolist() == [3.0, 5.0, 7.0, 3.0, 4.0, 5.0]


# ---------------------------------------------------------------- type and value errors


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ember.tensor([True]) - ember.tensor([True]), RuntimeError,
     "not supported for two bool tensors"),
    (lambda: -ember.tensor([True]), RuntimeError, "not supported for bool tensors"),
    (lambda: ember.tensor([1, 2]).mean(), RuntimeError, "could not infer output dtype"),
    (lambda: ember.tensor([True]).argmax(), RuntimeError, "not implemented for 'Bool'"),
    (lambda: ember.tensor([1, 2]).norm(), RuntimeError, "Expected a floating point"),
    (lambda: ember.ones(2).clamp(), RuntimeError, "At least one of 'min' or 'max'"),
    (lambda: ember.where(ember.ones(2), ember.ones(2), ember.ones(2)), RuntimeError,
     "condition to be a boolean tensor"),
    (lambda: ember.ones(2).masked_fill(ember.ones(2), 1.0), RuntimeError, "bool mask"),
    (lambda: ember.ones(2).masked_fill(ember.ones(2, 2, dtype=ember.bool), 1.0), RuntimeError,
     "not broadcastable"),
    (lambda: ember.ones(2).div(ember.ones(2), rounding_mode="bad"), ValueError,
     "rounding_mode to be one of None, 'trunc', or 'floor'"),
    (lambda: ember.arange(0, 5, 0), RuntimeError, "step must be nonzero"),
    (lambda: ember.arange(5, 0, 1), RuntimeError, "inconsistent with step sign"),
    (lambda: ember.randint(5, 2, (3,)), RuntimeError, "expects 'from' to be less than 'to'"),
    (lambda: ember.rand(3, dtype=ember.int64), RuntimeError, "expects a floating point dtype"),
    (lambda: ember.ones(3).normal_(0, -1), RuntimeError, "expects std >= 0.0"),
    (lambda: ember.ones(3).bernoulli_(1.5), RuntimeError, r"expects p to be in \[0, 1\]"),
    (lambda: ember.ones(3).uniform_(2, 1), RuntimeError, "expects from <= to"),
    (lambda: ember.tensor([[1, 2], [3]]), ValueError, "expected sequence of length 2 at dim 1"),
    (lambda: ember.tensor(["a"]), TypeError, "expected a number"),
    (lambda: ember.zeros(2, dtype="float"), TypeError, "expected an ember.dtype"),
    (lambda: ember.zeros(2, device="tpu"), RuntimeError, "expected a device type"),
    (lambda: ember.set_num_threads(0), ValueError, "expected a positive thread count"),
    (lambda: ember.ones(3)[::-1], ValueError, "step must be greater than zero"),
    (lambda: ember.ones(3, 2).__setitem__(0, ember.ones(3)), RuntimeError, "must match the size"),
    (lambda: ember.ones(2) + 2**70, RuntimeError, "does not fit in int64"),
    (lambda: len(ember.tensor(1.0)), TypeError, "len\\(\\) of a 0-d tensor"),
    (lambda: iter(ember.tensor(1.0)), TypeError, "iteration over a 0-d tensor"),
    (lambda: bool(ember.ones(2)), RuntimeError, "more than one value is ambiguous"),
    (lambda: float(ember.ones(2)), RuntimeError, "only one element tensors"),
    (lambda: int(ember.ones(2)), RuntimeError, "only one element tensors"),
    (lambda: ember.ones(2).item(), RuntimeError, "a Tensor with 2 elements"),
], ids=["sub-bool", "neg-bool", "mean-int", "argmax-bool", "norm-int", "clamp-none",
        "where-condition", "masked_fill-mask", "masked_fill-shape", "rounding_mode", "arange-step",
        "arange-sign", "randint-bounds", "rand-int", "normal_-std", "bernoulli_-p", "uniform_",
        "ragged", "string", "dtype", "device", "threads", "negative-step", "setitem-shape",
        "scalar-overflow", "len", "iter", "bool", "float", "int", "item"])
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------- devices


def test_cuda_is_unavailable():
    assert ember.cuda.is_available() is False
    assert ember.cuda.device_count() == 0


@pytest.mark.parametrize("call", [
    lambda: ember.ones(2).cuda(), lambda: ember.ones(2).to("cuda"),
    lambda: ember.ones(2).to(device="cuda:0"), lambda: ember.zeros(2, device="cuda"),
    lambda: ember.tensor([1.0], device="cuda"), lambda: ember.ones_like(ember.ones(2),
                                                                        device="cuda"),
], ids=["cuda()", "to", "to-index", "zeros", "tensor", "ones_like"])
def test_cuda_tensors_raise(call):
    with pytest.raises(RuntimeError, match="CUDA"):
        call()


@pytest.mark.parametrize("dtype", [ember.float32, ember.int64], ids=dtype_name)
def test_failed_op_leaves_inputs_intact(dtype):
    x = ember.arange(6, dtype=dtype).reshape(2, 3)
    y = ember.ones(4, dtype=dtype)
    with pytest.raises(RuntimeError):
        x + y
    with pytest.raises(RuntimeError):
        x.mm(y.reshape(4, 1))
    assert x.reshape(-1).tolist() == [0, 1, 2, 3, 4, 5]
    assert y.tolist() == [1, 1, 1, 1]
