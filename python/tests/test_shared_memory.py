"""Tensor.share_memory_() and Tensor.is_shared(): the storage moves in place into a shared
mapping (/dev/shm) that forked processes see and write; batches from DataLoader workers arrive in
shared memory for every dtype (bfloat16 too) and for empty batches, with no copy and no pickled
data."""
import multiprocessing
import os

import pytest
from ember.utils.data import DataLoader, TensorDataset

import ember
from ember import _C

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX processes")


def mapped_file_of(tensor):
    """The name of the file mapped at the tensor's data (or None), from /proc/self/maps."""
    address = tensor.data_ptr()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            begin, end = (int(part, 16) for part in fields[0].split("-"))
            if begin <= address < end:
                return " ".join(fields[5:]) or None
    return None


def in_child(function, *args):
    """Runs function(*args) in a forked process and waits for it."""
    process = multiprocessing.get_context("fork").Process(target=function, args=args)
    process.start()
    process.join()
    assert process.exitcode == 0


def add_one(tensor):
    tensor.add_(1)


def test_share_memory_moves_the_storage_in_place():
    t = ember.arange(6.0).reshape(2, 3)
    assert not t.is_shared()
    old_address = t.data_ptr()
    assert t.share_memory_() is t
    assert t.is_shared()
    assert t.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert t.data_ptr() != old_address
    assert "ember-shared" in mapped_file_of(t)
    address = t.data_ptr()
    t.share_memory_()  # already shared: a no-op
    assert t.data_ptr() == address


def test_a_forked_process_writes_through_shared_memory():
    shared = ember.zeros(4).share_memory_()
    private = ember.zeros(4)
    in_child(add_one, shared)
    in_child(add_one, private)
    assert shared.tolist() == [1.0] * 4
    assert private.tolist() == [0.0] * 4  # the negative control: copy-on-write after fork


@pytest.mark.parametrize("dtype", [ember.float64, ember.float32, ember.float16, ember.bfloat16,
                                   ember.int64, ember.int32, ember.int16, ember.int8, ember.uint8,
                                   ember.bool])
def test_every_dtype_keeps_its_values(dtype):
    t = ember.arange(5).to(dtype)
    expected = t.tolist()
    t.share_memory_()
    assert t.is_shared() and t.dtype == dtype and t.tolist() == expected


def test_a_view_moves_its_whole_storage_and_the_base_keeps_the_old_memory():
    base = ember.arange(10.0)
    view = base[1::2]
    view.share_memory_()
    assert view.is_shared() and not base.is_shared()
    assert view.tolist() == [1.0, 3.0, 5.0, 7.0, 9.0]
    assert view.storage_offset() == 1 and view.stride() == (2,)
    view.add_(100)
    assert base.tolist() == list(map(float, range(10)))


def test_empty_tensors_and_autograd_leaves():
    empty = ember.zeros(0, 3).share_memory_()
    assert empty.is_shared() and empty.shape == (0, 3)
    weight = ember.ones(3, requires_grad=True).share_memory_()
    assert weight.is_shared() and weight.requires_grad
    (weight * 2).sum().backward()
    assert weight.grad.tolist() == [2.0, 2.0, 2.0]


def test_worker_batches_are_shared_for_every_dtype_and_when_empty():
    for data in (ember.arange(24.0).reshape(8, 3), ember.arange(24.0).reshape(8, 3).bfloat16(),
                 ember.arange(8).to(ember.int16)):
        batch = next(iter(DataLoader(TensorDataset(data), batch_size=4, num_workers=1)))[0]
        assert batch.is_shared() and batch.dtype == data.dtype
        assert batch.tolist() == data[:4].tolist()
        assert "ember-dataloader" in mapped_file_of(batch)  # the worker's segment, not a copy
    empty = next(iter(DataLoader(TensorDataset(ember.zeros(8, 0, dtype=ember.bfloat16)),
                                 batch_size=4, num_workers=1)))[0]
    assert empty.is_shared() and empty.shape == (4, 0) and empty.dtype == ember.bfloat16
    assert not next(iter(DataLoader(TensorDataset(ember.zeros(8)), batch_size=4)))[0].is_shared()


def test_shared_tensor_rejects_a_geometry_outside_its_buffer():
    buffer = bytearray(16)
    t = _C._shared_tensor(buffer, ember.float32, (2, 2), (2, 1), 0)
    assert t.is_shared() and t.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(ValueError, match=r"\[_shared_tensor\] sizes \[2, 2\], strides \[2, 1\]"):
        _C._shared_tensor(buffer, ember.float32, (2, 2), (2, 1), 1)
    with pytest.raises(BufferError):  # the memory must be writable
        _C._shared_tensor(b"read-only", ember.uint8, (1,), (1,), 0)
