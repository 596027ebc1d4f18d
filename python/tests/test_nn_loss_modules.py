"""The loss modules: they call their nn.functional loss with their options, keep weights as
buffers (in state_dict, as PyTorch's), print as PyTorch's and accept the legacy arguments."""
import warnings

import numpy as np
import pytest

import ember
from ember import nn
from ember.nn import functional as F  # noqa: N812 (PyTorch's spelling)


def longs(values):
    return ember.tensor(values, dtype=ember.int64)


def test_modules_forward_to_their_functions():
    x, y = ember.randn(3, 4), ember.randn(3, 4)
    assert nn.MSELoss()(x, y).item() == F.mse_loss(x, y).item()
    assert nn.L1Loss(reduction="sum")(x, y).item() == F.l1_loss(x, y, reduction="sum").item()
    assert nn.HuberLoss(delta=0.5)(x, y).item() == F.huber_loss(x, y, delta=0.5).item()
    target = longs([0, 3, 1])
    weight = ember.rand(4) + 0.5
    module = nn.CrossEntropyLoss(weight=weight, ignore_index=1, label_smoothing=0.1)
    expected = F.cross_entropy(x, target, weight=weight, ignore_index=1, label_smoothing=0.1)
    assert module(x, target).item() == expected.item()
    var = ember.rand(3, 4) + 0.1
    assert nn.GaussianNLLLoss(full=True)(x, y, var).item() == F.gaussian_nll_loss(
        x, y, var, full=True).item()
    signs = ember.tensor([1.0, -1.0, 1.0])
    assert nn.CosineEmbeddingLoss(margin=0.2)(x, y, signs).item() == F.cosine_embedding_loss(
        x, y, signs, margin=0.2).item()
    assert nn.TripletMarginLoss(swap=True)(x, y, x.flip(0)).item() == F.triplet_margin_loss(
        x, y, x.flip(0), swap=True).item()


def test_weights_are_buffers_in_the_state_dict():
    weight = ember.ones(4)
    module = nn.NLLLoss(weight=weight)
    assert module.weight is weight
    assert list(module.state_dict()) == ["weight"]
    logits = nn.BCEWithLogitsLoss(pos_weight=ember.ones(4))
    assert list(logits.state_dict()) == ["pos_weight"]  # None buffers are left out
    assert list(nn.MSELoss().state_dict()) == []
    assert module.to(ember.float64).weight.dtype == ember.float64


def test_repr_is_pytorchs():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"


def test_legacy_arguments_set_the_reduction():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert nn.MSELoss(size_average=False).reduction == "sum"
        assert nn.NLLLoss(reduce=False).reduction == "none"
    assert nn.KLDivLoss(reduction="batchmean").reduction == "batchmean"


def test_multi_margin_loss_checks_its_options():
    with pytest.raises(ValueError, match="p == 1 and p == 2"):
        nn.MultiMarginLoss(p=3)
    with pytest.raises(ValueError, match="1D"):
        nn.MultiMarginLoss(weight=ember.ones(2, 2))


def test_a_loss_module_trains_a_linear_model():
    ember.manual_seed(0)
    w = ember.zeros(4, 3, requires_grad=True)
    x = ember.randn(32, 4)
    target = (x @ ember.randn(4, 3)).argmax(1)
    criterion = nn.CrossEntropyLoss()
    first = None
    for _ in range(50):
        loss = criterion(x @ w, target)
        first = first if first is not None else loss.item()
        w.grad = None
        loss.backward()
        with ember.no_grad():
            w -= 0.5 * w.grad
    assert loss.item() < 0.5 * first
    assert np.isfinite(loss.item())
