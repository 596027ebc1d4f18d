"""CUDA tensors on the host side (docs/architecture.md "Note [CUDA tensors on the host side]"):
ember.save/ember.load record and restore a tensor's device (map_location moves it), safetensors
saves from host copies, numpy()/__array__ refuse device memory with PyTorch's TypeError, DLPack
carries kDLCUDA, the CUDA Array Interface, pickling, printing, copy_ across devices, optimizer
state, gradcheck and default_collate.

Without a device only the loading of a checkpoint whose tensors were saved on CUDA runs (such a
file is made here by writing the format's device field); the rest skips."""
import io
import json
import pickle
import struct

import ember.safetensors as st
import numpy as np
import pytest
from ember.utils.data import default_collate

import ember

needs_cuda = pytest.mark.skipif(not ember.cuda.is_available(), reason="needs a CUDA device")
without_cuda = pytest.mark.skipif(ember.cuda.is_available(), reason="a CUDA device is present")


def recorded_on(data, device):
    """Checkpoint bytes whose tensors record `device`, as a save of CUDA tensors writes them: the
    format's "device" field added to each tensor of the structure (the entries' bytes are the
    same, a CUDA storage being written from a host copy)."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    structure = header["__metadata__"]["ember.structure"]
    marker = '"requires_grad":false'
    header["__metadata__"]["ember.structure"] = structure.replace(
        marker, f'{marker},"device":"{device}"')
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data[8 + length:]


def saved_on_cuda(obj):
    buffer = io.BytesIO()
    ember.save(obj, buffer)
    return recorded_on(buffer.getvalue(), "cuda:0")


def test_cpu_checkpoints_record_no_device():
    buffer = io.BytesIO()
    ember.save({"w": ember.arange(3.0)}, buffer)
    assert b"device" not in buffer.getvalue()


@without_cuda
def test_loading_tensors_saved_on_cuda_without_cuda_raises():
    data = saved_on_cuda({"w": ember.arange(3.0)})
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device but "
                       r"ember.cuda.is_available\(\) is False.*map_location='cpu'"):
        ember.load(io.BytesIO(data))
    # A map that leaves cuda:0 alone restores it: the same error.
    with pytest.raises(RuntimeError, match="Attempting to deserialize"):
        ember.load(io.BytesIO(data), map_location={"cuda:1": "cpu"})


@pytest.mark.parametrize("map_location", [
    "cpu", ember.device("cpu"), {"cuda:0": "cpu"}, lambda storage, location: "cpu",
    lambda storage, location: storage])
def test_map_location_brings_cuda_saved_tensors_to_the_cpu(map_location, tmp_path):
    weight = ember.arange(6.0).reshape(2, 3)
    data = saved_on_cuda({"w": weight, "t": weight.t(), "n": 3})
    path = tmp_path / "cuda.ckpt"
    path.write_bytes(data)
    for source in (io.BytesIO(data), path):
        back = ember.load(source, map_location=map_location)
        assert back["w"].device == ember.device("cpu")
        assert back["w"].tolist() == weight.tolist()
        assert back["t"].tolist() == weight.t().tolist()
        assert back["n"] == 3


def test_map_location_callables_see_the_saved_location():
    seen = []

    def locate(storage, location):
        seen.append((storage.device.type, location))
        return "cpu"

    ember.load(io.BytesIO(saved_on_cuda([ember.ones(2), ember.zeros(1)])), map_location=locate)
    assert seen == [("cpu", "cuda:0"), ("cpu", "cuda:0")]


def test_an_unknown_recorded_device_is_a_corrupt_file():
    buffer = io.BytesIO()
    ember.save(ember.ones(1), buffer)
    with pytest.raises(ValueError, match="unknown device 'tpu:0'"):
        ember.load(io.BytesIO(recorded_on(buffer.getvalue(), "tpu:0")))


@needs_cuda
def test_save_and_load_restore_the_device(tmp_path):
    base = ember.arange(6.0, device="cuda")
    state = {"w": base, "view": base[2:5], "cpu": ember.ones(2)}
    ember.save(state, tmp_path / "s.ckpt")
    back = ember.load(tmp_path / "s.ckpt")
    assert back["w"].device == ember.device("cuda:0")
    assert back["cpu"].device == ember.device("cpu")
    assert back["view"].tolist() == [2.0, 3.0, 4.0]
    back["w"][3] = 30.0  # the view still shares the storage on the device
    assert back["view"].tolist() == [2.0, 30.0, 4.0]
    mapped = ember.load(tmp_path / "s.ckpt", map_location="cpu")
    assert mapped["w"].device == ember.device("cpu")
    assert ember.load(tmp_path / "s.ckpt", map_location={"cpu": "cuda:0"})["cpu"].is_cuda


@needs_cuda
def test_state_dicts_cross_devices():
    model = ember.nn.Linear(3, 2)
    on_device = ember.nn.Linear(3, 2).cuda()
    on_device.load_state_dict(model.state_dict())  # CPU tensors copied into CUDA parameters
    assert on_device.weight.is_cuda
    assert on_device.weight.cpu().tolist() == model.weight.tolist()
    buffer = io.BytesIO()
    ember.save(on_device.state_dict(), buffer)
    buffer.seek(0)
    model.load_state_dict(ember.load(buffer))  # CUDA tensors copied into CPU parameters
    assert model.weight.tolist() == on_device.weight.cpu().tolist()


@needs_cuda
def test_optimizer_state_follows_its_parameters_device():
    model = ember.nn.Linear(3, 2)
    optimizer = ember.optim.Adam(model.parameters())
    model(ember.ones(1, 3)).sum().backward()
    optimizer.step()
    on_device = ember.nn.Linear(3, 2).cuda()
    moved = ember.optim.Adam(on_device.parameters())
    moved.load_state_dict(optimizer.state_dict())
    state = moved.state[on_device.weight]
    assert state["exp_avg"].is_cuda
    assert state["exp_avg"].cpu().tolist() == optimizer.state[model.weight]["exp_avg"].tolist()
    step = state["step"]
    assert not isinstance(step, ember.Tensor) or step.device.type == "cpu"
    on_device(ember.ones(1, 3, device="cuda")).sum().backward()
    moved.step()


@needs_cuda
def test_safetensors_saves_host_copies_and_loads_to_a_device(tmp_path):
    host = ember.arange(12.0).reshape(3, 4).t()
    st.save_file({"x": host.cuda()}, tmp_path / "x.safetensors")
    assert (tmp_path / "x.safetensors").read_bytes() == st.save({"x": host})
    back = st.load_file(tmp_path / "x.safetensors", device="cuda:0")
    assert back["x"].device == ember.device("cuda:0")
    assert back["x"].cpu().tolist() == host.tolist()


@needs_cuda
def test_numpy_refuses_device_memory():
    tensor = ember.arange(3.0, device="cuda")
    message = ("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the "
               "tensor to host memory first.")
    with pytest.raises(TypeError) as error:
        tensor.numpy()
    assert str(error.value) == message
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor"):
        np.asarray(tensor)
    assert tensor.numpy(force=True).tolist() == [0.0, 1.0, 2.0]
    assert tensor.tolist() == [0.0, 1.0, 2.0]
    assert tensor[1].item() == 1.0


@needs_cuda
def test_repr_copies_to_the_host():
    assert repr(ember.arange(3.0, device="cuda")) == "tensor([0., 1., 2.], device='cuda:0')"


@needs_cuda
def test_dlpack_carries_cuda_memory():
    tensor = ember.arange(4.0, device="cuda")
    assert tensor.__dlpack_device__() == (2, 0)
    shared = ember.from_dlpack(tensor)
    assert shared.device == ember.device("cuda:0")
    assert shared.data_ptr() == tensor.data_ptr()
    on_host = ember.from_dlpack(tensor.__dlpack__(dl_device=(1, 0), copy=True))
    assert on_host.device == ember.device("cpu")
    assert on_host.tolist() == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="dl_device"):
        tensor.__dlpack__(dl_device=(1, 0))


@needs_cuda
def test_pickle_round_trips_the_device():
    tensor = ember.arange(3.0, device="cuda").requires_grad_()
    back = pickle.loads(pickle.dumps(tensor))
    assert back.device == ember.device("cuda:0")
    assert back.requires_grad
    assert back.tolist() == [0.0, 1.0, 2.0]


@needs_cuda
def test_copy_crosses_devices_with_its_gradient():
    source = ember.ones(3, requires_grad=True)
    destination = ember.zeros(2, 3, device="cuda", dtype=ember.float64)
    destination.copy_(source)
    assert destination.is_cuda
    assert destination.dtype == ember.float64
    (destination * 2).sum().backward()
    assert source.grad.device == ember.device("cpu")
    assert source.grad.tolist() == [4.0, 4.0, 4.0]
    back = ember.zeros(2, 3)
    back.copy_(destination.detach())
    assert back.tolist() == [[1.0] * 3] * 2


@needs_cuda
def test_gradcheck_perturbs_device_inputs():
    x = ember.rand(2, 3, dtype=ember.float64, device="cuda", requires_grad=True)
    before = x.detach().cpu().clone()
    assert ember.autograd.gradcheck(lambda t: (t * t).sin(), (x,))
    assert ember.autograd.gradcheck(lambda t: (t * t).sin(), (x,), fast_mode=True)
    assert ember.autograd.gradgradcheck(lambda t: (t * t).sin(), (x,))
    assert ember.equal(x.detach().cpu(), before)


@needs_cuda
def test_default_collate_stacks_device_samples_on_the_device():
    batch = default_collate([ember.ones(2, device="cuda"), ember.zeros(2, device="cuda")])
    assert batch.is_cuda
    assert batch.cpu().tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_cpu_tensors_have_no_cuda_array_interface():
    assert not hasattr(ember.ones(2), "__cuda_array_interface__")
    with pytest.raises(AttributeError, match="non-CUDA tensor type"):
        ember.ones(2).__cuda_array_interface__  # noqa: B018


@needs_cuda
def test_cuda_array_interface_describes_device_memory():
    tensor = ember.arange(12.0, device="cuda").reshape(3, 4)
    interface = tensor.__cuda_array_interface__
    assert interface == {"typestr": "<f4", "shape": (3, 4), "strides": None,
                         "data": (tensor.data_ptr(), False), "version": 2}
    assert tensor.t().__cuda_array_interface__["strides"] == (4, 16)
    with pytest.raises(RuntimeError, match="requires grad"):
        tensor.clone().requires_grad_().__cuda_array_interface__  # noqa: B018
