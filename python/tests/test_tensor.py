"""The Tensor API outside op_db: metadata, Python conversions, NumPy zero-copy, repr, the legacy
tensor types, dtype and device objects, conversions (to / float / ...), copy_ and clone, and the
random generator (seeding, thread-count independence, distribution sanity)."""
import math

import numpy as np
import pytest
from op_db import ALL, FLOATING, NUMPY_DTYPES, as_numpy, dtype_name

import ember

# ---------------------------------------------------------------- metadata


def test_metadata():
    x = ember.zeros(2, 3, 4)
    assert x.shape == (2, 3, 4) and isinstance(x.shape, ember.Size)
    assert x.size() == (2, 3, 4) and x.size(1) == 3 and x.size(-1) == 4
    assert x.dtype == ember.float32
    assert x.device == "cpu" and x.device.type == "cpu" and x.is_cpu and not x.is_cuda
    assert x.ndim == x.dim() == x.ndimension() == 3
    assert x.numel() == x.nelement() == 24 == ember.numel(x)
    assert x.element_size() == 4
    assert x.stride() == (12, 4, 1) and x.stride(0) == 12
    assert x.is_contiguous() and x.storage_offset() == 0
    assert x.is_floating_point() and not ember.zeros(2, dtype=ember.int32).is_floating_point()
    assert ember.is_tensor(x) and not ember.is_tensor(np.zeros(2))


def test_view_metadata():
    x = ember.arange(24.0).reshape(2, 3, 4)
    view = x[1, :, 1::2]
    assert view.shape == (3, 2)
    assert view.stride() == (4, 2)
    assert view.storage_offset() == 13
    assert not view.is_contiguous()
    assert view.data_ptr() == x.data_ptr() + 13 * 4
    assert x.T.shape == (4, 3, 2) and x.T.stride() == (1, 4, 12)
    assert x.mT.shape == (2, 4, 3)


def test_size_object():
    size = ember.zeros(2, 3).shape
    assert repr(size) == "ember.Size([2, 3])"
    assert size.numel() == 6
    assert isinstance(size[1:], ember.Size) and size[1:] == (3,)
    assert size == (2, 3) and tuple(size) == (2, 3) and list(size) == [2, 3]
    assert ember.zeros(size).shape == size


@pytest.mark.parametrize("dtype", ALL, ids=dtype_name)
def test_dtype_objects(dtype):
    assert repr(dtype) == f"ember.{dtype_name(dtype)}"
    numpy_itemsize = np.dtype(NUMPY_DTYPES[dtype]).itemsize
    assert dtype.itemsize == (2 if dtype == ember.bfloat16 else numpy_itemsize)
    assert dtype.is_floating_point == (dtype in FLOATING)
    assert ember.zeros(1, dtype=dtype).dtype == dtype
    assert ember.zeros(1, dtype=dtype).element_size() == dtype.itemsize
    assert hash(dtype) == hash(getattr(ember, dtype_name(dtype)))


def test_dtype_aliases():
    assert ember.float is ember.float32 and ember.double is ember.float64
    assert ember.half is ember.float16 and ember.long is ember.int64
    assert ember.int is ember.int32 and ember.short is ember.int16
    assert ember.int8.is_signed and not ember.uint8.is_signed and ember.bfloat16.itemsize == 2


def test_default_dtype():
    assert ember.get_default_dtype() == ember.float32
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.tensor([1.5]).dtype == ember.float64
        assert ember.zeros(2).dtype == ember.float64
        assert (ember.tensor([1, 2]) / 2).dtype == ember.float64
    finally:
        ember.set_default_dtype(ember.float32)
    assert ember.zeros(2).dtype == ember.float32
    with pytest.raises(TypeError, match="only floating-point types"):
        ember.set_default_dtype(ember.int64)


def test_device_objects():
    device = ember.ones(1).device
    assert str(device) == "cpu" and repr(device) == "device(type='cpu')"
    assert device == "cpu" and device != "cuda"


def test_device_constructor():
    assert ember.ones(1).device.index is None
    assert ember.device("cpu") == "cpu"
    assert ember.device("cuda", 1).index == 1
    assert str(ember.device("cuda:0")) == "cuda:0"


# ---------------------------------------------------------------- Python conversions


def test_item_types():
    assert ember.tensor(3).item() == 3 and isinstance(ember.tensor(3).item(), int)
    assert ember.tensor(2.5).item() == 2.5 and isinstance(ember.tensor(2.5).item(), float)
    assert ember.tensor(True).item() is True
    assert ember.tensor([[7]]).item() == 7
    assert ember.tensor(0.1, dtype=ember.float16).item() == float(np.float16(0.1))


def test_tolist():
    assert ember.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert ember.tensor([True, False]).tolist() == [True, False]
    assert ember.tensor(1.5).tolist() == 1.5
    assert ember.zeros(2, 0).tolist() == [[], []]
    values = ember.arange(6.0).reshape(2, 3).t().tolist()
    assert values == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert all(isinstance(value, float) for row in values for value in row)


def test_len_and_iter():
    x = ember.arange(6).reshape(3, 2)
    assert len(x) == 3
    rows = list(x)
    assert len(rows) == 3 and all(isinstance(row, ember.Tensor) for row in rows)
    assert [row.tolist() for row in rows] == [[0, 1], [2, 3], [4, 5]]
    assert [value.item() for value in ember.tensor([4, 5])] == [4, 5]


def test_python_scalars_from_tensors():
    assert bool(ember.tensor([1.0])) is True and bool(ember.tensor(0)) is False
    assert float(ember.tensor([2.5])) == 2.5
    assert int(ember.tensor([3.7])) == 3 and int(ember.tensor(-3.7)) == -3
    assert [10, 20, 30][ember.tensor(1)] == 20  # __index__
    assert math.isnan(float(ember.tensor(float("nan"))))
    with pytest.raises(TypeError, match="only integer tensors"):
        [1, 2][ember.tensor(1.0)]


# ---------------------------------------------------------------- NumPy zero-copy


@pytest.mark.parametrize("dtype", [dtype for dtype in ALL if dtype != ember.bfloat16],
                         ids=dtype_name)
def test_numpy_round_trip(dtype):
    values = (np.arange(6) % 2 == 0) if dtype == ember.bool else np.arange(6)
    array = np.asarray(values, dtype=NUMPY_DTYPES[dtype]).reshape(2, 3)
    tensor = ember.from_numpy(array)
    assert tensor.dtype == dtype and tensor.shape == (2, 3)
    back = tensor.numpy()
    assert back.dtype == array.dtype
    np.testing.assert_array_equal(back, array)


def test_from_numpy_shares_memory_both_ways():
    array = np.zeros((2, 3), dtype=np.float32)
    tensor = ember.from_numpy(array)
    array[0, 1] = 5.0
    assert tensor[0, 1].item() == 5.0
    tensor[1, 2] = 7.0
    tensor.add_(1.0)
    assert array.tolist() == [[1.0, 6.0, 1.0], [1.0, 1.0, 8.0]]
    assert tensor.data_ptr() == array.ctypes.data


def test_numpy_shares_memory_both_ways():
    tensor = ember.zeros(2, 3)
    array = tensor.numpy()
    array[1, 0] = 4.0
    assert tensor[1, 0].item() == 4.0
    tensor.fill_(2.0)
    assert (array == 2.0).all()
    assert array.ctypes.data == tensor.data_ptr()


def test_numpy_of_views_keeps_strides():
    tensor = ember.arange(12.0).reshape(3, 4)
    view = tensor.t()[::2]
    array = view.numpy()
    np.testing.assert_array_equal(array, np.arange(12.0).reshape(3, 4).T[::2])
    array[0, 0] = -1.0
    assert tensor[0, 0].item() == -1.0
    np.testing.assert_array_equal(ember.arange(6.0)[::2].numpy(), [0.0, 2.0, 4.0])


def test_from_numpy_views_keep_strides():
    array = np.arange(24, dtype=np.int64).reshape(4, 6)
    tensor = ember.from_numpy(array[1:, ::2])
    assert tensor.shape == (3, 3) and tensor.stride() == (6, 2)
    assert tensor.tolist() == array[1:, ::2].tolist()
    array[3, 4] = 100
    assert tensor[2, 2].item() == 100


def test_numpy_lifetimes():
    array = ember.arange(4.0).numpy()  # the tensor lives on in the array's owner
    assert array.tolist() == [0.0, 1.0, 2.0, 3.0]
    tensor = ember.from_numpy(np.arange(3.0))  # the array lives on in the tensor's storage
    assert (tensor * 2).tolist() == [0.0, 2.0, 4.0]


def test_numpy_force_copies_non_contiguous():
    view = ember.arange(6.0).reshape(2, 3).t()
    array = view.numpy(force=True)
    assert array.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(array, np.arange(6.0).reshape(2, 3).T)


def test_tensor_from_numpy_copies():
    array = np.arange(3.0)
    tensor = ember.tensor(array)
    array[0] = 9.0
    assert tensor.tolist() == [0.0, 1.0, 2.0] and tensor.dtype == ember.float64


def test_tensor_from_zero_dim_numpy_array():
    assert ember.tensor(np.array(2.5)).shape == ()
    assert ember.tensor(np.float32(2.5)).shape == ()


def test_tensor_keeps_float64_values():
    assert ember.tensor([0.1], dtype=ember.float64).item() == 0.1
    assert ember.tensor(0.1, dtype=ember.float64).item() == 0.1


def test_tensor_of_large_integers_is_exact():
    assert ember.tensor([2**53 + 1]).item() == 2**53 + 1
    assert ember.tensor([2**62 + 1], dtype=ember.int64).item() == 2**62 + 1


# ---------------------------------------------------------------- repr


@pytest.mark.parametrize(("make", "text"), [
    (lambda: ember.tensor([1.0, 2.0]), "tensor([1., 2.])"),
    (lambda: ember.tensor([1.5, 2.25]), "tensor([1.5000, 2.2500])"),
    (lambda: ember.tensor([1, 2]), "tensor([1, 2])"),
    (lambda: ember.tensor([True, False]), "tensor([ True, False])"),
    (lambda: ember.tensor(3.5), "tensor(3.5000)"),
    (lambda: ember.tensor(3), "tensor(3)"),
    (lambda: ember.zeros(2, 2), "tensor([[0., 0.],\n        [0., 0.]])"),
    (lambda: ember.tensor([1, 2], dtype=ember.int32), "tensor([1, 2], dtype=ember.int32)"),
    (lambda: ember.tensor([1.0, 2.0], dtype=ember.float64),
     "tensor([1., 2.], dtype=ember.float64)"),
    (lambda: ember.tensor([1.0], dtype=ember.bfloat16), "tensor([1.], dtype=ember.bfloat16)"),
    (lambda: ember.tensor([]), "tensor([])"),
    (lambda: ember.zeros(0, 3), "tensor([], size=(0, 3))"),
    (lambda: ember.tensor([1e10, 1.0]), "tensor([1.0000e+10, 1.0000e+00])"),
], ids=["floats", "fractions", "ints", "bools", "0d-float", "0d-int", "matrix", "int32",
        "float64", "bfloat16", "empty", "empty-2d", "scientific"])
def test_repr(make, text):
    assert repr(make()) == text
    assert str(make()) == text


# ---------------------------------------------------------------- legacy tensor types


def test_legacy_types():
    x = ember.ones(2)
    assert x.type() == "ember.FloatTensor"
    assert ember.ones(2, dtype=ember.int64).type() == "ember.LongTensor"
    assert x.type(ember.DoubleTensor).dtype == ember.float64
    assert x.type("ember.IntTensor").dtype == ember.int32
    assert x.type(ember.float16).dtype == ember.float16
    assert isinstance(x, ember.FloatTensor) and not isinstance(x, ember.DoubleTensor)
    assert repr(ember.FloatTensor) == "<class 'ember.FloatTensor'>"
    assert ember.FloatTensor(2, 3).shape == (2, 3)
    assert ember.LongTensor([1, 2]).dtype == ember.int64
    assert ember.ByteTensor([1, 2]).tolist() == [1, 2]
    with pytest.raises(ValueError, match="invalid type"):
        x.type("ember.NoSuchTensor")


@pytest.mark.parametrize(("name", "dtype"), [
    ("FloatTensor", ember.float32), ("DoubleTensor", ember.float64), ("HalfTensor", ember.float16),
    ("BFloat16Tensor", ember.bfloat16), ("ByteTensor", ember.uint8), ("CharTensor", ember.int8),
    ("ShortTensor", ember.int16), ("IntTensor", ember.int32), ("LongTensor", ember.int64),
    ("BoolTensor", ember.bool)])
def test_legacy_type_names(name, dtype):
    assert getattr(ember, name).dtype == dtype
    assert ember.zeros(1, dtype=dtype).type() == f"ember.{name}"


# ---------------------------------------------------------------- conversions


@pytest.mark.parametrize(("method", "dtype"), [
    ("float", ember.float32), ("double", ember.float64), ("half", ember.float16),
    ("bfloat16", ember.bfloat16), ("int", ember.int32), ("long", ember.int64),
    ("short", ember.int16), ("char", ember.int8), ("byte", ember.uint8), ("bool", ember.bool)])
def test_conversion_methods(method, dtype):
    x = ember.tensor([[0.0, 1.5], [-2.5, 3.0]]).t()
    converted = getattr(x, method)()
    assert converted.dtype == dtype and converted.shape == (2, 2)
    assert converted.to(ember.float64).tolist() == x.to(dtype).to(ember.float64).tolist()


def test_float_to_integer_truncates():
    x = ember.tensor([2.7, -2.7, 0.5, -0.5])
    assert x.long().tolist() == [2, -2, 0, 0]
    assert x.bool().tolist() == [True, True, True, True]
    assert ember.tensor([0.0, -0.0, float("nan")]).bool().tolist() == [False, False, True]


def test_to_without_change_does_not_copy():
    x = ember.ones(3)
    assert x.to(ember.float32).data_ptr() == x.data_ptr()
    assert x.to("cpu").data_ptr() == x.data_ptr()
    assert x.cpu().data_ptr() == x.data_ptr()
    assert x.float().data_ptr() == x.data_ptr()
    copied = x.to(ember.float32, copy=True)
    assert copied.data_ptr() != x.data_ptr() and copied.tolist() == x.tolist()


def test_to_forms():
    x = ember.tensor([1.5, 2.5])
    assert x.to(ember.float64).dtype == ember.float64
    assert x.to(dtype=ember.int32).tolist() == [1, 2]
    assert x.to("cpu", ember.float16).dtype == ember.float16
    assert x.to(device="cpu", dtype=ember.int64).dtype == ember.int64
    assert x.to(ember.zeros(1, dtype=ember.int8)).dtype == ember.int8
    assert x.to(ember.ones(1).device).device == "cpu"


def test_copy_returns_self():
    target = ember.zeros(2)
    assert target.copy_(ember.ones(2)) is target


def test_copy_broadcasts_and_casts():
    target = ember.zeros(2, 3)
    target.copy_(ember.tensor([1, 2, 3]))
    assert target.tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    integers = ember.zeros(3, dtype=ember.int32)
    integers.copy_(ember.tensor([2.7, -2.7, 9.0]))
    assert integers.tolist() == [2, -2, 9]
    flags = ember.zeros(3, dtype=ember.bool)
    flags.copy_(ember.tensor([0.0, 0.5, -1.0]))
    assert flags.tolist() == [False, True, True]
    halves = ember.zeros(2, dtype=ember.bfloat16)
    halves.copy_(ember.tensor([1.0, 1.00390625], dtype=ember.float64))
    assert halves.float().tolist() == [1.0, 1.0]  # round to nearest even
    target.copy_(ember.tensor(5))
    assert target.tolist() == [[5.0] * 3] * 2


def test_copy_between_strided_tensors():
    base = ember.zeros(4, 6)
    source = ember.arange(12.0).reshape(4, 3)
    base[:, 1::2].copy_(source)
    assert base.tolist() == [[0.0, row * 3 + 0, 0.0, row * 3 + 1, 0.0, row * 3 + 2]
                             for row in range(4)]
    transposed = ember.zeros(3, 4).t()
    transposed.copy_(source.t().t())
    assert transposed.tolist() == source.tolist()


def test_clone_is_independent():
    x = ember.arange(6.0).reshape(2, 3)
    copy = x.clone()
    copy.add_(1.0)
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert copy.data_ptr() != x.data_ptr()
    strided = x.t().clone()
    assert strided.tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert ember.clone(x[:, 1]).tolist() == [1.0, 4.0]
    assert ember.tensor(x).data_ptr() != x.data_ptr()


def test_version_counter_counts_writes():
    x = ember.zeros(3)
    start = x._version()
    x.add_(1)
    x[0] = 2.0
    x.copy_(ember.ones(3))
    assert x._version() >= start + 3


# ---------------------------------------------------------------- random numbers


def draws():
    return [ember.rand(100), ember.randn(3, 4), ember.randint(0, 10, (50,)),
            ember.normal(1.0, 2.0, (20,)), ember.bernoulli(ember.full((30,), 0.5)),
            ember.rand_like(ember.zeros(7)), ember.randn_like(ember.zeros(2, 2)),
            ember.empty(40).uniform_(-1, 1), ember.empty(40).normal_(),
            ember.empty(40).bernoulli_(),
            ember.rand(5, dtype=ember.float64), ember.randn(9, dtype=ember.bfloat16)]


def assert_same_draws(first, second):
    for a, b in zip(first, second):
        np.testing.assert_array_equal(as_numpy(a), as_numpy(b))


def test_manual_seed_reproduces():
    ember.manual_seed(1234)
    first = draws()
    ember.manual_seed(1234)
    second = draws()
    assert_same_draws(first, second)
    assert ember.initial_seed() == 1234
    ember.manual_seed(1235)
    assert not np.array_equal(as_numpy(ember.rand(100)), as_numpy(first[0]))


def large_draws():
    """Draws above the random kernels' parallel grain (2**16 elements)."""
    return [ember.rand(300_001), ember.randn(70, 1000), ember.randint(0, 1000, (300_001,)),
            ember.empty(100_003, dtype=ember.float64).normal_(),
            ember.empty(100_003, dtype=ember.bfloat16).uniform_(-1, 1)]


def test_draws_do_not_depend_on_thread_count():
    """Counter-based draws: one seed gives the same numbers on 1 and on 2 threads."""
    saved = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        ember.manual_seed(7)
        single = large_draws()
        ember.set_num_threads(2)
        ember.manual_seed(7)
        double = large_draws()
    finally:
        ember.set_num_threads(saved)
    assert_same_draws(single, double)


def test_set_num_threads_round_trip():
    saved = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        assert ember.get_num_threads() == 1
        x = ember.arange(300_000, dtype=ember.float64)  # an exact sum in any order
        assert x.sum().item() == 299_999 * 300_000 // 2
        ember.set_num_threads(2)
        assert ember.get_num_threads() == 2
        assert x.sum().item() == 299_999 * 300_000 // 2
    finally:
        ember.set_num_threads(saved)


def test_distribution_sanity():
    ember.manual_seed(0)
    normal = as_numpy(ember.randn(200_000)).astype(np.float64)
    assert abs(normal.mean()) < 0.01 and abs(normal.std() - 1.0) < 0.01
    uniform = as_numpy(ember.rand(200_000)).astype(np.float64)
    assert abs(uniform.mean() - 0.5) < 0.005 and abs(uniform.var() - 1 / 12) < 0.002
    shifted = as_numpy(ember.normal(2.0, 3.0, (200_000,))).astype(np.float64)
    assert abs(shifted.mean() - 2.0) < 0.03 and abs(shifted.std() - 3.0) < 0.03
    coins = as_numpy(ember.bernoulli(ember.full((200_000,), 0.3)))
    assert abs(coins.mean() - 0.3) < 0.005
    counts = np.bincount(as_numpy(ember.randint(0, 10, (200_000,))), minlength=10)
    assert counts.min() > 19_000 and counts.max() < 21_000


@pytest.mark.parametrize("dtype", FLOATING, ids=dtype_name)
def test_rand_stays_below_one(dtype):
    """[0, 1) also after rounding to a narrow dtype."""
    ember.manual_seed(3)
    unit = as_numpy(ember.rand(1_000_000, dtype=dtype))
    assert unit.min() >= 0.0 and unit.max() < 1.0


@pytest.mark.parametrize("dtype", FLOATING, ids=dtype_name)
def test_uniform_stays_below_the_upper_bound(dtype):
    """[from, to) also after rounding to a narrow dtype."""
    ember.manual_seed(3)
    shifted = as_numpy(ember.empty(1_000_000, dtype=dtype).uniform_(-2.0, 3.0))
    assert shifted.min() >= -2.0 and shifted.max() < 3.0
