"""nn.functional's activations, softmax family, dropout and distances: stability on extreme
values, PyTorch's implicit softmax dim, in-place forms, reproducible dropout masks, and bad
inputs (each error names the op)."""
import math
import warnings

import numpy as np
import pytest

import ember
import ember.nn.functional as F  # noqa: N812 (PyTorch's idiom)


def t(values, dtype=None):
    return ember.tensor(values, dtype=dtype)


# ---------------------------------------------------------------- softmax family


def test_softmax_is_stable_for_large_and_minus_infinite_logits():
    x = t([[1000.0, 1000.0, -math.inf], [-1000.0, 0.0, 1000.0]])
    assert F.softmax(x, 1).tolist() == [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]
    log = F.log_softmax(x, 1)
    assert log[0, 0].item() == pytest.approx(-math.log(2))
    assert log[0, 2].item() == -math.inf


def test_softmax_of_a_row_with_nan_is_nan():
    assert all(math.isnan(v) for v in F.softmax(t([1.0, math.nan, 2.0]), 0).tolist())


def test_softmax_long_rows_and_inner_dims_match_numpy():
    rng = np.random.default_rng(0)
    values = rng.standard_normal((3, 1000, 7)).astype(np.float32) * 10
    x = ember.from_numpy(values)
    for dim in (0, 1, 2):
        shifted = values - values.max(axis=dim, keepdims=True)
        expected = np.exp(shifted) / np.exp(shifted).sum(axis=dim, keepdims=True)
        np.testing.assert_allclose(F.softmax(x, dim).numpy(), expected, rtol=1e-5, atol=1e-7)


def test_softmax_results_do_not_depend_on_the_thread_count():
    x = ember.randn(512, 700)
    threads = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        single = F.softmax(x, 1).numpy(), F.log_softmax(x, 0).numpy()
        ember.set_num_threads(max(threads, 2))
        multi = F.softmax(x, 1).numpy(), F.log_softmax(x, 0).numpy()
    finally:
        ember.set_num_threads(threads)
    np.testing.assert_array_equal(single[0], multi[0])
    np.testing.assert_array_equal(single[1], multi[1])


@pytest.mark.parametrize(("ndim", "dim"), [(0, 0), (1, 0), (2, 1), (3, 0), (4, 1)])
def test_implicit_softmax_dim_warns_and_follows_pytorch(ndim, dim):
    x = ember.randn(*([2] * ndim))
    for function in (F.softmax, F.log_softmax, F.softmin):
        with pytest.warns(UserWarning, match="Implicit dimension choice"):
            result = function(x)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert ember.equal(result, function(x, dim))


def test_softmax_dtype_casts_the_input_first():
    x = t([1, 2, 3])
    result = F.softmax(x, 0, dtype=ember.float64)
    assert result.dtype == ember.float64
    assert ember.softmax(x.float(), 0, ember.float64).dtype == ember.float64


def test_softmax_of_integers_without_dtype_names_the_op():
    with pytest.raises(RuntimeError, match=r"\[softmax\].*floating"):
        ember.softmax(t([1, 2]), 0)
    with pytest.raises(RuntimeError, match=r"\[log_softmax\]"):
        t([1, 2]).log_softmax(0)


def test_softmax_dim_out_of_range_names_op_and_dim():
    with pytest.raises(IndexError, match=r"\[softmax\].*got 2"):
        F.softmax(ember.zeros(2, 3), 2)
    with pytest.raises(IndexError, match=r"\[log_softmax\].*got -3"):
        F.log_softmax(ember.zeros(2, 3), -3)


# ---------------------------------------------------------------- activations


def test_inplace_forms_return_their_input():
    for name in ("relu", "relu6", "elu", "selu", "celu", "leaky_relu", "hardtanh", "silu", "mish",
                 "hardsigmoid", "hardswish", "rrelu"):
        x = ember.randn(3, 4)
        expected = getattr(F, name)(x)
        assert getattr(F, name)(x, inplace=True) is x, name
        assert ember.equal(x, expected), name
    x = ember.randn(5)
    expected = F.threshold(x, 0.1, 2.0)
    assert F.threshold_(x, 0.1, 2.0) is x and ember.equal(x, expected)


def test_inplace_activation_of_a_non_leaf_keeps_its_gradient():
    x = ember.randn(4, requires_grad=True)
    y = x * 2
    F.elu_(y)
    y.sum().backward()
    expected = np.where(x.detach().numpy() > 0, 2.0, 2.0 * np.exp(2 * x.detach().numpy()))
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-5)


def test_softplus_gradient_is_finite_far_above_the_threshold():
    x = t([100.0, -100.0, 0.0], ember.float32).requires_grad_()
    F.softplus(x).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    assert x.grad.tolist()[0] == 1.0


def test_logsigmoid_is_stable_for_large_magnitudes():
    result = F.logsigmoid(t([-200.0, 200.0], ember.float32)).tolist()
    assert result[0] == -200.0 and result[1] == 0.0


def test_rrelu_training_draws_slopes_in_range_reproducibly():
    x = -ember.ones(1000)
    ember.manual_seed(3)
    first = F.rrelu(x, 0.1, 0.3, training=True)
    ember.manual_seed(3)
    assert ember.equal(first, F.rrelu(x, 0.1, 0.3, training=True))
    slopes = -first.numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.03


def test_activation_bad_inputs_name_the_op():
    with pytest.raises(ValueError, match=r"\[gelu\].*approximate"):
        F.gelu(ember.zeros(2), approximate="fast")
    with pytest.raises(RuntimeError, match=r"\[glu\] Halving dimension must be even.*size 3"):
        F.glu(ember.zeros(2, 3))
    with pytest.raises(RuntimeError, match=r"\[glu\].*scalars"):
        F.glu(ember.zeros(()))
    with pytest.raises(IndexError, match=r"\[glu\].*got 2"):
        F.glu(ember.zeros(2, 4), 2)
    with pytest.raises(RuntimeError, match=r"\[prelu\] Mismatch.*= 2 and channel size = 3"):
        F.prelu(ember.zeros(2, 3), ember.zeros(2))
    with pytest.raises(RuntimeError, match=r"\[prelu\].*ndim = 2"):
        F.prelu(ember.zeros(2, 3), ember.zeros(3, 1))
    with pytest.raises(RuntimeError, match=r"\[rrelu\].*Lower bound"):
        F.rrelu(ember.zeros(2), 0.5, 0.1, training=True)
    with pytest.raises(RuntimeError, match=r"\[softshrink\].*lambda"):
        F.softshrink(ember.zeros(2), -1.0)
    with pytest.raises(RuntimeError, match=r"\[celu\].*alpha"):
        F.celu(ember.zeros(2), 0.0)
    with pytest.raises(ValueError, match=r"\[hardtanh\].*min_val"):
        F.hardtanh(ember.zeros(2), 1.0, -1.0)


# ---------------------------------------------------------------- dropout


def test_dropout_masks_repeat_with_the_seed_and_not_with_the_thread_count():
    x = ember.ones(300, 500)
    threads = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        ember.manual_seed(7)
        single = F.dropout(x, 0.3)
        ember.set_num_threads(max(threads, 2))
        ember.manual_seed(7)
        multi = F.dropout(x, 0.3)
    finally:
        ember.set_num_threads(threads)
    assert ember.equal(single, multi)
    kept = (single != 0).float().mean().item()
    assert abs(kept - 0.7) < 0.01
    assert single.max().item() == pytest.approx(1 / 0.7)


def test_dropout_gradient_flows_through_the_mask():
    x = ember.ones(50, 40, requires_grad=True)
    ember.manual_seed(1)
    y = F.dropout(x, 0.5)
    y.sum().backward()
    assert ember.equal(x.grad, (y != 0).float() * 2)


def test_dropout_without_training_returns_the_input():
    x = ember.randn(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.alpha_dropout(x, 0.5) is x
    assert F.dropout2d(x[None], 0.5, training=False) is not None


def test_alpha_dropout_keeps_mean_and_variance():
    ember.manual_seed(0)
    x = ember.randn(200000)
    y = F.alpha_dropout(x, 0.2, training=True)
    assert abs(y.mean().item()) < 0.02 and abs(y.std().item() - 1) < 0.02


def test_channel_dropout_drops_whole_channels_in_place():
    x = ember.ones(4, 8, 3, 3)
    ember.manual_seed(2)
    assert F.dropout2d(x, 0.5, inplace=True) is x
    per_channel = x.reshape(4, 8, 9)
    assert ember.equal(per_channel.amax(2), per_channel.amin(2))


def test_dropout_bad_inputs_name_the_op():
    with pytest.raises(ValueError, match=r"\[dropout\] dropout probability has to be between 0 "
                                         r"and 1, but got 1.5"):
        F.dropout(ember.zeros(2), 1.5)
    with pytest.raises(ValueError, match=r"\[alpha_dropout\].*-0.1"):
        F.alpha_dropout(ember.zeros(2), -0.1, training=True)
    with pytest.raises(RuntimeError, match=r"\[dropout2d\] Expected 3D or 4D input.*2D"):
        F.dropout2d(ember.zeros(2, 3))
    with pytest.raises(RuntimeError, match=r"\[dropout1d\] Expected 2D or 3D input"):
        F.dropout1d(ember.zeros(2, 3, 4, 5))


# ---------------------------------------------------------------- distances and encodings


def test_one_hot_infers_the_class_count():
    assert F.one_hot(t([0, 2, 1])).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]


def test_one_hot_bad_inputs_name_the_op():
    with pytest.raises(RuntimeError, match=r"\[one_hot\].*LongTensor"):
        F.one_hot(t([0.0, 1.0]))
    with pytest.raises(RuntimeError, match=r"\[one_hot\] Class values must be non-negative"):
        F.one_hot(t([0, -1]))
    with pytest.raises(RuntimeError, match=r"\[one_hot\] Class values must be smaller"):
        F.one_hot(t([0, 3]), 3)
    with pytest.raises(RuntimeError, match=r"\[one_hot\].*empty tensor"):
        F.one_hot(ember.zeros(0, dtype=ember.int64))


def test_distance_bad_inputs_name_the_op():
    with pytest.raises(RuntimeError, match=r"\[pdist\].*2D.*3D"):
        F.pdist(ember.zeros(2, 3, 4))
    with pytest.raises(IndexError, match=r"\[normalize\]"):
        F.normalize(ember.zeros(3), dim=1)
    with pytest.raises(RuntimeError, match=r"\[cosine_similarity\]"):
        F.cosine_similarity(ember.zeros(3, 4), ember.zeros(3, 5))


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient():
    logits = ember.randn(4, 6, requires_grad=True)
    ember.manual_seed(5)
    hard = F.gumbel_softmax(logits, hard=True)
    assert ember.equal(hard.sum(1), ember.ones(4))
    ember.manual_seed(5)
    soft = F.gumbel_softmax(logits)
    assert ember.equal(hard.argmax(1), soft.argmax(1))
    weights = ember.randn(4, 6)
    (hard_grad,) = ember.autograd.grad((hard * weights).sum(), logits)
    (soft_grad,) = ember.autograd.grad((soft * weights).sum(), logits)
    np.testing.assert_allclose(hard_grad.numpy(), soft_grad.numpy(), rtol=1e-5, atol=1e-7)
