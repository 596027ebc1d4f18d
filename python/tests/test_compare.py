"""ember.isclose / allclose / equal against NumPy, their bad-input errors, and Tensor.numpy() on
a tensor that requires grad (PyTorch's error, and force=True)."""
import numpy as np
import pytest

import ember

NAN, INF = float("nan"), float("inf")


def test_isclose_matches_numpy_with_broadcasting():
    rng = np.random.default_rng(0)
    a = rng.uniform(-3, 3, (4, 5))
    b = a[0] + rng.choice([0.0, 1e-9, 1e-3], 5)
    for kwargs in ({}, {"rtol": 1e-2}, {"atol": 1e-2}, {"rtol": 0, "atol": 0}):
        got = ember.isclose(ember.tensor(a, dtype=ember.float64),
                            ember.tensor(b, dtype=ember.float64), **kwargs)
        assert got.dtype == ember.bool
        assert got.shape == (4, 5)
        np.testing.assert_array_equal(got.numpy(), np.isclose(a, b, **kwargs))


@pytest.mark.parametrize("equal_nan", [False, True])
def test_isclose_nan_and_infinity(equal_nan):
    a = [NAN, NAN, INF, INF, -INF, 1.0, INF, 0.0]
    b = [NAN, 1.0, INF, -INF, -INF, INF, 1e30, -0.0]
    got = ember.isclose(ember.tensor(a), ember.tensor(b), equal_nan=equal_nan)
    assert got.tolist() == np.isclose(a, b, equal_nan=equal_nan).tolist()


@pytest.mark.parametrize("dtype", [ember.int64, ember.int32, ember.uint8, ember.int8])
def test_isclose_integers(dtype):
    a = [1, 5, 100, 7]
    b = [1, 6, 103, 0]
    got = ember.isclose(ember.tensor(a, dtype=dtype), ember.tensor(b, dtype=dtype), atol=1.5)
    assert got.tolist() == np.isclose(a, b, atol=1.5).tolist()
    # uint8: 100 - 200 must not wrap around to 156.
    assert not ember.allclose(ember.tensor([100], dtype=ember.uint8),
                              ember.tensor([200], dtype=ember.uint8), atol=99)
    assert ember.allclose(ember.tensor([100], dtype=ember.uint8),
                          ember.tensor([200], dtype=ember.uint8), atol=100)


def test_isclose_bool():
    a = ember.tensor([True, False, True])
    b = ember.tensor([True, True, False])
    assert ember.isclose(a, b).tolist() == [True, False, False]


def test_allclose_and_methods():
    a = ember.ones(2, 3)
    assert ember.allclose(a, a + 1e-7) is True
    assert ember.allclose(a, a + 1e-3) is False
    assert ember.allclose(a, ember.ones(3)) is True  # broadcasts, as torch.allclose
    assert a.allclose(a + 1e-3, rtol=1e-2) is True
    assert a.isclose(a).tolist() == [[True] * 3] * 2
    assert ember.allclose(ember.tensor([NAN]), ember.tensor([NAN])) is False
    assert ember.allclose(ember.tensor([NAN]), ember.tensor([NAN]), equal_nan=True) is True


def test_equal():
    assert ember.equal(ember.tensor([1, 2]), ember.tensor([1, 2])) is True
    assert ember.equal(ember.tensor([1, 2]), ember.tensor([1, 3])) is False
    assert ember.equal(ember.ones(2, 3), ember.ones(3)) is False  # same size is required
    assert ember.equal(ember.tensor([1.0, 2.0]), ember.tensor([1, 2])) is True
    assert ember.equal(ember.tensor([NAN]), ember.tensor([NAN])) is False
    assert ember.zeros(0, 2).equal(ember.zeros(0, 2)) is True


def test_results_have_no_history():
    x = ember.ones(3, requires_grad=True)
    close = ember.isclose(x, x * 1)
    assert not close.requires_grad
    assert close.grad_fn is None


def test_bad_input():
    with pytest.raises(RuntimeError, match=r"\[isclose\] .* same dtype; got float32 and float64"):
        ember.isclose(ember.ones(2), ember.ones(2, dtype=ember.float64))
    with pytest.raises(RuntimeError, match="rtol must be greater than or equal to zero"):
        ember.isclose(ember.ones(2), ember.ones(2), rtol=-1)
    with pytest.raises(RuntimeError, match="atol must be greater than or equal to zero"):
        ember.allclose(ember.ones(2), ember.ones(2), atol=-1e-3)
    with pytest.raises(RuntimeError):  # shapes that do not broadcast
        ember.allclose(ember.ones(2, 3), ember.ones(2))
    with pytest.raises(TypeError):  # other must be a tensor, as in PyTorch
        ember.isclose(ember.ones(2), 1.0)
    with pytest.raises(TypeError):
        ember.equal(ember.ones(2), [1.0, 1.0])


def test_numpy_refuses_a_tensor_that_requires_grad():
    x = ember.ones(2, 3, requires_grad=True)
    message = ("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
               "instead.")
    with pytest.raises(RuntimeError) as error:
        x.numpy()
    assert message in str(error.value)
    with pytest.raises(RuntimeError, match="requires grad"):
        (x * 2).numpy()
    np.testing.assert_array_equal(x.detach().numpy(), np.ones((2, 3), np.float32))
    forced = x.numpy(force=True)
    np.testing.assert_array_equal(forced, np.ones((2, 3), np.float32))
    assert x.requires_grad  # force converts a detached view; x itself is unchanged
