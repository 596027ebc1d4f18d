"""Tensor.__getitem__ / __setitem__ and the index ops against numpy on the same data: basic
indexing (views), boolean masks, integer arrays (lists, tensors, numpy arrays) mixed with slices,
ints, None and Ellipsis, every setitem variant, and the error cases with their messages (B6).
Where PyTorch and numpy disagree (an int separated from an index array), PyTorch's rule is
checked by hand."""
import numpy as np
import pytest

import ember

DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.int8, np.uint8, np.bool_]


def make(shape, dtype=np.float32):
    """The numpy array 0, 1, ... (as dtype) and an ember tensor holding the same values."""
    array = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    return ember.from_numpy(array.copy()), array


def version(t):
    """The storage's version counter: a property in PyTorch, bound as a method by ember so far."""
    counter = t._version
    return counter() if callable(counter) else counter


def check(result, expected):
    actual = result.numpy()
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    np.testing.assert_array_equal(actual, expected)


# ---------------------------------------------------------------------------------- basic keys

BASIC_KEYS = [
    1, -1, None, Ellipsis, (), slice(None), (slice(None), slice(None)), (1, 2), (-1, -4),
    slice(1, None), slice(None, None, 2), slice(-3, -1), (slice(None), 2), (Ellipsis, 1),
    (1, Ellipsis), (None, 1), (slice(None), None, 0), (Ellipsis, None), (slice(5, 10),),
    (slice(None), slice(1, 4, 2)),
]


@pytest.mark.parametrize("key", BASIC_KEYS, ids=repr)
def test_basic_matches_numpy_and_is_a_view(key):
    x, a = make((3, 4, 5))
    result = x[key]
    check(result, a[key])
    if result.numel() > 0:
        result.fill_(-1)  # a view writes through to x
        a[key] = -1
        check(x, a)


def test_full_slices_alias_but_are_new_tensors():
    x, _ = make((2, 3))
    for alias in (x[:], x[...], x[()], x[:, :]):
        assert alias is not x  # as in PyTorch, so metadata changes on it never reach x
        alias[0, 0] = 42
        assert x[0, 0].item() == 42
        x[0, 0] = 0


def test_python_bools_add_a_dim():
    x, a = make((2, 3))
    check(x[True], a[True])
    check(x[False], a[False])
    check(x[None, True, 1], a[None, True, 1])
    view = x[True]
    view.fill_(7)  # x[True] is a view, as in PyTorch
    assert (x.numpy() == 7).all()


def test_basic_on_non_contiguous():
    x, a = make((4, 6))
    check(x.t()[1:, ::2], a.T[1:, ::2])
    check(x[::2][:, 1], a[::2][:, 1])


# ------------------------------------------------------------------------------------ masks

@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_full_mask(dtype):
    x, a = make((3, 4), dtype)
    mask = (np.arange(12).reshape(3, 4) % 3) == 1
    check(x[ember.from_numpy(mask)], a[mask])


def test_partial_masks():
    x, a = make((3, 4, 2))
    rows = np.array([True, False, True])
    cols = np.array([False, True, True, False])
    check(x[ember.from_numpy(rows)], a[rows])
    check(x[:, ember.from_numpy(cols)], a[:, cols])
    check(x[..., ember.from_numpy(np.array([False, True]))], a[..., np.array([False, True])])
    check(x[1, ember.from_numpy(cols)], a[1, cols])
    check(x[[True, False, True]], a[[True, False, True]])  # a list of bools is a mask
    check(x[x > 20], a[a > 20])
    check(x[x > 100], a[a > 100])  # nothing selected


def test_mask_layouts_and_zero_dim():
    x, a = make((4, 3))
    mask = np.array([[True, False, True, False]] * 3)
    check(x.t()[ember.from_numpy(mask)], a.T[mask])
    check(x[ember.tensor(True)], a[np.True_])
    check(x[ember.tensor(False)], a[np.False_])
    scalar = ember.tensor(5.0)
    assert scalar[ember.tensor(True)].tolist() == [5.0]
    uint8_mask = ember.from_numpy(mask.astype(np.uint8))
    check(x.t()[uint8_mask], a.T[mask])  # uint8 masks still work, as in PyTorch


# --------------------------------------------------------------------------- integer arrays

INT_ARRAY_KEYS = [
    [0, 2],
    ([0, 2], [1, 3]),
    ([[0], [2]], [1, 3, 0]),
    (slice(None), [3, 0, 3]),
    (Ellipsis, [1, -1]),
    ([-1, 0], slice(1, 3), [0, 4]),
    (slice(None), [0, 2], [1, 3]),
    (None, [1, 0]),
    ([2, 1], None, slice(None)),
    (slice(None), [[1]], slice(None, None, 2)),
    ([],),
    ([0, 1], Ellipsis, [1, 2]),
]


@pytest.mark.parametrize("key", INT_ARRAY_KEYS, ids=repr)
def test_integer_lists_match_numpy(key):
    x, a = make((3, 4, 5))
    if isinstance(key, tuple):
        expected = a[tuple(np.array(k, dtype=np.int64) if isinstance(k, list) else k for k in key)]
    else:
        expected = a[np.array(key, dtype=np.int64)]
    check(x[key], expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_index_tensors_and_dtypes(dtype):
    x, a = make((4, 3), dtype)
    rows = np.array([3, -4, 1, 3])
    check(x[ember.from_numpy(rows)], a[rows])
    check(x[ember.from_numpy(rows.astype(np.int32))], a[rows])
    check(x[ember.from_numpy(rows), ember.from_numpy(np.array([0]))], a[rows, np.array([0])])
    check(x.t()[:, ember.from_numpy(rows)], a.T[:, rows])


def test_numpy_arrays_and_scalars_as_indices():
    x, a = make((4, 3))
    index = np.array([[0, 3], [1, 1]])
    check(x[index], a[index])
    check(x[np.int64(2)], a[np.int64(2)])  # a numpy integer is an int: a view, dim removed
    check(x[ember.tensor(2)], a[2])  # and so is a 0-d integer tensor


def test_non_contiguous_and_empty_sources():
    x, a = make((6, 4))
    view, expected = x[::2], a[::2]
    check(view[[2, 0]], expected[[2, 0]])
    check(x.t()[[1, 3], [0, 5]], a.T[[1, 3], [0, 5]])
    empty, empty_array = make((0, 4))
    check(empty[:, [1, 3]], empty_array[:, [1, 3]])
    check(empty[[]], empty_array[np.array([], dtype=np.int64)])


def test_int_separated_from_an_array_follows_pytorch():
    # PyTorch applies the int first (a select), so the index dims stay in place: (4, 2).
    # NumPy would broadcast the int with the array and put the result first: (2, 4).
    x, a = make((3, 4, 5))
    check(x[0, :, [1, 3]], a[0][:, [1, 3]])
    check(x[[0, 1], :, 1], a[:, :, 1][[0, 1]])


def test_list_of_slices_is_a_tuple():
    x, a = make((3, 4))
    check(x[[0, slice(1, 3)]], a[0, 1:3])
    check(x[[[0, 1], [2, 3]]], a[[0, 1], [2, 3]])  # PyTorch's rule, as NumPy's was


def test_random_keys_on_permuted_inputs_match_numpy():
    """Seeded random keys of slices and index lists (all of one length, so they broadcast) over
    permuted inputs; ints are left out, as with arrays they follow PyTorch rather than NumPy."""
    rng = np.random.default_rng(0)
    for _ in range(300):
        shape = tuple(int(n) for n in rng.integers(1, 5, int(rng.integers(1, 5))))
        x, a = make(shape)
        order = [int(d) for d in rng.permutation(len(shape))]
        x, a = x.permute(order), a.transpose(order)
        length = int(rng.integers(0, 4))
        key = []
        for size in a.shape:
            choice = rng.integers(0, 3)
            if choice == 0:
                key.append(slice(None))
            elif choice == 1:
                key.append(slice(int(rng.integers(0, size)), None, int(rng.integers(1, 3))))
            else:
                key.append([int(i) for i in rng.integers(-size, size, length)])
        key = tuple(key)
        np_key = tuple(np.array(k, dtype=np.int64) if isinstance(k, list) else k for k in key)
        check(x[key], a[np_key])
        values = rng.standard_normal(a[np_key].shape).astype(np.float32)
        x[key] = ember.from_numpy(values)
        a[np_key] = values
        check(x, a)


# ------------------------------------------------------------------------------------ setitem

SET_KEYS = [
    1, (slice(None), 2), (Ellipsis, slice(1, 3)), [0, 2], ([0, 2], [1, 3]),
    (slice(None), [3, 0]), ([[0], [2]], [1, 3]), ([2, 0], slice(1, None)),
]


@pytest.mark.parametrize("key", SET_KEYS, ids=repr)
def test_setitem_scalar_and_broadcast_tensor(key):
    x, a = make((3, 4))
    np_key = tuple(np.array(k) if isinstance(k, list) else k for k in key) \
        if isinstance(key, tuple) else (np.array(key) if isinstance(key, list) else key)
    x[key] = 2.5
    a[np_key] = 2.5
    check(x, a)
    shape = a[np_key].shape
    values = np.arange(shape[-1] if shape else 1, dtype=np.float32) + 100
    x[key] = ember.from_numpy(values)
    a[np_key] = values
    check(x, a)


def test_setitem_masks():
    x, a = make((3, 4))
    mask = a % 2 == 0
    x[ember.from_numpy(mask)] = -1
    a[mask] = -1
    check(x, a)
    count = int(mask.sum())
    values = np.arange(count, dtype=np.float32) * 10
    x[ember.from_numpy(mask)] = ember.from_numpy(values)
    a[mask] = values
    check(x, a)
    x[x > 50] = ember.tensor(0.5)  # a 0-d value fills every selected element
    a[a > 50] = 0.5
    check(x, a)
    rows = np.array([True, False, True])
    x[ember.from_numpy(rows)] = ember.from_numpy(np.array([7, 8, 9, 10], dtype=np.float32))
    a[rows] = np.array([7, 8, 9, 10])
    check(x, a)


def test_setitem_leading_unit_dims_and_casts():
    x, a = make((3, 4))
    x[0] = ember.ones(1, 4)
    a[0] = 1
    x[[1, 2]] = ember.ones(1, 1, 4, dtype=ember.int64) * 3  # int64 values cast into float32
    a[[1, 2]] = 3
    check(x, a)
    integers, int_array = make((4,), np.int64)
    integers[[0, 3]] = 2.7  # a Python float is converted first, as in PyTorch
    int_array[[0, 3]] = 2
    check(integers, int_array)


def test_setitem_augmented_assignment():
    x, a = make((3, 4))
    x[[0, 1], [1, 2]] += 10
    a[[0, 1], [1, 2]] += 10
    x[x > 5] *= 2
    a[a > 5] *= 2
    x[:, 0] -= 1
    a[:, 0] -= 1
    x[[0, 0]] += 1  # repeated positions: read once, written once (as numpy)
    a[[0, 0]] += 1
    check(x, a)


def test_setitem_writes_through_views_and_bumps_version():
    base, a = make((4, 3))
    view = base.t()
    before = version(base)
    view[[0, 2], 1] = -5
    a.T[[0, 2], 1] = -5
    check(base, a)
    assert version(base) > before
    stepped = base[::2]
    stepped[[1]] = 0
    a[::2][[1]] = 0
    check(base, a)


def test_index_put_accumulate_from_values_aliasing_self():
    x, a = make((5,))
    x[[4, 3, 2, 1, 0]] = x  # values are read before self is written
    check(x, a[::-1].copy())


# ------------------------------------------------------------------------------------ op functions

def test_index_select_masked_select_nonzero():
    x, a = make((3, 4))
    index = np.array([2, 0, 2])
    check(ember.index_select(x, 0, ember.from_numpy(index)), np.take(a, index, axis=0))
    check(ember.index_select(x, -1, ember.from_numpy(index.astype(np.int32))),
          np.take(a, index, axis=1))
    mask = np.array([True, False, False, True])
    check(ember.masked_select(x, ember.from_numpy(mask)), a[np.broadcast_to(mask, a.shape)])
    with_nan = np.array([[0.0, np.nan], [-0.0, 2.0]])
    check(ember.nonzero(ember.from_numpy(with_nan)), np.argwhere(with_nan))
    assert tuple(ember.nonzero(ember.tensor(3.0)).shape) == (1, 0)


# ------------------------------------------------------------------------------------ errors

def test_out_of_range_integers():
    x, _ = make((3, 4))
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="index -5 is out of bounds for dimension 1 with size 4"):
        x[:, -5]
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[[0, 5]]
    with pytest.raises(IndexError, match="index -5 is out of bounds for dimension 1 with size 4"):
        x[:, ember.tensor([1, -5])]
    with pytest.raises(IndexError, match="index 4 is out of bounds for dimension 1 with size 4"):
        x[:, [4]] = 0


def test_failed_setitem_leaves_tensor_unchanged():
    x, a = make((3,))
    with pytest.raises(IndexError, match="index 3 is out of bounds"):
        x[[0, 1, 3]] = 9
    check(x, a)


def test_bad_keys():
    x, _ = make((3, 4))
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        x[:, ember.ones(3, 4, dtype=ember.bool)]
    with pytest.raises(IndexError, match=r"only integers, slices .* \(got float\)"):
        x[1.5]
    with pytest.raises(IndexError, match=r"valid indices \(got str\)"):
        x["a"]
    with pytest.raises(IndexError, match=r"single ellipsis"):
        x[..., ...]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1]
    with pytest.raises(TypeError, match="slice indices must be integers"):
        x[1.5:]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool"):
        x[[1.5]]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool"):
        x[ember.ones(2)]


def test_bad_index_shapes():
    x, _ = make((3, 4))
    with pytest.raises(IndexError, match=r"The shape of the mask \[3, 3\] at index 1 does not match"
                                         r" the shape of the indexed tensor \[3, 4\] at index 1"):
        x[ember.ones(3, 3, dtype=ember.bool)]
    with pytest.raises(IndexError, match=r"shape mismatch: indexing tensors could not be broadcast"
                                         r" together with shapes \[2\], \[3\]"):
        x[[0, 1], [0, 1, 2]]


def test_bad_values():
    x, _ = make((3, 4))
    with pytest.raises(RuntimeError, match=r"shape mismatch: value tensor of shape \[3\] cannot be"
                                           r" broadcast to indexing result of shape \[2, 4\]"):
        x[[0, 1]] = ember.ones(3)
    with pytest.raises(TypeError, match="can't assign a list to a Tensor"):
        x[[0]] = [1, 2, 3, 4]
    integers, _ = make((3,), np.int64)
    with pytest.raises(RuntimeError,
                       match="result type float32 can't be cast to the desired output type int64"):
        integers[[0]] = ember.tensor([1.5])


def test_op_function_errors():
    x, _ = make((3, 4))
    with pytest.raises(IndexError, match="index -1 is out of bounds for dimension 0 with size 3"):
        ember.index_select(x, 0, ember.tensor([-1]))  # PyTorch's index_select rejects negatives
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        ember.index_select(x, 0, ember.zeros(2, 2, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="expected BoolTensor for mask"):
        ember.masked_select(x, ember.ones(4))
