"""The scatter family beyond op_db: bad inputs (typed errors naming index, dim and size; nothing
written on a failed in-place call), the reduce= forms of scatter, and one-argument where."""
import numpy as np
import pytest

import ember


def arange(*shape, dtype=ember.float32):
    return ember.arange(int(np.prod(shape)), dtype=dtype).reshape(*shape)


def test_out_of_range_index_names_index_dim_and_size():
    x = arange(2, 3)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 1 with size 3"):
        ember.gather(x, 1, ember.tensor([[0, 5]]))
    with pytest.raises(IndexError, match="index -1 is out of bounds for dimension 0 with size 2"):
        x.scatter_add(0, ember.tensor([[-1, 0]]), ember.ones(1, 2))


@pytest.mark.parametrize("call", [
    lambda x: x.scatter_(1, ember.tensor([[0, 1, 3]]), 7.0),
    lambda x: x.scatter_add_(1, ember.tensor([[0, 1], [2, 9]]), ember.ones(2, 2)),
    lambda x: x.scatter_reduce_(1, ember.tensor([[0, 4]]), ember.ones(1, 2), "amax"),
    lambda x: x.index_add_(0, ember.tensor([1, 2]), ember.ones(2, 3)),
    lambda x: x.index_copy_(1, ember.tensor([3]), ember.ones(2, 1)),
    lambda x: x.index_fill_(0, ember.tensor([0, 2]), -1.0),
    lambda x: x.put_(ember.tensor([0, 6]), ember.ones(2)),
])
def test_failed_in_place_call_writes_nothing(call):
    x = arange(2, 3)
    before = x.tolist()
    with pytest.raises(IndexError, match="out of bounds"):
        call(x)
    assert x.tolist() == before


def test_index_dtype_and_shape_errors():
    x = arange(2, 3)
    with pytest.raises(RuntimeError, match=r"gather\(\): Expected dtype int64 for index"):
        ember.gather(x, 0, ember.tensor([[0]], dtype=ember.int32))
    with pytest.raises(RuntimeError, match="same number of dimensions as input"):
        ember.gather(x, 0, ember.tensor([0]))
    with pytest.raises(RuntimeError, match="Size does not match at dimension 1"):
        ember.gather(x, 0, ember.zeros(1, 4, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="smaller than src"):
        x.scatter(0, ember.zeros(1, 3, dtype=ember.int64), ember.ones(1, 2))
    with pytest.raises(RuntimeError, match="Expected self.dtype to be equal to src.dtype"):
        x.scatter(0, ember.zeros(1, 3, dtype=ember.int64), ember.ones(1, 3, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="reduce argument must be either sum, prod"):
        x.scatter_reduce(0, ember.zeros(1, 3, dtype=ember.int64), ember.ones(1, 3), "max")
    with pytest.raises(RuntimeError, match="reduce argument must be either add or multiply"):
        x.scatter(0, ember.zeros(1, 3, dtype=ember.int64), ember.ones(1, 3), reduce="sum")
    with pytest.raises(TypeError, match="exactly one of src and value"):
        x.scatter(0, ember.zeros(1, 3, dtype=ember.int64))
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        x.index_add(0, ember.zeros(1, 1, dtype=ember.int64), ember.ones(1, 3))
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        x.index_fill(0, ember.tensor([0]), ember.ones(2))
    with pytest.raises(RuntimeError, match="Expected a long tensor for index"):
        x.take(ember.tensor([0], dtype=ember.int32))
    with pytest.raises(RuntimeError, match="Number of elements of source < number of ones"):
        x.masked_scatter(ember.ones(2, 3, dtype=ember.bool), ember.ones(5))
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        ember.take_along_dim(x, ember.tensor([0]), dim=0)


def test_scatter_reduce_keyword_forms():
    x = ember.ones(2, 3)
    index = ember.tensor([[0, 1, 0], [0, 1, 0]])
    src = ember.full((2, 3), 3.0)
    assert x.scatter(0, index, src, reduce="multiply").tolist() == [[9, 1, 9], [1, 9, 1]]
    assert x.scatter(0, index, 2.0, reduce="add").tolist() == [[5, 1, 5], [1, 5, 1]]
    assert ember.scatter(x, 0, index, value=0.5).tolist() == [[0.5, 1, 0.5], [1, 0.5, 1]]


def test_where_with_condition_only_is_nonzero_as_tuple():
    condition = ember.tensor([[0.0, 2.0], [3.0, 0.0]])
    rows, columns = ember.where(condition)
    assert rows.tolist() == [0, 1] and columns.tolist() == [1, 0]
    assert isinstance(condition.nonzero(as_tuple=True), tuple)
    assert [t.tolist() for t in ember.nonzero(ember.tensor(5.0), as_tuple=True)] == [[0]]
    assert ember.argwhere(condition).tolist() == [[0, 1], [1, 0]]


def test_scatter_reduce_gradients_split_ties_evenly():
    x = ember.tensor([1.0, 5.0], dtype=ember.float64, requires_grad=True)
    src = ember.tensor([5.0, 5.0, 0.0], dtype=ember.float64, requires_grad=True)
    out = x.scatter_reduce(0, ember.tensor([1, 1, 0]), src, "amax")
    out.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0 / 3]
    assert src.grad.tolist() == [1.0 / 3, 1.0 / 3, 0.0]


@pytest.mark.parametrize("call", [
    lambda x: x.scatter_(0, ember.tensor([[0, 1]]), ember.ones(1, 2)),
    lambda x: x.scatter_add_(0, ember.tensor([[0, 1]]), ember.ones(1, 2)),
    lambda x: x.scatter_reduce_(0, ember.tensor([[0, 1]]), ember.ones(1, 2), "amax"),
    lambda x: x.index_add_(0, ember.tensor([1]), ember.ones(1, 3)),
    lambda x: x.index_copy_(0, ember.tensor([1]), ember.ones(1, 3)),
    lambda x: x.masked_scatter_(ember.ones(2, 3, dtype=ember.bool), ember.ones(6)),
    lambda x: x.put_(ember.tensor([1]), ember.ones(1)),
])
def test_operands_must_have_self_dtype(call):
    """As in PyTorch, the family does not cast its source: another dtype is refused (RuntimeError
    naming both dtypes) and self is left unchanged."""
    x = ember.ones(2, 3, dtype=ember.int64)
    with pytest.raises(RuntimeError, match="int64.*float32|same"):
        call(x)
    assert x.tolist() == [[1, 1, 1], [1, 1, 1]]
