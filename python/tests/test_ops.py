"""Generic op tests driven by op_db (RELIABILITY T1-T3, T7, T9, T11).

Every entry runs against its numpy reference on contiguous, transposed, sliced (step 2, offset
1), expanded (stride 0), zero-size and 0-d inputs in each dtype it declares, plus inputs above the
parallel grain; function, method, operator and in-place variants agree; in-place ops write
through non-contiguous views and nothing else; unary ops match numpy on extremal values; type
promotion follows torch.result_type; and every public op has an op_db entry.
"""
import math
import types
import warnings

import numpy as np
import pytest
from op_db import (
    ALL,
    NUMPY_DTYPES,
    OP_DB,
    Input,
    as_numpy,
    can_cast,
    dtype_name,
    is_public,
    make_tensor,
    round_to,
    sentinel,
    tolerance,
)

import ember
from ember import _legacy

# ---------------------------------------------------------------- placing inputs in memory


def place(arg, layout):
    """(tensor, its logical values, the storage around it or None) for an Input in `layout`.

    transposed: the dims reversed in memory; sliced: every other element of a wider row starting
    at offset 1; expanded: the first dim of size > 1 is stride 0 (so the values repeat along it).
    """
    values = arg.values
    if layout == "transposed" and values.ndim >= 2:
        order = tuple(reversed(range(values.ndim)))
        base = make_tensor(np.ascontiguousarray(values.transpose(order)), arg.dtype)
        return base.permute(*order), values, None
    if layout == "sliced" and values.ndim >= 1:
        wide = np.full(values.shape[:-1] + (2 * values.shape[-1] + 1,), sentinel(arg.dtype),
                       dtype=values.dtype)
        wide[..., 1::2] = values
        base = make_tensor(wide, arg.dtype)
        return base[..., 1::2], values, base[..., 0::2]
    if layout == "expanded":
        repeated = [d for d, size in enumerate(values.shape) if size > 1]
        if repeated:
            first = values.take([0], axis=repeated[0])
            logical = np.broadcast_to(first, values.shape)
            return make_tensor(first, arg.dtype).expand(*values.shape), logical, None
    return make_tensor(values, arg.dtype), values, None


def reference_value(values, dtype, upcast_integers):
    if dtype.is_floating_point or upcast_integers:
        return values.astype(np.float64)
    return values.copy()


class Call:
    """A sample realized in a layout: ember arguments, reference arguments, and guards."""

    def __init__(self, info, sample, layout):
        self.info = info
        self.sample = sample
        self.inputs = []  # (tensor, logical values, dtype) of every tensor argument
        self.guards = []  # (storage around a sliced input, dtype): must keep the sentinel
        realized = [self.realize(arg, layout) for arg in sample.args]
        self.args = tuple(tensor for tensor, _ in realized)
        self.ref_args = tuple(reference for _, reference in realized)
        self.kwargs, self.ref_kwargs = {}, {}
        for key, value in sample.kwargs.items():
            self.kwargs[key], self.ref_kwargs[key] = self.realize(value, layout)

    def realize(self, arg, layout):
        if not isinstance(arg, Input):
            return arg, arg
        tensor, logical, around = place(arg, layout)
        self.inputs.append((tensor, logical, arg.dtype))
        if around is not None:
            self.guards.append((around, arg.dtype))
        return tensor, reference_value(logical, arg.dtype, self.info.ref_upcasts_integers)

    def run(self):
        return self.info.op(*self.args, **self.kwargs)

    def expected(self):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.info.ref(*self.ref_args, **self.ref_kwargs)

    def out_dtype(self, dtype):
        return self.sample.out_dtype or self.info.out_dtype(dtype)

    def describe(self, layout):
        def text(value):
            if isinstance(value, ember.Tensor):
                return f"tensor{tuple(value.shape)}/{dtype_name(value.dtype)}"
            return repr(value)

        args = ", ".join([text(arg) for arg in self.args] +
                         [f"{key}={text(value)}" for key, value in self.kwargs.items()])
        return f"{self.info.name}({args}) [{layout}]"

    def check_guards(self, where):
        for around, dtype in self.guards:
            values = as_numpy(around)
            expected = sentinel(dtype)
            untouched = np.isnan(values) if isinstance(expected, float) else values == expected
            assert untouched.all(), f"{where}: wrote outside the input's elements"


# ---------------------------------------------------------------- comparing


def assert_matches(actual, expected, dtype, kind, k, where):
    """actual (ember) equals expected (numpy) within RELIABILITY.md's tolerance for dtype."""
    if isinstance(dtype, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(dtype), where
        for got, want, part in zip(actual, expected, dtype):
            assert_matches(got, want, part, kind, k, where)
        return
    assert isinstance(actual, ember.Tensor), f"{where}: returned {type(actual).__name__}"
    assert actual.dtype == dtype, f"{where}: dtype {actual.dtype}, expected {dtype}"
    got = as_numpy(actual)
    want = np.asarray(expected)
    assert got.shape == want.shape, f"{where}: shape {got.shape}, expected {want.shape}"
    rtol, atol = tolerance(dtype, kind, k)
    if rtol == 0 and atol == 0:
        np.testing.assert_array_equal(got, want.astype(got.dtype), err_msg=where)
    else:  # compared after casting the reference to dtype (so overflow to inf agrees)
        with np.errstate(all="ignore"):
            want = round_to(want, dtype).astype(np.float64)
        np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol, atol=atol,
                                   equal_nan=True, err_msg=where)


def assert_identical(actual, expected, where):
    """Same dtype, shape and values (NaN equal to NaN): variants must agree exactly."""
    if isinstance(expected, tuple):
        for got, want in zip(actual, expected):
            assert_identical(got, want, where)
        return
    assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != {expected.dtype}"
    np.testing.assert_array_equal(as_numpy(actual), as_numpy(expected), err_msg=where)


def writes_first_input(info):
    """In-place ops (a trailing _, DESIGN §9) and setitem write their first argument."""
    return info.name.endswith("_") or info.name == "setitem"


def check_call(call, dtype, layout):
    where = call.describe(layout)
    result = call.run()
    if call.info.ref is None:
        assert result.dtype == call.out_dtype(dtype), where
        call.info.check(result, *call.ref_args, **call.ref_kwargs)
    else:
        assert_matches(result, call.expected(), call.out_dtype(dtype), call.info.kind,
                       call.sample.k, where)
    call.check_guards(where)
    if not writes_first_input(call.info):
        for tensor, logical, input_dtype in call.inputs:
            assert_matches(tensor, logical, input_dtype, "exact", 1, f"{where}: input changed")


# ---------------------------------------------------------------- reference tests


def reference_cases():
    for info in OP_DB:
        for dtype in info.dtypes:
            tags = {sample.tag for sample in info.sample_inputs(dtype)}
            name = f"{info.name}-{dtype_name(dtype)}"
            if "regular" in tags:
                for layout in info.layouts:
                    yield pytest.param(info, dtype, layout, "regular", id=f"{name}-{layout}")
            for tag in ("zero_size", "zero_dim"):
                if tag in tags:
                    yield pytest.param(info, dtype, "contiguous", tag, id=f"{name}-{tag}")


@pytest.mark.parametrize(("info", "dtype", "layout", "tag"), list(reference_cases()))
def test_reference(info, dtype, layout, tag):
    ember.manual_seed(info.seed(dtype))  # random ops draw the same values whatever ran before
    for sample in info.sample_inputs(dtype):
        if sample.tag == tag:
            check_call(Call(info, sample, layout), dtype, layout)


# Threaded kernels: float32 in both layouts, and the reduced-precision (fp32 accumulation) path.
LARGE_CASES = ((ember.float32, ("contiguous", "transposed")), (ember.bfloat16, ("contiguous",)))


def large_cases():
    for info in OP_DB:
        if info.large is None:
            continue
        for dtype, layouts in LARGE_CASES:
            if dtype in info.dtypes:
                for layout in layouts:
                    yield pytest.param(info, dtype, layout,
                                       id=f"{info.name}-{dtype_name(dtype)}-{layout}")


@pytest.mark.parametrize(("info", "dtype", "layout"), list(large_cases()))
def test_large(info, dtype, layout):
    for sample in info.large_inputs(dtype):
        check_call(Call(info, sample, layout), dtype, layout)


# ---------------------------------------------------------------- variants


def has_variants(info):
    return info.method or info.inplace or info.operator or info.inplace_operator


def variant_cases():
    for info in OP_DB:
        if has_variants(info):
            for dtype in info.dtypes:
                yield pytest.param(info, dtype, id=f"{info.name}-{dtype_name(dtype)}")


def writes_in_place(call, expected, dtype):
    """Whether the in-place variant applies: self keeps its shape and can hold the result."""
    self = call.args[0] if call.args else None
    return (isinstance(self, ember.Tensor) and isinstance(expected, ember.Tensor)
            and tuple(expected.shape) == tuple(self.shape) and can_cast(expected.dtype, dtype))


@pytest.mark.parametrize(("info", "dtype"), list(variant_cases()))
def test_variant_consistency(info, dtype):
    """T11: function == method == operator == in-place (the result cast to self's dtype)."""
    compared = 0
    for sample in info.sample_inputs(dtype):
        call = Call(info, sample, "contiguous")
        where = call.describe("contiguous")
        expected = call.run()
        if info.method and isinstance(call.args[0], ember.Tensor):
            assert_identical(info.variant("method")(*call.args, **call.kwargs), expected,
                             f"method {where}")
            compared += 1
        if info.operator and not call.kwargs and dtype in info.operator_dtypes:
            assert_identical(info.operator(*call.args), expected, f"operator {where}")
            compared += 1
        if not writes_in_place(call, expected, dtype):
            continue
        cast = expected.to(dtype)
        if info.inplace:
            target = call.args[0].clone()
            returned = info.variant("inplace")(target, *call.args[1:], **call.kwargs)
            assert returned is target, f"in-place {where} must return self"
            assert_identical(target, cast, f"in-place {where}")
            compared += 1
        if info.inplace_operator and not call.kwargs and dtype in info.operator_dtypes:
            target = call.args[0].clone()
            assert info.inplace_operator(target, *call.args[1:]) is target
            assert_identical(target, cast, f"in-place operator {where}")
            compared += 1
    assert compared, "no variant applied to any sample"


def inplace_layout_cases():
    for info in OP_DB:
        if info.inplace:
            for dtype in info.dtypes:
                if not can_cast(info.out_dtype(dtype), dtype):
                    continue  # never in place: test_errors checks the refusal
                for layout in ("transposed", "sliced"):
                    yield pytest.param(info, dtype, layout,
                                       id=f"{info.name}-{dtype_name(dtype)}-{layout}")


@pytest.mark.parametrize(("info", "dtype", "layout"), list(inplace_layout_cases()))
def test_inplace_layouts(info, dtype, layout):
    """T7: in-place ops write through non-contiguous views, and only into the view."""
    written = 0
    for sample in info.sample_inputs(dtype):
        if sample.tag != "regular":
            continue
        call = Call(info, sample, layout)
        expected = call.run()
        if not writes_in_place(call, expected, dtype):
            continue
        where = call.describe(layout)
        target = call.args[0]
        info.variant("inplace")(target, *call.args[1:], **call.kwargs)
        assert_identical(target, expected.to(dtype), f"in-place {where}")
        call.check_guards(where)
        written += 1
    assert written, "no sample could run in place"


def view_cases():
    for info in OP_DB:
        if info.is_view:
            for dtype in (ember.float32, ember.int64, ember.bool):
                yield pytest.param(info, dtype, id=f"{info.name}-{dtype_name(dtype)}")


@pytest.mark.parametrize(("info", "dtype"), list(view_cases()))
def test_views_alias_their_input(info, dtype):
    """A view op's result shares memory with its input: a later write to the input shows."""
    fill = {ember.bool: True, ember.int64: 7}.get(dtype, 7.0)
    aliased = 0
    for sample in info.sample_inputs(dtype):
        if sample.tag != "regular":
            continue
        call = Call(info, sample, "contiguous")
        result = call.run()
        if result.numel() == 0:
            continue
        call.args[0].fill_(fill)
        assert (result == fill).all().item(), f"{call.describe('contiguous')} is not a view"
        aliased += 1
    assert aliased


# ---------------------------------------------------------------- extremal values (T2)

EXTREMAL_OPS = [info for info in OP_DB
                if info.kind == "unary" and not info.name.startswith("clamp")]


def extremal_values(numpy_dtype):
    finfo = np.finfo(numpy_dtype)
    values = [0.0, -0.0, math.inf, -math.inf, math.nan, float(finfo.tiny), -float(finfo.tiny),
              float(finfo.smallest_subnormal), -float(finfo.smallest_subnormal),
              float(finfo.max), -float(finfo.max), 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 1e-3, 30.0,
              -30.0]
    return np.array(values, dtype=numpy_dtype)


def sign_with_nan_zero(x):
    return np.where(np.isnan(x), 0.0, np.sign(x))  # PyTorch's sign(nan) is 0


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.float16], ids=dtype_name)
@pytest.mark.parametrize("info", EXTREMAL_OPS, ids=lambda info: info.name)
def test_extremal_values(info, dtype):
    """±0, ±inf, NaN, the smallest normal and subnormal, ±max: as numpy in the same dtype."""
    values = extremal_values(NUMPY_DTYPES[dtype])
    ref = sign_with_nan_zero if info.name == "sign" else info.ref
    with np.errstate(all="ignore"):
        expected = ref(values.astype(np.float64)).astype(NUMPY_DTYPES[dtype])
    got = as_numpy(info.op(ember.from_numpy(values)))
    rtol, atol = tolerance(dtype, "unary")
    for value, want, have in zip(values, expected, got):
        both_nan = np.isnan(want) and np.isnan(have)
        assert both_nan or math.isclose(have, want, rel_tol=rtol, abs_tol=atol), \
            f"{info.name}({value!r}) in {dtype_name(dtype)}: got {have!r}, expected {want!r}"


# ---------------------------------------------------------------- type promotion (T9)


def t(values, dtype=None):
    return ember.tensor(values, dtype=dtype)


PROMOTION = [
    ("int64 tensor + 2.5", lambda: t([1, 2]) + 2.5, ember.float32, [3.5, 4.5]),
    ("float16 tensor * 2.0", lambda: t([1.5, 3.0], ember.float16) * 2.0, ember.float16,
     [3.0, 6.0]),
    ("int32 + int64 tensors", lambda: t([1, 2], ember.int32) + t([3, 4]), ember.int64, [4, 6]),
    ("uint8 + int8 tensors", lambda: t([200], ember.uint8) + t([-1], ember.int8), ember.int16,
     [199]),
    ("bool + bool (add)", lambda: t([True, False]) + t([True, False]), ember.bool,
     [True, False]),
    ("bool * bool", lambda: t([True, False]) * t([True, True]), ember.bool, [True, False]),
    ("bool tensor + 1", lambda: t([True, False]) + 1, ember.int64, [2, 1]),
    ("bool tensor + 1.5", lambda: t([True, False]) + 1.5, ember.float32, [2.5, 1.5]),
    ("int8 tensor * 3", lambda: t([1, 2], ember.int8) * 3, ember.int8, [3, 6]),
    ("uint8 tensor + 1 wraps", lambda: t([255], ember.uint8) + 1, ember.uint8, [0]),
    ("float32 tensor + True", lambda: t([1.0]) + True, ember.float32, [2.0]),
    ("int32 tensor + 0-d int64", lambda: t([1], ember.int32) + t(5), ember.int32, [6]),
    ("int32 tensor + 0-d float64", lambda: t([1], ember.int32) + t(0.5, ember.float64),
     ember.float64, [1.5]),
    ("float32 tensor + 0-d float64", lambda: t([1.0]) + t(0.5, ember.float64), ember.float32,
     [1.5]),
    ("float16 tensor + 0-d float32", lambda: t([1.0], ember.float16) + t(0.5), ember.float16,
     [1.5]),
    ("int32 tensor + 0-d float16", lambda: t([1], ember.int32) + t(0.5, ember.float16),
     ember.float16, [1.5]),
    ("float16 + float32 tensors", lambda: t([1.0], ember.float16) + t([0.5]), ember.float32,
     [1.5]),
    ("bfloat16 + float16 tensors", lambda: t([1.0], ember.bfloat16) + t([0.5], ember.float16),
     ember.float32, [1.5]),
    ("int64 + float16 tensors", lambda: t([1]) + t([0.5], ember.float16), ember.float16, [1.5]),
    ("0-d int64 + 0-d float16", lambda: t(1) + t(0.5, ember.float16), ember.float16, 1.5),
    ("0-d int32 + 2.5", lambda: t(1, ember.int32) + 2.5, ember.float32, 3.5),
    ("0-d float64 + 2.5", lambda: t(1.0, ember.float64) + 2.5, ember.float64, 3.5),
    ("2.5 - int64 tensor", lambda: 2.5 - t([1]), ember.float32, [1.5]),
    ("int tensor / int tensor", lambda: t([1, 3]) / t([2, 2]), ember.float32, [0.5, 1.5]),
    ("int tensor // int tensor", lambda: t([7, -7]) // t([2, 2]), ember.int64, [3, -4]),
    ("int tensor % int", lambda: t([7, -7]) % 3, ember.int64, [1, 2]),
    ("int tensor ** 2", lambda: t([3, -2]) ** 2, ember.int64, [9, 4]),
    ("int tensor ** 0.5", lambda: t([4, 9]) ** 0.5, ember.float32, [2.0, 3.0]),
    ("2 ** int tensor", lambda: 2 ** t([3, 0]), ember.int64, [8, 1]),
    ("float16 tensor / 4", lambda: t([1.0], ember.float16) / 4, ember.float16, [0.25]),
    ("int tensor < 2.5", lambda: t([2, 3]) < 2.5, ember.bool, [True, False]),
    ("uint8 == int8", lambda: t([255], ember.uint8) == t([-1], ember.int8), ember.bool, [False]),
    ("maximum(int32, float16)", lambda: ember.maximum(t([3], ember.int32), t([2.5], ember.float16)),
     ember.float16, [3.0]),
    ("where(cond, int64, float32)", lambda: ember.where(t([True, False]), t([1, 2]),
                                                        t([0.5, 0.5])), ember.float32, [1.0, 0.5]),
    ("where(cond, int64, 2.5)", lambda: ember.where(t([True, False]), t([1, 2]), 2.5),
     ember.float32, [1.0, 2.5]),
    ("masked_fill(int64, 2.5)", lambda: t([1, 2]).masked_fill(t([True, False]), 2.5),
     ember.int64, [2, 2]),
    ("clamp(int64, min=1.5)", lambda: ember.clamp(t([1, 2]), min=1.5), ember.float32,
     [1.5, 2.0]),
    ("exp(int64)", lambda: ember.exp(t([0])), ember.float32, [1.0]),
    ("sqrt(bool)", lambda: ember.sqrt(t([True])), ember.float32, [1.0]),
    ("sum(int8)", lambda: t([100, 100], ember.int8).sum(), ember.int64, 200),
    ("sum(bool)", lambda: t([True, True, False]).sum(), ember.int64, 2),
    ("prod(uint8)", lambda: t([16, 16], ember.uint8).prod(), ember.int64, 256),
    ("mean(float16)", lambda: t([1.0, 2.0], ember.float16).mean(), ember.float16, 1.5),
    ("float32 += int64", lambda: t([1.0]).add_(t([2])), ember.float32, [3.0]),
    ("int64 += bool", lambda: t([1]).add_(t([True])), ember.int64, [2]),
]


@pytest.mark.parametrize(("make", "dtype", "values"),
                         [pytest.param(*case[1:], id=case[0]) for case in PROMOTION])
def test_type_promotion(make, dtype, values):
    result = make()
    assert result.dtype == dtype
    assert result.tolist() == values


RESULT_TYPES = [
    (lambda: (t([1, 2]), 2.5), ember.float32),
    (lambda: (t([1], ember.int32), t([1])), ember.int64),
    (lambda: (t([1], ember.uint8), t([1], ember.int8)), ember.int16),
    (lambda: (t([1], ember.float16), 2.0), ember.float16),
    (lambda: (t([True]), t([False])), ember.bool),
    (lambda: (t([1], ember.int32), t(0.5, ember.float64)), ember.float64),
    (lambda: (t([1.0]), t(0.5, ember.float64)), ember.float32),
    (lambda: (2, 2.5), ember.float32),
    (lambda: (t([1], ember.int8), 1000), ember.int8),
]


@pytest.mark.parametrize(("operands", "dtype"), RESULT_TYPES)
def test_result_type(operands, dtype):
    assert ember.result_type(*operands()) == dtype


@pytest.mark.parametrize(("a", "b", "dtype"), [
    (ember.uint8, ember.int8, ember.int16), (ember.bool, ember.bool, ember.bool),
    (ember.int64, ember.float16, ember.float16), (ember.bfloat16, ember.float16, ember.float32),
    (ember.int32, ember.int64, ember.int64), (ember.float32, ember.float64, ember.float64),
    (ember.bool, ember.uint8, ember.uint8), (ember.uint8, ember.int64, ember.int64),
])
def test_promote_types(a, b, dtype):
    assert ember.promote_types(a, b) == dtype
    assert ember.promote_types(b, a) == dtype


@pytest.mark.parametrize("source", ALL, ids=dtype_name)
@pytest.mark.parametrize("target", ALL, ids=dtype_name)
def test_can_cast(source, target):
    assert ember.can_cast(source, target) == can_cast(source, target)


def test_integer_operators_are_bitwise():
    assert (t([1, 2]) & t([3, 3])).tolist() == [1, 2]
    assert (t([1, 2]) | t([4, 4])).tolist() == [5, 6]
    assert (~t([0, 1])).tolist() == [-1, -2]


# ---------------------------------------------------------------- completeness (T1)

# Public callables that are not ops: settings, RNG seeding, dtype utilities, predicates, and
# autograd's switches.
NON_OPS = {"manual_seed", "initial_seed", "set_num_threads", "get_num_threads",
           "seed", "get_rng_state", "set_rng_state",
           "get_default_dtype", "set_default_dtype", "result_type", "promote_types", "can_cast",
           "is_tensor", "numel", "is_grad_enabled", "set_grad_enabled", "enable_grad", "no_grad",
           "is_anomaly_enabled", "set_anomaly_enabled", "record_function", "set_printoptions"}
NON_OPS |= {"linalg.LinAlgError"}  # an exception type
NON_OPS |= {"from_dlpack"}  # a DLPack conversion (test_dlpack.py)
NON_OPS |= {"save", "load"}  # checkpoints (test_serialization.py)
# autocast's thread-local state (test_autocast.py)
NON_OPS |= {"is_autocast_enabled", "set_autocast_enabled", "get_autocast_dtype",
            "set_autocast_dtype", "is_autocast_cache_enabled", "set_autocast_cache_enabled",
            "clear_autocast_cache"}
# the float32 matmul precision, the TF32 switch of cuBLAS (test_backends.py)
NON_OPS |= {"set_float32_matmul_precision", "get_float32_matmul_precision"}
# Tensor methods that are not ops: metadata, conversion to Python / numpy, device moves, and
# autograd's graph handling.
NON_OP_METHODS = {"size", "stride", "dim", "ndimension", "numel", "nelement", "element_size",
                  "storage_offset", "is_contiguous", "is_floating_point", "data_ptr", "item",
                  "tolist", "numpy", "cpu", "cuda", "backward", "detach", "detach_",
                  "requires_grad_", "retain_grad", "register_hook", "as_subclass", "is_complex",
                  "is_signed"}
NON_OP_METHODS |= {"share_memory_", "is_shared"}  # shared memory (test_shared_memory.py)
NON_OP_METHODS |= {"pin_memory", "is_pinned"}  # pinned host memory (test_cuda_runtime.py)
NON_OP_METHODS |= {"record_stream"}  # the CUDA caching allocator (test_cuda_memory.py)
NON_OP_METHODS |= {"register_post_accumulate_grad_hook"}  # test_autograd_post_accumulate_hook.py


def public_functions():
    for name in dir(ember):
        value = getattr(ember, name)
        if name.startswith("_") or not callable(value):
            continue
        if isinstance(value, (type, types.ModuleType, _legacy.LegacyTensorType)):
            continue
        yield name
    # ember.linalg's functions, named as their op_db entries are: linalg.det, ...
    for name in dir(ember.linalg):
        if not name.startswith("_") and callable(getattr(ember.linalg, name)):
            yield f"linalg.{name}"
    # ember.nn.functional's functions, likewise: nn.functional.relu, ...
    for name in dir(ember.nn.functional):
        value = getattr(ember.nn.functional, name)
        if not name.startswith("_") and callable(value) and not isinstance(value, type):
            yield f"nn.functional.{name}"


def public_methods():
    return {name for name in dir(ember.Tensor)
            if not name.startswith("_") and callable(getattr(ember.Tensor, name))}


def test_every_public_function_has_an_entry():
    covered = {name for info in OP_DB for name in info.functions}
    missing = sorted(set(public_functions()) - covered - NON_OPS)
    assert not missing, f"public ember functions without an op_db entry: {missing}"


def test_every_tensor_method_has_an_entry():
    covered = {name for info in OP_DB for name in info.methods}
    missing = sorted(public_methods() - covered - NON_OP_METHODS)
    assert not missing, f"ember.Tensor methods without an op_db entry: {missing}"


def test_op_db_names_exist():
    functions = {name for info in OP_DB for name in info.functions}
    methods = {name for info in OP_DB for name in info.methods}
    assert not sorted(name for name in functions if not is_public(name))
    assert not sorted(name for name in methods if not hasattr(ember.Tensor, name))



# ---------------------------------------------------------------- op-specific contracts


def test_max_with_dim_returns_values_and_indices():
    result = t([[1.0, 5.0, 5.0], [7.0, 2.0, 7.0]]).max(dim=1)
    assert type(result).__name__ == "max"
    assert result.values.tolist() == [5.0, 7.0]
    assert result.indices.tolist() == [1, 0]  # the first of tied maxima
    values, indices = ember.min(t([[3, 1, 1]]), 1, keepdim=True)
    assert values.tolist() == [[1]] and indices.tolist() == [[1]]


def test_max_propagates_nan():
    x = t([1.0, float("nan"), 3.0])
    assert math.isnan(x.max().item()) and math.isnan(x.amax().item())
    assert x.argmax().item() == 1 and x.argmin().item() == 1
    assert math.isnan(ember.maximum(x, t([5.0, 0.0, 0.0]))[1].item())


def test_addmm_with_beta_zero_ignores_input():
    bias = ember.full((2, 2), float("nan"))
    result = ember.addmm(bias, ember.eye(2), ember.ones(2, 2), beta=0)
    assert result.tolist() == [[1.0, 1.0], [1.0, 1.0]]
