"""ember.cuda's memory management over the CUDA caching allocator. Without a device (this
machine) every call raises RuntimeError saying why; with a GPU the statistics follow tensors."""
import ember.cuda
import pytest

import ember

needs_cuda = pytest.mark.skipif(not ember.cuda.is_available(), reason="needs a CUDA device")
no_cuda = pytest.mark.skipif(ember.cuda.is_available(), reason="a CUDA device is present")

MEMORY_CALLS = [
    lambda: ember.cuda.memory_allocated(),
    lambda: ember.cuda.max_memory_allocated(0),
    lambda: ember.cuda.memory_reserved("cuda:0"),
    lambda: ember.cuda.max_memory_reserved(ember.device("cuda")),
    lambda: ember.cuda.reset_peak_memory_stats(),
    lambda: ember.cuda.memory_stats(),
    lambda: ember.cuda.memory_summary(),
    lambda: ember.cuda.empty_cache(),
    lambda: ember.cuda.set_per_process_memory_fraction(0.5),
]


@no_cuda
@pytest.mark.parametrize("call", MEMORY_CALLS)
def test_without_a_device_every_call_says_why(call):
    with pytest.raises(RuntimeError, match="no CUDA device is available"):
        call()


def test_a_cpu_device_is_a_value_error():
    with pytest.raises(ValueError, match=r"\[memory_allocated\] expected a CUDA device"):
        ember.cuda.memory_allocated("cpu")


@no_cuda
def test_record_stream_of_a_cpu_tensor_without_a_stream_is_a_type_error():
    with pytest.raises(TypeError):
        ember.ones(2).record_stream(None)


@needs_cuda
def test_statistics_follow_tensors():
    ember.cuda.empty_cache()
    before = ember.cuda.memory_allocated()
    tensor = ember.zeros(1000, device="cuda")
    assert ember.cuda.memory_allocated() == before + 4096
    assert ember.cuda.memory_reserved() >= ember.cuda.memory_allocated()
    assert ember.cuda.max_memory_allocated() >= before + 4096
    stats = ember.cuda.memory_stats()
    assert stats["allocated_bytes.all.current"] == before + 4096
    assert "Allocated memory" in ember.cuda.memory_summary()
    del tensor
    assert ember.cuda.memory_allocated() == before
    ember.cuda.reset_peak_memory_stats()
    assert ember.cuda.max_memory_allocated() == before
    ember.cuda.empty_cache()
    assert ember.cuda.memory_reserved() == 0


@needs_cuda
def test_out_of_memory_says_how_much():
    with pytest.raises(ember.OutOfMemoryError, match="reserved in total by ember"):
        ember.empty(1 << 50, device="cuda")
    with pytest.raises(ValueError, match=r"expected a fraction in \[0, 1\]"):
        ember.cuda.set_per_process_memory_fraction(1.5)


@needs_cuda
def test_record_stream_defers_reuse():
    stream = ember.cuda.Stream()
    tensor = ember.zeros(1000, device="cuda")
    tensor.record_stream(stream)
    del tensor
    stream.synchronize()
    assert ember.cuda.memory_allocated() >= 0
