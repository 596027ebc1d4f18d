"""The shape family beyond op_db: bad inputs (typed errors naming op and shapes), views that
alias their input, tuple results, cat's type promotion and its gradient over many inputs."""
import numpy as np
import pytest

import ember


def t(values, dtype=None):
    return ember.tensor(values, dtype=dtype)


# ---------------------------------------------------------------- cat and stack


def test_cat_promotes_like_result_type():
    result = ember.cat([t([1, 2], ember.int32), t([0.5], ember.float16), t([True])])
    assert result.dtype == ember.float16
    assert result.tolist() == [1.0, 2.0, 0.5, 1.0]
    assert ember.cat([t([1], ember.uint8), t([-1], ember.int8)]).dtype == ember.int16


def test_cat_skips_legacy_empty_inputs():
    a = ember.ones(2, 3)
    assert ember.cat([a, ember.empty(0), a], dim=1).shape == (2, 6)
    assert ember.cat([ember.empty(0), ember.empty(0, dtype=ember.int64)]).shape == (0,)


def test_cat_accepts_tuple_and_list_and_keyword():
    a, b = ember.ones(2), ember.zeros(2)
    assert ember.cat((a, b)).tolist() == ember.cat([a, b], dim=0).tolist()
    assert ember.concat([a, b], dim=-1).shape == (4,)
    assert ember.concatenate(tensors=[a, b]).shape == (4,)


def test_cat_mismatched_shapes_name_the_dim_and_sizes():
    with pytest.raises(RuntimeError, match=r"\[cat\].*dimension 1.*Expected size 2 but got size 3"):
        ember.cat([ember.ones(2, 2), ember.ones(3, 2)], dim=1)


def test_cat_errors():
    with pytest.raises(RuntimeError, match=r"\[cat\] expected a non-empty list"):
        ember.cat([])
    with pytest.raises(IndexError, match=r"\[cat\] Dimension out of range"):
        ember.cat([ember.ones(2, 2)], dim=2)
    with pytest.raises(RuntimeError, match="zero-dimensional tensor"):
        ember.cat([ember.tensor(1.0)])
    with pytest.raises(RuntimeError, match="same number of dimensions: got 2 and 1"):
        ember.cat([ember.ones(2, 2), ember.ones(2)])
    with pytest.raises(TypeError, match=r"\[cat\]"):
        ember.cat(ember.ones(2))
    with pytest.raises(TypeError, match=r"\[cat\]"):
        ember.cat([ember.ones(2), 3])


def test_stack_errors():
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size.*\[3\].*"
                                           r"\[4\] at entry 1"):
        ember.stack([ember.ones(3), ember.ones(4)])
    with pytest.raises(RuntimeError, match=r"\[stack\] expected a non-empty list"):
        ember.stack([])
    with pytest.raises(IndexError, match="Dimension out of range"):
        ember.stack([ember.ones(3)], dim=3)


def test_cat_gradient_reaches_every_one_of_many_inputs():
    # More inputs than the recorder's save mask has bits.
    leaves = [ember.full((2,), float(i), requires_grad=True) for i in range(70)]
    weights = ember.arange(140, dtype=ember.float32)
    (ember.cat(leaves) * weights).sum().backward()
    for i, leaf in enumerate(leaves):
        assert leaf.grad.tolist() == [2.0 * i, 2.0 * i + 1]


def test_cat_gradient_comes_back_in_each_input_dtype():
    a = ember.ones(2, dtype=ember.float32, requires_grad=True)
    b = ember.ones(2, dtype=ember.float64, requires_grad=True)
    out = ember.cat([a, b])
    assert out.dtype == ember.float64
    out.sum().backward()
    assert a.grad.dtype == ember.float32 and b.grad.dtype == ember.float64


def test_cat_large_strided_and_threaded_matches_numpy():
    values = np.arange(64 * 3000, dtype=np.float32).reshape(64, 3000)
    pieces = [ember.from_numpy(values[:, i::4].copy()) for i in range(4)]
    pieces[1] = ember.from_numpy(values.T.copy()).t()[:, 1::4]  # strided
    expected = np.concatenate([values[:, i::4] for i in range(4)], axis=1)
    for threads in (1, 2):
        ember.set_num_threads(threads)
        np.testing.assert_array_equal(ember.cat(pieces, 1).numpy(), expected)


# ---------------------------------------------------------------- splitting


def test_split_results_are_tuples_of_views():
    x = ember.arange(10.0).reshape(5, 2)
    for pieces in (ember.split(x, 2), x.split([1, 4]), x.chunk(2), x.unbind(),
                   ember.tensor_split(x, 3), x.tensor_split([1, 3])):
        assert isinstance(pieces, tuple)
    first = x.split(2)[0]
    x.fill_(7.0)
    assert (first == 7.0).all().item()
    diag = x.reshape(2, 5).diagonal()
    x.fill_(3.0)
    assert (diag == 3.0).all().item()


def test_split_gradient_through_views():
    x = ember.arange(6.0).reshape(3, 2).requires_grad_()
    a, b = x.split([1, 2])
    (a.sum() * 2 + b.sum() * 3).backward()
    assert x.grad.tolist() == [[2.0, 2.0], [3.0, 3.0], [3.0, 3.0]]


def test_split_errors():
    x = ember.ones(5, 2)
    with pytest.raises(RuntimeError, match=r"split_with_sizes expects split_sizes to sum exactly "
                                           r"to 5.*got split_sizes=\[2, 2\]"):
        x.split([2, 2])
    with pytest.raises(RuntimeError, match="split_size be non-negative"):
        x.split(-1)
    with pytest.raises(RuntimeError, match="chunk expects `chunks` to be greater than 0"):
        x.chunk(0)
    with pytest.raises(RuntimeError, match="number of sections must be larger than 0"):
        x.tensor_split(0)
    with pytest.raises(RuntimeError, match="at least a 1-dimensional"):
        ember.tensor(1.0).split(1)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.unbind(2)


def test_tensor_split_accepts_a_tensor():
    x = ember.arange(6)
    assert [p.tolist() for p in x.tensor_split(ember.tensor([1, 4]))] == [[0], [1, 2, 3], [4, 5]]
    assert len(x.tensor_split(ember.tensor(3))) == 3


# ---------------------------------------------------------------- rearranging


def test_flip_roll_repeat_copy_their_input():
    x = ember.arange(4.0)
    for result in (x.flip(0), x.roll(0), x.repeat(1), x.tile((1,)), x.repeat_interleave(1)):
        x2 = result
        x2.fill_(9.0)
        assert x.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_rearranging_errors():
    x = ember.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"\[flip\] dim 0 appears multiple times"):
        x.flip(0, 0)
    with pytest.raises(RuntimeError, match=r"\[roll\] shifts and dimensions must align"):
        x.roll((1, 2), (0,))
    with pytest.raises(RuntimeError, match=r"\[repeat\] Number of dimensions of repeat dims"):
        x.repeat(2)
    with pytest.raises(RuntimeError, match=r"\[rot90\] expected rotation dims to be different"):
        x.rot90(1, (0, 0))
    with pytest.raises(RuntimeError, match=r"\[fliplr\] Input must be >= 2-d"):
        ember.ones(3).fliplr()
    with pytest.raises(RuntimeError, match=r"repeats must have the same size"):
        x.repeat_interleave(ember.tensor([1, 2]), dim=1)
    with pytest.raises(RuntimeError, match=r"\[repeat_interleave\] allocated size does not match"):
        x.repeat_interleave(2, dim=0, output_size=3)
    with pytest.raises(RuntimeError, match=r"\[movedim\] dim 0 appears multiple times"):
        ember.ones(2, 3, 4).movedim((0, 0), (1, 2))


def test_repeat_interleave_output_size_and_index_form():
    assert ember.repeat_interleave(ember.tensor([2, 1])).tolist() == [0, 0, 1]
    x = ember.tensor([[1, 2], [3, 4]])
    assert x.repeat_interleave(ember.tensor([1, 2]), dim=0, output_size=3).tolist() == [
        [1, 2], [3, 4], [3, 4]]


# ---------------------------------------------------------------- diagonals and triangles


def test_diagonal_and_triangle_errors():
    with pytest.raises(RuntimeError, match=r"\[diagonal\] diagonal dimensions cannot be identical"):
        ember.ones(2, 3).diagonal(0, 1, 1)
    with pytest.raises(RuntimeError, match=r"\[diag\] diag\(\): Supports 1D or 2D tensors. Got 3D"):
        ember.ones(2, 2, 2).diag()
    with pytest.raises(RuntimeError, match=r"\[tril\] input tensor must have at least 2 dim"):
        ember.ones(3).tril()
    with pytest.raises(RuntimeError, match=r"\[unfold\] maximum size for tensor at dimension 0"):
        ember.ones(3).unfold(0, 4, 1)
    with pytest.raises(RuntimeError, match=r"\[unfold\] step is 0"):
        ember.ones(3).unfold(0, 2, 0)


def test_tril_in_place_writes_nothing_on_a_bad_call():
    x = ember.ones(3)
    with pytest.raises(RuntimeError, match="tril_"):
        x.tril_()
    assert x.tolist() == [1.0, 1.0, 1.0]


def test_unfold_is_a_view():
    x = ember.arange(6.0)
    windows = x.unfold(0, 2, 2)
    x.fill_(1.0)
    assert windows.tolist() == [[1.0, 1.0]] * 3


# ---------------------------------------------------------------- broadcasting helpers


def test_meshgrid_forms_and_errors():
    a, b = ember.arange(3), ember.arange(2)
    xs, ys = ember.meshgrid(a, b, indexing="xy")
    assert xs.shape == (2, 3) and ys.shape == (2, 3)
    assert [g.shape for g in ember.meshgrid([a, b])] == [(3, 2), (3, 2)]
    with pytest.raises(ValueError, match="indexing must be one of"):
        ember.meshgrid(a, b, indexing="ji")
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same dtype"):
        ember.meshgrid(a, b.float())
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor"):
        ember.meshgrid(ember.ones(2, 2))


def test_broadcast_tensors_and_atleast_forms():
    a, b = ember.broadcast_tensors(ember.ones(3, 1), ember.ones(4))
    assert a.shape == (3, 4) and b.shape == (3, 4)
    with pytest.raises(RuntimeError, match="broadcast_tensors"):
        ember.broadcast_tensors(ember.ones(3), ember.ones(4))
    assert ember.atleast_2d(ember.tensor(1.0)).shape == (1, 1)
    pair = ember.atleast_3d(ember.ones(2), ember.ones(2, 2))
    assert [p.shape for p in pair] == [(1, 2, 1), (2, 2, 1)]
    assert isinstance(ember.atleast_1d([ember.ones(2)]), tuple)


# ---------------------------------------------------------------- Tensor helpers


def test_new_factories_default_to_self_dtype():
    x = ember.ones(2, dtype=ember.float64)
    assert x.new_zeros(2, 3).dtype == ember.float64
    assert x.new_ones((2,), dtype=ember.int32).dtype == ember.int32
    assert x.new_full((2,), 3).tolist() == [3.0, 3.0]
    assert x.new_tensor([1, 2]).dtype == ember.float64
    assert x.new_zeros(2, requires_grad=True).requires_grad
    assert x.type_as(ember.ones(1, dtype=ember.int64)).dtype == ember.int64


def test_expand_with_minus_one_and_masked_fill_with_a_tensor():
    x = ember.ones(3, 1)
    assert x.expand(-1, 4).shape == (3, 4)
    value = ember.tensor(2.0, requires_grad=True)
    filled = ember.zeros(3).masked_fill(ember.tensor([True, False, True]), value)
    filled.sum().backward()
    assert filled.tolist() == [2.0, 0.0, 2.0] and value.grad.item() == 2.0
