"""The util family beyond op_db: Tensor utilities, memory formats, finfo/iinfo against PyTorch's
values, the default dtype in every factory, result_type with numbers, set_printoptions, the util
reductions' special cases and bad inputs (typed errors naming the op)."""
import math

import numpy as np
import pytest

import ember

# ---------------------------------------------------------------- Tensor utilities


def test_tensor_metadata():
    x = ember.zeros(3, 4, dtype=ember.float64)
    assert x.element_size() == 8 and x.itemsize == 8 and x.nbytes == 96
    assert x[1:].storage_offset() == 4 and x[1:].nbytes == 64
    assert x.is_floating_point() and x.is_signed() and not x.is_complex()
    assert not ember.zeros(2, dtype=ember.uint8).is_signed()
    assert not ember.zeros(2, dtype=ember.bool).is_signed()
    assert ember.zeros(2, dtype=ember.int16).itemsize == 2
    assert x[1].data_ptr() == x.data_ptr() + 4 * 8


def test_clone_memory_formats():
    x = ember.arange(24.0).reshape(2, 3, 4)
    transposed = x.transpose(0, 2)
    assert transposed.clone().stride() == transposed.stride()  # preserve_format by default
    assert transposed.clone(memory_format=ember.preserve_format).stride() == transposed.stride()
    contiguous = ember.clone(transposed, memory_format=ember.contiguous_format)
    assert contiguous.is_contiguous() and contiguous.tolist() == transposed.tolist()
    nhwc = x.reshape(1, 2, 3, 4).clone(memory_format=ember.channels_last)
    assert nhwc.stride() == (24, 1, 8, 2) and nhwc.tolist() == x.reshape(1, 2, 3, 4).tolist()
    assert repr(ember.preserve_format) == "ember.preserve_format"
    with pytest.raises(RuntimeError, match="channels_last"):
        x.clone(memory_format=ember.channels_last)
    with pytest.raises(TypeError, match="memory_format"):
        x.clone(memory_format="contiguous")


def test_clone_preserve_keeps_gradients():
    x = ember.ones(2, 3, dtype=ember.float64, requires_grad=True)
    (x.t().clone(memory_format=ember.preserve_format) * 2).sum().backward()
    assert x.grad.tolist() == [[2.0] * 3] * 2


# ---------------------------------------------------------------- finfo / iinfo

FINFO = {  # PyTorch's values
    ember.float16: (16, 0.0009765625, 65504.0, 6.103515625e-05, 0.001),
    ember.bfloat16: (16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01),
    ember.float32: (32, 1.1920928955078125e-07, 3.4028234663852886e38, 1.1754943508222875e-38,
                    1e-06),
    ember.float64: (64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308,
                    1e-15),
}


@pytest.mark.parametrize("dtype", list(FINFO), ids=repr)
def test_finfo(dtype):
    bits, eps, largest, tiny, resolution = FINFO[dtype]
    info = ember.finfo(dtype)
    assert (info.bits, info.eps, info.max, info.min) == (bits, eps, largest, -largest)
    assert info.tiny == info.smallest_normal == tiny
    assert info.resolution == pytest.approx(resolution, rel=1e-12)
    assert info.dtype == repr(dtype).removeprefix("ember.")


def test_finfo_defaults_and_errors():
    assert ember.finfo().dtype == "float32"
    with pytest.raises(TypeError, match="floating point"):
        ember.finfo(ember.int32)
    with pytest.raises(TypeError, match="integer"):
        ember.iinfo(ember.float32)
    with pytest.raises(TypeError, match="integer"):
        ember.iinfo(ember.bool)


@pytest.mark.parametrize(("dtype", "numpy_dtype"), [
    (ember.uint8, np.uint8), (ember.int8, np.int8), (ember.int16, np.int16),
    (ember.int32, np.int32), (ember.int64, np.int64)])
def test_iinfo(dtype, numpy_dtype):
    info, expected = ember.iinfo(dtype), np.iinfo(numpy_dtype)
    assert (info.bits, info.min, info.max) == (expected.bits, expected.min, expected.max)


# ---------------------------------------------------------------- default dtype


@pytest.fixture
def float64_default():
    ember.set_default_dtype(ember.float64)
    yield
    ember.set_default_dtype(ember.float32)


def test_default_dtype_reaches_every_factory(float64_default):
    assert ember.get_default_dtype() == ember.float64
    made = [ember.zeros(2), ember.ones(2), ember.empty(2), ember.rand(2), ember.randn(2),
            ember.arange(0.0, 1.0, 0.5), ember.linspace(0, 1, 3), ember.full((2,), 1.5),
            ember.tensor([1.5, 2.0]), ember.tensor(2.5), ember.eye(2), ember.scalar_tensor(1)]
    assert all(t.dtype == ember.float64 for t in made), [t.dtype for t in made]
    assert ember.arange(3).dtype == ember.int64 and ember.full((2,), 7).dtype == ember.int64
    assert (ember.tensor([1, 2], dtype=ember.int32) * 2.5).dtype == ember.float64


def test_set_default_dtype_only_takes_float32_and_float64():
    for dtype in (ember.float16, ember.bfloat16, ember.int64):
        with pytest.raises(TypeError, match="float32 and float64"):
            ember.set_default_dtype(dtype)
    assert ember.get_default_dtype() == ember.float32


# ---------------------------------------------------------------- promotion helpers


def test_dtype_compares_with_none():
    assert ember.float32 != None  # noqa: E711  (a TypeError before)
    assert None not in (ember.float32, ember.int64)


def test_result_type_with_numbers():
    assert ember.result_type(ember.tensor([1, 2], dtype=ember.int8), 300) == ember.int8
    assert ember.result_type(2, ember.tensor([1.0], dtype=ember.float16)) == ember.float16
    assert ember.result_type(2, 3) == ember.int64
    assert ember.result_type(True, 2.5) == ember.float32
    assert ember.result_type(ember.tensor(1.0, dtype=ember.float64),
                             ember.tensor([1], dtype=ember.int32)) == ember.float64
    assert ember.can_cast(ember.int32, ember.float16) and not ember.can_cast(ember.float16,
                                                                            ember.int64)
    assert ember.promote_types(ember.uint8, ember.int8) == ember.int16


# ---------------------------------------------------------------- printing


@pytest.fixture
def restore_printoptions():
    yield
    ember.set_printoptions(profile="default")


def test_set_printoptions(restore_printoptions):
    x = ember.tensor([1.123456, 2.5])
    ember.set_printoptions(precision=2)
    assert repr(x) == "tensor([1.12, 2.50])"
    ember.set_printoptions(sci_mode=True)
    assert repr(x) == "tensor([1.12e+00, 2.50e+00])"
    ember.set_printoptions(profile="default")
    assert repr(x) == "tensor([1.1235, 2.5000])"
    ember.set_printoptions(threshold=5, edgeitems=2)
    assert repr(ember.arange(10)) == "tensor([0, 1,  ..., 8, 9])"  # PyTorch's two spaces
    ember.set_printoptions(profile="full")
    assert "..." not in repr(ember.arange(2000))
    ember.set_printoptions(profile="short")
    assert repr(x) == "tensor([1.12, 2.50])"
    ember.set_printoptions(profile="default", sci_mode=False)
    assert repr(ember.tensor([1e-6, 1.0])) == "tensor([0.0000, 1.0000])"
    with pytest.raises(ValueError, match="profile"):
        ember.set_printoptions(profile="long")


# ---------------------------------------------------------------- reductions


def test_nan_reductions():
    x = ember.tensor([[1.0, math.nan], [math.nan, math.nan]])
    assert ember.nansum(x, 1).tolist() == [1.0, 0.0]
    means = ember.nanmean(x, dim=1).tolist()
    assert means[0] == 1.0 and math.isnan(means[1])
    assert ember.nansum(ember.tensor([1, 2])).dtype == ember.int64
    with pytest.raises(RuntimeError, match=r"\[nanmean\].*int64"):
        ember.nanmean(ember.tensor([1, 2]))


def test_nansum_gives_nans_no_gradient():
    x = ember.tensor([1.0, math.nan, 2.0], dtype=ember.float64, requires_grad=True)
    ember.nansum(x).backward()
    assert x.grad.tolist() == [1.0, 0.0, 1.0]


def test_aminmax_returns_min_and_max():
    result = ember.aminmax(ember.tensor([[1, 5], [-2, 3]]), dim=0, keepdim=True)
    assert type(result).__name__ == "aminmax"
    assert result.min.tolist() == [[-2, 3]] and result.max.tolist() == [[1, 5]]
    with pytest.raises(RuntimeError, match=r"\[aminmax\]"):
        ember.zeros(0).aminmax()


def test_var_mean_forms():
    x = ember.tensor([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0]])
    var, mean = ember.var_mean(x, 1)
    assert mean.tolist() == [2.0, 6.0] and var.tolist() == [1.0, 4.0]
    assert ember.var_mean(x, 1, False)[0].tolist() == pytest.approx([2 / 3, 8 / 3])
    assert ember.var_mean(x, 1, correction=0)[0].tolist() == pytest.approx([2 / 3, 8 / 3])
    std, _ = ember.std_mean(x, dim=1, keepdim=True)
    assert std.tolist() == [[1.0], [2.0]]


def test_cdist_zero_distance_has_zero_gradient():
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=ember.float64, requires_grad=True)
    ember.cdist(x, x.detach()).sum().backward()
    assert not np.isnan(x.grad.numpy()).any()


def test_cross_default_dim_is_the_first_of_size_3():
    a = ember.tensor([[1.0, 0.0, 0.0]] * 3).t()  # (3, 3): dim 0 first
    b = ember.tensor([[0.0, 1.0, 0.0]] * 3).t()
    assert ember.cross(a, b).tolist() == ember.cross(a, b, dim=0).tolist()
    assert ember.cross(a, b, dim=0)[:, 0].tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ember.cross(ember.ones(2, 4), ember.ones(2, 4)), RuntimeError,
     r"\[cross\] no dimension of size 3"),
    (lambda: ember.cross(ember.ones(3, 2), ember.ones(3), dim=0), RuntimeError,
     "same number of dimensions"),
    (lambda: ember.cross(ember.ones(3, 2), ember.ones(3, 2), dim=1), RuntimeError,
     "must have length 3"),
    (lambda: ember.cdist(ember.ones(2, 3), ember.ones(2, 4)), RuntimeError,
     r"\[cdist\] X1 and X2 must have the same number of columns"),
    (lambda: ember.cdist(ember.ones(3), ember.ones(2, 3)), RuntimeError, "at least 2D"),
    (lambda: ember.cdist(ember.ones(2, 3), ember.ones(2, 3), p=-1.0), RuntimeError,
     "non-negative p"),
    (lambda: ember.cdist(ember.ones(2, 3, dtype=ember.int64), ember.ones(2, 3)), RuntimeError,
     "floating-point"),
    (lambda: ember.trace(ember.ones(2, 2, 2)), RuntimeError, r"\[trace\] expected a matrix"),
    (lambda: ember.dist(ember.ones(2, dtype=ember.int64), ember.ones(2)), RuntimeError,
     r"\[dist\].*floating"),
    (lambda: ember.ones(2, 3).all((0, 0)), RuntimeError, "multiple times"),
    (lambda: ember.ones(2, 3).any((0, 2)), IndexError, "out of range"),
])
def test_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_all_any_over_several_dims():
    x = ember.tensor([[[True, False], [True, True]], [[True, True], [True, True]]])
    assert x.all((1, 2)).tolist() == [False, True]
    assert ember.any(x.logical_not(), dim=(0, 2), keepdim=True).tolist() == [[[True], [False]]]
    assert ember.all(x, dim=(0, 1, 2)).item() is False
