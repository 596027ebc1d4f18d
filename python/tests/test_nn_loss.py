"""nn.functional's losses beyond op_db: bad inputs raise typed errors naming the op, the index
and both shapes; PyTorch's legacy size_average/reduce arguments; values PyTorch documents."""
import math
import warnings

import numpy as np
import pytest

import ember
from ember.nn import functional as F  # noqa: N812 (PyTorch's spelling)


def t(values, dtype=ember.float64):
    return ember.tensor(values, dtype=dtype)


def longs(values):
    return ember.tensor(values, dtype=ember.int64)


@pytest.mark.parametrize("loss", [F.nll_loss, F.cross_entropy])
def test_class_index_out_of_range_names_the_index_and_shapes(loss):
    x = ember.zeros(2, 3)
    with pytest.raises(IndexError, match=r"Target 3 is out of bounds.*\[2\].*\[2, 3\]"):
        loss(x, longs([0, 3]))
    with pytest.raises(IndexError, match="Target -2 is out of bounds"):
        loss(x, longs([-2, 0]))
    # ignore_index may lie outside [0, C); other negative indices may not.
    assert loss(x, longs([-100, 1]), reduction="sum").item() == pytest.approx(
        0.0 if loss is F.nll_loss else math.log(3))


def test_nll_loss_target_shape_and_dtype():
    x = ember.zeros(2, 3, 4)
    with pytest.raises(RuntimeError, match=r"expected target of shape \[2, 4\].*\[2, 3, 4\].*"
                       r"received target of shape \[2, 3\]"):
        F.nll_loss(x, ember.zeros(2, 3, dtype=ember.int64))
    with pytest.raises(RuntimeError, match="int64.*int32"):
        F.nll_loss(ember.zeros(2, 3), longs([0, 1]).to(ember.int32))
    with pytest.raises(RuntimeError, match=r"weight of shape \[3\]"):
        F.nll_loss(ember.zeros(2, 3), longs([0, 1]), weight=ember.ones(4))


def test_cross_entropy_probabilities_need_the_input_shape():
    with pytest.raises(RuntimeError, match=r"\[2, 3\].*\[2, 4\]"):
        F.cross_entropy(ember.zeros(2, 3), ember.zeros(2, 4))
    with pytest.raises(RuntimeError, match="label_smoothing"):
        F.cross_entropy(ember.zeros(2, 3), longs([0, 1]), label_smoothing=1.5)


def test_margin_losses_check_their_indices():
    with pytest.raises(IndexError, match="Target 4"):
        F.multi_margin_loss(ember.zeros(2, 4), longs([0, 4]))
    with pytest.raises(IndexError, match="Target 9"):
        F.multilabel_margin_loss(ember.zeros(1, 4), longs([[0, 9, -1, 0]]))
    with pytest.raises(RuntimeError, match="p 1 or 2"):
        F.multi_margin_loss(ember.zeros(2, 4), longs([0, 1]), p=3)


def test_binary_cross_entropy_checks_shape_and_range():
    with pytest.raises(ValueError, match=r"\[2, 3\].*\[3\]"):
        F.binary_cross_entropy(ember.full((2, 3), 0.5), ember.zeros(3))
    with pytest.raises(ValueError, match=r"\[2\].*\[2, 1\]"):
        F.binary_cross_entropy_with_logits(ember.zeros(2), ember.zeros(2, 1))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(t([0.5, 1.5]), t([0.0, 1.0]))


def test_gaussian_nll_loss_checks_var():
    with pytest.raises(ValueError, match="var"):
        F.gaussian_nll_loss(ember.zeros(2, 3), ember.zeros(2, 3), ember.ones(3))
    with pytest.raises(ValueError, match="var >= 0"):
        F.gaussian_nll_loss(ember.zeros(2, 3), ember.zeros(2, 3), -ember.ones(2, 3))


def test_unknown_reduction_is_a_value_error():
    with pytest.raises(ValueError, match="'average'"):
        F.mse_loss(ember.zeros(2), ember.zeros(2), reduction="average")
    with pytest.raises(ValueError, match="batchmean"):
        F.l1_loss(ember.zeros(2), ember.zeros(2), reduction="batchmean")


@pytest.mark.parametrize(("size_average", "reduce", "reduction"),
                         [(None, False, "none"), (False, None, "sum"), (True, True, "mean"),
                          (False, False, "none")])
def test_legacy_size_average_and_reduce(size_average, reduce, reduction):
    x, y = t([1.0, 2.0, 4.0]), t([0.0, 0.0, 0.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        legacy = F.l1_loss(x, y, size_average=size_average, reduce=reduce)
    assert any("deprecated" in str(w.message) for w in caught)
    expected = F.l1_loss(x, y, reduction=reduction)
    np.testing.assert_array_equal(legacy.numpy(), expected.numpy())


def test_values_pytorch_documents():
    # log(1 + exp(+-1000)) without overflow; bce clamps log(0) at -100.
    logits = t([-1000.0, 1000.0])
    ones = t([1.0, 1.0])
    assert F.binary_cross_entropy_with_logits(logits, ones, reduction="sum").item() == 1000.0
    assert F.binary_cross_entropy(t([0.0]), t([1.0])).item() == 100.0
    # kl_div batchmean: the sum over the batch of 2.
    x = t([[-1.0, -2.0], [-3.0, -4.0]])
    p = t([[0.5, 0.5], [0.0, 1.0]])
    assert F.kl_div(x, p, reduction="batchmean").item() == pytest.approx(
        F.kl_div(x, p, reduction="sum").item() / 2)
    # cross_entropy of uniform logits is log(C) whatever the target.
    assert F.cross_entropy(ember.zeros(3, 5), longs([0, 4, 2])).item() == pytest.approx(
        math.log(5))


def test_losses_backpropagate_to_a_leaf():
    x = ember.zeros(4, 3, requires_grad=True)
    F.cross_entropy(x, longs([0, 1, 2, 1])).backward()
    # softmax(0) = 1/3; minus one at the target; mean over 4.
    expected = np.full((4, 3), 1 / 3)
    expected[[0, 1, 2, 3], [0, 1, 2, 1]] -= 1
    np.testing.assert_allclose(x.grad.numpy(), expected / 4, rtol=1e-6)


def test_ctc_loss_checks_targets_and_lengths():
    log_probs = ember.zeros(5, 2, 4)
    targets = longs([[1, 2], [3, 1]])
    with pytest.raises(IndexError, match=r"Target 4 is out of bounds.*\[2, 2\].*\[5, 2, 4\]"):
        F.ctc_loss(log_probs, longs([[1, 4], [3, 1]]), (5, 5), (2, 2))
    with pytest.raises(RuntimeError, match="input_lengths in \\[0, 5\\]"):
        F.ctc_loss(log_probs, targets, (6, 5), (2, 2))
    with pytest.raises(RuntimeError, match="target_lengths at most 2"):
        F.ctc_loss(log_probs, targets, (5, 5), (3, 2))
    with pytest.raises(RuntimeError, match="at least 4 elements"):
        F.ctc_loss(log_probs, longs([1, 2, 3]), (5, 5), (2, 2))
    with pytest.raises(RuntimeError, match="blank in \\[0, 4\\)"):
        F.ctc_loss(log_probs, targets, (5, 5), (2, 2), blank=4)
    with pytest.raises(RuntimeError, match="batch size"):
        F.ctc_loss(log_probs, targets, (5,), (2,))


def test_ctc_loss_of_uniform_frames_counts_the_alignments():
    # 3 frames over 2 classes, target [1]: the alignments are 1__, _1_, __1, 11_, _11, 111 (_ blank)
    log_probs = ember.full((3, 1, 2), math.log(0.5), dtype=ember.float64)
    loss = F.ctc_loss(log_probs, longs([[1]]), [3], [1], reduction="sum")
    assert loss.item() == pytest.approx(-math.log(6 / 8))
    assert F.ctc_loss(log_probs, longs([[1, 1]]), [3], [2], reduction="sum").item() == \
        pytest.approx(-math.log(1 / 8))
    assert math.isinf(F.ctc_loss(log_probs, longs([[1, 1]]), [2], [2], reduction="sum").item())


def test_binary_cross_entropy_gradient_is_finite_at_zero_and_one():
    # PyTorch's: (x - y) / max(x (1 - x), 1e-12) w.r.t. input, log(1 - x) - log(x) w.r.t. target.
    x = t([0.0, 1.0, 0.0, 1.0, 0.3]).requires_grad_()
    y = t([1.0, 0.0, 0.0, 1.0, 0.6]).requires_grad_()
    loss = F.binary_cross_entropy(x, y, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy()[:4], [100.0, 100.0, 0.0, 0.0])
    grad_x, grad_y = ember.autograd.grad(loss.sum(), (x, y))
    np.testing.assert_allclose(grad_x.numpy(), [-1e12, 1e12, 0.0, 0.0, -0.3 / 0.21], rtol=1e-12)
    assert grad_y.numpy()[4] == pytest.approx(math.log(0.7 / 0.3))
    assert np.isinf(grad_y.numpy()[:4]).all()


def test_fused_cross_entropy_of_a_large_batch_matches_log_softmax_and_nll():
    ember.manual_seed(0)
    logits = ember.randn(300, 17, dtype=ember.float64).requires_grad_()
    target = ember.randint(0, 17, (300,))
    fused = F.cross_entropy(logits, target, label_smoothing=0.1)
    log_probs = F.log_softmax(logits, 1)
    composite = 0.9 * F.nll_loss(log_probs, target) - 0.1 * log_probs.mean(1).mean()
    assert fused.item() == pytest.approx(composite.item(), rel=1e-12)
    (grad_fused,) = ember.autograd.grad(fused, (logits,))
    (grad_composite,) = ember.autograd.grad(composite, (logits,))
    np.testing.assert_allclose(grad_fused.numpy(), grad_composite.numpy(), rtol=1e-10, atol=1e-14)
