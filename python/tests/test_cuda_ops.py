"""T15 (RELIABILITY.md): every op of the op database on CUDA against the same op on the CPU, on
the same samples (contiguous and transposed inputs; empty and 0-d ones contiguous), within the
op's tolerance class for the result dtype. Random ops draw from the same seed on both devices and
must agree (Philox gives the same numbers). An op without a CUDA kernel yet is an expected failure
that names the op, so the report shows the backend's coverage. Without a CUDA device the whole
suite is one skipped test saying so (tools/gpu_check.sh runs it on a GPU)."""
import numpy as np
import pytest
from op_db import OP_DB, as_numpy, dtype_name
from test_ops import Call, assert_matches

import ember

NO_DEVICE = "needs a CUDA device: T15 runs on a machine with a GPU (tools/gpu_check.sh)"


def to_device(value, device):
    if isinstance(value, ember.Tensor):
        return value.to(device)
    if isinstance(value, ember.Generator):
        # A generator must serve its tensors' device: a fresh one at the same stream position.
        moved = ember.Generator(device=device)
        moved.set_state(value.get_state())
        return moved
    if isinstance(value, (tuple, list)):
        return type(value)(to_device(part, device) for part in value)
    return value


def as_reference(result):
    """The CPU result as the numpy values assert_matches compares against."""
    if isinstance(result, (tuple, list)):
        return tuple(as_reference(part) for part in result)
    return as_numpy(result) if isinstance(result, ember.Tensor) else np.asarray(result)


def dtypes_of(result):
    if isinstance(result, (tuple, list)):
        return tuple(dtypes_of(part) for part in result)
    return result.dtype


def cases():
    if not ember.cuda.is_available():
        yield pytest.param(None, None, None, marks=pytest.mark.skip(reason=NO_DEVICE),
                           id="no-cuda-device")
        return
    for info in OP_DB:
        for dtype in info.dtypes:
            for layout in ("contiguous", "transposed"):
                yield pytest.param(info, dtype, layout,
                                   id=f"{info.name}-{dtype_name(dtype)}-{layout}")


@pytest.mark.parametrize(("info", "dtype", "layout"), list(cases()))
def test_cuda_matches_cpu(info, dtype, layout):
    for sample in info.sample_inputs(dtype):
        if sample.tag != "regular" and layout != "contiguous":
            continue
        call = Call(info, sample, layout)
        where = call.describe(layout) + " on cuda"
        # Moved before the CPU run, so that a generator argument starts from the same state.
        args = to_device(call.args, "cuda")
        kwargs = {key: to_device(value, "cuda") for key, value in call.kwargs.items()}
        ember.manual_seed(info.seed(dtype))
        expected = call.run()
        ember.manual_seed(info.seed(dtype))
        try:
            result = info.op(*args, **kwargs)
        except (RuntimeError, NotImplementedError) as error:
            if "has no CUDA kernel" in str(error):
                pytest.xfail(str(error).splitlines()[0])
            raise
        assert_matches(to_device(result, "cpu"), as_reference(expected), dtypes_of(expected),
                       info.kind, sample.k, where)
