"""ember.autocast on the CPU (torch.autocast's semantics): the listed ops run in bfloat16 inside a
region and float32 outside, float32-list ops promote back, regions nest and disable, the state is
per thread, each weight is cast once per region, gradients reach the float32 parameters, and a
small model trains under autocast."""
import threading
import warnings

import ember.cuda.amp
import numpy as np
import pytest

import ember
import ember.nn.functional as F  # noqa: N812 (PyTorch's idiom)
from ember import nn


def test_lower_precision_ops_run_in_bfloat16_inside_and_float32_outside():
    x, w = ember.randn(4, 3), ember.randn(5, 3)
    image, kernel = ember.randn(1, 2, 6, 6), ember.randn(3, 2, 3, 3)
    with ember.autocast("cpu"):
        assert ember.is_autocast_enabled("cpu")
        assert F.linear(x, w).dtype == ember.bfloat16
        assert ember.matmul(x, w.t()).dtype == ember.bfloat16
        assert ember.mm(x, w.t()).dtype == ember.bfloat16
        assert F.conv2d(image, kernel).dtype == ember.bfloat16
        assert nn.Linear(3, 2)(x).dtype == ember.bfloat16
        # Integer and float64 inputs are not cast.
        assert ember.mm(x.double(), w.double().t()).dtype == ember.float64
        assert ember.mm(x.long(), w.long().t()).dtype == ember.int64
    assert not ember.is_autocast_enabled("cpu")
    assert F.linear(x, w).dtype == ember.float32


def test_results_are_the_float32_ones_rounded_through_bfloat16():
    x, w = ember.randn(8, 16), ember.randn(4, 16)
    expected = (x.to(ember.bfloat16).float() @ w.to(ember.bfloat16).float().t()).numpy()
    with ember.autocast("cpu"):
        got = F.linear(x, w).float().numpy()
    np.testing.assert_allclose(got, expected, rtol=2e-2, atol=2e-2)


def test_float32_list_ops_promote_back_and_promote_ops_take_the_widest_type():
    with ember.autocast("cpu"):
        y = ember.mm(ember.randn(3, 4), ember.randn(4, 5))
        assert y.dtype == ember.bfloat16
        assert F.mse_loss(y, ember.zeros(3, 5)).dtype == ember.float32
        assert F.cross_entropy(y, ember.tensor([0, 1, 2])).dtype == ember.float32
        assert ember.cat([y, ember.zeros(3, 5)]).dtype == ember.float32
        assert ember.stack([y, y]).dtype == ember.bfloat16


def test_float16_and_the_dtype_functions():
    assert ember.get_autocast_dtype("cpu") == ember.bfloat16
    assert ember.get_autocast_dtype("cuda") == ember.float16
    with ember.autocast("cpu", dtype=ember.float16):
        assert ember.get_autocast_dtype("cpu") == ember.float16
        assert ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.float16
    assert ember.get_autocast_dtype("cpu") == ember.bfloat16


def test_regions_nest_and_disable():
    with ember.autocast("cpu"):
        with ember.autocast("cpu", enabled=False):
            assert not ember.is_autocast_enabled("cpu")
            assert ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.float32
        assert ember.is_autocast_enabled("cpu")
        with ember.autocast("cpu", dtype=ember.float16):
            assert ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.float16
        assert ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.bfloat16
    assert not ember.is_autocast_enabled("cpu")


def test_decorator_and_aliases():
    @ember.autocast("cpu")
    def product(a, b):
        return ember.mm(a, b)

    assert product(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.bfloat16
    assert ember.amp.autocast is ember.autocast
    with ember.cpu.amp.autocast():
        assert ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.bfloat16
    assert issubclass(ember.cuda.amp.GradScaler, ember.amp.GradScaler)


def test_state_is_per_thread():
    seen = {}

    def other():
        seen["enabled"] = ember.is_autocast_enabled("cpu")
        seen["dtype"] = ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype

    with ember.autocast("cpu"):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen == {"enabled": False, "dtype": ember.float32}


def test_the_same_weight_is_cast_once_per_region():
    layer = nn.Linear(4, 4)
    x = ember.randn(2, 4)
    with ember.autocast("cpu"):
        layer(x)
        layer(x)
        ember.matmul(x, layer.weight.t())
        # weight and bias: one cast each.
        assert ember._C._autocast._cache_size() == 2
        with ember.autocast("cpu"):
            layer(x)
        assert ember._C._autocast._cache_size() == 2
    assert ember._C._autocast._cache_size() == 0
    with ember.autocast("cpu", cache_enabled=False):
        layer(x)
        assert ember._C._autocast._cache_size() == 0


def test_gradients_reach_the_float32_parameters():
    layer = nn.Linear(3, 2)
    x = ember.randn(4, 3)
    with ember.autocast("cpu"):
        out = layer(x)
        assert out.dtype == ember.bfloat16
        loss = F.mse_loss(out, ember.zeros(4, 2))
    assert loss.dtype == ember.float32
    loss.backward()
    assert layer.weight.grad.dtype == ember.float32
    assert layer.bias.grad.dtype == ember.float32
    # The float32 gradient, up to bfloat16's rounding of the forward pass.
    weight, bias = layer.weight.detach(), layer.bias.detach()
    expected = (2.0 / 8.0) * ((x @ weight.t() + bias).t() @ x).numpy()
    np.testing.assert_allclose(layer.weight.grad.numpy(), expected, rtol=5e-2, atol=5e-2)


def test_a_small_model_trains_under_autocast():
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = ember.optim.SGD(model.parameters(), lr=0.05)
    x = ember.randn(64, 8)
    y = x.sum(dim=1, keepdim=True)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        with ember.autocast("cpu"):
            loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(p.dtype == ember.float32 for p in model.parameters())
    assert losses[-1] < 0.25 * losses[0]


def test_cuda_region_without_cuda_warns_and_disables():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        region = ember.autocast("cuda")
    with region:
        assert not ember.is_autocast_enabled("cuda")


def test_cuda_state_is_settable_without_kernels():
    ember.set_autocast_enabled("cuda", True)
    try:
        assert ember.is_autocast_enabled("cuda")
        assert ember.is_autocast_enabled()
        # CPU tensors follow the CPU state.
        assert ember.mm(ember.ones(2, 2), ember.ones(2, 2)).dtype == ember.float32
    finally:
        ember.set_autocast_enabled("cuda", False)


def test_bad_arguments():
    with pytest.raises(ValueError, match="device_type"):
        ember.autocast("xla")
    with pytest.raises(ValueError, match="device_type"):
        ember.autocast(ember.device("cpu"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        region = ember.autocast("cpu", dtype=ember.float64)
    assert any("not supported" in str(w.message) for w in caught)
    with region:
        assert not ember.is_autocast_enabled("cpu")
    with pytest.raises(ValueError, match=r"\[autocast\]"):
        ember.set_autocast_dtype("cpu", ember.int32)
    with pytest.raises(ValueError, match=r"\[autocast\]"):
        ember.is_autocast_enabled("tpu")


def test_common_layers_run_under_autocast():
    x = ember.randn(2, 3, 8, 8)
    with ember.autocast("cpu"):
        conv = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())(x)
        normed = nn.LayerNorm(4)(nn.Linear(3, 4)(ember.randn(2, 3)))
        recurrent = nn.LSTM(3, 5)(ember.randn(4, 2, 3))[0]
        gru = nn.GRU(3, 5, batch_first=True)(ember.randn(2, 4, 3))[0]
        encoded = nn.TransformerEncoderLayer(8, 2, 16)(ember.randn(3, 2, 8))
    assert conv.dtype == ember.bfloat16
    # A bfloat16 input with float32 weights, as PyTorch's CPU layer_norm takes it.
    assert normed.dtype == ember.bfloat16
    # ember's recurrent cells take float32/float64: they run in float32 under autocast.
    assert recurrent.dtype == ember.float32 and gru.dtype == ember.float32
    assert encoded.shape == (3, 2, 8)
