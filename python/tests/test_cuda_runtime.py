"""ember.cuda's runtime: without a device (CI's machines) importing works, is_available() is
False and every call that needs a device raises RuntimeError saying why; with a device the
same behaviours run for real (those tests skip without one)."""
import ember.cuda
import numpy as np
import pytest

import ember

needs_cuda = pytest.mark.skipif(not ember.cuda.is_available(), reason="needs a CUDA device")
without_cuda = pytest.mark.skipif(ember.cuda.is_available(), reason="a CUDA device is present")

NO_DEVICE = "no CUDA device is available|no CUDA support"


@without_cuda
def test_without_a_device_cuda_is_unavailable():
    assert ember.cuda.is_available() is False
    assert ember.cuda.device_count() == 0
    assert ember.cuda.is_initialized() is False
    # Seeding is safe without a device, as PyTorch's.
    ember.cuda.manual_seed(0)
    ember.cuda.manual_seed_all(0)


@without_cuda
@pytest.mark.parametrize("call", [
    lambda: ember.cuda.current_device(),
    lambda: ember.cuda.set_device(0),
    lambda: ember.cuda.synchronize(),
    lambda: ember.cuda.get_device_name(0),
    lambda: ember.cuda.get_device_properties("cuda:0"),
    lambda: ember.cuda.current_stream(),
    lambda: ember.cuda.default_stream(),
    lambda: ember.cuda.Stream(),
    lambda: ember.cuda.Event(enable_timing=True),
    lambda: ember.cuda.initial_seed(),
    lambda: ember.cuda.init(),
    lambda: ember.cuda.device(0).__enter__(),
    lambda: ember.ones(2).cuda(),
    lambda: ember.ones(2).to("cuda:0", non_blocking=True),
    lambda: ember.zeros(2, device="cuda"),
    lambda: ember.ones(2).pin_memory(),
])
def test_without_a_device_every_call_says_why(call):
    with pytest.raises(RuntimeError, match=NO_DEVICE):
        call()


@without_cuda
def test_without_a_device_tensors_stay_on_the_cpu():
    x = ember.ones(3)
    assert x.is_cuda is False
    assert x.is_pinned() is False
    assert x.cpu() is x
    assert x.to("cpu", non_blocking=True) is x
    with ember.cuda.device(None):  # None changes nothing and needs no device
        pass


def test_device_arguments_are_checked():
    with pytest.raises(ValueError, match=r"\[set_device\] expected a CUDA device"):
        ember.cuda.set_device("cpu")


def test_every_binding_has_a_signature_docstring():
    for name in ["is_available", "device_count", "current_device", "set_device", "synchronize",
                 "get_device_properties", "get_device_name", "manual_seed", "manual_seed_all",
                 "initial_seed", "is_initialized", "init", "current_stream", "default_stream",
                 "set_stream", "stream"]:
        assert getattr(ember.cuda, name).__doc__.startswith(name + "("), name
    for cls in (ember.cuda.Stream, ember.cuda.Event, ember.cuda.device):
        assert cls.__doc__


@needs_cuda
def test_devices_and_properties():
    properties = ember.cuda.get_device_properties(0)
    assert properties.name == ember.cuda.get_device_name(0)
    assert properties.total_memory > 0 and properties.multi_processor_count > 0
    assert properties.major >= 1
    assert ember.cuda.is_initialized()
    last = ember.cuda.device_count() - 1
    with ember.cuda.device(last):
        assert ember.cuda.current_device() == last
    assert ember.cuda.current_device() == 0
    with pytest.raises(ValueError, match="invalid device index"):
        ember.cuda.set_device(ember.cuda.device_count())


@needs_cuda
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced"])
def test_round_trip_keeps_values(layout):
    base = ember.arange(24, dtype=ember.float32).reshape(2, 3, 4)
    x = {"contiguous": base, "transposed": base.transpose(0, 2),
         "sliced": base[:, 1:, ::2]}[layout]
    on_device = x.cuda()
    assert on_device.is_cuda and on_device.device.type == "cuda"
    np.testing.assert_array_equal(on_device.cpu().numpy(), x.numpy())
    np.testing.assert_array_equal(on_device.to("cpu", ember.int64).numpy(),
                                  x.numpy().astype(np.int64))
    np.testing.assert_array_equal(x.to("cuda:0", ember.float64).cpu().numpy(),
                                  x.numpy().astype(np.float64))
    assert on_device.cuda() is on_device
    # A dtype change on the device runs the Copy kernel (copy.cu).
    np.testing.assert_array_equal(on_device.to(ember.float64).cpu().numpy(),
                                  x.numpy().astype(np.float64))
    np.testing.assert_array_equal(on_device.cumsum(0).cpu().numpy(), x.cumsum(0).numpy())


@needs_cuda
def test_events_time_and_order_streams():
    start = ember.cuda.Event(enable_timing=True)
    end = ember.cuda.Event(enable_timing=True)
    side = ember.cuda.Stream()
    assert side != ember.cuda.default_stream()
    start.record(side)
    with ember.cuda.stream(side):
        assert ember.cuda.current_stream() == side
        on_device = ember.ones(1 << 20).to("cuda", non_blocking=False)
    assert ember.cuda.current_stream() == ember.cuda.default_stream()
    end.record(side)
    ember.cuda.current_stream().wait_event(end)
    end.synchronize()
    assert end.query() and side.query()
    assert start.elapsed_time(end) >= 0
    np.testing.assert_array_equal(on_device.cpu().numpy(), np.ones(1 << 20, np.float32))
    untimed = ember.cuda.Event()
    untimed.record()
    with pytest.raises(RuntimeError, match="enable_timing"):
        untimed.elapsed_time(end)


@needs_cuda
def test_pinned_non_blocking_copies():
    x = ember.arange(1 << 16, dtype=ember.float32)
    pinned = x.pin_memory()
    assert pinned.is_pinned() and not x.is_pinned()
    assert pinned.pin_memory() is pinned
    on_device = pinned.to("cuda", non_blocking=True)
    back = on_device.to("cpu", non_blocking=False)
    ember.cuda.synchronize()
    np.testing.assert_array_equal(back.numpy(), x.numpy())
    with pytest.raises(RuntimeError, match="only CPU tensors can be pinned"):
        on_device.pin_memory()


@needs_cuda
def test_seeds_per_device():
    ember.cuda.manual_seed_all(5)
    assert ember.cuda.initial_seed() == 5
    ember.cuda.manual_seed(7)
    assert ember.cuda.initial_seed() == 7


@needs_cuda
def test_gradients_cross_devices():
    # The CPU leaf of `x.cuda()` gets its gradient on the CPU, in its own dtype.
    x = ember.arange(6, dtype=ember.float64).reshape(2, 3).requires_grad_()
    y = x.to("cuda", ember.float32)
    (y * y).sum().backward()
    assert x.grad.device.type == "cpu" and x.grad.dtype == ember.float64
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy())
    # And back: a CUDA leaf copied to the CPU gets a CUDA gradient.
    z = ember.ones(4, device="cuda", requires_grad=True)
    (z.cpu() * 3).sum().backward()
    assert z.grad.is_cuda
    np.testing.assert_array_equal(z.grad.cpu().numpy(), np.full(4, 3, np.float32))


@needs_cuda
def test_cpu_scalars_join_device_ops():
    # As in PyTorch: numbers and 0-dim CPU tensors join an elementwise op on the device.
    x = ember.arange(6, dtype=ember.float32, device="cuda")
    expected = np.arange(6, dtype=np.float32)
    np.testing.assert_array_equal((x * 2).cpu().numpy(), expected * 2)
    np.testing.assert_array_equal((2 - x).cpu().numpy(), 2 - expected)
    np.testing.assert_array_equal((x + ember.tensor(0.5)).cpu().numpy(), expected + 0.5)
    np.testing.assert_array_equal(x.add(1, alpha=3).cpu().numpy(), expected + 3)
    np.testing.assert_array_equal(ember.where(x > 2, 0.0, x).cpu().numpy(),
                                  np.where(expected > 2, 0, expected))
    y = x.clone()
    y.masked_fill_(x < 2, ember.tensor(-1.0))
    np.testing.assert_array_equal(y.cpu().numpy(), np.where(expected < 2, -1, expected))
    y.mul_(ember.tensor(2.0))
    assert y.is_cuda
    # A CPU tensor with elements does not: the error names both devices.
    with pytest.raises(RuntimeError, match="same device"):
        x + ember.ones(6)
    with pytest.raises(RuntimeError, match="same device"):
        ember.tensor(1.0).add_(x)
