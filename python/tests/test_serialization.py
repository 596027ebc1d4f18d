"""ember.save / ember.load: round trips, shared views, typed errors for bad objects and bad
files, atomic writes (a saving process killed mid-write), map_location and mmap loading."""

import collections
import contextlib
import io
import math
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import ember.safetensors as st
import numpy as np
import pytest

import ember


def round_trip(obj):
    buffer = io.BytesIO()
    ember.save(obj, buffer)
    buffer.seek(0)
    return ember.load(buffer)


def test_python_values_round_trip_exactly():
    obj = {
        "int": -(2**63), "big": 2**63 - 1, "floats": (0.1, -0.0, math.inf, -math.inf, 1e-310),
        "nan": math.nan, "flag": False, "none": None, "text": 'quote " newline\n é 😀',
        7: [1, [2, (3,)]], "od": collections.OrderedDict([("b", 1), ("a", 2)]), "empty": {},
    }
    back = round_trip(obj)
    assert list(back) == list(obj)
    for key in obj:
        if key != "nan":
            assert back[key] == obj[key]
            assert type(back[key]) is type(obj[key])
    assert math.isnan(back["nan"])
    assert math.copysign(1, back["floats"][1]) == -1
    assert isinstance(back[7][1][1], tuple)


def test_tensors_keep_dtype_layout_requires_grad_and_shared_storage():
    base = ember.arange(24, dtype=ember.float64).reshape(4, 6)
    tensors = {
        "base": base, "column": base[:, 2], "transposed": base.t(), "strided": base[::2, ::3],
        "leaf": ember.ones(3, requires_grad=True), "empty": ember.zeros(0, 5),
        "scalar": ember.tensor(7, dtype=ember.int16), "mask": ember.tensor([True, False]),
    }
    for dtype in (ember.uint8, ember.int8, ember.int32, ember.int64, ember.float16,
                  ember.bfloat16, ember.float32):
        tensors[str(dtype)] = ember.arange(5).to(dtype)
    back = round_trip(tensors)
    for name, tensor in tensors.items():
        assert back[name].dtype == tensor.dtype, name
        assert back[name].shape == tensor.shape, name
        assert back[name].stride() == tensor.stride(), name
        assert back[name].requires_grad == tensor.requires_grad, name
        np.testing.assert_array_equal(back[name].detach().float().numpy(),
                                      tensor.detach().float().numpy())
    back["base"].fill_(-1.0)
    assert back["column"].tolist() == [-1.0] * 4
    assert back["strided"].sum().item() == -4.0


def test_unsupported_objects_raise_type_error_at_save_time(tmp_path):
    Point = collections.namedtuple("Point", "x y")
    cyclic = []
    cyclic.append(cyclic)
    for bad, where in [({"s": {1, 2}}, "obj['s']"), ([object()], "obj[0]"),
                       ({"p": Point(1, 2)}, "obj['p']"), ({(1, 2): 3}, "obj"),
                       ({True: 1}, "obj"), ({"n": 2**64}, "obj['n']"),
                       (np.float32(1.0), "obj"), (cyclic, "obj[0]")]:
        with pytest.raises(TypeError, match=r"\[ember.save\]") as info:
            ember.save(bad, tmp_path / "bad.pt")
        assert where in str(info.value)
    assert not list(tmp_path.iterdir())


def test_paths_pathlib_and_file_objects_write_the_same_bytes(tmp_path):
    state = collections.OrderedDict(w=ember.randn(3, 4), b=ember.zeros(4), step=ember.tensor(3.0))
    ember.save(state, str(tmp_path / "a.pt"))
    ember.save(state, tmp_path / "b.pt")
    buffer = io.BytesIO()
    ember.save(state, buffer)
    data = (tmp_path / "a.pt").read_bytes()
    assert data == (tmp_path / "b.pt").read_bytes() == buffer.getvalue()
    with open(tmp_path / "a.pt", "rb") as file:
        back = ember.load(file)
    assert type(back) is collections.OrderedDict
    assert ember.equal(back["w"], state["w"])


def test_a_checkpoint_is_a_safetensors_file(tmp_path):
    ember.save({"w": ember.arange(6.0), "view": ember.arange(6.0)[2:]}, tmp_path / "c.pt")
    with st.safe_open(str(tmp_path / "c.pt"), framework="pt") as file:
        assert file.metadata()["format"] == "ember.checkpoint"
        assert '"tensor"' in file.metadata()["ember.structure"]
        assert file.keys() == ["storage.0", "storage.1"]


def test_model_and_optimizer_resume_bit_identically(tmp_path):
    def make():
        ember.manual_seed(0)
        model = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 1))
        return model, ember.optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99))

    def train(model, optimizer, steps, seed):
        generator = ember.Generator().manual_seed(seed)
        for _ in range(steps):
            inputs = ember.randn(16, 4, generator=generator)
            optimizer.zero_grad()
            model(inputs).pow(2).mean().backward()
            optimizer.step()

    straight_model, straight_optimizer = make()
    train(straight_model, straight_optimizer, 3, 1)
    train(straight_model, straight_optimizer, 2, 2)

    model, optimizer = make()
    train(model, optimizer, 3, 1)
    ember.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3,
                "rng": ember.get_rng_state()}, tmp_path / "ckpt.pt")
    resumed_model, resumed_optimizer = make()
    checkpoint = ember.load(tmp_path / "ckpt.pt")
    resumed_model.load_state_dict(checkpoint["model"])
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    assert checkpoint["epoch"] == 3
    assert checkpoint["optimizer"]["param_groups"][0]["betas"] == (0.8, 0.99)
    train(resumed_model, resumed_optimizer, 2, 2)
    for a, b in zip(straight_model.parameters(), resumed_model.parameters()):
        assert ember.equal(a, b)


def test_corrupted_truncated_and_hostile_files_raise_typed_errors(tmp_path):
    good = io.BytesIO()
    ember.save({"w": ember.arange(8.0), "n": 1}, good)
    data = good.getvalue()
    with pytest.raises(st.HeaderTooSmall):
        ember.load(io.BytesIO(data[:5]))
    with pytest.raises(st.MetadataIncompleteBuffer):
        ember.load(io.BytesIO(data[:-1]))
    with pytest.raises(st.MetadataIncompleteBuffer):
        ember.load(io.BytesIO(data + b"\0"))
    with pytest.raises(ValueError, match="ember.structure"):
        ember.load(io.BytesIO(st.save({"w": ember.arange(2.0)})))
    hostile = st.save({"s": ember.arange(2.0)}, metadata={
        "version": "1",
        "ember.structure": '{"tensor":{"storage":"s","dtype":"float32","shape":[100],'
                           '"stride":[1],"offset":0}}'})
    with pytest.raises(ValueError, match="past the end of its storage"):
        ember.load(io.BytesIO(hostile))
    hostile = st.save({}, metadata={"version": "1", "ember.structure": '{"pickle":"os.system"}'})
    with pytest.raises(ValueError, match="unknown structure tag"):
        ember.load(io.BytesIO(hostile))
    deep = st.save({}, metadata={"version": "1", "ember.structure": "[" * 100000})
    with pytest.raises(ValueError):
        ember.load(io.BytesIO(deep))
    (tmp_path / "x.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError):
        ember.load(tmp_path / "x.pt")
    with pytest.raises(OSError):
        ember.load(tmp_path / "missing.pt")
    # Any single corrupted byte raises a ValueError or loads; nothing crashes.
    rng = np.random.default_rng(0)
    for position in rng.integers(0, len(data), 300):
        corrupted = bytearray(data)
        corrupted[position] ^= 1 << int(rng.integers(0, 8))
        with contextlib.suppress(ValueError):
            ember.load(io.BytesIO(bytes(corrupted)))


def test_a_killed_save_leaves_the_previous_checkpoint_intact(tmp_path):
    path = tmp_path / "model.pt"
    ember.save({"generation": 0, "w": ember.zeros(10)}, path)
    script = textwrap.dedent(f"""
        import sys, ember
        state = {{"w{{}}".format(i): ember.full((1 << 20,), float(i)) for i in range(64)}}
        state["generation"] = 1
        print("ready", flush=True)
        while True:
            ember.save(state, {str(path)!r})
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"ready"
    time.sleep(0.5)  # mid-way through some 256 MB write
    process.send_signal(signal.SIGKILL)
    process.wait()
    loaded = ember.load(path)  # the old file or a complete new one, never a torn one
    assert loaded["generation"] in (0, 1)
    if loaded["generation"] == 1:
        assert loaded["w63"][-1].item() == 63.0
    else:
        assert ember.equal(loaded["w"], ember.zeros(10))
    # The killed save may have left its temporary file; the next save to the path removes it.
    ember.save({"generation": 2}, path)
    assert os.listdir(tmp_path) == ["model.pt"]


def test_a_save_that_fails_keeps_the_old_file(tmp_path):
    path = tmp_path / "model.pt"
    ember.save({"w": ember.ones(3)}, path)
    with pytest.raises(TypeError):
        ember.save({"w": ember.ones(3), "bad": object()}, path)
    assert ember.equal(ember.load(path)["w"], ember.ones(3))
    assert os.listdir(tmp_path) == ["model.pt"]


def mapping_of(path):
    with open("/proc/self/maps") as maps:
        for line in maps:
            if line.rstrip().endswith(str(path)):
                begin, end = (int(part, 16) for part in line.split()[0].split("-"))
                return begin, end
    return None


def test_mmap_loading_is_zero_copy_and_fast(tmp_path):
    path = tmp_path / "big.pt"
    state = {f"layer{i}": ember.full((4 << 20,), float(i)) for i in range(16)}  # 256 MB
    ember.save(state, path)
    start = time.perf_counter()
    loaded = ember.load(path, mmap=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    region = mapping_of(pathlib.Path(path).resolve())
    assert region is not None
    for tensor in loaded.values():
        assert region[0] <= tensor.data_ptr() < region[1]
    assert loaded["layer5"][123].item() == 5.0
    loaded["layer5"].add_(1.0)  # private: the file keeps its values
    assert ember.load(path)["layer5"][0].item() == 5.0
    with pytest.raises(ValueError, match="mmap"):
        ember.load(io.BytesIO(path.read_bytes()), mmap=True)


@pytest.mark.parametrize("map_location", [
    "cpu", ember.device("cpu"), {"cpu": "cpu"}, lambda storage, location: storage,
    lambda storage, location: None, lambda storage, location: "cpu"])
def test_map_location_forms(map_location):
    buffer = io.BytesIO()
    ember.save({"w": ember.arange(3.0), "list": [ember.ones(1)]}, buffer)
    buffer.seek(0)
    back = ember.load(buffer, map_location=map_location)
    assert back["w"].device == ember.device("cpu")
    assert back["w"].tolist() == [0.0, 1.0, 2.0]


def test_map_location_of_another_kind_raises():
    buffer = io.BytesIO()
    ember.save(ember.ones(1), buffer)
    buffer.seek(0)
    with pytest.raises(TypeError, match="map_location"):
        ember.load(buffer, map_location=3)
