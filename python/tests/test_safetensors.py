"""ember.safetensors: round trips of every dtype, the loader's rules (RELIABILITY.md L1-L13) one
by one, and interop with the PyPI safetensors package (its numpy API, so torch is not needed)."""
import json
import struct

import ember.safetensors as st
import numpy as np
import pytest

import ember

DTYPES = {"BOOL": ember.bool, "U8": ember.uint8, "I8": ember.int8, "I16": ember.int16,
          "I32": ember.int32, "I64": ember.int64, "F16": ember.float16, "BF16": ember.bfloat16,
          "F32": ember.float32, "F64": ember.float64}
NUMPY = {"BOOL": np.bool_, "U8": np.uint8, "I8": np.int8, "I16": np.int16, "I32": np.int32,
         "I64": np.int64, "F16": np.float16, "F32": np.float32, "F64": np.float64}


def every_dtype():
    return {name: ember.arange(6, dtype=ember.float64).reshape(2, 3).to(dtype)
            for name, dtype in DTYPES.items()}


def same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and bool(ember.equal(a, b))


def file_of(header, data=b""):
    text = header if isinstance(header, bytes) else header.encode()
    return struct.pack("<Q", len(text)) + text + data


def entry(dtype="F32", shape=(2,), offsets=(0, 8)):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


def test_every_dtype_round_trips_through_bytes_files_and_safe_open(tmp_path):
    tensors = every_dtype()
    metadata = {"format": "pt", "note": "é"}
    path = tmp_path / "all.safetensors"
    st.save_file(tensors, path, metadata=metadata)
    sources = (st.load(st.save(tensors, metadata)), st.load_file(path), st.load_file(str(path)))
    for loaded in sources:
        assert set(loaded) == set(tensors)
        for name, tensor in tensors.items():
            assert same(loaded[name], tensor), name
    with st.safe_open(path, framework="pt") as f:
        assert sorted(f.keys()) == sorted(tensors)
        assert f.metadata() == metadata
        for name, tensor in tensors.items():
            assert same(f.get_tensor(name), tensor), name


def test_non_contiguous_empty_and_scalar_tensors_round_trip():
    matrix = ember.arange(12, dtype=ember.float32).reshape(3, 4)
    tensors = {"t": matrix.t(), "step": matrix[:, ::2], "empty": ember.zeros(0, 5),
               "scalar": ember.tensor(7, dtype=ember.int64)}
    loaded = st.load(st.save(tensors))
    for name, tensor in tensors.items():
        assert same(loaded[name], tensor.contiguous()), name
        assert loaded[name].is_contiguous()
    assert loaded["scalar"].dim() == 0


def test_no_metadata_reads_back_as_none(tmp_path):
    path = tmp_path / "x.safetensors"
    st.save_file({"a": ember.ones(2)}, path)
    with st.safe_open(path, "pt") as f:
        assert f.metadata() is None


def test_get_slice_reads_the_indexed_part(tmp_path):
    path = tmp_path / "x.safetensors"
    full = ember.arange(24, dtype=ember.float32).reshape(4, 6)
    st.save_file({"w": full}, path)
    with st.safe_open(path, framework="pt") as f:
        part = f.get_slice("w")
        assert part.get_shape() == [4, 6]
        assert part.get_dtype() == "F32"
        assert len(part) == 4
        assert same(part[1:3, ::2], full[1:3, ::2].contiguous())
        assert same(part[:], full)
        with pytest.raises(st.TensorNotFound, match="'missing'"):
            f.get_slice("missing")


def test_safe_open_errors(tmp_path):
    path = tmp_path / "x.safetensors"
    st.save_file({"a": ember.ones(2)}, path)
    with pytest.raises(ValueError, match="framework"):
        st.safe_open(path, framework="jax")
    with st.safe_open(path, "pt") as f, pytest.raises(st.TensorNotFound, match="'b'"):
        f.get_tensor("b")
    with pytest.raises(RuntimeError, match="closed"):
        f.keys()
    with pytest.raises(OSError, match="nope"):
        st.safe_open(tmp_path / "nope", "pt")
    with pytest.raises(OSError):
        st.load_file(tmp_path / "nope")


def test_mapped_views_outlive_the_file_and_the_loader(tmp_path):
    path = tmp_path / "x.safetensors"
    st.save_file({"x": ember.arange(4, dtype=ember.float32)}, path)
    with st.safe_open(path, "pt") as f:
        view = f.get_slice("x")[:]
    path.unlink()
    assert view.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_save_refuses_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="str keys"):
        st.save({1: ember.ones(1)})
    with pytest.raises(TypeError, match="Tensor for key 'a'"):
        st.save({"a": [1, 2]})
    with pytest.raises(TypeError, match="metadata of str to str"):
        st.save({"a": ember.ones(1)}, metadata={"k": 1})
    with pytest.raises(st.InvalidTensorName):
        st.save({"__metadata__": ember.ones(1)})
    with pytest.raises(st.InvalidTensorName, match="non-empty"):
        st.save({"": ember.ones(1)})
    with pytest.raises(TypeError, match="bytes"):
        st.load("not bytes")


def test_save_file_is_atomic_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "x.safetensors"
    st.save_file({"a": ember.ones(2)}, path)
    st.save_file({"b": ember.zeros(3)}, path)
    assert list(st.load_file(path)) == ["b"]
    assert [p.name for p in tmp_path.iterdir()] == ["x.safetensors"]


# RELIABILITY.md L1-L13, one rule per test, each with its own error class.
def test_l1_fewer_than_8_bytes():
    with pytest.raises(st.HeaderTooSmall, match="at least 8 bytes"):
        st.load(b"\x00" * 7)


def test_l2_header_length_is_bounded_and_inside_the_file():
    with pytest.raises(st.HeaderTooLarge, match="100000001"):
        st.load(struct.pack("<Q", 100_000_001))
    with pytest.raises(st.HeaderTooLarge):
        st.load(b"\xff" * 8)  # 2**64 - 1 must not overflow 8 + N
    with pytest.raises(st.InvalidHeaderLength, match="past the end"):
        st.load(file_of("{}")[:-1])


def test_l3_header_is_utf8_and_a_json_object():
    with pytest.raises(st.InvalidHeader, match="UTF-8"):
        st.load(file_of(b'{"\xff": 1}'))
    with pytest.raises(st.InvalidHeader, match="JSON object"):
        st.load(file_of("[]"))
    with pytest.raises(st.InvalidHeader, match="JSON object"):
        st.load(file_of("x{}"))
    with pytest.raises(st.InvalidHeaderDeserialization, match="expected"):
        st.load(file_of('{"a": '))
    assert st.load(file_of("   {}    ")) == {}


def test_l4_duplicate_keys():
    a = json.dumps(entry())
    with pytest.raises(st.DuplicateKey, match="'a' twice"):
        st.load(file_of('{"a": ' + a + ', "a": ' + a + "}", b"\x00" * 8))
    with pytest.raises(st.DuplicateKey, match="'k' twice"):
        st.load(file_of('{"__metadata__": {"k": "1", "k": "2"}}'))


def test_l5_metadata_is_strings_only():
    with pytest.raises(st.InvalidMetadata, match="'k'"):
        st.load(file_of(json.dumps({"__metadata__": {"k": 1}})))
    with pytest.raises(st.InvalidMetadata):
        st.load(file_of(json.dumps({"__metadata__": ["k"]})))


def test_l6_entries_have_exactly_three_fields():
    with pytest.raises(st.InvalidHeaderDeserialization, match="'extra'"):
        st.load(file_of(json.dumps({"a": {**entry(), "extra": 1}}), b"\x00" * 8))
    with pytest.raises(st.InvalidHeaderDeserialization, match="no data_offsets"):
        st.load(file_of(json.dumps({"a": {"dtype": "F32", "shape": [2]}})))


def test_l7_unknown_and_unsupported_dtypes():
    with pytest.raises(st.UnsupportedDtype, match="'F128'"):
        st.load(file_of(json.dumps({"a": entry("F128", (1,), (0, 16))}), b"\x00" * 16))
    # A safetensors dtype ember lacks: a valid file, but that tensor cannot be loaded.
    with pytest.raises(st.UnsupportedDtype, match="U16"):
        st.load(file_of(json.dumps({"a": entry("U16", (1,), (0, 2))}), b"\x00" * 2))


def test_l8_shapes():
    with pytest.raises(st.InvalidShape, match="non-negative"):
        st.load(file_of(json.dumps({"a": entry(shape=(-1,), offsets=(0, 0))})))
    with pytest.raises(st.InvalidShape, match="at most 64"):
        st.load(file_of(json.dumps({"a": entry(shape=(1,) * 65, offsets=(0, 4))}), b"\x00" * 4))


def test_l9_sizes_are_overflow_checked():
    with pytest.raises(st.ValidationOverflow, match="'a'"):
        st.load(file_of(json.dumps({"a": entry("F64", (2**32, 2**32), (0, 0))})))
    with pytest.raises(st.ValidationOverflow, match="'a'"):
        st.load(file_of(json.dumps({"a": entry("F32", (2**70,), (0, 0))})))


def test_l10_sub_byte_dtypes_fill_whole_bytes():
    with pytest.raises(st.MisalignedSlice, match="whole bytes"):
        st.load(file_of(json.dumps({"a": entry("F4", (3,), (0, 1))}), b"x"))


def test_l11_offsets_are_contiguous_without_overlap():
    a = entry("U8", (2,), (0, 2))
    with pytest.raises(st.InvalidOffset, match="overlaps"):
        st.load(file_of(json.dumps({"a": a, "b": entry("U8", (2,), (1, 3))}), b"xyz"))
    with pytest.raises(st.InvalidOffset, match="gap"):
        st.load(file_of(json.dumps({"a": a, "b": entry("U8", (2,), (3, 5))}), b"xyzuv"))
    with pytest.raises(st.InvalidOffset, match="before it begins"):
        st.load(file_of(json.dumps({"a": entry("U8", (0,), (2, 1))}), b"x"))
    with pytest.raises(st.TensorInvalidInfo, match="needs 8 bytes"):
        st.load(file_of(json.dumps({"a": entry("F32", (2,), (0, 4))}), b"xxxx"))


def test_l12_no_trailing_or_missing_bytes():
    header = json.dumps({"a": entry()})
    with pytest.raises(st.MetadataIncompleteBuffer, match="the file has"):
        st.load(file_of(header, b"\x00" * 9))
    with pytest.raises(st.MetadataIncompleteBuffer):
        st.load(file_of(header, b"\x00" * 7))


def test_l13_names_are_non_empty_and_bounded():
    with pytest.raises(st.InvalidTensorName, match="non-empty"):
        st.load(file_of(json.dumps({"": entry()}), b"\x00" * 8))
    with pytest.raises(st.InvalidTensorName, match="at most"):
        st.load(file_of(json.dumps({"n" * 70000: entry()}), b"\x00" * 8))


def test_every_error_is_a_safetensor_error_and_a_value_error():
    for name in st._impl._error_kinds:
        error = getattr(st, name)
        assert issubclass(error, st.SafetensorError) and issubclass(error, ValueError)


# Interop with the PyPI safetensors package (its numpy API), both directions.
safetensors_numpy = pytest.importorskip("safetensors.numpy")


def test_files_written_by_ember_are_read_by_the_safetensors_package(tmp_path):
    path = tmp_path / "ember.safetensors"
    tensors = {name: t for name, t in every_dtype().items() if name in NUMPY}
    tensors["empty"] = ember.zeros(0, 3, dtype=ember.float32)
    st.save_file(tensors, path, metadata={"k": "v"})
    loaded = safetensors_numpy.load_file(str(path))
    assert set(loaded) == set(tensors)
    for name, tensor in tensors.items():
        np.testing.assert_array_equal(loaded[name], tensor.numpy())
        assert loaded[name].dtype == tensor.numpy().dtype
    loaded = safetensors_numpy.load(st.save(tensors))
    assert set(loaded) == set(tensors)


def test_the_safetensors_package_validates_ember_bfloat16_files(tmp_path):
    # NumPy has no bfloat16, so the package reads the header (its validation) and not the values.
    from safetensors import safe_open

    path = tmp_path / "bf16.safetensors"
    st.save_file(every_dtype(), path, metadata={"k": "v"})
    with safe_open(str(path), framework="numpy") as f:
        assert sorted(f.keys()) == sorted(DTYPES)
        assert f.metadata() == {"k": "v"}
        assert f.get_slice("BF16").get_dtype() == "BF16"


def test_files_written_by_the_safetensors_package_are_read_by_ember(tmp_path):
    path = tmp_path / "reference.safetensors"
    arrays = {name: np.arange(6).reshape(2, 3).astype(dtype) for name, dtype in NUMPY.items()}
    arrays["scalar"] = np.array(2.5)
    arrays["empty"] = np.zeros((0, 2), np.int16)
    safetensors_numpy.save_file(arrays, str(path), metadata={"format": "np"})
    for loaded in (st.load_file(path), st.load(safetensors_numpy.save(arrays))):
        assert set(loaded) == set(arrays)
        for name, array in arrays.items():
            np.testing.assert_array_equal(loaded[name].numpy(), array)
            assert loaded[name].numpy().dtype == array.dtype
    with st.safe_open(path, "pt") as f:
        assert f.metadata() == {"format": "np"}
