"""Scans, sorting and selection: NaN order, stability, ties, long rows (the radix, blocked and
threaded paths), gradients with ties and zeros, and bad inputs."""
import math

import numpy as np
import pytest

import ember

NAN = math.nan


def t(values, dtype=None):
    return ember.tensor(values, dtype=dtype)


def as_list(tensor):
    return tensor.tolist()


# ---------------------------------------------------------------- order, NaN, stability


def test_sort_puts_nan_last_and_first_when_descending():
    x = t([3.0, NAN, -1.0, -math.inf, math.inf, 0.0])
    values, indices = ember.sort(x)
    assert as_list(indices) == [3, 2, 5, 0, 4, 1]
    assert math.isnan(values[-1].item())
    values, indices = ember.sort(x, descending=True)
    assert as_list(indices) == [1, 4, 0, 5, 2, 3]


def test_sort_is_stable_in_both_directions_and_keeps_signed_zero():
    x = t([1.0, 0.0, 1.0, -0.0, 0.0, 1.0])
    assert as_list(ember.sort(x, stable=True).indices) == [1, 3, 4, 0, 2, 5]
    assert as_list(ember.sort(x, descending=True, stable=True).indices) == [0, 2, 5, 1, 3, 4]
    values = ember.sort(x).values.numpy()
    assert np.signbit(values[1]) and not np.signbit(values[0])  # -0.0 kept where it sorted


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.int64, ember.int32,
                                   ember.int16, ember.uint8, ember.float16, ember.bfloat16])
def test_sort_long_rows_match_numpy_stable_sort(dtype):
    rng = np.random.default_rng(0)
    values = rng.integers(-50, 50, (3, 5000)).astype(np.float64)
    if dtype == ember.uint8:
        values = np.abs(values)
    x = ember.from_numpy(values).to(dtype)
    reference = x.to(ember.float64).numpy()
    order = np.argsort(reference, axis=1, kind="stable")
    sorted_values, indices = ember.sort(x, dim=1)
    np.testing.assert_array_equal(indices.numpy(), order)
    np.testing.assert_array_equal(sorted_values.to(ember.float64).numpy(),
                                  np.take_along_axis(reference, order, 1))


def test_argsort_of_a_long_float_row_with_nans():
    rng = np.random.default_rng(1)
    values = rng.standard_normal(100_000).astype(np.float32)
    values[rng.integers(0, values.size, 100)] = np.nan
    indices = ember.argsort(ember.from_numpy(values), descending=False)
    np.testing.assert_array_equal(indices.numpy(), np.argsort(values, kind="stable"))


@pytest.mark.parametrize("threads", [1, 2])
def test_topk_of_one_long_row_matches_a_full_sort(threads):
    previous = ember.get_num_threads()
    ember.set_num_threads(threads)
    try:
        rng = np.random.default_rng(2)
        values = rng.integers(0, 1000, 1 << 20).astype(np.float32)  # many ties
        x = ember.from_numpy(values)
        for largest in (True, False):
            top, indices = ember.topk(x, 100, largest=largest)
            keys = -values if largest else values
            order = np.argsort(keys, kind="stable")[:100]  # ties: the lower index first
            np.testing.assert_array_equal(indices.numpy(), order)
            np.testing.assert_array_equal(top.numpy(), values[order])
    finally:
        ember.set_num_threads(previous)


def test_topk_counts_nan_as_largest():
    x = t([1.0, NAN, 3.0, 2.0])
    assert as_list(ember.topk(x, 2).indices) == [1, 2]
    assert as_list(ember.topk(x, 2, largest=False).indices) == [0, 3]


def test_kthvalue_and_median_ties_and_nan():
    x = t([[2.0, 1.0, 2.0, 1.0], [5.0, NAN, 1.0, 0.0]])
    values, indices = ember.kthvalue(x, 2, 1)
    assert as_list(values)[0] == 1.0 and as_list(indices)[0] == 3
    values, indices = ember.median(x, 1)
    assert values[0].item() == 1.0 and indices[0].item() == 3
    assert math.isnan(values[1].item()) and indices[1].item() == 1
    values, indices = ember.nanmedian(x, 1)
    assert values[1].item() == 1.0 and indices[1].item() == 2
    assert math.isnan(ember.median(x).item())
    assert ember.nanmedian(x).item() == 1.0
    assert math.isnan(ember.median(t([])).item())


def test_nanmedian_of_an_all_nan_row_is_nan():
    values, _ = ember.nanmedian(t([[NAN, NAN], [1.0, 2.0]]), 1)
    assert math.isnan(values[0].item()) and values[1].item() == 1.0


def test_mode_prefers_the_smallest_value_and_its_last_index():
    values, indices = ember.mode(t([3, 1, 1, 3, 2]))
    assert values.item() == 1 and indices.item() == 2


def test_quantile_nan_rows_and_scalar_q():
    x = t([[1.0, 2.0, 3.0, 4.0], [1.0, NAN, 3.0, 4.0]])
    result = ember.quantile(x, 0.5, dim=1)
    assert result[0].item() == 2.5 and math.isnan(result[1].item())
    assert ember.nanquantile(x, 0.5, dim=1)[1].item() == 3.0


# ---------------------------------------------------------------- scans


def test_cumsum_of_a_long_row_matches_float64_accumulation():
    rng = np.random.default_rng(3)
    values = rng.standard_normal(1 << 20).astype(np.float32)
    for threads in (1, 2):
        previous = ember.get_num_threads()
        ember.set_num_threads(threads)
        try:
            result = ember.cumsum(ember.from_numpy(values), 0).numpy()
        finally:
            ember.set_num_threads(previous)
        expected = np.cumsum(values.astype(np.float64)).astype(np.float32)
        np.testing.assert_allclose(result, expected, rtol=1e-6, atol=1e-4)


def test_cumsum_of_integers_and_bool_accumulates_in_int64():
    assert ember.cumsum(t([True, True, False]), 0).dtype == ember.int64
    big = ember.full((3,), 2**31 - 1, dtype=ember.int32)
    assert as_list(ember.cumsum(big, 0)) == [2**31 - 1, 2**32 - 2, 3 * (2**31 - 1)]
    assert ember.cumsum(big, 0, dtype=ember.float64).dtype == ember.float64


def test_cummax_nan_takes_over_and_ties_move_the_index():
    values, indices = ember.cummax(t([1.0, 3.0, 3.0, NAN, 5.0]), 0)
    assert as_list(indices) == [0, 1, 2, 3, 3]
    assert math.isnan(values[4].item())


def test_cumsum_in_place_matches_the_function():
    x = t([[1.0, 2.0], [3.0, 4.0]])
    expected = ember.cumsum(x, 1)
    assert x.cumsum_(1) is x
    assert as_list(x) == as_list(expected)


def test_logcumsumexp_keeps_minus_infinity():
    result = ember.logcumsumexp(t([-math.inf, -math.inf, 0.0]), 0)
    assert as_list(result)[:2] == [-math.inf, -math.inf] and result[2].item() == 0.0


# ---------------------------------------------------------------- gradients


def leaf(values):
    return t(values, ember.float64).requires_grad_()


def test_cumprod_gradient_with_zeros_is_exact():
    x = leaf([2.0, 0.0, 3.0, 0.0, 5.0])
    ember.cumprod(x, 0).sum().backward()
    # d/dx1 of sum(cumprod): 2 + 2*3 (later terms hold the second zero); others after x1: 0.
    assert as_list(x.grad) == [1.0, 8.0, 0.0, 0.0, 0.0]


def test_sort_and_topk_gradients_route_to_the_picked_elements():
    x = leaf([3.0, 1.0, 2.0])
    ember.topk(x, 2).values.mul(t([10.0, 1.0], ember.float64)).sum().backward()
    assert as_list(x.grad) == [10.0, 0.0, 1.0]
    x = leaf([3.0, 1.0, 2.0])
    ember.sort(x).values.mul(t([1.0, 2.0, 3.0], ember.float64)).sum().backward()
    assert as_list(x.grad) == [3.0, 1.0, 2.0]


def test_cummax_gradient_accumulates_at_repeated_indices():
    x = leaf([1.0, 3.0, 2.0, 0.0])
    ember.cummax(x, 0).values.sum().backward()
    assert as_list(x.grad) == [1.0, 3.0, 0.0, 0.0]


# ---------------------------------------------------------------- unique, search, histograms


def test_unique_with_inverse_and_counts():
    x = t([[3, 1, 3], [2, 1, 1]])
    values, inverse, counts = ember.unique(x, return_inverse=True, return_counts=True)
    assert as_list(values) == [1, 2, 3]
    assert as_list(inverse) == [[2, 0, 2], [1, 0, 0]]
    assert as_list(counts) == [3, 1, 2]
    assert as_list(ember.unique(t([]))) == []


def test_unique_large_matches_numpy():
    rng = np.random.default_rng(4)
    values = rng.integers(-(2**40), 2**40, 1 << 18)
    values[::3] = 7
    result, inverse, counts = ember.unique(ember.from_numpy(values), return_inverse=True,
                                           return_counts=True)
    expected, expected_inverse, expected_counts = np.unique(values, return_inverse=True,
                                                            return_counts=True)
    np.testing.assert_array_equal(result.numpy(), expected)
    np.testing.assert_array_equal(inverse.numpy(), expected_inverse.reshape(-1))
    np.testing.assert_array_equal(counts.numpy(), expected_counts)


def test_searchsorted_scalar_and_side():
    boundaries = t([1, 3, 5, 7])
    assert ember.searchsorted(boundaries, 5).item() == 2
    assert ember.searchsorted(boundaries, 5, right=True).item() == 3
    assert ember.searchsorted(boundaries, 5, side="right").item() == 3
    assert ember.bucketize(t([0, 3, 8]), boundaries).tolist() == [0, 1, 4]


def test_histc_counts_the_right_edge_in_the_last_bin():
    assert as_list(ember.histc(t([0.0, 1.0, 2.0, 2.0, 5.0]), bins=2, min=0, max=2)) == [1.0, 3.0]


# ---------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: ember.topk(t([1.0, 2.0]), 3), RuntimeError, r"\[topk\] selected index k out of"),
    (lambda: ember.kthvalue(t([1.0, 2.0]), 0), RuntimeError, r"\[kthvalue\].*out of range"),
    (lambda: ember.sort(t([1.0]), dim=2), IndexError, "sort"),
    (lambda: ember.cumsum(t([[1.0]]), 2), IndexError, "cumsum"),
    (lambda: ember.median(ember.zeros(0, 3), 0), IndexError, r"median\(\): Expected reduction"),
    (lambda: ember.mode(ember.zeros(2, 0), 1), IndexError, "mode"),
    (lambda: ember.logcumsumexp(t([1, 2]), 0), RuntimeError, "not implemented for 'int64'"),
    (lambda: ember.quantile(t([1.0]), 1.5), RuntimeError, r"q values must be in the range"),
    (lambda: ember.quantile(t([1, 2]), 0.5), RuntimeError, "float or double"),
    (lambda: ember.quantile(t([1.0]), 0.5, interpolation="cubic"), RuntimeError,
     "interpolation must be one of"),
    (lambda: ember.searchsorted(t([[1, 2]]), t([1, 2, 3])), RuntimeError,
     "boundaries tensor should be 1 dimension"),
    (lambda: ember.searchsorted(t([1, 2]), 1, right=True, side="left"), RuntimeError,
     "side and right can't be set to opposites"),
    (lambda: ember.searchsorted(t([1, 2]), 1, side="middle"), RuntimeError, "side can only be"),
    (lambda: ember.bincount(t([1, -1])), RuntimeError, "non-negative"),
    (lambda: ember.bincount(t([[1]])), RuntimeError, "1-d non-negative integral"),
    (lambda: ember.histc(t([1, 2]), bins=3), RuntimeError, "not implemented for 'int64'"),
    (lambda: ember.histc(t([1.0]), bins=0), RuntimeError, "bins must be > 0"),
    (lambda: ember.histc(t([1.0]), min=2, max=1), RuntimeError, "max must be larger than min"),
    (lambda: ember.diff(t(1.0)), RuntimeError, "at least one-dimensional"),
    (lambda: ember.diff(t([1.0]), n=-1), RuntimeError, "order must be non-negative"),
])
def test_bad_inputs_raise_typed_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_failed_cumsum_in_place_writes_nothing():
    x = t([1, 2, 3], ember.int32)
    with pytest.raises(IndexError):
        x.cumsum_(1)
    assert as_list(x) == [1, 2, 3]
