"""The out= contract (RELIABILITY T10, B23, B17, T13) for every op_db entry with supports_out,
and out= against the functional form (T11).

For each entry and a few of its samples: a correct out is written and returned (the same object)
with the function's values; an empty out is resized without a warning; a non-empty out of the
wrong shape is resized with a UserWarning; an out whose dtype cannot hold the result raises
(B4) and is left alone; an out partially overlapping an input raises (B17); and under grad mode
an input that requires grad makes out= of a differentiable op raise, while under no_grad it
works. An op returning several tensors takes a tuple (or list) of outs, one per result, each
under the same contract, and returns its named tuple holding them; it also refuses a tuple of
the wrong length, outs sharing memory with each other, and an integer result (indices) into an
out of another dtype.
"""
import warnings

import numpy as np
import pytest
from op_db import OP_DB, can_cast, dtype_name
from test_ops import Call, assert_identical

import ember

OUT_OPS = [info for info in OP_DB if info.supports_out]
# Random ops draw the same values for the same seed; empty's values are arbitrary.
UNDEFINED_VALUES = {"empty"}


def out_cases():
    for info in OUT_OPS:
        dtypes = [dtype for dtype in (ember.float32, ember.int64, ember.bool)
                  if dtype in info.dtypes] or list(info.dtypes[:1])
        for dtype in dtypes:
            yield pytest.param(info, dtype, id=f"{info.name}-{dtype_name(dtype)}")


def samples_of(info, dtype, limit=4):
    chosen = [sample for sample in info.sample_inputs(dtype) if sample.tag == "regular"]
    return chosen[:limit] or info.sample_inputs(dtype)[:1]


def function_of(info):
    """The function taking out=: the entry's op, or the one it wraps (out_op)."""
    return info.out_op or info.op


def reseed(kwargs):
    """Random ops draw the same values again: the default generator and any given one."""
    ember.manual_seed(0)
    for value in kwargs.values():
        if isinstance(value, ember.Generator):
            value.manual_seed(0)


def run(info, call, **kwargs):
    reseed(call.kwargs)
    return function_of(info)(*call.args, **call.kwargs, **kwargs)


def parts(result):
    return result if isinstance(result, tuple) else (result,)


def new_outs(expected, make):
    outs = tuple(make(part) for part in parts(expected))
    return outs if isinstance(expected, tuple) else outs[0]


def assert_same_values(info, actual, expected, where, last_bits=False):
    """Identical values; with last_bits, floats may differ in their last bits (a result that
    took another code path, such as svdvals' full SVD for an input requiring grad)."""
    if info.name in UNDEFINED_VALUES:
        for got, want in zip(parts(actual), parts(expected)):
            assert got.shape == want.shape and got.dtype == want.dtype, where
        return
    if not last_bits:
        assert_identical(parts(actual), parts(expected), where)
        return
    for got, want in zip(parts(actual), parts(expected)):
        assert got.dtype == want.dtype and got.shape == want.shape, where
        if want.dtype.is_floating_point:
            eps = ember.finfo(want.dtype).eps
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=64 * eps, atol=64 * eps,
                                       err_msg=where)
        else:
            assert_identical(got, want, where)


@pytest.mark.parametrize(("info", "dtype"), list(out_cases()))
def test_out_contract(info, dtype):
    for sample in samples_of(info, dtype):
        call = Call(info, sample, "contiguous")
        where = call.describe("contiguous")
        expected = run(info, call)

        # A correct out: written, returned as itself, equal to the function's result (T11).
        out = new_outs(expected, lambda part: ember.empty(part.shape, dtype=part.dtype))
        returned = run(info, call, out=out)
        for got, target in zip(parts(returned), parts(out)):
            assert got is target, f"{where}: out= must return out itself"
        assert_same_values(info, out, expected, f"out= {where}")

        # An empty out is resized silently.
        out = new_outs(expected, lambda part: ember.empty(0, dtype=part.dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            run(info, call, out=out)
        assert_same_values(info, out, expected, f"empty out= {where}")

        # A non-empty out of another shape is resized with a warning.
        out = new_outs(expected, lambda part: ember.empty(2, 7, 3, dtype=part.dtype))
        if all(part.shape != (2, 7, 3) for part in parts(expected)):
            with pytest.warns(UserWarning, match="resized"):
                run(info, call, out=out)
            assert_same_values(info, out, expected, f"resized out= {where}")

        check_uncastable_out(info, call, expected, where)
        check_partial_overlap(info, call, expected, where)
        check_out_with_grad(info, call, expected, where)
        if isinstance(expected, tuple):
            check_tuple_out(info, call, expected, where)


def uncastable(dtype):
    """A dtype a result of `dtype` cannot be stored into, or None (bool goes anywhere)."""
    if dtype.is_floating_point:
        return ember.int64
    return None if dtype == ember.bool else ember.bool


def check_uncastable_out(info, call, expected, where):
    if not call.inputs and "dtype" not in call.kwargs:
        return  # a factory without dtype= builds in out's dtype
    targets = [uncastable(part.dtype) for part in parts(expected)]
    if any(target is None for target in targets):
        return
    outs = tuple(ember.full((2,), 1, dtype=target) for target in targets)
    refused = "can't be cast to the desired output type|Expected out tensor 0 to have dtype"
    with pytest.raises(RuntimeError, match=refused):
        run(info, call, out=outs if isinstance(expected, tuple) else outs[0])
    for out in outs:
        # True == 1: one comparison for the bool and the int64 outs.
        assert out.shape == (2,) and out.tolist() == [1, 1], f"{where}: a refused out= was written"


def takes(result, dtype, in_tuple):
    """Whether an out of `dtype` takes `result`: the cast rule, except that an integer result
    of several (indices) goes only into its own dtype."""
    if in_tuple and not result.dtype.is_floating_point and result.dtype != ember.bool:
        return result.dtype == dtype
    return can_cast(result.dtype, dtype)


def overlap_target(expected, source):
    """The index of the result an out aliasing `source` can be given for, or None."""
    for index, part in enumerate(parts(expected)):
        if part.numel() > 0 and takes(part, source.dtype, isinstance(expected, tuple)):
            return index
    return None


def check_partial_overlap(info, call, expected, where):
    """An out shares memory with an input, shifted by one element (B17)."""
    if info.name in UNDEFINED_VALUES:
        return
    position = next((i for i, arg in enumerate(call.args)
                     if isinstance(arg, ember.Tensor) and arg.numel() >= 2), None)
    if position is None:
        return
    source = call.args[position]
    target = overlap_target(expected, source)
    if target is None:
        return
    written = parts(expected)[target]
    size = max(source.numel(), written.numel()) + 1
    storage = ember.zeros(size, dtype=source.dtype)
    aliased = storage[:source.numel()].view(source.shape)
    aliased.copy_(source)
    outs = [ember.empty(part.shape, dtype=part.dtype) for part in parts(expected)]
    outs[target] = storage[1:1 + written.numel()].view(written.shape)
    args = list(call.args)
    args[position] = aliased
    out = tuple(outs) if isinstance(expected, tuple) else outs[0]
    with pytest.raises(RuntimeError, match="refer to a single memory location"):
        function_of(info)(*args, **call.kwargs, out=out)


def check_out_with_grad(info, call, expected, where):
    """out= records no graph: an input requiring grad is refused under grad mode only."""
    position = next((i for i, arg in enumerate(call.args)
                     if isinstance(arg, ember.Tensor) and arg.dtype.is_floating_point), None)
    if position is None:
        return
    args = list(call.args)
    args[position] = args[position].detach().clone().requires_grad_()
    out = new_outs(expected, lambda part: ember.empty(part.shape, dtype=part.dtype))
    function = function_of(info)
    reseed(call.kwargs)
    tracked = any(part.requires_grad for part in parts(function(*args, **call.kwargs)))
    if tracked:  # a differentiable result; ops with bool or index results record nothing
        with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
            function(*args, **call.kwargs, out=out)
    with ember.no_grad():
        reseed(call.kwargs)
        function(*args, **call.kwargs, out=out)
    assert_same_values(info, out, expected, f"out= under no_grad {where}", last_bits=True)
    for part in parts(out):
        assert not part.requires_grad and part.grad_fn is None


def check_tuple_out(info, call, expected, where):
    """The rules of a tuple of outs: a list works as well, the count must match, and the outs
    share no memory with each other."""
    outs = [ember.empty(0, dtype=part.dtype) for part in expected]
    returned = run(info, call, out=outs)
    assert type(returned) is type(expected), where
    assert all(got is target for got, target in zip(returned, outs)), where
    assert_same_values(info, returned, expected, f"list out= {where}")

    with pytest.raises(TypeError, match=f"out= must be a tuple of {len(expected)} Tensors"):
        run(info, call, out=tuple(outs[:-1]))
    with pytest.raises(TypeError, match="out= must be a tuple of"):
        run(info, call, out=ember.empty(0, dtype=expected[0].dtype))

    shared = ember.empty(0, dtype=expected[0].dtype)
    with pytest.raises(RuntimeError, match="are the same tensor"):
        run(info, call, out=(shared,) * len(expected))

    # Two results of one dtype written into overlapping views of one storage.
    pair = next(((i, j) for i in range(len(expected)) for j in range(i)
                 if expected[i].dtype == expected[j].dtype and expected[i].numel() > 0
                 and expected[j].numel() > 0), None)
    if pair is None or info.name in UNDEFINED_VALUES:
        return
    i, j = pair
    storage = ember.zeros(expected[i].numel() + expected[j].numel(), dtype=expected[i].dtype)
    outs = [ember.empty(part.shape, dtype=part.dtype) for part in expected]
    outs[i] = storage[:expected[i].numel()].view(expected[i].shape)
    outs[j] = storage[-expected[j].numel() - 1:-1].view(expected[j].shape)
    with pytest.raises(RuntimeError, match=f"out= tensors {j} and {i} refer to a single memory"):
        run(info, call, out=tuple(outs))


def test_every_out_entry_has_a_function():
    assert OUT_OPS
    for info in OUT_OPS:
        assert "out=None" in function_of(info).__doc__.partition("\n")[0], info.name


# ---------------------------------------------------------------- specific contracts


def test_out_may_be_exactly_an_input():
    a = ember.tensor([1.0, 2.0, 3.0])
    b = ember.tensor([10.0, 20.0, 30.0])
    assert ember.add(a, b, out=a) is a
    assert a.tolist() == [11.0, 22.0, 33.0]
    m = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert ember.mm(m, m, out=m) is m  # computed before the write, so aliasing is harmless
    assert m.tolist() == [[7.0, 10.0], [15.0, 22.0]]


def test_out_transposed_view_of_the_input_is_refused():
    b = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(RuntimeError, match="refer to a single memory location"):
        ember.mm(b, b.t(), out=b.t())
    assert b.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_out_is_written_through_its_strides():
    base = ember.zeros(3, 4)
    out = base.t()  # (4, 3), not contiguous
    ember.add(ember.ones(4, 3), 1, out=out)
    assert out.stride() == (1, 4)
    assert base.tolist() == [[2.0] * 4] * 3


def test_out_casts_to_a_wider_dtype():
    out = ember.empty(3, dtype=ember.float64)
    ember.add(ember.tensor([1, 2, 3]), ember.tensor([1, 1, 1]), out=out)
    assert out.dtype == ember.float64 and out.tolist() == [2.0, 3.0, 4.0]
    flags = ember.empty(2, dtype=ember.int64)
    ember.eq(ember.tensor([1, 2]), ember.tensor([1, 3]), out=flags)
    assert flags.tolist() == [1, 0]


def test_out_with_an_internal_overlap_is_refused():
    out = ember.zeros(1).expand(3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        ember.neg(ember.ones(3), out=out)


def test_out_must_be_a_tensor():
    with pytest.raises(TypeError, match="out= must be a Tensor"):
        ember.add(ember.ones(2), 1, out=[0.0, 0.0])


def test_resize_warning_can_be_an_error():
    out = ember.zeros(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="An output with one or more elements was resized"):
            ember.add(ember.ones(2), 1, out=out)


def test_resized_out_keeps_its_object_and_grows_its_memory():
    out = ember.empty(0)
    result = ember.arange(6.0, out=out)
    assert result is out and out.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    small = ember.zeros(4)
    view = small[2:]
    with pytest.warns(UserWarning, match="resized"):
        ember.ones(3, out=view)  # past the storage's end: new memory, the old stays with `small`
    assert view.tolist() == [1.0, 1.0, 1.0] and small.tolist() == [0.0, 0.0, 0.0, 0.0]
    fits = small[:1]
    with pytest.warns(UserWarning, match="resized"):
        ember.ones(3, out=fits)  # within the storage: written into it
    assert small.tolist() == [1.0, 1.0, 1.0, 0.0]


def test_resize_to_zero_elements_reuses_an_out_silently():
    out = ember.zeros(5)
    assert out.resize_(0) is out and out.shape == (0,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.add(ember.ones(2), 1, out=out)
    assert out.tolist() == [2.0, 2.0]
    leaf = ember.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        leaf.resize_(3)


def test_factories_build_in_outs_dtype():
    out = ember.empty(0, dtype=ember.int32)
    ember.zeros(2, 3, out=out)
    assert out.dtype == ember.int32 and out.shape == (2, 3)
    values = ember.empty(0, dtype=ember.float64)
    ember.arange(4, out=values)
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_tuple_outs_take_the_result_type():
    x = ember.tensor([[1.0, 5.0], [7.0, 2.0]])
    values, indices = ember.empty(0), ember.empty(0, dtype=ember.int64)
    result = ember.max(x, 1, out=(values, indices))
    assert type(result).__name__ == "max" and result.values is values
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]


def test_out_leaf_requiring_grad_is_refused_under_grad_mode():
    out = ember.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        ember.add(ember.ones(2), 1, out=out)
    np.testing.assert_array_equal(out.detach().numpy(), [0.0, 0.0])
    with ember.no_grad():
        ember.add(ember.ones(2), 1, out=out)
    np.testing.assert_array_equal(out.detach().numpy(), [2.0, 2.0])


def test_out_of_a_non_differentiable_op_accepts_inputs_requiring_grad():
    x = ember.tensor([1.0, -2.0], requires_grad=True)
    flags = ember.empty(2, dtype=ember.bool)
    ember.gt(x, 0, out=flags)  # a bool result records nothing, as in PyTorch
    assert flags.tolist() == [True, False]


def test_index_outs_must_be_int64():
    x = ember.tensor([[1.0, 5.0], [7.0, 2.0]])
    values = ember.full((2,), 9.0)
    indices = ember.full((2,), 9, dtype=ember.int32)
    with pytest.raises(RuntimeError, match="out tensor 1 to have dtype int64, but got int32"):
        ember.sort(x, out=(values, indices))
    assert values.tolist() == [9.0, 9.0] and indices.tolist() == [9, 9]  # nothing written
    wide = ember.empty(0, dtype=ember.float64)  # a floating result follows the cast rule
    ember.topk(x, 1, out=(wide, ember.empty(0, dtype=ember.int64)))
    assert wide.tolist() == [[5.0], [7.0]]
    info = ember.empty(0, dtype=ember.int64)  # LAPACK's info is int32, as in PyTorch
    with pytest.raises(RuntimeError, match="to have dtype int32, but got int64"):
        ember.linalg.inv_ex(x, out=(ember.empty(0), info))
