"""numpy and DLPack interop: __dlpack__, __dlpack_device__, from_dlpack, ember.utils.dlpack,
as_tensor and __array__ share memory both ways (compared by data pointer) and keep the producer
alive after it is deleted."""
import gc

import numpy as np
import pytest
from ember.utils import dlpack

import ember

DTYPES = [(ember.bool, np.bool_), (ember.uint8, np.uint8), (ember.int8, np.int8),
          (ember.int16, np.int16), (ember.int32, np.int32), (ember.int64, np.int64),
          (ember.float16, np.float16), (ember.float32, np.float32), (ember.float64, np.float64)]


def pointer(array):
    return array.__array_interface__["data"][0]


@pytest.mark.parametrize(("dtype", "np_dtype"), DTYPES)
def test_numpy_from_dlpack_views_ember_memory(dtype, np_dtype):
    tensor = ember.arange(6, dtype=ember.float64).reshape(2, 3).to(dtype)
    array = np.from_dlpack(tensor)
    assert array.dtype == np_dtype
    assert pointer(array) == tensor.data_ptr()
    np.testing.assert_array_equal(array, tensor.numpy())


@pytest.mark.parametrize(("dtype", "np_dtype"), DTYPES)
def test_ember_from_dlpack_views_numpy_memory(dtype, np_dtype):
    array = np.arange(6).reshape(2, 3).astype(np_dtype)
    tensor = ember.from_dlpack(array)
    assert tensor.dtype == dtype
    assert tensor.data_ptr() == pointer(array)
    np.testing.assert_array_equal(tensor.numpy(), array)


def test_strided_views_keep_their_strides_both_ways():
    array = np.arange(24, dtype=np.float32).reshape(4, 6)[::2, 1::2]
    tensor = ember.from_dlpack(array)
    assert tensor.data_ptr() == pointer(array)
    assert tensor.stride() == (12, 2)
    np.testing.assert_array_equal(tensor.numpy(), array)
    back = np.from_dlpack(ember.arange(12, dtype=ember.float64).reshape(3, 4).t())
    assert back.strides == (8, 32)


def test_writes_are_seen_by_both_sides():
    array = np.zeros(3, dtype=np.float32)
    tensor = ember.from_dlpack(array)
    tensor.add_(2)
    assert array.tolist() == [2, 2, 2]
    array[0] = 7
    assert tensor[0].item() == 7


def test_the_producer_stays_alive_after_it_is_deleted():
    array = np.arange(5, dtype=np.int64)
    tensor = ember.from_dlpack(array)
    del array
    gc.collect()
    assert tensor.tolist() == [0, 1, 2, 3, 4]
    source = ember.arange(5, dtype=ember.float32)
    view = np.from_dlpack(source)
    del source
    gc.collect()
    assert view.tolist() == [0, 1, 2, 3, 4]


def test_capsules_round_trip_once():
    tensor = ember.arange(4, dtype=ember.int32)
    capsule = dlpack.to_dlpack(tensor)
    back = dlpack.from_dlpack(capsule)
    assert back.data_ptr() == tensor.data_ptr()
    with pytest.raises(TypeError, match="used"):
        ember.from_dlpack(capsule)
    versioned = tensor.__dlpack__(max_version=(1, 0))
    assert ember.from_dlpack(versioned).data_ptr() == tensor.data_ptr()
    # An unconsumed capsule frees its tensor when collected.
    dlpack.to_dlpack(tensor)
    gc.collect()


def test_ember_to_ember_shares_memory_and_copy_true_copies():
    tensor = ember.ones(3)
    assert ember.from_dlpack(tensor).data_ptr() == tensor.data_ptr()
    copied = ember.from_dlpack(tensor.__dlpack__(copy=True))
    assert copied.data_ptr() != tensor.data_ptr()
    assert copied.tolist() == [1, 1, 1]


def test_dlpack_device_and_errors():
    tensor = ember.ones(2)
    assert tensor.__dlpack_device__() == (1, 0)
    with pytest.raises(RuntimeError, match="require gradient"):
        ember.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises(TypeError, match="__dlpack__"):
        ember.from_dlpack([1, 2])
    with pytest.raises(TypeError, match="dtype"):
        ember.from_dlpack(np.zeros(2, dtype=np.complex64))
    with pytest.raises(TypeError, match="negative strides"):
        ember.from_dlpack(np.arange(3.0)[::-1])
    with pytest.raises(ValueError, match="dl_device"):
        tensor.__dlpack__(dl_device=(2, 0))


def test_array_protocol_is_zero_copy():
    tensor = ember.arange(6, dtype=ember.float32).reshape(2, 3)
    array = np.asarray(tensor)
    assert pointer(array) == tensor.data_ptr()
    assert np.asarray(tensor, dtype=np.float64).dtype == np.float64
    assert pointer(np.array(tensor, copy=True)) != tensor.data_ptr()
    with pytest.raises(RuntimeError, match="requires grad"):
        np.asarray(ember.ones(2, requires_grad=True))


@pytest.mark.parametrize(("dtype", "np_dtype"), DTYPES)
def test_as_tensor_views_numpy_arrays_of_its_dtype(dtype, np_dtype):
    array = np.arange(6).astype(np_dtype)
    tensor = ember.as_tensor(array)
    assert tensor.dtype == dtype
    assert tensor.data_ptr() == pointer(array)
    assert ember.as_tensor(array, dtype=dtype, device="cpu").data_ptr() == pointer(array)
    del array
    gc.collect()
    assert tensor.numel() == 6


def test_as_tensor_copies_otherwise():
    array = np.arange(4, dtype=np.float32)
    other = ember.as_tensor(array, dtype=ember.float64)
    assert other.dtype == ember.float64 and other.data_ptr() != pointer(array)
    flipped = ember.as_tensor(array[::-1])
    assert flipped.tolist() == [3, 2, 1, 0]
    assert ember.as_tensor([1, 2]).tolist() == [1, 2]
    tensor = ember.ones(2)
    assert ember.as_tensor(tensor) is tensor
